"""Key slots of an open store: write, replace and remove an account's slot, release a sign-in
lockout, and say which accounts cannot sign in yet. Every slot change is logged.

Called by the account and auth services (create, reset, change password, disable, first admin,
sign-in on a store opened with the recovery passphrase). A slot needs the workstation secret;
where the keyring has none (another machine before recovery, no keyring at all) nothing is
written and the log says so, and the account is listed as needing a reset.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alpr_desktop.core.accounts import AccessContext, Account
from alpr_desktop.core.audit_log import LogEvent, Outcome
from alpr_desktop.core.clock import Clock
from alpr_desktop.core.roles import Action
from alpr_desktop.security import keyslots
from alpr_desktop.security import workstation_secret as ws
from alpr_desktop.security.file_lock import exclusive
from alpr_desktop.security.keys import KdfParams
from alpr_desktop.security.signin_record import SignInRecord, lock_path
from alpr_desktop.services.audit import SYSTEM_USER, log_event
from alpr_desktop.services.gate import require
from alpr_desktop.storage.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class SlotAccess:
    """The open store's key file (v2) and this machine's workstation secret for it."""

    store_path: Path
    store_id: str
    secret: bytes

    def read(self) -> keyslots.KeyFileV2 | None:
        kf = keyslots.read_any(self.store_path)
        return kf if isinstance(kf, keyslots.KeyFileV2) and kf.matches(self.secret) else None

    def record(self) -> SignInRecord:
        return SignInRecord(self.store_path, self.store_id, self.secret)


def slot_access(store: UnitOfWork) -> SlotAccess | None:
    """None when the key file is v1 or damaged, or the keyring holds no matching secret."""
    path = store.custody_path
    if path is None:
        return None
    try:
        kf = keyslots.read_any(path)
    except keyslots.KeyFileError:
        return None
    if not isinstance(kf, keyslots.KeyFileV2) or kf.store_id != store.store_id:
        return None
    _state, secret = ws.get(kf.store_id)
    if secret is None or not kf.matches(secret):
        return None
    return SlotAccess(Path(path), kf.store_id, secret)


def _log(store: UnitOfWork, event: str, outcome: str, actor: Account | None, clock: Clock | None,
         **detail: object) -> None:
    log_event(store, LogEvent(
        event, outcome, actor.username if actor else SYSTEM_USER,
        organization=actor.organization if actor else "",
        agency=actor.organization if actor else "", detail=dict(detail),
    ), clock)


def write_account_slot(
    store: UnitOfWork, account: Account, password: str, *, reason: str,
    actor: Account | None = None, clock: Clock | None = None, kdf: KdfParams | None = None,
) -> bool:
    """Write or replace ``account``'s slot for ``password`` and name it in the store; logged.
    Returns False (logged as not written) when this machine has no workstation secret."""
    assert account.id is not None
    access = slot_access(store)
    if access is None:
        _log(store, "keyslot.not_written", Outcome.REFUSED, actor, clock,
             account=account.username, reason=reason, why="no_workstation_secret")
        return False
    # Lock order everywhere: the store's write transaction, then the file lock.
    with store.transaction(), exclusive(lock_path(access.store_path)):
        kf = access.read()
        if kf is None:
            return False
        replaced = kf.has_slot(access.secret, account.username)
        new_kf, tag = kf.with_slot(access.secret, account.username, password,
                                   store.data_key(), kdf)
        keyslots.write(access.store_path, new_kf)
        try:
            store.settings.set_key_slot_tag(account.id, tag)
            _log(store, "keyslot.replaced" if replaced else "keyslot.written", Outcome.OK,
                 actor, clock, account=account.username, reason=reason)
        except BaseException:
            keyslots.write(access.store_path, kf)  # nothing half-done
            raise
    return True


def remove_account_slot(
    store: UnitOfWork, account: Account, *, reason: str, actor: Account | None = None,
    clock: Clock | None = None,
) -> bool:
    """Remove ``account``'s slot (disable) and forget its tag; logged. The tag goes even when
    this machine cannot edit the key file, so a leftover slot no longer signs anyone in."""
    assert account.id is not None
    access = slot_access(store)
    removed = False
    with store.transaction():
        store.settings.delete_key_slot_tag(account.id)
        if access is not None:
            with exclusive(lock_path(access.store_path)):
                kf = access.read()
                if kf is not None:
                    new_kf, removed = kf.without_slot(access.secret, account.username)
                    if removed:
                        keyslots.write(access.store_path, new_kf)
        _log(store, "keyslot.removed", Outcome.OK, actor, clock, account=account.username,
             reason=reason, slot_in_key_file=removed)
    return removed


def release_signin_lock(store: UnitOfWork, username: str) -> None:
    """Clear the sign-in record's count and lock for ``username`` (admin release, reset)."""
    access = slot_access(store)
    if access is not None:
        access.record().clear(keyslots.fingerprint(access.secret, username))


def accounts_needing_reset(store: UnitOfWork) -> list[str]:
    """Active accounts that have no usable slot: they cannot sign in until an admin resets
    their password (which writes the slot)."""
    path = store.custody_path
    try:
        if path is None or not isinstance(keyslots.read_any(path), keyslots.KeyFileV2):
            return []
    except keyslots.KeyFileError:
        return []  # a store without key slots (made by storage directly, as tests do)
    named = store.settings.key_slot_user_ids()
    return [a.username for a in store.accounts.all() if a.active and a.id not in named]


class KeySlotService:
    """The admin's view of key slots (the accounts screen)."""

    def __init__(self, store: UnitOfWork, clock: Clock | None = None) -> None:
        self.store = store
        self.clock = clock

    def accounts_needing_reset(self, ctx: AccessContext) -> list[str]:
        """Active accounts that cannot sign in until an admin resets their password (after
        the upgrade from v1, a recovery on a new machine, or a re-enable). Admin only."""
        require(self.store, ctx, Action.MANAGE_ACCOUNTS, needs_purpose=False, clock=self.clock)
        return accounts_needing_reset(self.store)
