"""Retention tests: correct but fast password hashing (as the access tests)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fast_hashing(fast_kdf: None) -> None:
    return None
