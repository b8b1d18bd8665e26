"""`alpr-desktop log-archive`: a custodian archives entries older than five years (one line,
exit 0), then `--verify FILE` checks the chain end to end and without the file from the
anchor, saying which; an administrator is refused with a sentence."""

from __future__ import annotations

import argparse
import io
import time
from pathlib import Path

import pytest
from retention_helpers import utc

from alpr_desktop.cli import log_archive as log_archive_command
from alpr_desktop.core.accounts import Account
from alpr_desktop.core.audit_log import LogEvent, Outcome
from alpr_desktop.core.clock import FixedClock, SystemClock
from alpr_desktop.core.retention import add_months
from alpr_desktop.core.roles import Role
from alpr_desktop.security import keys, passwords, secret_wrap
from alpr_desktop.services.audit import log_event
from alpr_desktop.services.keyslots import write_account_slot
from alpr_desktop.services.stores import create_new_store
from alpr_desktop.storage.accounts import AccountRepo

PASSPHRASE = "recovery passphrase for the archive tests"
PEOPLE = {"keeper": ("Civic-Center-Ledger-5M", Role.CUSTODIAN),
          "root": ("Harbor-Keys-Admin-Q7x", Role.ADMIN)}


@pytest.fixture
def store_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(keys, "DEFAULT_KDF", keys.KdfParams(n=2**12))
    monkeypatch.setattr(secret_wrap, "DEFAULT_COST", secret_wrap.ScryptCost(n=2**12))
    path = tmp_path / "cli.alprdb"
    store = create_new_store(path, PASSPHRASE, kdf=keys.KdfParams(n=2**12))
    old = FixedClock(utc(2019, 6, 15) * 1000)
    with store.transaction():
        for name, (pw, role) in PEOPLE.items():
            added = AccountRepo(store).add(
                Account(None, name, name.title(), "City of Carson", roles=frozenset({role})),
                passwords.hash_password(pw), old.now_ms())
            write_account_slot(store, added, pw, reason="test", clock=old)
    for i in range(5):
        log_event(store, LogEvent("test.old", Outcome.OK, "someone", detail={"i": i}), old)
    store.close()
    # The commands run five years and two days from now: every entry so far is due.
    later = add_months(time.time_ns() // 1_000_000_000, 60) * 1000 + 2 * 86_400_000
    start = time.monotonic()
    monkeypatch.setattr(SystemClock, "now_ms",
                        lambda self: later + int((time.monotonic() - start) * 1000))
    return path


def _run(*argv: str, stdin: str = "") -> tuple[int, str]:
    p = argparse.ArgumentParser()
    p.add_argument("--store", type=Path)
    log_archive_command.add_parser(p.add_subparsers(dest="command"))
    out = io.StringIO()
    return log_archive_command.run(p.parse_args(argv), io.StringIO(stdin), out), out.getvalue()


def test_archive_then_verify_with_and_without_the_file(store_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "kept"
    folder.mkdir()
    pw = PEOPLE["keeper"][0] + "\n"
    code, out = _run("log-archive", "--store", str(store_path), "--user", "keeper",
                     "--out", str(folder), stdin=pw)
    assert code == 0, out
    [archive] = list(folder.glob("*.alprlog"))
    assert out.strip().splitlines()[-1].startswith("log-archive: entries 1–")
    assert str(archive) in out
    code, out = _run("log-archive", "--store", str(store_path), "--user", "keeper",
                     "--verify", str(archive), stdin=pw)
    assert code == 0 and "Intact end to end" in out
    code, out = _run("log-archive", "--store", str(store_path), "--user", "keeper",
                     "--verify-store-only", stdin=pw)
    assert code == 0 and "Intact from the archive anchor" in out and archive.name in out
    archive.write_text(archive.read_text("utf-8").replace('"ciphertext": "', '"ciphertext": "AB'),
                       "utf-8")
    code, out = _run("log-archive", "--store", str(store_path), "--user", "keeper",
                     "--verify", str(archive), stdin=pw)
    assert code == 3 and out.startswith("NOT INTACT")


def test_an_administrator_is_refused_with_a_sentence(
        store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = _run("log-archive", "--store", str(store_path), "--user", "root",
                   "--out", str(tmp_path), stdin=PEOPLE["root"][0] + "\n")
    assert code == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("\n") == 1
    assert list(tmp_path.glob("*.alprlog")) == []
