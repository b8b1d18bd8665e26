"""Shared fixtures: an isolated data dir, an in-memory keyring, fresh stores."""

from __future__ import annotations

import os

import keyring
import keyring.backend
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Tests that call cli.main or app.launch in this process must not switch off core dumps (and
# ptrace) for the whole pytest run, nor for the children it starts: the measures are
# irreversible. tests/unit/leaks/test_no_core_dumps.py checks them in child processes.
from alpr_desktop.security import process_hardening

process_hardening._applied = process_hardening.Hardening(
    skipped=["left off in the test process (checked in child processes)"])


class MemoryKeyring(keyring.backend.KeyringBackend):
    """An in-memory Secret Service stand-in; ``locked`` simulates a locked or absent keyring."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}
        self.locked = False

    def _check(self) -> None:
        if self.locked:
            raise keyring.errors.KeyringLocked("keyring is locked")

    def get_password(self, service: str, username: str) -> str | None:
        self._check()
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._check()
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self._check()
        try:
            del self.secrets[(service, username)]
        except KeyError:
            raise keyring.errors.PasswordDeleteError("not found") from None


@pytest.fixture(autouse=True)
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> MemoryKeyring:
    backend = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def test_kdf_floor(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests write key files with a cheap scrypt (n 2**10 to 2**12) for speed; the program refuses
    those below keys.KDF_FLOOR, so the floor is lowered here. The floor's own test restores
    the production value (tests/unit/security/test_kdf_floor.py)."""
    from alpr_desktop.security import keys

    monkeypatch.setattr(keys, "KDF_FLOOR", keys.KdfParams(n=2**10))


@pytest.fixture(autouse=True)
def app_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    home = tmp_path_factory.mktemp("alpr-home")
    monkeypatch.setenv("ALPR_DESKTOP_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def hygiene_rules(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The analyst's training rule and the suspension of unused accounts (issue 17) are on in
    the program and in every test marked ``hygiene_rules``. Tests written before them, whose
    analysts have no training record and whose accounts may be made on a fixed clock and
    signed in on the system clock, run with both off. Whole-program runs in child processes
    (demo store, trained demo analyst) keep them on."""
    if request.node.get_closest_marker("hygiene_rules") is not None:
        return
    from alpr_desktop.services import auth, gate

    monkeypatch.setattr(gate, "training_refusal", lambda *_a, **_k: None)
    monkeypatch.setattr(auth, "check_sign_in", lambda *_a, **_k: None)
