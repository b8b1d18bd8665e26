"""Fixtures for the audit tests (defined in audit_helpers)."""

from audit_helpers import fast_hashing, log_store

__all__ = ["fast_hashing", "log_store"]
