"""The travel-analysis tests (issue 19) work in the access tests' world (accounts, purpose,
fixed clock), whose fixtures are in tests/unit/conftest.py."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture(autouse=True)
def _fast_kdf(fast_kdf: None) -> None:
    """Fast password hashing for every test here."""
