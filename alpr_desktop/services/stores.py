"""Create and unlock stores: storage plus key custody, with the events logged."""

from __future__ import annotations

from pathlib import Path

from alpr_desktop.core.audit_log import LogEvent, Outcome
from alpr_desktop.core.clock import Clock
from alpr_desktop.security import keys
from alpr_desktop.services.audit import SYSTEM_USER, log_event
from alpr_desktop.storage import Store, WrongKey, create_store, open_store
from alpr_desktop.storage.errors import precheck_store_file


class PassphraseRequired(keys.KeyCustodyError):
    """The keyring did not give a key: ask the user for the recovery passphrase."""


def create_new_store(
    path: Path | str,
    passphrase: str,
    *,
    demo: bool = False,
    remember: bool = True,
    kdf: keys.KdfParams | None = None,
    clock: Clock | None = None,
) -> Store:
    """A new store with a fresh data key, wrapped beside it and (if possible) in the keyring.

    Nothing is left behind if any step fails."""
    keys.check_passphrase(passphrase)
    path = Path(path)
    if keys.keyfile_path(path).exists():
        raise keys.KeyFileError(f"A key file already exists for {path.name}; choose another name.")
    data_key = keys.new_data_key()
    store = create_store(path, data_key, demo=demo)
    try:
        keys.write_keyfile(path, keys.wrap_key(data_key, passphrase, store.store_id, kdf))
        in_keyring = remember and keys.keyring_put(store.store_id, data_key)
        log_event(
            store,
            LogEvent(
                "store.created", Outcome.OK, SYSTEM_USER,
                detail={"store_id": store.store_id, "demo": demo, "keyring": bool(in_keyring)},
            ),
            clock,
        )
    except BaseException:
        store.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        keys.keyfile_path(path).unlink(missing_ok=True)
        raise
    return store


def unlock_store(
    path: Path | str,
    passphrase: str | None = None,
    *,
    remember: bool = True,
    clock: Clock | None = None,
) -> Store:
    """Open a store with the keyring's key, else with the recovery passphrase.

    Raises PassphraseRequired when the keyring has no usable key and no passphrase was given,
    WrongPassphrase, KeyFileError, or a StoreError (WrongKey, NotAStore, StoreCorrupt, …)."""
    path = Path(path)
    precheck_store_file(path)
    kf = keys.read_keyfile(path)
    if passphrase is None:
        key = keys.keyring_get(kf.store_id)
        if key is not None:
            try:
                return open_store(path, key)
            except WrongKey:
                pass  # a stale keyring entry: fall back to the passphrase
        raise PassphraseRequired("Enter the store's recovery passphrase to unlock it.")
    key = keys.unwrap_key(kf, passphrase)
    store = open_store(path, key)
    if store.store_id != kf.store_id:
        store.close()
        raise keys.KeyFileError("The key file belongs to a different store.")
    stored = bool(remember and keys.keyring_put(kf.store_id, key))
    log_event(
        store,
        LogEvent(
            "store.unlocked_with_passphrase", Outcome.OK, SYSTEM_USER,
            detail={"store_id": kf.store_id, "saved_to_keyring": stored},
        ),
        clock,
    )
    return store


def change_recovery_passphrase(
    store: Store, new_passphrase: str, *, username: str = SYSTEM_USER, clock: Clock | None = None
) -> None:
    """Re-wrap the open store's data key under a new passphrase; the store is not re-encrypted.
    The caller has proved knowledge of the key by opening the store."""
    keys.check_passphrase(new_passphrase)
    kf = keys.wrap_key(store.data_key(), new_passphrase, store.store_id)
    keys.write_keyfile(store.path, kf)
    log_event(
        store,
        LogEvent(
            "store.passphrase_changed", Outcome.OK, username,
            detail={"store_id": store.store_id},
        ),
        clock,
    )
