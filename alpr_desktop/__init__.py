"""ALPR Investigator Workstation."""

__version__ = "0.1.0"
APP_NAME = "ALPR Investigator Workstation"
