"""The command line's side of the log's anchors (issue 10 §2):

- ``alpr-desktop checkpoint issue``: the custodian signs in through the one sign-in path and
  signs a checkpoint; owner-only file, logged, never overwritten, custodian only. Before this
  change there was no command: a checkpoint could be issued from the GUI only.
- ``alpr-desktop import`` holds the store against this workstation's witness before it writes,
  like the other commands. Before, it wrote into a store put back from an older copy without
  a word, and did not move the witness on afterwards.
"""

from __future__ import annotations

import io
import shutil
import stat
import sys
from pathlib import Path

import pytest
from audit_helpers import PASSWORDS, add_people, fill_log

from alpr_desktop import cli
from alpr_desktop.core.accounts import Account
from alpr_desktop.core.clock import FixedClock
from alpr_desktop.core.roles import Role
from alpr_desktop.security import keys, passwords, secret_wrap
from alpr_desktop.security.checkpoints import read_checkpoint_file
from alpr_desktop.services import witness
from alpr_desktop.services.checkpoints import CheckpointService
from alpr_desktop.services.keyslots import write_account_slot
from alpr_desktop.services.stores import create_new_store
from alpr_desktop.storage import Store, open_store
from alpr_desktop.storage.access_log import AccessLogRepo
from alpr_desktop.storage.accounts import AccountRepo

VENDOR_PW = "Pole-Ladder-Service-8W"
PASSPHRASE = "recovery passphrase for the checkpoint command tests"


@pytest.fixture
def store_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(keys, "DEFAULT_KDF", keys.KdfParams(n=2**12))
    monkeypatch.setattr(passwords, "ITERATIONS", 1_000)
    monkeypatch.setattr(secret_wrap, "DEFAULT_COST", secret_wrap.ScryptCost(n=2**12))
    path = tmp_path / "cli.alprdb"
    store = create_new_store(path, PASSPHRASE, kdf=keys.KdfParams(n=2**12))
    fill_log(store)
    add_people(store, FixedClock())
    vendor = AccountRepo(store).add(
        Account(None, "vendor", "Val Vendor", "Acme ALPR", roles=frozenset({Role.CONTRACTOR})),
        passwords.hash_password(VENDOR_PW), 0)
    write_account_slot(store, vendor, VENDOR_PW, reason="test", clock=FixedClock())
    store.close()
    return path


def unlocked(path: Path) -> Store:
    from alpr_desktop.security import keyslots

    kf = keyslots.read_any(path)
    return open_store(path, kf.unwrap_recovery(PASSPHRASE))


def events(path: Path) -> list:
    with unlocked(path) as s:
        return AccessLogRepo(s).entries(limit=100_000)


@pytest.fixture
def issue(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """Run ``alpr-desktop checkpoint issue`` (cli.main) with the password on standard input;
    returns the exit code and standard output (standard error stays with capsys)."""

    def run(store_path: Path, user: str, password: str, *extra: str) -> tuple[int, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
        capsys.readouterr()
        code = cli.main(["checkpoint", "issue", "--store", str(store_path), "--user", user,
                         *extra])
        out, err = capsys.readouterr()
        sys.stderr.write(err)  # left for the test's own capsys.readouterr()
        return code, out

    return run


# -- checkpoint issue ---------------------------------------------------------------------
def test_the_custodian_issues_a_checkpoint_from_the_command_line(
    store_path: Path, tmp_path: Path, issue
) -> None:
    target = tmp_path / "march.alprcheckpoint"
    code, out = issue(store_path, "keeper", PASSWORDS["keeper"], "--out", str(target))
    assert code == 0, out
    assert out.startswith("Checkpoint issued: ") and str(target) in out
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    cp = read_checkpoint_file(target).checkpoint
    log = events(store_path)
    issued = [e for e in log if e.event == "checkpoint.issued"]
    assert len(issued) == 1 and issued[0].username == "keeper"
    assert issued[0].seq == cp.entry_count + 1
    assert [e.event for e in log[-2:]] == ["checkpoint.issued", "signout"]
    with unlocked(store_path) as s:  # the store records it as its newest checkpoint
        assert CheckpointService(s).anchor_info().newest == cp


def test_a_folder_gets_the_suggested_name_and_nothing_is_overwritten(
    store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], issue
) -> None:
    folder = tmp_path / "kept"
    folder.mkdir()
    assert issue(store_path, "keeper", PASSWORDS["keeper"], "--out", str(folder))[0] == 0
    (made,) = folder.glob("log-checkpoint-*.alprcheckpoint")
    before = made.read_bytes()
    seen = len(events(store_path))
    code, out = issue(store_path, "keeper", PASSWORDS["keeper"], "--out", str(made))
    assert code == 1 and out == ""
    assert "already exists" in capsys.readouterr().err
    assert made.read_bytes() == before
    assert len(events(store_path)) == seen  # told before any password: not even a sign-in


@pytest.mark.parametrize("who", ["officer", "vendor"])
def test_only_a_custodian_issues(store_path: Path, tmp_path: Path, who: str,
                                 capsys: pytest.CaptureFixture[str], issue) -> None:
    password = VENDOR_PW if who == "vendor" else PASSWORDS[who]
    target = tmp_path / "x.alprcheckpoint"
    code, _out = issue(store_path, who, password, "--out", str(target))
    err = capsys.readouterr().err
    assert code == 1 and len(err.strip().splitlines()) == 1, err
    assert not target.exists()
    assert [e.event for e in events(store_path)][-1] == "signout"


def test_a_wrong_password_issues_nothing(store_path: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str], issue) -> None:
    target = tmp_path / "x.alprcheckpoint"
    code, _ = issue(store_path, "keeper", "Not-The-Password-9", "--out", str(target))
    assert code == 1 and "Wrong username or password" in capsys.readouterr().err  # at sign-in
    assert not target.exists()


# -- import and the witness -------------------------------------------------------------------
def _import(store_path: Path, data: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    mapping = data.with_suffix(".json")
    mapping.write_text('{"columns": {"plate": "plate", "datetime": "datetime", '
                       '"camera": "camera"}, "datetime_format": "iso8601"}')
    monkeypatch.setattr("sys.stdin", io.StringIO(VENDOR_PW + "\n"))
    return cli.main(["import", str(data), "--store", str(store_path), "--user", "vendor",
                     "--password-stdin", "--quiet", "--mapping-file", str(mapping),
                     "--report", str(data.with_suffix(".rejects.csv"))])


def _csv(path: Path, start: int, n: int = 5) -> Path:
    rows = ["plate,datetime,camera"]
    rows += [f"7ABC{start + i:03d},2026-01-0{1 + i % 5}T10:00:00-08:00,Avalon NB"
             for i in range(n)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_import_checks_the_witness_before_it_writes(
    store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert _import(store_path, _csv(tmp_path / "a.csv", 0), monkeypatch) == 0
    with unlocked(store_path) as s:  # the import moved this workstation's witness on
        count = AccessLogRepo(s).head()[0]
        assert witness.check_on_open(s).status is witness.WitnessStatus.OK
        assert witness.check_on_open(s).witnessed_count == count
    old = tmp_path / "old.alprdb"
    shutil.copyfile(store_path, old)
    assert _import(store_path, _csv(tmp_path / "b.csv", 10), monkeypatch) == 0
    capsys.readouterr()
    shutil.copyfile(old, store_path)  # an older copy put back, erasing the second import
    for suffix in ("-wal", "-shm"):
        Path(f"{store_path}{suffix}").unlink(missing_ok=True)
    assert _import(store_path, _csv(tmp_path / "c.csv", 20), monkeypatch) == 0
    out = capsys.readouterr().out
    assert out.startswith("WARNING: This store's access log has"), out
    assert "rolled back" in out and "5 added" in out  # warned, then imported as before
    log = events(store_path)
    mismatch = [e for e in log if e.event == "log.witness_mismatch"]
    assert len(mismatch) == 1
    first_import = min(e.seq for e in log if e.event.startswith("import")
                       and e.seq > mismatch[0].seq)
    assert mismatch[0].seq < first_import  # told and logged before anything was written
