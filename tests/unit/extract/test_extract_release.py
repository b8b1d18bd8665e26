"""Releasing an extract: only the released reads and images go into it, under a key wrapped by
a passphrase that is kept nowhere in clear; forbidden recipients and bad orders are refused and
logged; the release is recorded and logged in the City's store."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from access_helpers import World, log_entries
from extract_helpers import order

from alpr_desktop.core.access_errors import PurposeRequired
from alpr_desktop.core.extract import EXTRACT_SUFFIX, new_passphrase
from alpr_desktop.services.review_extract import (
    ExtractRelease,
    ExtractReleaseService,
    OrderRefused,
)
from alpr_desktop.services.review_extract_mode import ReviewSession
from alpr_desktop.storage.extract_releases import ExtractReleaseRepo


def test_the_extract_holds_only_the_released_reads(
    release: ExtractRelease, world: World, ids: list[int]
) -> None:
    assert release.extract_path.name == "case-7" + EXTRACT_SUFFIX
    assert release.key_path.is_file()
    s = ReviewSession.open(release.extract_path, release.passphrase, world.clock)
    try:
        assert s.store.reads.count() == 3
        assert s.store.images.count() == 6
        assert s.store.reads.get(ids[3]) is None  # the fourth read was not copied at all
        assert sorted(s.manifest.read_ids) == sorted(ids[:3])
        # a read keeps its City id, so the reviewer's log names reads as the City does
        assert {r.id for r in s.store.extract_content.all_reads()} == set(ids[:3])
        first = s.log_entries()[0]
        assert first.event == "extract.created" and first.username == "officer"
    finally:
        s.close()


def test_the_release_is_recorded_and_logged(release: ExtractRelease, world: World) -> None:
    rec = ExtractReleaseRepo(world.store).release(release.manifest.extract_id)
    assert rec == release.manifest
    [entry] = log_entries(world.store, "extract.release")
    assert entry.detail["recipient_agency"] == "Los Angeles County District Attorney"
    assert entry.detail["request_ref"] == "DA request 2026-7"
    assert entry.query["read_ids"] == list(release.manifest.read_ids)
    assert entry.purpose["case_number"] == "123-45678-2026-001"


def test_the_passphrase_is_kept_nowhere_in_clear(
    release: ExtractRelease, world: World, store_path: Path
) -> None:
    flat = release.passphrase.replace("-", "")
    for path in (release.extract_path, release.key_path, store_path):
        raw = path.read_bytes()
        assert release.passphrase.encode() not in raw and flat.encode() not in raw
    for e in log_entries(world.store):
        assert release.passphrase not in e.detail_json + e.query_json
    assert release.passphrase not in ExtractReleaseRepo(world.store).release(
        release.manifest.extract_id).to_json()  # type: ignore[union-attr]


def test_passphrases_are_random_and_long() -> None:
    made = {new_passphrase() for _ in range(50)}
    assert len(made) == 50
    assert all(len(p.replace("-", "")) == 24 for p in made)


@pytest.mark.parametrize(("organization", "words"), [
    ("FBI Los Angeles Field Office", "federal"),
    ("Acme Repossessions LLC", "private"),
    ("Las Vegas Metropolitan Police, Nevada", "outside California"),
])
def test_forbidden_recipients_are_refused_and_logged(
    world: World, ids: list[int], tmp_path: Path, organization: str, words: str
) -> None:
    ctx = world.with_purpose("officer")
    with pytest.raises(OrderRefused, match=words):
        ExtractReleaseService(world.store, world.clock).release_extract(
            ctx, order(ids[:1], organization=organization), tmp_path / "rel" / "x")
    assert not (tmp_path / "rel").exists() or not list((tmp_path / "rel").iterdir())
    assert log_entries(world.store, "gate.refused")[-1].detail["reason"] == "extract_order"
    assert not log_entries(world.store, "extract.release")


@pytest.mark.parametrize(("change", "words"), [
    ({"read_ids": ()}, "at least one read"),
    ({"expires_on": date(2025, 12, 31)}, "after today"),
    ({"expires_on": date(2028, 1, 1)}, "at most one year"),
    ({"recipient_name": "  "}, "Name the person"),
])
def test_a_bad_order_changes_nothing(
    world: World, ids: list[int], tmp_path: Path, change: dict[str, object], words: str
) -> None:
    ctx = world.with_purpose("officer")
    with pytest.raises(OrderRefused, match=words):
        ExtractReleaseService(world.store, world.clock).release_extract(
            ctx, order(ids[:1], **change), tmp_path / "rel" / "x")
    assert not (tmp_path / "rel").exists() or not list((tmp_path / "rel").iterdir())


def test_a_purged_read_stops_the_release(world: World, ids: list[int], tmp_path: Path) -> None:
    ctx = world.with_purpose("officer")
    with pytest.raises(OrderRefused, match="not in the store"):
        ExtractReleaseService(world.store, world.clock).release_extract(
            ctx, order([ids[0], 999_999]), tmp_path / "rel" / "x")
    assert not (tmp_path / "rel").exists() or not list((tmp_path / "rel").iterdir())


def test_release_needs_a_purpose(world: World, ids: list[int], tmp_path: Path) -> None:
    with pytest.raises(PurposeRequired):
        ExtractReleaseService(world.store, world.clock).release_extract(
            world.ctx("officer"), order(ids[:1]), tmp_path / "rel" / "x")
    assert not (tmp_path / "rel").exists() or not list((tmp_path / "rel").iterdir())


def test_an_existing_file_is_not_overwritten(
    release: ExtractRelease, world: World, ids: list[int]
) -> None:
    before = release.extract_path.read_bytes()
    ctx = world.with_purpose("officer")
    with pytest.raises(OrderRefused, match="already exists"):
        ExtractReleaseService(world.store, world.clock).release_extract(
            ctx, order(ids[:1]), release.extract_path)
    assert release.extract_path.read_bytes() == before


def test_the_release_record_prints_the_passphrase_once(
    release: ExtractRelease, tmp_path: Path
) -> None:
    import subprocess

    from alpr_desktop.services.review_extract import write_release_record

    pdf = write_release_record(release, tmp_path / "record.pdf", "Olivia Officer")
    assert pdf.stat().st_mode & 0o077 == 0
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert text.count(release.passphrase) == 1
    flat = " ".join(text.split())
    assert "Dana Prosecutor, Los Angeles County District Attorney" in flat
    assert release.manifest.key_fingerprint in flat and "2026-01-31" in flat
    pages = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True,
                           text=True).stdout
    assert re.search(r"^Pages:\s+1$", pages, re.M)
