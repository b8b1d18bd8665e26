"""Fast key derivations for the log tests (correct, not slow)."""

from __future__ import annotations

import pytest

from alpr_desktop.security import secret_wrap


@pytest.fixture(autouse=True)
def _fast(fast_kdf: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(secret_wrap, "DEFAULT_COST", secret_wrap.ScryptCost(n=2**12))
