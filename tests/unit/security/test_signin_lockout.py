"""Lockout when signing in opens the store (issue 10 §3): counted before any unwrap under an
OS file lock, atomic across threads and processes, the same for unknown names as for real
ones across processes and restarts, tamper-evident, released by an admin.

On the code before this change, the count was read before the password check and written
after it (a race: parallel guesses all saw the same count), and an unknown name's lock lived
in one process's memory, so a second process (or a restart) reset it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from alpr_desktop.core.access_errors import AccountLocked, BadCredentials
from alpr_desktop.core.clock import FixedClock
from alpr_desktop.security import keys, keyslots, lockout, passwords
from alpr_desktop.security import workstation_secret as ws
from alpr_desktop.security.signin_record import record_path
from alpr_desktop.services import signin, stores
from alpr_desktop.services.accounts import AccountService
from alpr_desktop.services.auth import AuthService
from alpr_desktop.services.first_accounts import FirstAccount
from alpr_desktop.storage.access_log import AccessLogRepo

PASS = "correct horse battery staple"
ADMIN, ADMIN_PW = "root", "Harbor-Lights-88x!"
WRONG = "Wrong-Guess-Number-1"
KDF_N = 2**10


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keys, "DEFAULT_KDF", keys.KdfParams(n=KDF_N))
    monkeypatch.setattr(passwords, "ITERATIONS", 1_000)


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    path = tmp_path / "case.alprdb"
    with stores.create_new_store(path, PASS) as store:
        AuthService(store, FixedClock()).create_first_accounts(
            FirstAccount(ADMIN, "Robin Root", "City IT", ADMIN_PW),
            FirstAccount("custodian1", "Casey Records", "City of Carson", "Ledger-Harbor-Quill-82"))
    return path


@pytest.fixture
def kdf_calls(monkeypatch: pytest.MonkeyPatch) -> Counter:
    """Counts scrypt runs per username-independent call (thread-safe)."""
    calls: Counter = Counter()
    lock = threading.Lock()
    real = keyslots.scrypt

    def counting(password: str, salt: bytes, kdf: keys.KdfParams) -> bytes:
        with lock:
            calls["scrypt"] += 1
        return real(password, salt, kdf)

    monkeypatch.setattr(keyslots, "scrypt", counting)
    return calls


def _attempt(path: Path, user: str, password: str, clock=None) -> BaseException | None:
    try:
        signin.sign_in(path, user, password, clock=clock).store.close()
    except (BadCredentials, AccountLocked) as exc:
        return exc
    return None


def _without_times(message: str) -> str:
    return re.sub(r"\d{1,2}:\d{2} \w+|\d+ minutes?", "T", message)


@pytest.mark.parametrize("user", [ADMIN, "nobody-here"])
def test_twenty_parallel_wrong_passwords_lock_after_five(store_path: Path, kdf_calls: Counter,
                                                         user: str) -> None:
    barrier = threading.Barrier(20)
    results: list[BaseException | None] = []

    def worker() -> None:
        barrier.wait()
        results.append(_attempt(store_path, user, WRONG))

    threads = [threading.Thread(target=worker) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    kinds = Counter(type(r).__name__ for r in results)
    assert kinds == {"BadCredentials": 4, "AccountLocked": 16}
    assert kdf_calls["scrypt"] == 5  # only five attempts ever reached the key derivation
    # and now even the right password is refused until the lock ends
    assert isinstance(_attempt(store_path, ADMIN if user == ADMIN else user, ADMIN_PW),
                      AccountLocked)


def test_five_sequential_wrong_passwords_lock_the_same_way(store_path: Path,
                                                           kdf_calls: Counter) -> None:
    results = [_attempt(store_path, ADMIN, WRONG) for _ in range(5)]
    assert [type(r).__name__ for r in results] == ["BadCredentials"] * 4 + ["AccountLocked"]
    assert kdf_calls["scrypt"] == 5
    locked = _attempt(store_path, ADMIN, ADMIN_PW)
    assert isinstance(locked, AccountLocked) and kdf_calls["scrypt"] == 5
    assert re.search(r"locked until \d{1,2}:\d{2} P[SD]T", str(locked))  # site local time


def test_unknown_name_costs_the_same_kdf_work_and_says_the_same(store_path: Path,
                                                                kdf_calls: Counter) -> None:
    real = _attempt(store_path, ADMIN, WRONG)
    real_calls = kdf_calls["scrypt"]
    unknown = _attempt(store_path, "no-such-person", WRONG)
    assert kdf_calls["scrypt"] - real_calls == real_calls == 1
    assert str(real) == str(unknown) == "Wrong username or password."
    for _ in range(4):
        real = _attempt(store_path, ADMIN, WRONG)
        unknown = _attempt(store_path, "no-such-person", WRONG)
    assert type(real) is type(unknown) is AccountLocked
    assert _without_times(str(real)) == _without_times(str(unknown))


def test_lock_ends_on_time_and_success_clears_the_count(store_path: Path) -> None:
    clock = FixedClock(ms=int(time.time() * 1000))
    for _ in range(4):
        _attempt(store_path, ADMIN, WRONG, clock)
    assert _attempt(store_path, ADMIN, ADMIN_PW, clock) is None  # the count is cleared
    for _ in range(5):
        _attempt(store_path, ADMIN, WRONG, clock)
    assert isinstance(_attempt(store_path, ADMIN, ADMIN_PW, clock), AccountLocked)
    clock.advance(lockout.LOCK_MINUTES * 60 + 1)
    assert _attempt(store_path, ADMIN, ADMIN_PW, clock) is None


# -- across processes -------------------------------------------------------------------------
_CHILD = r"""
import os, sys, time
import keyring, keyring.backend
from alpr_desktop.security import keys, passwords
from alpr_desktop.services import signin

class Seeded(keyring.backend.KeyringBackend):
    priority = 1
    def __init__(self, values):
        super().__init__(); self.values = values
    def get_password(self, service, username):
        return self.values.get((service, username))
    def set_password(self, service, username, password):
        self.values[(service, username)] = password
    def delete_password(self, service, username):
        self.values.pop((service, username), None)

path, account, secret, user, password, go = sys.argv[1:7]
keyring.set_keyring(Seeded({("alpr-desktop", account): secret}))
keys.DEFAULT_KDF = keys.KDF_FLOOR = keys.KdfParams(n=int(os.environ["KDF_N"]))
passwords.ITERATIONS = 1000
if go != "-":
    open(f"{go}.ready-{os.getpid()}", "w").close()  # at the start line
while go != "-" and not os.path.exists(go):
    time.sleep(0.005)
try:
    signin.sign_in(path, user, password).store.close()
    print("OK")
except Exception as exc:
    print(type(exc).__name__, str(exc), sep="|")
"""


def _processes(tmp_path: Path, store_path: Path, user: str, password: str, n: int,
               parallel: bool) -> list[str]:
    script = tmp_path / "child.py"
    script.write_text(_CHILD)
    store_id = keyslots.read_any(store_path).store_id
    _state, secret = ws.get(store_id)
    assert secret is not None
    go = tmp_path / f"go-{time.monotonic_ns()}"
    env = {**os.environ, "KDF_N": str(KDF_N),
           "PYTHONPATH": str(Path(__file__).resolve().parents[3])}
    args = [str(store_path), ws.account_name(store_id), secret.hex(), user, password]
    if not parallel:
        return [subprocess.run([sys.executable, str(script), *args, "-"], capture_output=True,
                               text=True, env=env, timeout=120).stdout.strip()
                for _ in range(n)]
    procs = [subprocess.Popen([sys.executable, str(script), *args, str(go)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for _ in range(n)]
    deadline = time.monotonic() + 120
    while len(list(tmp_path.glob(f"{go.name}.ready-*"))) < n:  # every child at the start line
        assert time.monotonic() < deadline and all(p.poll() is None for p in procs)
        time.sleep(0.01)
    go.write_text("go")  # all start their attempt at once
    outs = []
    for p in procs:
        out, err = p.communicate(timeout=180)
        assert p.returncode == 0, err
        outs.append(out.strip())
    return outs


@pytest.mark.slow
def test_twenty_parallel_processes_lock_after_five(store_path: Path, tmp_path: Path) -> None:
    outs = _processes(tmp_path, store_path, ADMIN, WRONG, 20, parallel=True)
    kinds = Counter(o.split("|")[0] for o in outs)
    assert kinds == {"BadCredentials": 4, "AccountLocked": 16}, outs
    assert isinstance(_attempt(store_path, ADMIN, ADMIN_PW), AccountLocked)


def test_unknown_name_lock_survives_across_processes_and_restarts(store_path: Path,
                                                                  tmp_path: Path) -> None:
    """Three failures in one process, two in another (each a 'restart'): the name is locked,
    exactly as a real account is, and says so the same way."""
    ghost = _processes(tmp_path, store_path, "ghost", WRONG, 3, parallel=False)
    ghost += _processes(tmp_path, store_path, "ghost", WRONG, 2, parallel=False)
    real = _processes(tmp_path, store_path, ADMIN, WRONG, 3, parallel=False)
    real += _processes(tmp_path, store_path, ADMIN, WRONG, 2, parallel=False)
    assert [o.split("|")[0] for o in ghost] == [o.split("|")[0] for o in real] == \
        ["BadCredentials"] * 4 + ["AccountLocked"]
    later_ghost = _processes(tmp_path, store_path, "ghost", ADMIN_PW, 1, parallel=False)[0]
    later_real = _processes(tmp_path, store_path, ADMIN, ADMIN_PW, 1, parallel=False)[0]
    assert later_ghost.startswith("AccountLocked|") and later_real.startswith("AccountLocked|")
    assert _without_times(later_ghost) == _without_times(later_real)


# -- the record is protected ----------------------------------------------------------------
def _tamper_reset_counts(store_path: Path) -> None:
    record = record_path(store_path)
    d = json.loads(record.read_text())
    d["entries"] = {}  # what an attacker wants: the count back to zero (the MAC is kept)
    record.write_text(json.dumps(d))


@pytest.mark.parametrize("how", ["edited", "deleted"])
def test_a_tampered_record_fails_closed_and_is_logged(store_path: Path, how: str) -> None:
    clock = FixedClock(ms=int(time.time() * 1000))
    for _ in range(4):
        _attempt(store_path, ADMIN, WRONG, clock)
    if how == "edited":
        _tamper_reset_counts(store_path)
    else:
        record_path(store_path).unlink()
    # Every name is refused for the lockout time, the right password included.
    assert isinstance(_attempt(store_path, ADMIN, ADMIN_PW, clock), AccountLocked)
    assert isinstance(_attempt(store_path, "someone-else", WRONG, clock), AccountLocked)
    clock.advance(lockout.LOCK_MINUTES * 60 + 1)
    opened = signin.sign_in(store_path, ADMIN, ADMIN_PW, clock=clock)
    try:
        events = [e.event for e in AccessLogRepo(opened.store).entries(limit=1000)]
        assert events.count("signin.record_tampered") == 1
    finally:
        opened.store.close()


def test_failures_while_shut_are_logged_at_next_open_without_the_typed_name(
    store_path: Path,
) -> None:
    typed = "Maybe-My-Password-99"  # a password typed into the username field
    _attempt(store_path, typed, WRONG)
    _attempt(store_path, ADMIN, WRONG)
    opened = signin.sign_in(store_path, ADMIN, ADMIN_PW)
    try:
        entries = AccessLogRepo(opened.store).entries(limit=1000)
        failed = [e for e in entries if e.event == "signin.failed"]
        fp = failed[0].detail["name_fingerprint"]
        assert [e.username for e in failed] == [f"{signin.UNKNOWN_ACCOUNT} {fp}", ADMIN]
        assert len(fp) == 16
        assert all(typed not in json.dumps(e.detail) and typed != e.username for e in entries)
    finally:
        opened.store.close()


def test_admin_release_clears_the_lock(store_path: Path) -> None:
    clock = FixedClock(ms=int(time.time() * 1000))
    admin = signin.sign_in(store_path, ADMIN, ADMIN_PW, clock=clock)
    accounts = AccountService(admin.store, clock)
    auth = AuthService(admin.store, clock)
    ctx = auth.context(admin.session)
    accounts.create_account(ctx, username="keeper", full_name="Kim Keeper",
                            organization="City", roles=frozenset({_contractor()}),
                            initial_password="Civic-Ledger-Quill-27")
    for _ in range(5):
        _attempt(store_path, "keeper", WRONG, clock)
    assert isinstance(_attempt(store_path, "keeper", "Civic-Ledger-Quill-27", clock),
                      AccountLocked)
    accounts.release_lockout(ctx, "keeper")
    assert _attempt(store_path, "keeper", "Civic-Ledger-Quill-27", clock) is None
    auth.sign_out(admin.session)
    admin.store.close()


def _contractor():
    """A role an admin grants alone (analyst and custodian wait for a custodian's approval)."""
    from alpr_desktop.core.roles import Role

    return Role.CONTRACTOR


def test_recovery_passphrase_restarts_the_record_and_logs_what_it_held(store_path: Path) -> None:
    for _ in range(5):
        _attempt(store_path, ADMIN, WRONG)
    _tamper_reset_counts(store_path)
    with stores.recover_store(store_path, PASS) as store:
        events = [e.event for e in AccessLogRepo(store).entries(limit=1000)]
    assert events.count("signin.record_tampered") == 1
    assert _attempt(store_path, ADMIN, ADMIN_PW) is None  # the fail-closed lock is over


def test_lock_screen_and_password_change_count_toward_the_same_lockout(store_path: Path) -> None:
    opened = signin.sign_in(store_path, ADMIN, ADMIN_PW)
    auth = AuthService(opened.store)
    auth.lock_session(opened.session)
    for _ in range(3):
        with pytest.raises(BadCredentials):
            auth.unlock_session(opened.session, WRONG)
    opened.store.close()
    assert isinstance(_attempt(store_path, ADMIN, WRONG), BadCredentials)  # the fourth
    assert isinstance(_attempt(store_path, ADMIN, WRONG), AccountLocked)  # the fifth locks


@pytest.mark.parametrize("how", ["sign_in", "unlock"])
def test_a_locked_name_on_an_open_store_costs_a_password_check_and_is_logged(
    store_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """One password path (issue 11): with the sign-in record in use, a refusal because the
    name is locked still runs the password KDF (so it takes as long as a real check) and is
    logged. Before, this copy of the check skipped the dummy verify."""
    opened = signin.sign_in(store_path, ADMIN, ADMIN_PW)
    auth = AuthService(opened.store)
    auth.lock_session(opened.session)
    for _ in range(5):
        with pytest.raises((BadCredentials, AccountLocked)):
            auth.unlock_session(opened.session, WRONG)
    derived: list[int] = []
    real = passwords._derive
    monkeypatch.setattr(passwords, "_derive",
                        lambda p, s, i: derived.append(i) or real(p, s, i))
    before = AccessLogRepo(opened.store).count()
    with pytest.raises(AccountLocked):
        if how == "unlock":
            auth.unlock_session(opened.session, ADMIN_PW)
        else:
            auth.sign_in(ADMIN, ADMIN_PW)
    assert derived == [passwords.ITERATIONS]  # the dummy verify ran
    (entry,) = AccessLogRepo(opened.store).entries(after_seq=before)
    assert (entry.username, entry.outcome, entry.detail["reason"]) == (ADMIN, "refused",
                                                                       "locked")
    opened.store.close()
