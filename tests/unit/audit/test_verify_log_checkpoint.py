"""`alpr-desktop verify-log --checkpoint FILE` and the witness on the command line: exit 0 for
a log consistent with the checkpoint, 3 (naming what is missing) for one that is not or that
this workstation saw longer, 1 with one line for a checkpoint that is refused."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from audit_helpers import PASSWORDS, add_people, fill_log

from alpr_desktop.cli import audit as command
from alpr_desktop.core.clock import FixedClock
from alpr_desktop.security import keys, keyslots, secret_wrap
from alpr_desktop.security.checkpoints import read_checkpoint_file
from alpr_desktop.services.auth import AuthService
from alpr_desktop.services.checkpoints import CheckpointService
from alpr_desktop.services.stores import create_new_store
from alpr_desktop.storage import Store, open_store
from alpr_desktop.storage.access_log import AccessLogRepo

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "log"))
from log_attacks import rewrite_consistently, truncate_tail
from test_audit_cli import PASSPHRASE, parse

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def store_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # the real command line runs in a child process with the program's own KDF floor
    floor = keys.KdfParams(n=2**15)
    monkeypatch.setattr(keys, "DEFAULT_KDF", floor)
    monkeypatch.setattr(secret_wrap, "DEFAULT_COST", secret_wrap.ScryptCost(n=2**12))
    path = tmp_path / "cli.alprdb"
    store = create_new_store(path, PASSPHRASE, kdf=floor)
    fill_log(store)
    add_people(store, FixedClock())
    store.close()
    return path


def unlock_store(path: Path) -> Store:
    """The store opened with its data key, as someone holding the recovery passphrase (or a
    signed-in session's memory) could; nothing about the key slots changes."""
    kf = keyslots.read_any(path)
    assert isinstance(kf, keyslots.KeyFileV2)
    return open_store(path, kf.unwrap_recovery(PASSPHRASE))


def issue(store_path: Path, target: Path) -> Path:
    with unlock_store(store_path) as s:
        auth = AuthService(s)
        ctx = auth.context(auth.sign_in("keeper", PASSWORDS["keeper"]))
        return CheckpointService(s).issue(ctx, PASSWORDS["keeper"], target).path


def verify(store_path: Path, *extra: str) -> tuple[int, str]:
    args = parse("verify-log", "--store", str(store_path), "--user", "keeper", *extra)
    out = io.StringIO()
    code = command.run_verify_log(args, stdin=io.StringIO(PASSWORDS["keeper"] + "\n"), out=out)
    return code, out.getvalue()


@pytest.fixture
def checkpoint(store_path: Path, tmp_path: Path) -> Path:
    return issue(store_path, tmp_path / "cp.alprcheckpoint")


def count_of(checkpoint: Path) -> int:
    return read_checkpoint_file(checkpoint).checkpoint.entry_count


def test_consistent_log_exits_0(store_path: Path, checkpoint: Path) -> None:
    code, out = verify(store_path, "--checkpoint", str(checkpoint))
    assert code == 0, out
    assert out.startswith("Intact and consistent with the checkpoint of")
    with unlock_store(store_path) as s:
        last = [e for e in AccessLogRepo(s).entries(limit=1000) if e.event == "audit.verify"]
        assert last[-1].detail["checkpoint"]["entry_count"] == count_of(checkpoint)


def test_truncated_log_exits_3_naming_the_missing_entries(store_path: Path,
                                                         checkpoint: Path) -> None:
    with unlock_store(store_path) as s:
        truncate_tail(s, 9)
    code, out = verify(store_path, "--checkpoint", str(checkpoint))
    assert code == command.EXIT_NOT_INTACT
    # the CLI's own sign-in entries come first (from #10), then the checkpoint's are missing
    assert re.search(rf"NOT INTACT: entries 1\d–{count_of(checkpoint)} are missing: the log "
                     "ends before the checkpoint", out), out


def test_rewritten_log_exits_3(store_path: Path, checkpoint: Path) -> None:
    with unlock_store(store_path) as s:
        rewrite_consistently(s, 4, {"username": "someone"})
    code, out = verify(store_path, "--checkpoint", str(checkpoint))
    assert code == 3 and f"rewritten at or before entry #{count_of(checkpoint)}" in out


@pytest.mark.parametrize("how", ["signature", "store"])
def test_refused_checkpoint_exits_1_with_one_line(store_path: Path, checkpoint: Path,
                                                  tmp_path: Path, how: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    if how == "signature":
        d = json.loads(checkpoint.read_text())
        d["checkpoint"]["entry_count"] = 3
        checkpoint.write_text(json.dumps(d))
        says = "signature is not valid"
    else:
        other = tmp_path / "other.alprdb"
        s = create_new_store(other, PASSPHRASE, kdf=keys.KdfParams(n=2**12))
        add_people(s, FixedClock())
        s.close()
        checkpoint = issue(other, tmp_path / "other.alprcheckpoint")
        says = "for another store"
    code, out = verify(store_path, "--checkpoint", str(checkpoint))
    assert code == 1 and out == ""
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and says in err


def test_witness_finds_an_older_copy_put_back(store_path: Path, tmp_path: Path) -> None:
    assert verify(store_path)[0] == 0  # this workstation sees the log
    old = tmp_path / "old.alprdb"
    shutil.copyfile(store_path, old)
    assert verify(store_path)[0] == 0  # and sees it grow (sign-in, verify, sign-out)
    shutil.copyfile(old, store_path)
    for suffix in ("-wal", "-shm"):
        Path(f"{store_path}{suffix}").unlink(missing_ok=True)
    code, out = verify(store_path)
    assert code == 3
    assert out.startswith("WARNING: This store's access log has")
    assert "rolled back" in out and "Intact:" in out  # the chain alone would have passed


def test_the_real_command_line(store_path: Path, checkpoint: Path, tmp_path: Path) -> None:
    """The installed entry point, with the password on standard input."""
    # no keyring at all in the child (never the user's real one): it unlocks with the recovery
    # passphrase and keys its witness with an owner-only file
    env = {**os.environ, "PYTHONPATH": str(ROOT),
           "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    stdin = f"{PASSWORDS['keeper']}\n{PASSPHRASE}\n"  # password, then recovery
    argv = [sys.executable, "-m", "alpr_desktop", "verify-log", "--store", str(store_path),
            "--user", "keeper", "--checkpoint", str(checkpoint)]
    ok = subprocess.run(argv, input=stdin, capture_output=True, text=True, timeout=120, env=env)
    assert ok.returncode == 0, ok.stderr
    with unlock_store(store_path) as s:
        truncate_tail(s, 5)
    bad = subprocess.run(argv, input=stdin, capture_output=True, text=True, timeout=120, env=env)
    assert bad.returncode == 3 and "are missing" in bad.stdout
    missing = subprocess.run([*argv[:-1], str(tmp_path / "nope.alprcheckpoint")], input=stdin,
                             capture_output=True, text=True, timeout=120, env=env)
    assert missing.returncode == 1
    assert missing.stderr.count("\n") == 1 and "No checkpoint file" in missing.stderr


def test_verify_log_through_an_archive_on_the_command_line(
        store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A checkpoint whose entry has since been archived (issue 14): ``verify-log`` says
    "Archived" (exit 0) and names what it could not check; with ``--archive FILE`` it checks
    the entry through the archive; a missing archive file is one line, exit 1."""
    from alpr_desktop.core.audit_log import LogEvent, Outcome
    from alpr_desktop.core.retention import add_months
    from alpr_desktop.services.audit import log_event
    from alpr_desktop.services.log_archive import LogArchiveService

    cp = issue(store_path, tmp_path / "cp.alprcheckpoint")
    folder = tmp_path / "archives"
    folder.mkdir()
    with unlock_store(store_path) as s:
        last_ms = s.query_one("SELECT max(ts_ms) FROM access_log")[0]
        clock = FixedClock(add_months(last_ms // 1000, 60) * 1000 + 86_400_000)
        for i in range(3):  # newer than five years at that clock: they stay
            log_event(s, LogEvent("test.new", Outcome.OK, "someone", detail={"i": i}), clock)
        auth = AuthService(s, clock)
        ctx = auth.context(auth.sign_in("keeper", PASSWORDS["keeper"]))
        done = LogArchiveService(s, clock).archive(ctx, PASSWORDS["keeper"], folder)
    assert done.anchor is not None and done.anchor.last_seq > count_of(cp)
    archive = Path(done.path)
    code, text = verify(store_path, "--checkpoint", str(cp))
    assert code == 0, text
    assert text.startswith(f"Archived: entry #{count_of(cp)}") and "not checked here" in text
    code, text = verify(store_path, "--checkpoint", str(cp), "--archive", str(archive))
    assert code == 0, text
    assert f"verified through the archive file {archive.name}" in text
    code, text = verify(store_path, "--checkpoint", str(cp), "--archive",
                        str(tmp_path / "nowhere.alprlogarchive"))
    err = capsys.readouterr().err
    assert code == 1 and text == ""
    assert err.strip().endswith("No archive file at " f"{tmp_path / 'nowhere.alprlogarchive'}.")
    assert "Traceback" not in err
