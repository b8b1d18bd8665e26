"""`alpr-desktop purge`: exit 0 with a one-line summary, 1 with a sentence; the scheduled
credential is made only by a signed-in custodian, logged, and opens nothing alone."""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import pytest
from retention_helpers import add_reads, present, utc

from alpr_desktop.cli import purge as retention_command
from alpr_desktop.core.accounts import Account
from alpr_desktop.core.clock import FixedClock
from alpr_desktop.core.roles import Role
from alpr_desktop.security import keys, keyslots, passwords, purge_credential
from alpr_desktop.services.keyslots import write_account_slot
from alpr_desktop.services.stores import create_new_store
from alpr_desktop.storage import open_store
from alpr_desktop.storage.access_log import AccessLogRepo
from alpr_desktop.storage.accounts import AccountRepo

PASSPHRASE = "recovery passphrase for the purge tests"
PEOPLE = {"keeper": ("Civic-Center-Ledger-5M", Role.CUSTODIAN),
          "root": ("Harbor-Keys-Admin-Q7x", Role.ADMIN)}
R = utc(2019, 6, 15, 10, 30, 5)  # long past its five years by the system clock


@pytest.fixture
def store_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(keys, "DEFAULT_KDF", keys.KdfParams(n=2**12))
    path = tmp_path / "cli.alprdb"
    store = create_new_store(path, PASSPHRASE, kdf=keys.KdfParams(n=2**12))
    clock = FixedClock()
    with store.transaction():
        for name, (pw, role) in PEOPLE.items():
            added = AccountRepo(store).add(
                Account(None, name, name.title(), "City of Carson", roles=frozenset({role})),
                passwords.hash_password(pw), clock.now_ms())
            write_account_slot(store, added, pw, reason="test", clock=clock)
    add_reads(store, [("7ABC123", R), ("8XYZ999", utc(2099, 1, 1))])
    store.close()
    return path


def _open(path: Path):  # type: ignore[no-untyped-def]
    kf = keyslots.read_any(path)
    assert isinstance(kf, keyslots.KeyFileV2)
    return open_store(path, kf.unwrap_recovery(PASSPHRASE))


def _run(*argv: str, stdin: str = "") -> tuple[int, str]:
    p = argparse.ArgumentParser()
    p.add_argument("--store", type=Path)
    retention_command.add_parser(p.add_subparsers(dest="command"))
    out = io.StringIO()
    return retention_command.run(p.parse_args(argv), io.StringIO(stdin), out), out.getvalue()


def test_unenrolled_scheduled_purge_fails_with_a_sentence(
        store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run("purge", "--store", str(store_path))
    assert code == 1 and out == ""
    err = capsys.readouterr().err
    assert "purge --enroll" in err and "Traceback" not in err and err.count("\n") == 1


def test_enrolled_scheduled_purge_deletes_and_summarises(store_path: Path) -> None:
    code, out = _run("purge", "--store", str(store_path), "--enroll", "--user", "keeper",
                     stdin=PEOPLE["keeper"][0] + "\n")
    assert code == 0, out
    code, out = _run("purge", "--store", str(store_path))
    assert code == 0
    assert out.count("\n") == 1 and out.startswith("purge: deleted 1 reads and 2 images")
    with _open(store_path) as s:
        assert not present(s, 1) and present(s, 2)
        events = [e.event for e in AccessLogRepo(s).entries(limit=1000)]
        assert "retention.purge_enrolled" in events and "retention.purge" in events
    code, out = _run("purge", "--store", str(store_path))
    assert (code, out) == (0, "purge: nothing due.\n")


def test_only_a_custodian_enrolls(store_path: Path) -> None:
    code, _ = _run("purge", "--store", str(store_path), "--enroll", "--user", "root",
                   stdin=PEOPLE["root"][0] + "\n")
    assert code == 1
    assert not purge_credential.credential_path(store_path).exists()


def test_the_credential_file_alone_opens_nothing(store_path: Path, memory_keyring) -> None:  # type: ignore[no-untyped-def]
    _run("purge", "--store", str(store_path), "--enroll", "--user", "keeper",
         stdin=PEOPLE["keeper"][0] + "\n")
    memory_keyring.secrets = {k: v for k, v in memory_keyring.secrets.items()
                              if not k[1].startswith("purge-credential:")}
    code, _ = _run("purge", "--store", str(store_path))
    assert code == 1
    with _open(store_path) as s:
        assert present(s, 1)


def test_a_signed_in_user_may_purge_by_hand(store_path: Path) -> None:
    code, out = _run("purge", "--store", str(store_path), "--user", "root",
                     stdin=PEOPLE["root"][0] + "\n")
    assert code == 0 and out.startswith("purge: deleted 1 reads")
    with _open(store_path) as s:
        [rec] = s.query("SELECT ran_by FROM purges")
        assert rec[0] == "root (command line)"


def test_an_administrator_converts_an_old_store_from_the_command_line(store_path: Path) -> None:
    with _open(store_path) as s:
        s.execute("PRAGMA auto_vacuum = NONE")
        s.execute("VACUUM")
    code, out = _run("purge", "--store", str(store_path), "--convert-store", "--user", "root",
                     stdin=PEOPLE["root"][0] + "\n")
    assert code == 0, out
    assert "about 100%" in out and out.strip().splitlines()[-1].startswith(
        "purge: Store converted")
    with _open(store_path) as s:
        assert s.query_one("PRAGMA auto_vacuum") == (2,)
        events = [e.event for e in AccessLogRepo(s).entries(limit=1000)]
        assert events.count("retention.store_conversion") == 2
    code, out = _run("purge", "--store", str(store_path), "--convert-store", "--user", "root",
                     stdin=PEOPLE["root"][0] + "\n")
    assert code == 0 and "nothing to convert" in out


def test_the_command_purges_with_a_gap_for_the_open_program(
        store_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The scheduled command may run while the program is open in another process: it asks
    for SCHEDULED_GAP_S between its transactions (the program's own purge asks for none)."""
    from alpr_desktop.services import retention as retention_service

    code, out = _run("purge", "--store", str(store_path), "--enroll", "--user", "keeper",
                     stdin=PEOPLE["keeper"][0] + "\n")
    assert code == 0, out
    asked: list[float] = []
    real = retention_service.RetentionService.purge

    def spy(self, *args, **kw):  # type: ignore[no-untyped-def]
        asked.append(kw.get("gap_s", 0.0))
        return real(self, *args, **kw)

    monkeypatch.setattr(retention_service.RetentionService, "purge", spy)
    code, out = _run("purge", "--store", str(store_path))
    assert code == 0, out
    assert asked == [retention_service.SCHEDULED_GAP_S]


def test_the_scheduled_purge_says_on_stderr_when_the_store_updates_itself(
        store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The unattended purge opens with its own credential: a store written before the newest
    migration (0027 rebuilds the plates' look-alike index, ~45 s for 30 million plates) is
    updated on the way in, and the journal says so instead of a silent minute."""
    code, _ = _run("purge", "--store", str(store_path), "--enroll", "--user", "keeper",
                   stdin=PEOPLE["keeper"][0] + "\n")
    assert code == 0
    with _open(store_path) as s:  # back to how a store written before 0027 stood
        s.execute("DROP INDEX plates_ocr_key")
        s.execute("CREATE INDEX plates_ocr_key ON plates(ocr_key)")
        s.execute("DELETE FROM schema_version WHERE version = 27")
    capsys.readouterr()
    code, out = _run("purge", "--store", str(store_path))
    err = capsys.readouterr().err
    assert code == 0 and out.startswith("purge: deleted 1 reads")
    assert err == "alpr-desktop: updating the store for this version…\n"
    code, out = _run("purge", "--store", str(store_path))
    assert (code, out, capsys.readouterr().err) == (0, "purge: nothing due.\n", "")
