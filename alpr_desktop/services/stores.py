"""Create stores and open them with the recovery passphrase: storage plus key custody, logged.

This is the one module above storage/ that knows the embedded backend (``open_with_key``,
``create_new_store`` and ``STORE_SUFFIX`` come from storage/db.py): everything else, once a
store is open, works on the ``UnitOfWork`` it hands out. A second backend adds its opener here.

Signing in is how a store normally opens (services/signin.py). The recovery passphrase is the
other way in: it moves a store to another machine, and it is the only way on a machine whose
keyring holds no workstation secret for the store. Nothing opens a store from the keyring
alone.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from alpr_desktop.core.audit_log import LogEvent, Outcome
from alpr_desktop.core.clock import Clock
from alpr_desktop.security import keys, keyslots
from alpr_desktop.security import workstation_secret as ws
from alpr_desktop.security.file_lock import exclusive
from alpr_desktop.security.signin_record import SignInRecord, lock_path, record_path
from alpr_desktop.services.audit import SYSTEM_USER, log_event
from alpr_desktop.services.signin_failures import flush_pending
from alpr_desktop.storage.db import MIGRATING, create_store, open_store
from alpr_desktop.storage.db import STORE_SUFFIX as STORE_SUFFIX
from alpr_desktop.storage.errors import precheck_store_file
from alpr_desktop.storage.image_segments import segment_dir
from alpr_desktop.storage.unit_of_work import UnitOfWork


class RecoveryRequired(keys.KeyCustodyError):
    """Signing in cannot open this store here: ask for the recovery passphrase."""


NOT_ON_THIS_MACHINE = (
    "This computer's keyring does not hold the workstation secret for this store (a store "
    "copied from another machine, or a keyring that was reset), so an account password alone "
    "cannot open it here. Open it once with the store's recovery passphrase."
)
NO_KEYRING = (
    "There is no usable keyring on this computer (it is locked or missing), so the workstation "
    "secret that signing in needs cannot be read. Unlock the keyring, or open the store with "
    "its recovery passphrase."
)
UPGRADE_NEEDS_RECOVERY = (
    "This store was made by an earlier version, and this computer's keyring does not hold its "
    "key. Open it once with the recovery passphrase to upgrade it."
)


def side_files(path: Path | str) -> list[Path]:
    """The files that live beside a store and belong to it (its images folder aside:
    ``image_folder``)."""
    return [keys.keyfile_path(path), record_path(path), lock_path(path)]


def image_folder(path: Path | str) -> Path:
    """The folder of the store's images (storage/image_segments.py): it moves with the store,
    and the store's images are lost without it."""
    return segment_dir(path)


@contextmanager
def telling_migrations(progress: Callable[[int, int], object] | None) -> Iterator[None]:
    """Within the block, a store opened on this thread calls ``progress(done, total)`` before
    each migration it applies (storage/db.py ``MIGRATING``): how the sign-in dialog knows to
    say that the store is being updated for this version."""
    token = MIGRATING.set(progress)
    try:
        yield
    finally:
        MIGRATING.reset(token)


def open_with_key(path: Path | str, key: bytes) -> UnitOfWork:
    """Open the embedded store at ``path`` with its raw data key (unwrapped by the caller
    from a key slot, the recovery slot or the purge credential), migrating it forward."""
    return open_store(path, key)


def _new_secret_for(store_id: str) -> bytes | None:
    """A fresh workstation secret kept in this keyring; None when there is no usable one
    (it is never written anywhere else)."""
    secret = keyslots.new_secret()
    return secret if ws.put(store_id, secret) else None


def check_recovery_passphrase(passphrase: str) -> None:
    """Refuse a weak recovery passphrase with its reason, before anything is written (the
    command line asks for everything first, so a refusal leaves nothing behind)."""
    keys.check_passphrase(passphrase)


def create_new_store(
    path: Path | str,
    passphrase: str,
    *,
    demo: bool = False,
    remember: bool = True,
    kdf: keys.KdfParams | None = None,
    clock: Clock | None = None,
) -> UnitOfWork:
    """A new store with a fresh data key, a recovery slot, and a new workstation secret in
    this keyring (``remember``); account slots come with the accounts.

    Nothing is left behind if any step fails."""
    keys.check_passphrase(passphrase)
    path = Path(path)
    if keys.keyfile_path(path).exists():
        raise keys.KeyFileError(f"A key file already exists for {path.name}; choose another name.")
    data_key = keys.new_data_key()
    store = create_store(path, data_key, demo=demo)
    store_id = store.store_id
    try:
        secret = _new_secret_for(store_id) if remember else None
        kf = keyslots.KeyFileV2(
            store_id, keyslots.wrap_recovery(data_key, passphrase, store_id, kdf),
            secret_check=keyslots.secret_check(secret, store_id) if secret else None,
        )
        keyslots.write(path, kf)
        if secret is not None:
            SignInRecord(path, store_id, secret).create()
        log_event(
            store,
            LogEvent(
                "store.created", Outcome.OK, SYSTEM_USER,
                detail={"store_id": store_id, "demo": demo,
                        "workstation_secret": secret is not None},
            ),
            clock,
        )
    except BaseException:
        store.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        for side in side_files(path):
            side.unlink(missing_ok=True)
        shutil.rmtree(image_folder(path), ignore_errors=True)
        ws.forget(store_id)
        raise
    return store


def recover_store(
    path: Path | str, passphrase: str, *, clock: Clock | None = None
) -> UnitOfWork:
    """Open ``path`` with its recovery passphrase (nobody is signed in yet).

    - A v1 key file is upgraded: its recovery wrapping is kept, the raw key is deleted from
      the keyring at once.
    - Where this keyring holds no matching workstation secret, a new one is made and every
      account slot (bound to the old secret) is dropped; each account's slot is written again
      when that user next signs in on the store opened this way (their password checked
      against the stored hash), or by an admin's password reset.
    - With no usable keyring nothing is changed: the store opens for this session only.

    Raises WrongPassphrase, KeyFileError or a StoreError."""
    path = Path(path)
    precheck_store_file(path)
    kf = keyslots.read_any(path)
    if isinstance(kf, keys.KeyFile):
        key = keys.unwrap_key(kf, passphrase)
    else:
        key = kf.unwrap_recovery(passphrase)
    store = open_with_key(path, key)
    try:
        if store.store_id != kf.store_id:
            raise keys.KeyFileError("The key file belongs to a different store.")
        detail: dict[str, object] = {"store_id": kf.store_id}
        if isinstance(kf, keys.KeyFile):
            detail.update(upgrade_v1(store, kf, clock))
        else:
            state, secret = ws.get(kf.store_id)
            if secret is not None and kf.matches(secret):
                detail["workstation_secret"] = "kept"  # noqa: S105
                detail.update(_restart_record(store, kf, secret, clock))
            elif state is ws.SecretState.NO_KEYRING:
                detail["workstation_secret"] = "no_keyring"  # noqa: S105
            else:
                detail.update(_rebind(store, kf, clock))
        log_event(store, LogEvent("store.unlocked_with_passphrase", Outcome.OK, SYSTEM_USER,
                                  detail=detail), clock)
    except BaseException:
        store.close()
        raise
    return store


def _custody(store: UnitOfWork) -> Path:
    """The file the store's key custody files sit beside (the embedded store's)."""
    path = store.custody_path
    if path is None:
        raise keys.KeyFileError("This store keeps its key slots in its server.")
    return path


def _restart_record(store: UnitOfWork, kf: keyslots.KeyFileV2, secret: bytes,
                    clock: Clock | None) -> dict[str, object]:
    """Whoever holds the recovery passphrase may do what an admin's release does: the
    failures noted so far go to the log, then the sign-in record starts afresh (this also
    ends a fail-closed lock after tampering)."""
    from alpr_desktop.core.clock import SystemClock

    record = SignInRecord(_custody(store), kf.store_id, secret)
    intact = record.is_intact()
    logged = flush_pending(store, record, secret, clock or SystemClock())
    if not intact:
        log_event(store, LogEvent("signin.record_tampered", Outcome.FAILED, SYSTEM_USER,
                                  detail={"found_by": "recovery"}), clock)
    record.create()
    return {"signin_record": "restarted", "failures_logged": logged,
            "signin_record_intact": intact}


def _rebind(store: UnitOfWork, kf: keyslots.KeyFileV2, clock: Clock | None) -> dict[str, object]:
    """Bind the key file to a new workstation secret in this keyring; old slots go."""
    secret = _new_secret_for(kf.store_id)
    if secret is None:
        return {"workstation_secret": "no_keyring"}
    with store.transaction(), exclusive(lock_path(_custody(store))):
        keyslots.write(_custody(store), kf.for_new_secret(secret))
        SignInRecord(_custody(store), kf.store_id, secret).create()
        forgotten = store.settings.delete_all_key_slot_tags()
        log_event(store, LogEvent(
            "keyslots.rebound", Outcome.OK, SYSTEM_USER,
            detail={"store_id": kf.store_id, "slots_dropped": len(kf.slots),
                    "accounts_needing_new_slot": forgotten},
        ), clock)
    return {"workstation_secret": "new", "slots_dropped": len(kf.slots)}


def upgrade_v1(store: UnitOfWork, kf: keys.KeyFile, clock: Clock | None) -> dict[str, object]:
    """Convert a v1 key file to v2 (its recovery wrapping kept as it is), create the
    workstation secret, and delete the raw data key from the keyring at once. Logged."""
    secret = _new_secret_for(kf.store_id)
    with store.transaction(), exclusive(lock_path(_custody(store))):
        keyslots.write(_custody(store), keyslots.from_v1(kf, secret))
        if secret is not None:
            SignInRecord(_custody(store), kf.store_id, secret).create()
        had_raw = keys.keyring_get(kf.store_id) is not None
        keys.keyring_forget(kf.store_id)
        gone = keys.keyring_get(kf.store_id) is None
        log_event(store, LogEvent(
            "keyslots.upgraded", Outcome.OK, SYSTEM_USER,
            detail={"store_id": kf.store_id, "from_version": 1, "to_version": 2,
                    "workstation_secret": secret is not None,
                    "raw_key_deleted_from_keyring": had_raw and gone},
        ), clock)
    return {"upgraded_from_v1": True, "workstation_secret": "new" if secret else "no_keyring"}


def change_recovery_passphrase(
    store: UnitOfWork, new_passphrase: str, *, username: str = SYSTEM_USER,
    clock: Clock | None = None,
) -> None:
    """Re-wrap the open store's data key under a new passphrase; the store is not re-encrypted
    and the account slots stay. The caller has proved knowledge of the key by opening it."""
    keys.check_passphrase(new_passphrase)
    with store.transaction(), exclusive(lock_path(_custody(store))):
        kf = keyslots.read_any(_custody(store))
        if isinstance(kf, keys.KeyFile):
            kf = keyslots.from_v1(kf, None)
        new = keyslots.wrap_recovery(store.data_key(), new_passphrase, store.store_id)
        keyslots.write(_custody(store), keyslots.KeyFileV2(
            kf.store_id, new, 2, kf.secret_check, kf.slots))
        log_event(store, LogEvent("store.passphrase_changed", Outcome.OK, username,
                                  detail={"store_id": store.store_id}), clock)
