"""Fixtures for storage tests: a fresh encrypted store with one camera, and its key."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from alpr_desktop.core.models import Camera
from alpr_desktop.storage import Store, create_store
from alpr_desktop.storage.reads import CameraRepo


@pytest.fixture
def key() -> bytes:
    return secrets.token_bytes(32)


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "case.alprdb"


@pytest.fixture
def store(store_path: Path, key: bytes) -> Iterator[Store]:
    s = create_store(store_path, key)
    yield s
    s.close()


@pytest.fixture
def camera_id(store: Store) -> int:
    return CameraRepo(store).add(Camera(None, "CAM-7", "Avalon Blvd / 223rd St"))
