"""Signing in and out, session lock and unlock, password changes, and the first admin.

Choices, so the dialog reveals nothing about which usernames exist:
- An unknown username, a wrong password and a disabled account all raise BadCredentials with
  one message, and an unknown username still runs the KDF (against a dummy) so it takes as long.
- Where the workstation secret is at hand (the normal case), failures are counted in the
  sign-in record beside the key file under the name's fingerprint, before the password is
  checked and under an OS file lock, for real and unknown names alike (services/signin.py
  does the same for signing in from a shut store). Without it (a store opened with the
  recovery passphrase on a machine with no keyring) the store's own columns count, and
  unknown names get an in-memory imitation.
- A name that is not an account is never logged as typed (it may be a password typed in the
  wrong field): it is "unknown account" with a keyed fingerprint, so repeats still correlate.
- A locked account answers AccountLocked without checking the password, so guessing during
  the lock learns nothing and does not extend it.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Mapping
from typing import Protocol

from alpr_desktop.core.access_errors import (
    AccountLocked,
    BadCredentials,
    NotSignedIn,
    PasswordRejected,
    SessionLocked,
)
from alpr_desktop.core.accounts import AccessContext, Account, Session
from alpr_desktop.core.audit_log import LogEvent, Outcome
from alpr_desktop.core.clock import Clock, SystemClock
from alpr_desktop.security import keyslots, lockout, passwords
from alpr_desktop.services import keyslots as slot_service
from alpr_desktop.services import sessions
from alpr_desktop.services.account_hygiene import check_sign_in
from alpr_desktop.services.approvals import refuse_inactive_sign_in
from alpr_desktop.services.audit import log_event
from alpr_desktop.services.first_accounts import FirstAccount, create_first_accounts
from alpr_desktop.services.name_fingerprint import unknown_account_event
from alpr_desktop.storage.accounts import UserRecord
from alpr_desktop.storage.protocols import AccountRepository
from alpr_desktop.storage.unit_of_work import UnitOfWork

_MAX_PHANTOMS = 1000


def _session_for(account: Account) -> Session:
    assert account.id is not None
    return Session(
        token=secrets.token_urlsafe(24), user_id=account.id, username=account.username,
        full_name=account.full_name, organization=account.organization,
        roles=account.roles, started_ms=0, must_change_password=account.must_change_password,
    )


class AuthService:
    """Authentication for one open store. Sessions are per workstation (services.sessions)."""

    def __init__(self, store: UnitOfWork, clock: Clock | None = None) -> None:
        self.store = store
        self.clock = clock or SystemClock()
        self._accounts = store.accounts
        self._phantoms: dict[str, lockout.LockState] = {}

    # -- first run ---------------------------------------------------------------------------
    def needs_first_admin(self) -> bool:
        """True while the store has no accounts at all: the first-run dialog creates the
        administrator and the custodian."""
        return self._accounts.count() == 0

    def create_first_accounts(
        self, admin: FirstAccount, custodian: FirstAccount
    ) -> tuple[Account, Account]:
        """Create the first administrator and the first custodian (two people) together;
        refused once any account exists (services/first_accounts.py)."""
        return create_first_accounts(self.store, self.clock, admin, custodian)

    # -- sign in -----------------------------------------------------------------------------
    def sign_in(self, username: str, password: str) -> Session:
        """Start a session, ending any other session at this workstation.

        Raises BadCredentials or AccountLocked. ``session.must_change_password`` tells the GUI
        to show the change-password dialog; until then the gate refuses everything else."""
        name = username.strip()
        rec = self._accounts.record(name) if 0 < len(name) <= 64 else None
        counter = self._check_password(rec, name, password, "signin.failed")
        assert rec is not None  # _check_password raised for a name that is no account
        if not rec.account.active:
            refuse_inactive_sign_in(self.store, self.clock, rec.account)
        counter.clear()
        session = self._start_session(rec, password)
        if isinstance(counter, _RecordCounter):
            self.ensure_slot(session, password)
        return session

    def start_unlocked_session(self, username: str, password: str, slot_tag: str) -> Session:
        """The session after services.signin opened the store with ``username``'s key slot
        (which proved the password). The slot must be the one the store names for the
        account: a slot from an old copy of the key file, or of a disabled account, is
        refused like a wrong password."""
        rec = self._accounts.record(username)
        if rec is None:
            self._log_name(username, "signin.failed", Outcome.REFUSED,
                           {"reason": "unknown_user"})
            raise BadCredentials()
        assert rec.account.id is not None
        expected = self.store.settings.key_slot_tag(rec.account.id)
        if expected is None or not hmac.compare_digest(expected, slot_tag):
            self._log_user(rec.account, "signin.failed", Outcome.REFUSED, reason="stale_key_slot")
            raise BadCredentials()
        if not rec.account.active:  # "awaiting approval" only after the slot proved the password
            refuse_inactive_sign_in(self.store, self.clock, rec.account)
        return self._start_session(rec, password)

    def ensure_slot(self, session: Session, password: str) -> bool:
        """Write the signed-in user's slot if the store names none for them (a store opened
        with the recovery passphrase, or just upgraded). True when one was written."""
        if slot_service.slot_access(self.store) is None:
            return False
        if self.store.settings.key_slot_tag(session.user_id) is not None:
            return False
        account = self._accounts.get_by_id(session.user_id)
        if account is None:
            return False
        return slot_service.write_account_slot(self.store, account, password,
                                               reason="signed_in_without_slot",
                                               actor=account, clock=self.clock)

    def _check_password(
        self, rec: UserRecord | None, name: str, password: str, event: str
    ) -> _Counter:
        """The one password check (signing in, unlocking, changing the password): the lock
        check, the verify, the failure count and the log entries, in that order.

        Every refusal takes as long as a real check (a locked or unknown name runs the dummy
        verify), is logged (by fingerprint for a name that is no account), and counts toward
        the lockout: in the sign-in record beside the store when this workstation holds its
        secret, else in the store's own columns (an unknown name in memory). Raises
        AccountLocked or BadCredentials; returns what to clear once the caller accepts."""
        now = self.clock.now_ms()
        counter = self._counter(rec, name)
        locked = counter.begin(now)  # the record counts the attempt here, before the check
        if locked is not None:
            passwords.dummy_verify(password)
            detail: dict[str, object] = {"reason": "locked"}
            if rec is None:
                detail = {"reason": "unknown_user", "locked": True}
            self._log_attempt(rec, name, event, Outcome.REFUSED, **detail)
            raise AccountLocked(locked.minutes_left(now), locked.locked_until_ms)
        ok = passwords.verify_password(password, rec.password_hash) if rec is not None \
            else passwords.dummy_verify(password)
        if ok and rec is not None:
            return counter
        with self.store.transaction():
            after, just_locked = counter.failed(now)
            self._log_attempt(rec, name, event, Outcome.FAILED,
                              reason="wrong_password" if rec else "unknown_user",
                              failed_attempts=after.failed_attempts)
            if just_locked:
                self._log_attempt(rec, name, "account.locked", Outcome.OK,
                                  until_ms=after.locked_until_ms, minutes=lockout.LOCK_MINUTES)
        if after.is_locked(now):
            raise AccountLocked(after.minutes_left(now), after.locked_until_ms)
        raise BadCredentials()

    def _counter(self, rec: UserRecord | None, name: str) -> _Counter:
        access = slot_service.slot_access(self.store)
        if access is not None:
            return _RecordCounter(access, name)
        if rec is not None:
            return _ColumnCounter(self._accounts, rec.account)
        return _PhantomCounter(self._phantoms, name)

    def _start_session(self, rec: UserRecord, password: str) -> Session:
        account = rec.account
        assert account.id is not None
        check_sign_in(self.store, self.clock, account)  # unused too long: suspended, refused
        new_hash = (
            passwords.hash_password(password) if passwords.needs_rehash(rec.password_hash)
            else None
        )
        now = self.clock.now_ms()
        session = _session_for(account)
        session = Session(**{**session.__dict__, "started_ms": now})
        previous = sessions.REGISTRY.current(self.store.store_id)
        with self.store.transaction():
            if previous is not None:
                reason = (
                    "signed_in_again" if previous.session.user_id == account.id
                    else "another_user_signed_in"
                )
                sessions.close_session(self.store, self.clock, previous.session,
                                       "session.ended", reason)
            if new_hash is not None:
                self._accounts.set_password(account.id, new_hash,
                                            must_change=account.must_change_password, now_ms=now)
            self._accounts.record_sign_in(account.id, now)
            sessions.end_open_purpose(self.store, self.clock, session, "new_session")
            self._log_user(account, "signin.ok", Outcome.OK,
                           must_change_password=account.must_change_password,
                           rehashed=new_hash is not None)
        sessions.REGISTRY.start(self.store.store_id, session, now)
        return session

    # -- the session ---------------------------------------------------------------------------
    def current(self) -> Session | None:
        """The session live at this workstation on this store, if any."""
        st = sessions.REGISTRY.current(self.store.store_id)
        return st.session if st else None

    def is_locked(self, session: Session) -> bool:
        st = sessions.REGISTRY.live(self.store.store_id, session)
        return st is not None and st.locked

    def context(self, session: Session | None) -> AccessContext:
        """The AccessContext to pass to services; counts as activity.

        Raises NotSignedIn, or SessionLocked (also when idle too long: it locks first)."""
        return sessions.build_context(self.store, self.clock, session)

    def touch(self, session: Session) -> None:
        """Record user input (the GUI's event filter) for the idle lock; from then on only
        input counts as activity for this session, not background service calls."""
        if sessions.REGISTRY.live(self.store.store_id, session) is not None:
            sessions.touch(self.store, self.clock, session, user_input=True)

    def idle_ms_left(self, session: Session) -> int | None:
        """Milliseconds before the idle lock (for the warning), None when not live."""
        return sessions.idle_ms_left(self.store, self.clock, session)

    def check_idle(self, session: Session) -> bool:
        """Lock the session if idle too long (the GUI's timer calls this); True when locked."""
        try:
            sessions.live_state(self.store, self.clock, session)
        except SessionLocked:
            return True
        except NotSignedIn:
            return False
        return False

    def idle_lock_minutes(self) -> int:
        return self.store.settings.idle_lock_minutes()

    def lock_session(self, session: Session, reason: str = "manual") -> None:
        """Lock now; only this user's password unlocks (the purpose stays declared)."""
        sessions.lock_session(self.store, self.clock, session, reason)

    def unlock_session(self, session: Session, password: str) -> None:
        """Unlock with the same user's password; failures count toward the account lockout."""
        st = sessions.REGISTRY.live(self.store.store_id, session)
        if st is None:
            raise NotSignedIn()
        if not st.locked:
            return
        rec = self._accounts.record_by_id(session.user_id)
        if rec is None or not rec.account.active:
            self.sign_out(session)
            raise NotSignedIn("This account is no longer active; the session has ended.")
        account = rec.account
        self._check_own_password(rec, password, "session.unlock_failed")
        with self.store.transaction():
            self._accounts.set_lock_state(session.user_id, 0, None)
            self._log_user(account, "session.unlocked", Outcome.OK)
        sessions.REGISTRY.update(self.store.store_id, session.token, locked=False,
                                 last_activity_ms=self.clock.now_ms())

    def confirm_password(self, session: Session, password: str, event: str) -> None:
        """A signed-in user types their password again to use what only they may (a
        custodian's checkpoint signing key): counted toward the same lockout as signing in,
        before the check, and a failure logged as ``event``. Raises NotSignedIn,
        AccountLocked or BadCredentials."""
        rec = self._accounts.record_by_id(session.user_id)
        if rec is None or not rec.account.active:
            raise NotSignedIn("This account is no longer active.")
        self._check_own_password(rec, password, event)
        if rec.account.failed_attempts:  # right: the count starts again, as at sign-in
            self._accounts.set_lock_state(session.user_id, 0, None)

    def _check_own_password(self, rec: UserRecord, password: str, event: str) -> None:
        """A signed-in user's password again (unlock, change): counted toward the same
        lockout as signing in. Raises AccountLocked or BadCredentials."""
        self._check_password(rec, rec.account.username, password, event).clear()

    def sign_out(self, session: Session) -> None:
        """End the session and its purpose; does nothing for a session already ended."""
        st = sessions.REGISTRY.live(self.store.store_id, session)
        if st is None:
            return
        sessions.close_session(self.store, self.clock, st.session, "signout", "signed_out")

    def change_password(self, session: Session, old_password: str, new_password: str) -> Session:
        """Change the signed-in user's password (also the forced change after a reset).

        Returns the session with ``must_change_password`` cleared. Raises BadCredentials or
        AccountLocked for a wrong old password (counted toward lockout), PasswordRejected."""
        st = sessions.REGISTRY.live(self.store.store_id, session)
        if st is None:
            raise NotSignedIn()
        if st.locked:
            raise SessionLocked()
        rec = self._accounts.record_by_id(session.user_id)
        if rec is None or not rec.account.active:
            raise NotSignedIn("This account is no longer active.")
        account = rec.account
        self._check_own_password(rec, old_password, "password.change_failed")
        problems = passwords.check_password_rules(new_password, account.username)
        if new_password == old_password:
            problems.append("The new password must differ from the old one.")
        if problems:
            self._log_user(account, "password.change_failed", Outcome.REFUSED,
                           reason="rules", problems=len(problems))
            raise PasswordRejected(problems)
        new_hash = passwords.hash_password(new_password)
        now = self.clock.now_ms()
        with self.store.transaction():
            self._accounts.set_password(account.id or 0, new_hash, must_change=False, now_ms=now)
            self._accounts.set_lock_state(account.id or 0, 0, None)
            self._log_user(account, "password.changed", Outcome.OK,
                           was_forced=account.must_change_password)
            slot_service.write_account_slot(self.store, account, new_password,
                                            reason="password_changed", actor=account,
                                            clock=self.clock)
        updated = Session(**{**st.session.__dict__, "must_change_password": False})
        sessions.REGISTRY.update(self.store.store_id, session.token, session=updated,
                                 last_activity_ms=now)
        return updated

    # -- logging -------------------------------------------------------------------------------
    def _log_user(self, account: Account, event: str, outcome: str, **detail: object) -> None:
        log_event(
            self.store,
            LogEvent(event, outcome, account.username, organization=account.organization,
                     agency=account.organization, detail=dict(detail)),
            self.clock,
        )

    def _log_name(self, name: str, event: str, outcome: str, detail: Mapping[str, object]) -> None:
        """A name that is no account: logged by fingerprint, never as typed."""
        log_event(self.store, unknown_account_event(self.store, name, event, outcome, detail),
                  self.clock)

    def _log_attempt(self, rec: UserRecord | None, name: str, event: str, outcome: str,
                     **detail: object) -> None:
        if rec is not None:
            self._log_user(rec.account, event, outcome, **detail)
        else:
            self._log_name(name, event, outcome, dict(detail))


class _Counter(Protocol):
    """Where failed passwords are counted toward the lockout."""

    def begin(self, now_ms: int) -> lockout.LockState | None:
        """The lock state if the name is locked now (refused before any check), else None."""
        ...

    def failed(self, now_ms: int) -> tuple[lockout.LockState, bool]:
        """Count a wrong password: the state after it, and whether it just locked."""
        ...

    def clear(self) -> None:
        """The password was right and accepted."""
        ...


class _RecordCounter:
    """The sign-in record beside the store (key slots): the attempt is counted before the
    check, so a crash or a kill during the slow verify still counts it."""

    def __init__(self, access: slot_service.SlotAccess, name: str) -> None:
        self._record = access.record()
        self._fp = keyslots.fingerprint(access.secret, name)
        self._state = lockout.CLEAR

    def begin(self, now_ms: int) -> lockout.LockState | None:
        verdict = self._record.begin(self._fp, now_ms)
        self._state = verdict.state
        return None if verdict.allowed else verdict.state

    def failed(self, now_ms: int) -> tuple[lockout.LockState, bool]:
        return self._state, self._state.is_locked(now_ms)  # counted by begin

    def clear(self) -> None:
        self._record.clear(self._fp)


class _ColumnCounter:
    """The account's own columns in the store (no sign-in record on this workstation)."""

    def __init__(self, accounts: AccountRepository, account: Account) -> None:
        self._accounts = accounts
        self._account = account
        self._state = lockout.LockState(account.failed_attempts, account.locked_until_ms)

    def begin(self, now_ms: int) -> lockout.LockState | None:
        return self._state if self._state.is_locked(now_ms) else None

    def failed(self, now_ms: int) -> tuple[lockout.LockState, bool]:
        new = lockout.after_failure(self._state, now_ms)
        assert self._account.id is not None
        self._accounts.set_lock_state(self._account.id, new.failed_attempts,
                                      new.locked_until_ms)
        return new, lockout.just_locked(self._state, new, now_ms)

    def clear(self) -> None:
        """Signing in or unlocking resets the columns itself."""


class _PhantomCounter:
    """A name that is no account, without a sign-in record: counted in memory, so it locks
    like a real account and gives nothing away."""

    def __init__(self, phantoms: dict[str, lockout.LockState], name: str) -> None:
        self._phantoms = phantoms
        self._key = name.casefold()
        self._state = phantoms.get(self._key, lockout.CLEAR)

    def begin(self, now_ms: int) -> lockout.LockState | None:
        return self._state if self._state.is_locked(now_ms) else None

    def failed(self, now_ms: int) -> tuple[lockout.LockState, bool]:
        new = lockout.after_failure(self._state, now_ms)
        if len(self._phantoms) >= _MAX_PHANTOMS:
            self._phantoms.clear()
        self._phantoms[self._key] = new
        return new, False  # no account to lock: the refusal says so on the next try

    def clear(self) -> None:
        """Never called: a name that is no account never passes."""
