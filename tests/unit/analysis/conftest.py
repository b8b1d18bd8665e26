"""The analysis tests reuse the access tests' world (accounts, purpose, fixed clock), whose
fixtures are in tests/unit/conftest.py."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fast_kdf(fast_kdf: None) -> None:
    """Fast password hashing for every test here (fast_kdf is in tests/unit/conftest.py)."""
