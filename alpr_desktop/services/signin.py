"""Signing in is unlocking: username + password -> lockout check -> slot unwrap -> open store
-> session. The one path the GUI and every CLI command (import, report, verify-log, demo) use.

Order matters: the attempt is counted in the sign-in record (under an OS file lock) before any
key derivation runs, so parallel guesses cannot outrun the lockout; an unknown username runs the
same scrypt against a dummy slot and is counted under its own fingerprint, so it answers, takes
and locks exactly like a real one. Failures are kept in the record and written to the access
log when the store next opens (it cannot be written while the store is shut).

A v1 store (key file v1, raw data key in the keyring) is upgraded by its first sign-in: the
password is checked against the store's hash, the key file becomes v2 with this account's slot,
and the raw key is deleted from the keyring at once (logged).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from alpr_desktop.core.access_errors import AccountLocked, BadCredentials
from alpr_desktop.core.accounts import Session
from alpr_desktop.core.clock import Clock, SystemClock
from alpr_desktop.security import keys, keyslots
from alpr_desktop.security import workstation_secret as ws
from alpr_desktop.security.signin_record import SignInRecord, Verdict
from alpr_desktop.services import stores
from alpr_desktop.services.auth import AuthService
from alpr_desktop.services.demo_accounts import ensure_demo_slots
from alpr_desktop.services.signin_failures import UNKNOWN_ACCOUNT as UNKNOWN_ACCOUNT
from alpr_desktop.services.signin_failures import flush_pending
from alpr_desktop.storage.errors import WrongKey, precheck_store_file
from alpr_desktop.storage.unit_of_work import UnitOfWork


class Door(Enum):
    """How a store can be opened on this machine, before anyone types anything."""

    SIGN_IN = "sign_in"  # account slots and this keyring's workstation secret
    UPGRADE = "upgrade"  # a v1 store whose raw key is still in the keyring: sign in upgrades it
    RECOVERY = "recovery"  # only the recovery passphrase opens it here


@dataclass(frozen=True)
class DoorInfo:
    path: Path
    store_id: str
    door: Door
    reason: str = ""  # why signing in cannot open it (RECOVERY), as a sentence


@dataclass
class SignedIn:
    store: UnitOfWork
    session: Session


def inspect(path: Path | str) -> DoorInfo:
    """Check the files (KeyFileError, NotAStore, …) and say how the store opens here."""
    path = Path(path)
    precheck_store_file(path)
    kf = keyslots.read_any(path)
    if isinstance(kf, keys.KeyFile):
        if keys.keyring_get(kf.store_id) is not None:
            return DoorInfo(path, kf.store_id, Door.UPGRADE)
        return DoorInfo(path, kf.store_id, Door.RECOVERY, stores.UPGRADE_NEEDS_RECOVERY)
    state, secret = ws.get(kf.store_id)
    if state is ws.SecretState.NO_KEYRING:
        return DoorInfo(path, kf.store_id, Door.RECOVERY, stores.NO_KEYRING)
    if secret is None or not kf.matches(secret):
        return DoorInfo(path, kf.store_id, Door.RECOVERY, stores.NOT_ON_THIS_MACHINE)
    return DoorInfo(path, kf.store_id, Door.SIGN_IN)


def sign_in(
    path: Path | str, username: str, password: str, *, clock: Clock | None = None
) -> SignedIn:
    """Open the store at ``path`` as ``username``. The caller owns the returned store.

    Raises BadCredentials (unknown name, wrong password, disabled: one sentence),
    AccountLocked (with the local time it ends), RecoveryRequired, KeyFileError, StoreError."""
    clock = clock or SystemClock()
    path = Path(path)
    precheck_store_file(path)
    kf = keyslots.read_any(path)
    if isinstance(kf, keys.KeyFile):
        return _sign_in_v1(path, kf, username, password, clock)
    state, secret = ws.get(kf.store_id)
    if secret is None:
        raise stores.RecoveryRequired(
            stores.NO_KEYRING if state is ws.SecretState.NO_KEYRING else stores.NOT_ON_THIS_MACHINE
        )
    if not kf.matches(secret):
        raise stores.RecoveryRequired(stores.NOT_ON_THIS_MACHINE)
    name = username.strip()
    record = SignInRecord(path, kf.store_id, secret)
    fp = keyslots.fingerprint(secret, name)
    verdict = record.begin(fp, clock.now_ms())  # counted before any unwrap
    if not verdict.allowed:
        raise _locked(verdict, clock)
    try:
        if not 0 < len(name) <= 64:
            raise keyslots.WrongPassword()
        data_key, tag = kf.unwrap_slot(secret, name, password)
    except keyslots.WrongPassword:
        record.failed(fp, verdict, clock.now_ms())
        if verdict.state.is_locked(clock.now_ms()):
            raise _locked(verdict, clock) from None
        raise BadCredentials() from None
    store = stores.open_with_key(path, data_key)
    try:
        if store.store_id != kf.store_id:
            raise keys.KeyFileError("The key file belongs to a different store.")
        flush_pending(store, record, secret, clock)
        session = AuthService(store, clock).start_unlocked_session(name, password, tag)
    except BaseException:
        store.close()
        raise
    record.clear(fp)
    return SignedIn(store, session)


def _locked(verdict: Verdict, clock: Clock) -> AccountLocked:
    return AccountLocked(verdict.state.minutes_left(clock.now_ms()), verdict.state.locked_until_ms)


def _sign_in_v1(
    path: Path, kf: keys.KeyFile, username: str, password: str, clock: Clock
) -> SignedIn:
    """The first sign-in after the upgrade: the raw key from the keyring opens the store one
    last time, the password is checked against the store's hash, then the store is upgraded."""
    raw = keys.keyring_get(kf.store_id)
    if raw is None:
        raise stores.RecoveryRequired(stores.UPGRADE_NEEDS_RECOVERY)
    try:
        store = stores.open_with_key(path, raw)
    except WrongKey:
        raise stores.RecoveryRequired(stores.UPGRADE_NEEDS_RECOVERY) from None
    try:
        if store.store_id != kf.store_id:
            raise keys.KeyFileError("The key file belongs to a different store.")
        auth = AuthService(store, clock)
        session = auth.sign_in(username, password)  # the stored hash; counts failures
        try:
            stores.upgrade_v1(store, kf, clock)
            auth.ensure_slot(session, password)
            ensure_demo_slots(store, clock)  # a demo store: its published passwords
        except BaseException:
            auth.sign_out(session)
            raise
    except BaseException:
        store.close()
        raise
    return SignedIn(store, session)


def sign_in_or_recover(
    path: Path | str, username: str, password: str,
    ask_recovery_passphrase: Callable[[str], str], *, clock: Clock | None = None,
) -> SignedIn:
    """``sign_in``; where only the recovery passphrase opens the store here, ask for it
    (``ask_recovery_passphrase(reason)``), open with it, then sign in against the store's
    hash (which writes this account's slot when the keyring allows)."""
    try:
        return sign_in(path, username, password, clock=clock)
    except stores.RecoveryRequired as need:
        passphrase = ask_recovery_passphrase(str(need))
    store = stores.recover_store(path, passphrase, clock=clock)
    try:
        session = AuthService(store, clock).sign_in(username, password)
    except BaseException:
        store.close()
        raise
    return SignedIn(store, session)
