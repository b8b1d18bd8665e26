"""`report access-log` and `verify-log` from the command line: a custodian's password from
the terminal or standard input (never an argument), exit codes 0 / 3 / 1, and logged."""

from __future__ import annotations

import argparse
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from audit_helpers import PASSWORDS, add_people, fill_log, open_quietly, tamper_purpose

from alpr_desktop.cli import audit as command
from alpr_desktop.core.clock import FixedClock
from alpr_desktop.security import keys
from alpr_desktop.services.stores import create_new_store
from alpr_desktop.storage.access_log import AccessLogRepo

PASSPHRASE = "recovery passphrase for the audit tests"


@pytest.fixture
def store_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(keys, "DEFAULT_KDF", keys.KdfParams(n=2**12))
    path = tmp_path / "cli.alprdb"
    store = create_new_store(path, PASSPHRASE, kdf=keys.KdfParams(n=2**12))
    fill_log(store)
    add_people(store, FixedClock())
    store.close()
    return path


def parse(*argv: str) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="alpr-desktop")
    p.add_argument("--store", type=Path)
    sub = p.add_subparsers(dest="command")
    command.add_parsers(sub)
    return p.parse_args(argv)


def run(argv: list[str], stdin: str) -> tuple[int, str]:
    args = parse(*argv)
    out = io.StringIO()
    fn = command.run_verify_log if args.command == "verify-log" else command.run_report_access_log
    return fn(args, stdin=io.StringIO(stdin), out=out), out.getvalue()


def _events(path: Path) -> list[str]:
    with open_quietly(path, PASSPHRASE) as s:
        return [e.event for e in AccessLogRepo(s).entries(limit=10_000)]


def test_verify_log_intact_exits_0_and_is_logged(store_path: Path) -> None:
    code, out = run(["verify-log", "--store", str(store_path), "--user", "keeper"],
                    PASSWORDS["keeper"] + "\n")
    assert code == 0
    assert out.startswith("Intact:")
    events = _events(store_path)
    assert events[15:17] == ["keyslot.written"] * 2  # add_people gives each account its slot
    assert events[17:] == ["signin.ok", "audit.verify", "signout"], events[17:]


def test_verify_log_not_intact_exits_3_naming_the_entry(store_path: Path) -> None:
    with open_quietly(store_path, PASSPHRASE) as s:
        tamper_purpose(s, 6)
    code, out = run(["verify-log", "--store", str(store_path), "--user", "keeper"],
                    PASSWORDS["keeper"] + "\n")
    assert code == command.EXIT_NOT_INTACT == 3
    assert "NOT INTACT at entry #6" in out
    assert "First broken entry: #6" in out


def test_report_writes_the_pdf(store_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "jan.pdf"
    code, out = run(["report", "access-log", "--from", "2026-01-01", "--to", "2026-01-31",
                     "--out", str(target), "--store", str(store_path), "--user", "keeper"],
                    PASSWORDS["keeper"] + "\n")
    assert code == 0, out
    assert target.is_file() and "14 entries" in out
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "2026-01-01 to 2026-01-31" in text and "keeper (Kim Keeper" in text
    assert "audit.report" in _events(store_path)


def test_report_of_a_tampered_log_exits_3(store_path: Path, tmp_path: Path) -> None:
    with open_quietly(store_path, PASSPHRASE) as s:
        tamper_purpose(s, 2)
    target = tmp_path / "jan.pdf"
    code, out = run(["report", "access-log", "--from", "2026-01-01", "--to", "2026-01-31",
                     "--out", str(target), "--store", str(store_path), "--user", "keeper"],
                    PASSWORDS["keeper"] + "\n")
    assert code == 3 and target.is_file()
    assert "NOT INTACT at entry #2" in out


def test_username_and_passphrase_from_stdin_when_no_keyring(
    store_path: Path, memory_keyring: object
) -> None:
    memory_keyring.secrets.clear()  # type: ignore[attr-defined]
    code, out = run(["verify-log", "--store", str(store_path)],
                    f"keeper\n{PASSWORDS['keeper']}\n{PASSPHRASE}\n")
    assert code == 0, out
    # The recovery made a new workstation secret here and the sign-in wrote keeper's slot:
    # next time the password alone opens the store.
    code, out = run(["verify-log", "--store", str(store_path), "--user", "keeper"],
                    PASSWORDS["keeper"] + "\n")
    assert code == 0, out


@pytest.mark.parametrize(
    ("user", "stdin", "says"),
    [
        ("keeper", "wrong password\n", "Wrong username or password."),
        ("officer", PASSWORDS["officer"] + "\n", "not allowed"),
        ("keeper", "", "no password given"),
    ],
)
def test_failures_exit_1_with_one_line(store_path: Path, user: str, stdin: str, says: str,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(["verify-log", "--store", str(store_path), "--user", user], stdin)
    assert code == 1 and out == ""
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and says in err


def test_bad_arguments(tmp_path: Path, store_path: Path,
                       capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        parse("verify-log", "--password", "x")  # there is no such option, by design
    assert exc.value.code == 2
    with pytest.raises(SystemExit):
        parse("report", "access-log", "--from", "January", "--to", "2026-01-31", "--out", "x")
    code, _ = run(["report", "access-log", "--from", "2026-02-01", "--to", "2026-01-01",
                   "--out", str(tmp_path / "x.pdf"), "--store", str(store_path)], "")
    assert code == 1 and "--to is before --from" in capsys.readouterr().err
    code, _ = run(["report", "access-log", "--from", "2026-01-01", "--to", "2026-01-02",
                   "--out", str(tmp_path / "x.txt"), "--store", str(store_path)], "")
    assert code == 1
    code, _ = run(["verify-log", "--store", str(tmp_path / "missing.alprdb")], "")
    assert code == 1 and "No store" in capsys.readouterr().err
