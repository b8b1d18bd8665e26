"""Fixtures for the read repository contract: one camera in a fresh store."""

from __future__ import annotations

import pytest

from alpr_desktop.core.models import Camera
from alpr_desktop.storage.unit_of_work import UnitOfWork


@pytest.fixture
def camera_id(store: UnitOfWork) -> int:
    return store.cameras.add(Camera(None, "CAM-7", "Avalon Blvd / 223rd St"))


@pytest.fixture
def people(store: UnitOfWork) -> dict[str, int]:
    """Two accounts (an analyst and a custodian) for repositories whose rows name a user."""
    from alpr_desktop.core.accounts import Account
    from alpr_desktop.core.roles import Role

    ids = {}
    for name, role in (("officer", Role.ANALYST), ("keeper", Role.CUSTODIAN)):
        added = store.accounts.add(
            Account(None, name, name.title(), "City of Carson", roles=frozenset({role})),
            "not-a-real-hash", 1_000)
        assert added.id is not None
        ids[name] = added.id
    return ids
