"""Signed checkpoints (issue 10 §2): a custodian issues one, and every way a key holder can
alter the log so that the chain walk alone still says intact is caught against it. Before
checkpoints, each of these attacks ended in "Intact" (the first assertion of several tests
shows the plain walk being fooled)."""

from __future__ import annotations

import json
import os
import shutil
import stat
import sys
from pathlib import Path

import pytest
from access_helpers import PASSWORDS, World, add_account, log_entries

from alpr_desktop.core.access_errors import NotAuthorized
from alpr_desktop.core.audit_log import LogEvent
from alpr_desktop.core.log_anchors import Checkpoint
from alpr_desktop.security.checkpoints import (
    CheckpointRefused,
    SigningKey,
    read_checkpoint_file,
    write_checkpoint_file,
)
from alpr_desktop.services.auth import AuthService
from alpr_desktop.services.checkpoints import CheckpointPasswordWrong, CheckpointService
from alpr_desktop.storage import create_store, open_store
from alpr_desktop.storage.access_log import AccessLogRepo, expected_triggers
from alpr_desktop.storage.accounts import AccountRepo
from alpr_desktop.storage.db import Store

sys.path.insert(0, str(Path(__file__).resolve().parent))
from log_attacks import (
    drop_protection,
    insert_forged,
    rewrite_consistently,
    truncate_tail,
)

FILLER = 40


def fill(store: Store, n: int = FILLER, user: str = "officer") -> None:
    repo = AccessLogRepo(store)
    with store.transaction():
        for i in range(n):
            repo.append(LogEvent("search", "ok", user, "LASD Carson Station",
                                 query={"pattern": f"7ABC{i:03d}"}, result_count=i), 1000 + i)


@pytest.fixture
def anchored(world: World, tmp_path: Path) -> tuple[World, Path, Checkpoint]:
    """A log of FILLER entries plus sign-ins, a checkpoint of it, and some entries after."""
    fill(world.store)
    svc = CheckpointService(world.store, world.clock)
    res = svc.issue(world.ctx("keeper"), PASSWORDS["keeper"], tmp_path / "cp.alprcheckpoint")
    fill(world.store, 5, user="later")
    return world, res.path, res.checkpoint


def verify(world: World, path: Path, ctx=None):
    return CheckpointService(world.store, world.clock).verify(ctx or world.ctx("keeper"), path)


# -- issuing ---------------------------------------------------------------------------------
def test_issue_writes_a_signed_owner_only_file_and_logs_it(world: World, tmp_path: Path) -> None:
    fill(world.store)
    svc = CheckpointService(world.store, world.clock)
    ctx = world.ctx("keeper")
    head_before = AccessLogRepo(world.store).head()
    res = svc.issue(ctx, PASSWORDS["keeper"], tmp_path / "a.alprcheckpoint")
    assert res.key_pinned
    assert stat.S_IMODE(res.path.stat().st_mode) == 0o600
    signed = read_checkpoint_file(res.path)
    cp = signed.checkpoint
    assert (cp.entry_count, cp.store_id) == (head_before[0] + 1, world.store.store_id)
    assert cp.head_hash == AccessLogRepo(world.store).hash_at(cp.entry_count)
    assert cp.issuer.startswith("keeper (")
    pinned = log_entries(world.store, "checkpoint.key_pinned")
    issued = log_entries(world.store, "checkpoint.issued")
    assert len(pinned) == 1 and pinned[0].detail["key_fingerprint"] == signed.fingerprint
    assert issued[0].seq == cp.entry_count + 1 and issued[0].username == "keeper"
    assert issued[0].detail["head_hash"] == cp.head_hash
    # the second checkpoint uses the same key: nothing new pinned
    again = svc.issue(ctx, PASSWORDS["keeper"], tmp_path / "b.alprcheckpoint")
    assert not again.key_pinned
    assert again.checkpoint.key_fingerprint == cp.key_fingerprint
    assert len(log_entries(world.store, "checkpoint.key_pinned")) == 1
    assert svc.anchor_info().newest == again.checkpoint
    assert svc.anchor_info().newest_consistent is True


def test_wrong_password_issues_nothing_and_is_logged(world: World, tmp_path: Path) -> None:
    svc = CheckpointService(world.store, world.clock)
    target = tmp_path / "x.alprcheckpoint"
    with pytest.raises(CheckpointPasswordWrong):
        svc.issue(world.ctx("keeper"), "not-the-password", target)
    assert not target.exists()
    assert svc.anchor_info().pinned == () and svc.anchor_info().newest is None
    refused = log_entries(world.store, "checkpoint.issue")
    assert refused[-1].outcome == "failed" and refused[-1].detail["reason"] == "wrong_password"
    # with a key already pinned, a wrong password still issues nothing
    svc.issue(world.ctx("keeper"), PASSWORDS["keeper"], tmp_path / "ok.alprcheckpoint")
    with pytest.raises(CheckpointPasswordWrong):
        svc.issue(world.ctx("keeper"), "not-the-password", target)
    assert not target.exists()


def test_only_a_custodian_issues(world: World, tmp_path: Path) -> None:
    svc = CheckpointService(world.store, world.clock)
    for who in ("officer", "root", "vendor"):
        with pytest.raises(NotAuthorized):
            svc.issue(world.ctx(who), PASSWORDS[who], tmp_path / f"{who}.alprcheckpoint")
    assert not list(tmp_path.glob("*.alprcheckpoint"))


def test_an_existing_file_is_never_overwritten(anchored) -> None:
    world, path, _cp = anchored
    before = path.read_bytes()
    with pytest.raises(Exception, match="already exists"):
        CheckpointService(world.store, world.clock).issue(
            world.ctx("keeper"), PASSWORDS["keeper"], path)
    assert path.read_bytes() == before


def test_after_a_password_change_a_new_key_is_pinned_and_old_checkpoints_still_verify(
        anchored, tmp_path: Path) -> None:
    world, old_path, _cp = anchored
    session = world.sign_in("keeper")
    new_password = "Another-Civic-Ledger-9Q"
    world.auth.change_password(session, PASSWORDS["keeper"], new_password)
    ctx = world.auth.context(world.auth.sign_in("keeper", new_password))
    svc = CheckpointService(world.store, world.clock)
    res = svc.issue(ctx, new_password, tmp_path / "new.alprcheckpoint")
    assert res.key_pinned
    assert len(svc.anchor_info().pinned) == 2
    assert svc.verify(ctx, old_path).intact
    assert svc.verify(ctx, res.path).intact


# -- verifying: the attacks -------------------------------------------------------------------
def test_intact_log_verifies_against_the_checkpoint_and_is_logged(anchored) -> None:
    world, path, cp = anchored
    res = verify(world, path)
    assert res.intact, res.reason
    assert "Intact and consistent with the checkpoint" in res.summary()
    entry = log_entries(world.store, "audit.verify")[-1]
    assert entry.username == "keeper"
    assert entry.detail["checkpoint"]["entry_count"] == cp.entry_count
    assert entry.detail["intact"] is True


def test_consistent_rewrite_before_the_checkpoint_is_detected(anchored) -> None:
    world, path, cp = anchored
    rewrite_consistently(world.store, 10, {"query": '{"pattern":"0NOTME0"}'})
    assert AccessLogRepo(world.store).verify().intact  # the chain alone is fooled
    res = verify(world, path)
    assert not res.intact
    assert f"rewritten at or before entry #{cp.entry_count}" in res.reason


def test_insert_or_replace_rewrite_is_detected(anchored) -> None:
    world, path, cp = anchored
    rewrite_consistently(world.store, cp.entry_count - 2, {"username": "nobody"}, replace=True)
    assert AccessLogRepo(world.store).verify().intact
    assert not verify(world, path).intact


def test_no_op_triggers_under_the_right_names_are_detected(anchored) -> None:
    world, path, _cp = anchored
    drop_protection(world.store)
    for name, sql in expected_triggers().items():
        world.store.execute(sql[: sql.index(" BEGIN ")] + " BEGIN SELECT 1; END")
        assert name in sql
    res = verify(world, path)
    assert not res.intact
    assert "was changed" in res.reason


def test_truncated_tail_names_the_missing_entries(anchored) -> None:
    world, path, cp = anchored
    ctx = world.ctx("keeper")  # signed in first: a later sign-in would refill the numbers
    keep = cp.entry_count - 7
    truncate_tail(world.store, keep)
    assert AccessLogRepo(world.store).verify().intact
    res = verify(world, path, ctx)
    assert not res.intact
    assert res.missing == (keep + 1, cp.entry_count)
    assert (f"entries {keep + 1:,}–{cp.entry_count:,} are missing: the log ends before the "
            "checkpoint") in res.reason


def test_truncation_padded_with_forged_appends_is_detected(anchored) -> None:
    world, path, cp = anchored
    keep = cp.entry_count - 3
    truncate_tail(world.store, keep)
    repo = AccessLogRepo(world.store)
    for i in range(10):  # appended properly on the head: the trigger allows it
        seq, head = repo.head()
        insert_forged(world.store, seq + 1, head, 5000 + i)
    assert repo.verify().intact and repo.head()[0] > cp.entry_count
    res = verify(world, path)
    assert not res.intact and "rewritten" in res.reason


def test_rollback_to_an_older_copy_of_the_store_is_detected(
        world: World, store_path: Path, store_key: bytes, tmp_path: Path) -> None:
    fill(world.store, 10)
    world.store.close()
    old = tmp_path / "old-copy.alprdb"
    shutil.copyfile(store_path, old)  # WAL checkpointed on close: the file is the store
    store = open_store(store_path, store_key)
    try:
        w = World(store, world.clock, *(type(x)(store, world.clock) for x in (
            world.auth, world.accounts, world.purposes, world.permissions)))
        fill(store, 20, user="searches-to-hide")
        res = CheckpointService(store, w.clock).issue(
            w.ctx("keeper"), PASSWORDS["keeper"], tmp_path / "cp.alprcheckpoint")
    finally:
        store.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{store_path}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(old, store_path)  # the attacker puts the old file back; no key needed
    with open_store(store_path, store_key) as rolled:
        assert AccessLogRepo(rolled).verify().intact
        auth = AuthService(rolled, world.clock)
        ctx = auth.context(auth.sign_in("keeper", PASSWORDS["keeper"]))
        with pytest.raises(CheckpointRefused, match="does not pin"):
            # the old file predates the key: the checkpoint names a key it never pinned
            CheckpointService(rolled, world.clock).verify(ctx, res.path)


def test_rollback_after_the_key_was_pinned_names_the_missing_entries(
        anchored, store_path: Path, store_key: bytes, tmp_path: Path) -> None:
    world, first, _cp = anchored
    world.store.close()
    old = tmp_path / "old.alprdb"
    shutil.copyfile(store_path, old)
    with open_store(store_path, store_key) as s:
        auth = AuthService(s, world.clock)
        fill(s, 25, user="hidden")
        ctx = auth.context(auth.sign_in("keeper", PASSWORDS["keeper"]))
        later = CheckpointService(s, world.clock).issue(ctx, PASSWORDS["keeper"],
                                                        tmp_path / "later.alprcheckpoint")
    for suffix in ("-wal", "-shm"):
        Path(f"{store_path}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(old, store_path)
    with open_store(store_path, store_key) as s:
        auth = AuthService(s, world.clock)
        ctx = auth.context(auth.sign_in("keeper", PASSWORDS["keeper"]))
        svc = CheckpointService(s, world.clock)
        assert svc.verify(ctx, first).intact
        res = svc.verify(ctx, later.path)
        assert not res.intact and res.missing is not None
        assert res.missing[1] == later.checkpoint.entry_count
        assert "the log ends before the checkpoint" in res.reason


# -- refused checkpoints ---------------------------------------------------------------------
def _edit(path: Path, fn) -> None:
    d = json.loads(path.read_text())
    fn(d)
    os.chmod(path, 0o600)
    path.write_text(json.dumps(d))


@pytest.mark.parametrize("edit", [
    lambda d: d["checkpoint"].update(entry_count=d["checkpoint"]["entry_count"] - 5),
    lambda d: d["checkpoint"].update(head_hash="ab" * 32),
    lambda d: d.update(signature=d["signature"][:-8] + "AAAAAAA="),
    lambda d: d["checkpoint"].update(issuer="someone else"),
])
def test_an_altered_checkpoint_is_refused(anchored, edit) -> None:
    world, path, _cp = anchored
    _edit(path, edit)
    with pytest.raises(CheckpointRefused, match=r"signature is not valid|damaged"):
        verify(world, path)
    refused = log_entries(world.store, "audit.verify")[-1]
    assert refused.outcome == "refused" and "checkpoint_refused" in refused.detail


def test_a_checkpoint_signed_by_another_key_is_refused(anchored, tmp_path: Path) -> None:
    world, _path, cp = anchored
    mallory = SigningKey.generate()
    forged = Checkpoint(cp.store_id, 3, AccessLogRepo(world.store).hash_at(3), cp.issued_ms,
                        cp.issuer, mallory.fingerprint)
    target = write_checkpoint_file(tmp_path / "forged.alprcheckpoint", mallory.sign(forged))
    with pytest.raises(CheckpointRefused, match="does not pin"):
        verify(world, target)


def test_a_checkpoint_for_another_store_is_refused(anchored, tmp_path: Path) -> None:
    world, path, _cp = anchored
    with create_store(tmp_path / "other.alprdb", os.urandom(32)) as other:
        add_account(other, world.clock, AccountRepo(world.store).get("keeper"),
                    PASSWORDS["keeper"])
        auth = AuthService(other, world.clock)
        ctx = auth.context(auth.sign_in("keeper", PASSWORDS["keeper"]))
        with pytest.raises(CheckpointRefused, match="for another store"):
            CheckpointService(other, world.clock).verify(ctx, path)


def test_a_file_that_is_not_a_checkpoint_is_refused(anchored, tmp_path: Path) -> None:
    world, _path, _cp = anchored
    junk = tmp_path / "junk.alprcheckpoint"
    junk.write_text("{\"hello\": 1}")
    with pytest.raises(CheckpointRefused, match="not an ALPR log checkpoint"):
        verify(world, junk)
    with pytest.raises(CheckpointRefused, match="No checkpoint file"):
        verify(world, tmp_path / "absent.alprcheckpoint")


def test_truncation_and_removed_protection_are_both_told(anchored) -> None:
    world, path, cp = anchored
    ctx = world.ctx("keeper")
    truncate_tail(world.store, cp.entry_count - 2)
    world.store.execute("DROP TRIGGER access_log_no_delete")
    res = verify(world, path, ctx)
    assert not res.intact and res.missing is not None
    assert "access_log_no_delete was removed" in res.reason
