"""Storage: the only package that speaks SQL. Services see the protocols of
storage/protocols.py (a unit of work and one repository per aggregate); the embedded
SQLCipher store (db.Store and the *Repo classes) implements them."""

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
from alpr_desktop.storage.protocols import UnitOfWork

__all__ = [
    "DiskFull",
    "NewerSchema",
    "NotAStore",
    "Store",
    "StoreBusy",
    "StoreCorrupt",
    "StoreError",
    "UnitOfWork",
    "WrongKey",
    "create_store",
    "open_store",
]
