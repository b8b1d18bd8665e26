"""Fixtures for the access tests (defined in access_helpers)."""

from access_helpers import clock, fast_kdf, store, store_key, store_path, world

__all__ = ["clock", "fast_kdf", "store", "store_key", "store_path", "world"]
