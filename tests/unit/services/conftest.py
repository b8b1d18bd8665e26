"""Service tests: fast password hashing, and the storage tests' helpers on the path (the
format conversion's store built in the earlier format: tests/unit/storage/old_format.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "storage"))


@pytest.fixture(autouse=True)
def _fast_hashing(fast_kdf: None) -> None:
    return None


@pytest.fixture(autouse=True)
def _no_drain(monkeypatch: pytest.MonkeyPatch) -> None:
    """A format conversion holds the old file 6 s after its swap (format_convert.DRAIN_S),
    for openers that were waiting: nobody waits here."""
    from alpr_desktop.storage import format_convert

    monkeypatch.setattr(format_convert, "DRAIN_S", 0.0)
