"""A password typed into Issue Checkpoint unwraps the custodian's signing key, so guessing it
there must be bounded like guessing at sign-in: each wrong one counts toward the account's
lockout (the same record, before any unwrap) and is logged. Before this change the dialog
could be used to guess without limit and without the sign-in count moving."""

from __future__ import annotations

from pathlib import Path

import pytest
from access_helpers import PASSWORDS, World, log_entries

from alpr_desktop.core.access_errors import AccountLocked
from alpr_desktop.core.clock import FixedClock
from alpr_desktop.security import keys, lockout, passwords
from alpr_desktop.services import signin, stores
from alpr_desktop.services.auth import AuthService
from alpr_desktop.services.checkpoints import CheckpointPasswordWrong, CheckpointService
from alpr_desktop.services.first_accounts import FirstAccount

WRONG = "Not-The-Keeper-Password-1"


def test_wrong_checkpoint_passwords_lock_the_account(world: World, tmp_path: Path) -> None:
    """A store opened without the sign-in record: the store's own columns count."""
    svc = CheckpointService(world.store, world.clock)
    ctx = world.ctx("keeper")
    for _ in range(lockout.MAX_FAILURES - 1):
        with pytest.raises(CheckpointPasswordWrong):
            svc.issue(ctx, WRONG, tmp_path / "x.alprcheckpoint")
    with pytest.raises(AccountLocked, match="until"):
        svc.issue(ctx, WRONG, tmp_path / "x.alprcheckpoint")
    with pytest.raises(AccountLocked):  # the right password no longer helps, here or at sign-in
        svc.issue(ctx, PASSWORDS["keeper"], tmp_path / "x.alprcheckpoint")
    with pytest.raises(AccountLocked):
        world.sign_in("keeper")
    failed = [e for e in log_entries(world.store, "checkpoint.issue") if e.outcome == "failed"]
    assert [e.detail["failed_attempts"] for e in failed] == list(range(1, lockout.MAX_FAILURES + 1))
    assert all(e.username == "keeper" and e.detail["reason"] == "wrong_password" for e in failed)
    assert len(log_entries(world.store, "account.locked")) == 1
    assert not (tmp_path / "x.alprcheckpoint").exists()


def test_a_right_password_clears_the_count_as_a_sign_in_does(world: World,
                                                             tmp_path: Path) -> None:
    svc = CheckpointService(world.store, world.clock)
    ctx = world.ctx("keeper")
    for _ in range(lockout.MAX_FAILURES - 1):
        with pytest.raises(CheckpointPasswordWrong):
            svc.issue(ctx, WRONG, tmp_path / "x.alprcheckpoint")
    svc.issue(ctx, PASSWORDS["keeper"], tmp_path / "ok.alprcheckpoint")
    with pytest.raises(CheckpointPasswordWrong):  # one more wrong one does not lock
        svc.issue(ctx, WRONG, tmp_path / "x.alprcheckpoint")


CUSTODIAN, CUSTODIAN_PW = "custodian1", "Ledger-Harbor-Quill-82"


@pytest.fixture
def slotted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store whose accounts sign in by key slot: failures go to the sign-in record."""
    monkeypatch.setattr(keys, "DEFAULT_KDF", keys.KdfParams(n=2**10))
    monkeypatch.setattr(passwords, "ITERATIONS", 1_000)
    path = tmp_path / "case.alprdb"
    with stores.create_new_store(path, "correct horse battery staple") as store:
        AuthService(store, FixedClock()).create_first_accounts(
            FirstAccount("root", "Robin Root", "City IT", "Harbor-Lights-88x!"),
            FirstAccount(CUSTODIAN, "Casey Records", "City of Carson", CUSTODIAN_PW))
    return path


def test_with_the_sign_in_record_checkpoint_failures_lock_the_next_sign_in(
    slotted: Path, tmp_path: Path
) -> None:
    clock = FixedClock()
    opened = signin.sign_in(slotted, CUSTODIAN, CUSTODIAN_PW, clock=clock)
    try:
        auth = AuthService(opened.store, clock)
        svc = CheckpointService(opened.store, clock)
        ctx = auth.context(opened.session)
        outcomes = []
        for _ in range(lockout.MAX_FAILURES):
            with pytest.raises((CheckpointPasswordWrong, AccountLocked)) as caught:
                svc.issue(ctx, WRONG, tmp_path / "x.alprcheckpoint")
            outcomes.append(type(caught.value))
        assert outcomes[-1] is AccountLocked
        assert outcomes[:-1] == [CheckpointPasswordWrong] * (lockout.MAX_FAILURES - 1)
        logged = log_entries(opened.store, "checkpoint.issue")
        assert len(logged) == lockout.MAX_FAILURES
    finally:
        opened.store.close()
    with pytest.raises(AccountLocked):  # another process or a restart: the record holds it
        signin.sign_in(slotted, CUSTODIAN, CUSTODIAN_PW, clock=clock)
