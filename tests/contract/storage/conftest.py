"""Fixtures for the read repository contract: one camera in a fresh store."""

from __future__ import annotations

import pytest

from alpr_desktop.core.models import Camera
from alpr_desktop.storage.unit_of_work import UnitOfWork


@pytest.fixture
def camera_id(store: UnitOfWork) -> int:
    return store.cameras.add(Camera(None, "CAM-7", "Avalon Blvd / 223rd St"))
