"""Fixtures for the maintenance-log and correction tests (shared ones: tests/unit/conftest.py)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fast_kdf(fast_kdf: None) -> None:
    """Fast password hashing for every test here."""
