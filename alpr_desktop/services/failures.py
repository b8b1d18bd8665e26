"""The typed failures the services raise below their own, named for the GUI and the CLI.

Storage errors (wrong key, not a store, busy, disk full) and key-custody errors (wrong or weak
passphrase, key file missing) carry their own sentence; callers above the services catch
them by these names instead of importing storage or security."""

from __future__ import annotations

from alpr_desktop.security.keys import (
    KeyCustodyError,
    KeyFileError,
    WeakPassphrase,
    WrongPassphrase,
)
from alpr_desktop.storage.errors import StoreError

__all__ = ["KeyCustodyError", "KeyFileError", "StoreError", "WeakPassphrase", "WrongPassphrase"]
