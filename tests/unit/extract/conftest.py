"""Fixtures for the review-extract tests: an analyst's release of three of four reads."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from access_helpers import World, approve_agencies, seed_reads
from extract_helpers import order

from alpr_desktop.services.review_extract import ExtractRelease, ExtractReleaseService
from alpr_desktop.services.review_extract_mode import ReviewSession


@pytest.fixture(autouse=True)
def _fast_kdf(fast_kdf: None) -> None:
    pass


@pytest.fixture
def ids(world: World) -> list[int]:
    approve_agencies(world.store, world.clock, "Los Angeles County District Attorney")
    return seed_reads(world.store)


@pytest.fixture
def release(world: World, ids: list[int], tmp_path: Path) -> ExtractRelease:
    ctx = world.with_purpose("officer")
    return ExtractReleaseService(world.store, world.clock).release_extract(
        ctx, order(ids[:3]), tmp_path / "out" / "case-7")


@pytest.fixture
def session(release: ExtractRelease, world: World) -> Iterator[ReviewSession]:
    s = ReviewSession.open(release.extract_path, release.passphrase, world.clock)
    yield s
    s.close()
