"""Every CLI command opens the store the same way (cli/signin.py). The two former copies of
the unlock code (the import's and the audit commands') behaved differently; each test here runs
the same scenario through both and expects the same outcome:

- opened with the recovery passphrase on a machine that does not know the store, the store is
  remembered: the next sign-in needs the password only (DESIGN rule 5, services/signin.py);
- the workstation's log witness is checked on open and advanced on leaving;
- a wrong recovery passphrase or a missing password is one line naming the problem, exit 1.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

from alpr_desktop.cli import build_parser
from alpr_desktop.cli.audit import run_verify_log
from alpr_desktop.cli.import_reads import run_import_command
from alpr_desktop.core.accounts import Account
from alpr_desktop.core.roles import Role
from alpr_desktop.security import keys, keyslots, passwords, witness
from alpr_desktop.security import workstation_secret as ws
from alpr_desktop.services import signin
from alpr_desktop.services.keyslots import write_account_slot
from alpr_desktop.services.stores import create_new_store
from alpr_desktop.storage.access_log import AccessLogRepo
from alpr_desktop.storage.accounts import AccountRepo

RECOVERY = "recovery passphrase of the one-path tests"
PASSWORDS = {"vendor": "Pw-for-vendor-123", "keeper": "Pw-for-keeper-123"}
ROLES = {"vendor": Role.CONTRACTOR, "keeper": Role.CUSTODIAN}

Command = Callable[[Path, str, str], tuple[int, str, str]]


@pytest.fixture
def store_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(passwords, "ITERATIONS", 1_000)
    monkeypatch.setattr(keys, "DEFAULT_KDF", keys.KdfParams(n=2**10))
    path = tmp_path / "one.alprdb"
    store = create_new_store(path, RECOVERY, kdf=keys.KdfParams(n=2**10))
    for name, password in PASSWORDS.items():
        account = AccountRepo(store).add(
            Account(None, name, name.title(), "Org", roles=frozenset({ROLES[name]})),
            passwords.hash_password(password), 0)
        write_account_slot(store, account, password, reason="test")
    store.close()
    return path


FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "ingest"


def _import(_tmp_path: Path) -> Command:
    data = FIXTURES / "openalpr_group.json"

    def run(path: Path, user: str, stdin: str) -> tuple[int, str, str]:
        args = build_parser().parse_args(
            ["import", str(data), "--store", str(path), "--user", user, "--quiet"])
        return run_import_command(args, stdin=io.StringIO(stdin)), "", ""

    return run


def _verify(_tmp_path: Path) -> Command:
    def run(path: Path, user: str, stdin: str) -> tuple[int, str, str]:
        args = build_parser().parse_args(["verify-log", "--store", str(path), "--user", user])
        out = io.StringIO()
        return run_verify_log(args, stdin=io.StringIO(stdin), out=out), out.getvalue(), ""

    return run


COMMANDS = {"import": (_import, "vendor"), "verify-log": (_verify, "keeper")}


@pytest.fixture(params=sorted(COMMANDS))
def command(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Command, str]:
    make, user = COMMANDS[request.param]
    return make(tmp_path), user


def _forget_this_machine(path: Path) -> None:
    """As on another workstation: this keyring holds no workstation secret for the store."""
    ws.forget(keyslots.read_any(path).store_id)


def test_recovery_on_a_new_machine_is_remembered(
    store_path: Path, command: tuple[Command, str], capsys: pytest.CaptureFixture[str]
) -> None:
    run, user = command
    _forget_this_machine(store_path)
    assert signin.inspect(store_path).door is signin.Door.RECOVERY
    code, _, _ = run(store_path, user, f"{PASSWORDS[user]}\n{RECOVERY}\n")
    assert code == 0, capsys.readouterr().err
    # remembered: the password alone opens it now, through this account's new key slot
    assert signin.inspect(store_path).door is signin.Door.SIGN_IN
    opened = signin.sign_in(store_path, user, PASSWORDS[user])
    opened.store.close()
    code, _, _ = run(store_path, user, f"{PASSWORDS[user]}\n")  # no passphrase on stdin
    assert code == 0, capsys.readouterr().err


def test_the_witness_is_checked_and_advanced(
    store_path: Path, command: tuple[Command, str], capsys: pytest.CaptureFixture[str]
) -> None:
    run, user = command
    code, _, _ = run(store_path, user, f"{PASSWORDS[user]}\n")
    assert code == 0, capsys.readouterr().err
    opened = signin.sign_in(store_path, user, PASSWORDS[user])
    try:
        store_id = opened.store.store_id
        count_after_command = AccessLogRepo(opened.store).head()[0] - 1  # minus this signin.ok
    finally:
        opened.store.close()
    _, data = witness.load()
    assert data.stores[store_id].count == count_after_command  # the head after sign-out


def test_a_wrong_recovery_passphrase_is_one_line(
    store_path: Path, command: tuple[Command, str], capsys: pytest.CaptureFixture[str]
) -> None:
    run, user = command
    _forget_this_machine(store_path)
    code, _, _ = run(store_path, user, f"{PASSWORDS[user]}\nnot the passphrase at all\n")
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1
    assert err[-1].startswith("alpr-desktop")
    assert "Traceback" not in "\n".join(err)
    assert "WrongPassphrase" not in err[-1]  # a sentence, not a class name
    assert "passphrase" in err[-1].lower()


def test_no_password_is_one_line(
    store_path: Path, command: tuple[Command, str], capsys: pytest.CaptureFixture[str]
) -> None:
    run, user = command
    code, _, _ = run(store_path, user, "")
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1
    assert len(err) == 1 and "no password given" in err[0]
