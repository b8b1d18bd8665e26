"""Fast key derivation and password hashing for demo tests: the demo's own logic is under test,
not the cost parameters (security tests pin those)."""

from __future__ import annotations

import pytest

from alpr_desktop.security import keys, passwords


@pytest.fixture(autouse=True)
def fast_crypto(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keys, "DEFAULT_KDF", keys.KdfParams(n=2**14))
    monkeypatch.setattr(passwords, "ITERATIONS", 1_000)
