"""CLI tests: cheap key derivation and password hashing, and no wait at a format
conversion's swap (nobody is opening the store meanwhile here)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from alpr_desktop.security import keys, passwords
from alpr_desktop.storage import format_convert

sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture(autouse=True)
def cheap_crypto(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "ITERATIONS", 1_000)
    monkeypatch.setattr(keys, "DEFAULT_KDF", keys.KdfParams(n=2**10))
    monkeypatch.setattr(format_convert, "DRAIN_S", 0.0)
