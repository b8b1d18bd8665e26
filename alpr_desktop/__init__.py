"""ALPR Investigator Workstation."""

from pathlib import Path as _Path

_SOURCE_VERSION = "0.1.0"


def _release_version() -> str:
    """A built bundle carries the version of its git tag in ``VERSION`` beside this file
    (installer/release_version.py writes it); a source tree has none and says its own."""
    try:
        text = _Path(__file__).with_name("VERSION").read_text(encoding="utf-8").strip()
    except OSError:
        return _SOURCE_VERSION
    return text or _SOURCE_VERSION


__version__ = _release_version()
APP_NAME = "ALPR Investigator Workstation"
