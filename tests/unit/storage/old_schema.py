"""Stores as an earlier version of the program wrote them, for the migration tests: the
migrations from ``version`` on are left out while the store is made."""

from __future__ import annotations

import pytest

from alpr_desktop.storage import db


def written_before(version: int, monkeypatch: pytest.MonkeyPatch) -> tuple[db.Migration, ...]:
    """Make stores as the program before ``version`` did (its migrations and the later ones
    left out); every migration, to put back before the store is opened again."""
    everything = db._load_migrations()
    assert everything[-1].version >= version
    monkeypatch.setattr(db, "_load_migrations",
                        lambda: tuple(m for m in everything if m.version < version))
    return everything
