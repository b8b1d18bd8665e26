"""Fixtures for the search tests (defined in search_helpers, like the access tests do)."""

from search_helpers import (
    clock,
    fast_kdf,
    seeded,
    store,
    store_key,
    store_path,
    world,
)

__all__ = ["clock", "fast_kdf", "seeded", "store", "store_key", "store_path", "world"]
