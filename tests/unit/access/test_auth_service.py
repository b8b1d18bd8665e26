"""Sign-in, lockout across a restart, sessions, idle lock, password changes (issue "Access")."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from access_helpers import PASSWORDS, World, log_entries, purpose_input

from alpr_desktop.core.access_errors import (
    AccountInvalid,
    AccountLocked,
    BadCredentials,
    FirstAdminExists,
    NotSignedIn,
    PasswordRejected,
    SessionLocked,
)
from alpr_desktop.core.clock import FixedClock
from alpr_desktop.security import passwords
from alpr_desktop.services.auth import AuthService
from alpr_desktop.services.first_accounts import FirstAccount
from alpr_desktop.storage import Store, open_store
from alpr_desktop.storage.access_log import AccessLogRepo
from alpr_desktop.storage.accounts import AccountRepo

CHIEF = FirstAccount("chief", "Chris Chief", "City of Carson IT", "Harbor-Keys-Admin-Q7x")
CLERK = FirstAccount("clerk", "Cleo Clerk", "City of Carson", "Civic-Center-Ledger-5M")


def test_first_run_creates_admin_and_custodian_only_once(store: Store, clock: FixedClock) -> None:
    auth = AuthService(store, clock)
    assert auth.needs_first_admin()
    admin, custodian = auth.create_first_accounts(CHIEF, CLERK)
    assert admin.roles == {"admin"} and not admin.must_change_password and admin.active
    assert custodian.roles == {"custodian"} and custodian.active and not custodian.pending
    assert not auth.needs_first_admin()
    with pytest.raises(FirstAdminExists):
        auth.create_first_accounts(replace(CHIEF, username="chief2"),
                                   replace(CLERK, username="clerk2"))
    created = log_entries(store, "account.created")
    assert [e.detail["account"] for e in created] == ["chief", "clerk"]
    assert all(e.detail["first_run"] for e in created)
    assert auth.sign_in("chief", CHIEF.password).username == "chief"
    assert auth.sign_in("clerk", CLERK.password).username == "clerk"


def test_first_run_rules(store: Store, clock: FixedClock) -> None:
    auth = AuthService(store, clock)
    with pytest.raises(PasswordRejected, match="Administrator"):
        auth.create_first_accounts(replace(CHIEF, password="password123456"), CLERK)
    with pytest.raises(AccountInvalid):
        auth.create_first_accounts(replace(CHIEF, username="c h"), CLERK)
    with pytest.raises(AccountInvalid, match="different usernames"):
        auth.create_first_accounts(CHIEF, replace(CLERK, username="CHIEF"))
    with pytest.raises(AccountInvalid, match="two different people"):
        auth.create_first_accounts(CHIEF, replace(CLERK, full_name="chris chief"))
    with pytest.raises(PasswordRejected, match="different passwords"):
        auth.create_first_accounts(CHIEF, replace(CLERK, password=CHIEF.password))
    assert auth.needs_first_admin()
    assert not log_entries(store)


def test_sign_in_ok_is_logged(world: World) -> None:
    s = world.sign_in("officer")
    assert s.username == "officer" and s.organization == "LASD Carson Station"
    [entry] = log_entries(world.store, "signin.ok")
    assert entry.username == "officer" and entry.organization == "LASD Carson Station"


def test_username_is_case_insensitive(world: World) -> None:
    assert world.auth.sign_in("OFFICER", PASSWORDS["officer"]).username == "officer"


def test_unknown_user_and_wrong_password_look_the_same(world: World) -> None:
    with pytest.raises(BadCredentials) as unknown:
        world.auth.sign_in("nobody", "Whatever-Pass-123")
    with pytest.raises(BadCredentials) as wrong:
        world.auth.sign_in("officer", "Whatever-Pass-123")
    assert str(unknown.value) == str(wrong.value) == "Wrong username or password."
    failed = log_entries(world.store, "signin.failed")
    assert [e.detail["reason"] for e in failed] == ["unknown_user", "wrong_password"]


def test_disabled_account_gets_the_same_answer(world: World) -> None:
    rec = AccountRepo(world.store).get("officer")
    assert rec is not None
    AccountRepo(world.store).update_profile(replace(rec, active=False), 0)
    with pytest.raises(BadCredentials):
        world.sign_in("officer")


def test_unknown_user_runs_the_kdf(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = passwords._derive
    monkeypatch.setattr(passwords, "_derive", lambda p, s, i: calls.append(i) or real(p, s, i))
    with pytest.raises(BadCredentials):
        world.auth.sign_in("nobody", "Whatever-Pass-123")
    assert calls == [passwords.ITERATIONS]


def test_unknown_user_is_locked_like_a_real_one(world: World) -> None:
    for _ in range(4):
        with pytest.raises(BadCredentials):
            world.auth.sign_in("nobody", "Whatever-Pass-123")
    with pytest.raises(AccountLocked):
        world.auth.sign_in("nobody", "Whatever-Pass-123")
    with pytest.raises(AccountLocked):
        world.auth.sign_in("nobody", "Whatever-Pass-123")


def _five_wrong(auth: AuthService, username: str) -> None:
    for i in range(5):
        with pytest.raises(AccountLocked if i == 4 else BadCredentials):
            auth.sign_in(username, "Wrong-Password-999")


def test_five_wrong_passwords_lock_and_a_restart_keeps_the_lock(
    world: World, store_path: Path, store_key: bytes
) -> None:
    _five_wrong(world.auth, "officer")
    with pytest.raises(AccountLocked) as exc:
        world.sign_in("officer")  # even the right password is not checked now
    assert "locked" in str(exc.value) and exc.value.minutes_left == 10
    [locked] = log_entries(world.store, "account.locked")
    assert locked.username == "officer"

    world.store.close()  # the restart
    reopened = open_store(store_path, store_key)
    try:
        auth = AuthService(reopened, world.clock)
        with pytest.raises(AccountLocked):
            auth.sign_in("officer", PASSWORDS["officer"])
        world.clock.advance(10 * 60)
        assert auth.sign_in("officer", PASSWORDS["officer"]).username == "officer"
        acct = AccountRepo(reopened).get("officer")
        assert acct is not None and acct.failed_attempts == 0 and acct.locked_until_ms is None
    finally:
        reopened.close()


def test_success_resets_the_count(world: World) -> None:
    for _ in range(4):
        with pytest.raises(BadCredentials):
            world.auth.sign_in("officer", "Wrong-Password-999")
    world.sign_in("officer")
    for _ in range(4):
        with pytest.raises(BadCredentials):
            world.auth.sign_in("officer", "Wrong-Password-999")
    world.sign_in("officer")


def test_another_user_signing_in_ends_the_first_session(world: World) -> None:
    first = world.sign_in("officer")
    world.purposes.declare(world.auth.context(first), purpose_input())
    second = world.sign_in("keeper")
    with pytest.raises(NotSignedIn):
        world.auth.context(first)
    assert world.auth.current() == second
    ended = log_entries(world.store, "session.ended")
    assert ended[-1].username == "officer"
    assert ended[-1].detail["reason"] == "another_user_signed_in"
    [purpose_ended] = log_entries(world.store, "purpose.ended")
    assert purpose_ended.username == "officer"
    assert purpose_ended.detail["reason"] == "another_user_signed_in"


def test_sign_out(world: World) -> None:
    s = world.sign_in("officer")
    world.auth.sign_out(s)
    with pytest.raises(NotSignedIn):
        world.auth.context(s)
    assert log_entries(world.store, "signout")[-1].username == "officer"
    world.auth.sign_out(s)  # twice is harmless
    assert len(log_entries(world.store, "signout")) == 1


def test_manual_lock_and_unlock(world: World) -> None:
    s = world.sign_in("officer")
    world.auth.lock_session(s)
    assert world.auth.is_locked(s)
    with pytest.raises(SessionLocked):
        world.auth.context(s)
    with pytest.raises(BadCredentials):
        world.auth.unlock_session(s, PASSWORDS["keeper"])  # someone else's password
    world.auth.unlock_session(s, PASSWORDS["officer"])
    assert world.auth.context(s).session == s
    events = [e.event for e in log_entries(world.store)]
    assert "session.locked" in events and "session.unlock_failed" in events
    assert "session.unlocked" in events


def test_unlock_failures_count_toward_lockout(world: World) -> None:
    s = world.sign_in("officer")
    world.auth.lock_session(s)
    for i in range(5):
        with pytest.raises(AccountLocked if i == 4 else BadCredentials):
            world.auth.unlock_session(s, "Wrong-Password-999")
    with pytest.raises(AccountLocked):
        world.auth.unlock_session(s, PASSWORDS["officer"])


def test_idle_lock_after_default_15_minutes(world: World) -> None:
    s = world.sign_in("officer")
    world.clock.advance(14 * 60)
    world.auth.context(s)  # activity
    world.clock.advance(14 * 60)
    assert not world.auth.check_idle(s)
    world.clock.advance(60)
    assert world.auth.check_idle(s)
    [locked] = log_entries(world.store, "session.locked")
    assert locked.detail["reason"] == "idle"
    with pytest.raises(SessionLocked):
        world.auth.context(s)


def test_lock_keeps_the_purpose_and_sign_out_ends_it(world: World) -> None:
    """Issue 12: unlocking as the same user brings the purpose back; it ends on sign-out."""
    s = world.sign_in("officer")
    declared = world.purposes.declare(world.auth.context(s), purpose_input())
    world.auth.lock_session(s)
    assert not log_entries(world.store, "purpose.ended")
    world.auth.unlock_session(s, PASSWORDS["officer"])
    assert world.auth.context(s).purpose.id == declared.id
    world.auth.sign_out(s)
    assert log_entries(world.store, "purpose.ended")[-1].detail["reason"] == "signed_out"


def test_locked_purpose_ends_when_another_user_signs_in(world: World) -> None:
    s = world.sign_in("officer")
    world.purposes.declare(world.auth.context(s), purpose_input())
    world.auth.lock_session(s)
    world.sign_in("keeper")
    [ended] = log_entries(world.store, "purpose.ended")
    assert (ended.username, ended.detail["reason"]) == ("officer", "another_user_signed_in")


def test_after_input_is_reported_service_calls_are_not_activity(world: World) -> None:
    """The GUI reports input; its background work (context() on workers) must not postpone
    the idle lock."""
    s = world.sign_in("officer")
    world.auth.touch(s)  # an input event
    for _ in range(14):
        world.clock.advance(60)
        world.auth.context(s)  # a worker's call: not activity
    assert world.auth.idle_ms_left(s) == 60_000
    world.clock.advance(60)
    assert world.auth.check_idle(s)


def test_change_password(world: World) -> None:
    s = world.sign_in("officer")
    with pytest.raises(PasswordRejected):
        world.auth.change_password(s, PASSWORDS["officer"], "password123456")
    with pytest.raises(BadCredentials):
        world.auth.change_password(s, "Wrong-Password-999", "Fresh-Lemon-Ladder-42")
    world.auth.change_password(s, PASSWORDS["officer"], "Fresh-Lemon-Ladder-42")
    world.auth.sign_out(s)
    with pytest.raises(BadCredentials):
        world.sign_in("officer")
    assert world.auth.sign_in("officer", "Fresh-Lemon-Ladder-42")
    assert log_entries(world.store, "password.changed")[-1].username == "officer"


def test_rehash_on_sign_in_when_iterations_rise(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(passwords, "ITERATIONS", 2_000)
    world.sign_in("officer")
    rec = AccountRepo(world.store).record("officer")
    assert rec is not None and rec.password_hash.split("$")[1] == "2000"


def test_a_name_that_is_no_account_is_logged_by_fingerprint_not_as_typed(world: World) -> None:
    """Someone types their password into the username field: it must not reach the log."""
    typed = "Secret-Typed-As-Username-7"
    for _ in range(2):
        with pytest.raises(BadCredentials):
            world.auth.sign_in(typed, "whatever password")
    entries = AccessLogRepo(world.store).entries(limit=1000)
    failed = [e for e in entries if e.event == "signin.failed"]
    assert [e.username.rsplit(" ", 1)[0] for e in failed] == ["unknown account"] * 2
    fingerprints = {e.detail["name_fingerprint"] for e in failed}
    assert len(fingerprints) == 1 and len(next(iter(fingerprints))) == 16  # repeats correlate
    assert not any(typed.lower() in (e.username + json.dumps(e.detail)).lower()
                   for e in entries)
