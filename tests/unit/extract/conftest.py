"""Fixtures for the review-extract tests: an analyst's release of three of four reads."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from access_helpers import World, purpose_input, seed_reads

from alpr_desktop.core.extract import ExtractOrder
from alpr_desktop.core.purposes import PurposeInput
from alpr_desktop.services.review_extract import ExtractRelease, ExtractReleaseService
from alpr_desktop.services.review_extract_mode import ReviewSession

EXPIRES = date(2026, 1, 31)  # the world's clock stands at 2026-01-01


@pytest.fixture(autouse=True)
def _fast_kdf(fast_kdf: None) -> None:
    pass


def order(ids: list[int], **changes: object) -> ExtractOrder:
    base: dict[str, object] = {
        "read_ids": tuple(ids), "recipient_name": "Dana Prosecutor",
        "organization": "Los Angeles County District Attorney",
        "purpose": "Review of plate reads for the preliminary hearing",
        "case_number": "123-45678-2026-001", "expires_on": EXPIRES,
        "request_ref": "DA request 2026-7",
    }
    base.update(changes)
    return ExtractOrder(**base)  # type: ignore[arg-type]


def reviewer_purpose(**changes: object) -> PurposeInput:
    return purpose_input(**changes)


@pytest.fixture
def ids(world: World) -> list[int]:
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
