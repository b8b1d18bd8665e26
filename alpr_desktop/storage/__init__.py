"""SQLCipher storage: the only package that speaks SQL."""

from alpr_desktop.storage.db import Store, create_store, open_store
from alpr_desktop.storage.errors import (
    DiskFull,
    NewerSchema,
    NotAStore,
    StoreBusy,
    StoreCorrupt,
    StoreError,
    WrongKey,
)

__all__ = [
    "DiskFull",
    "NewerSchema",
    "NotAStore",
    "Store",
    "StoreBusy",
    "StoreCorrupt",
    "StoreError",
    "WrongKey",
    "create_store",
    "open_store",
]
