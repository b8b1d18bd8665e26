"""The public transparency report (issue 17): counts only. On a store where plates, usernames,
names, case numbers and narratives abound (real searches and a refused one through the
services, plus the audit tests' known log), neither the PDF nor the CSV holds any of them,
while the counts by purpose, refusal and receiving agency are there. The report did not exist
before this issue."""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import pytest
from access_helpers import World, log_entries, seed_reads
from pdf_helpers import needs_pdftotext, pdf_text

from alpr_desktop.core.access_errors import NotAuthorized, PurposeRequired
from alpr_desktop.core.audit_log import LogEvent
from alpr_desktop.core.models import NewRead
from alpr_desktop.core.search import Filters, SearchQuery
from alpr_desktop.services.search import SearchService
from alpr_desktop.services.transparency import TransparencyService
from alpr_desktop.storage.access_log import AccessLogRepo
from alpr_desktop.storage.reads import ReadRepo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "audit"))
from audit_helpers import known_events, local_ms

PERIOD = (local_ms(2025, 12, 1, 0), local_ms(2026, 2, 1, 0))


def _abundant_store(world: World) -> tuple[set[str], set[str]]:
    """Reads of many plates, real searches and a refusal, and the known log; returns the
    plates and the other identifying strings the report must not hold."""
    ids = seed_reads(world.store)
    cam = ReadRepo(world.store).get(ids[0]).camera_id
    plates = {f"{n}XYZ{n:03d}" for n in range(1, 40)}
    ReadRepo(world.store).insert_many(
        [NewRead(p, 1_767_000_000 + i * 600, cam, state="CA") for i, p in enumerate(plates)])
    svc = SearchService(world.store, world.clock)
    with pytest.raises(PurposeRequired):
        svc.search(world.ctx("officer"), SearchQuery("7ABC123", "auto", Filters(), 20))
    ctx = world.with_purpose("officer", case_number="123-45678-2026-077")
    for plate in ("7ABC123", "8XYZ999", "3XYZ003"):
        svc.search(ctx, SearchQuery(plate, "auto", Filters(), 20))
    repo = AccessLogRepo(world.store)
    with world.store.transaction():
        for ev, _ts in known_events():
            repo.append(ev, world.clock.now_ms())
        repo.append(LogEvent("search", "ok", "officer", "LASD Carson Station",
                             purpose={"category": "criminal_investigation",
                                      "offense": "7ABC123 Olivia's ex", "case_number": "X-1",
                                      "narrative": "n"},
                             query={"pattern": "7ABC123"}), world.clock.now_ms())
    plates |= {"7ABC123", "8XYZ999", "9DEF456", "4JKL321", "5QQQ555"}
    identifying = {
        "officer", "officer2", "vendor", "keeper", "root", "Olivia", "Officer", "Kim Keeper",
        "123-45678-2026-001", "123-45678-2026-002", "123-45678-2026-077", "X-1",
        "Carson Mall", "LBPD request 26-004512", "WP-2026-007", "7-abc 123",
    }
    return plates, identifying


@needs_pdftotext
def test_the_report_holds_counts_and_no_plate_name_or_case(world: World, tmp_path: Path) -> None:
    plates, identifying = _abundant_store(world)
    result = TransparencyService(world.store, world.clock).build(
        world.ctx("keeper"), *PERIOD, tmp_path / "transparency.pdf")
    text = pdf_text(result.pdf)
    with result.csv.open(newline="", encoding="utf-8") as fh:
        table = list(csv.reader(fh))
    csv_text = "\n".join(",".join(r) for r in table)
    for body in (text, csv_text):
        squeezed = re.sub(r"[\s-]", "", body).upper()
        for plate in plates:
            assert plate.upper() not in squeezed, plate
        for word in identifying:
            assert not re.search(rf"\b{re.escape(word)}\b", body), word
    flat = " ".join(text.split())
    assert "Criminal investigation" in flat and "Vehicle theft" in flat
    assert "Other (not on the offense list)" in flat  # the offense typed with a plate in it
    assert "Long Beach Police Department" in flat
    assert "no declared purpose" in flat and "contractor without written permission" in flat
    assert "Hash chain" in csv_text and "Intact" in csv_text
    rows = {(r[0], r[1], r[2]): r[3] for r in table[1:]}
    assert rows[("Searches", "Total run", "")] == str(result.facts.total_searches)
    assert result.facts.total_searches == 3 + 6 + 1  # real, known log (ok ones), free text
    assert result.facts.total_refused == 2  # the real refusal and the contractor's
    assert log_entries(world.store, "transparency.report")


def test_only_the_custodian_builds_it(world: World, tmp_path: Path) -> None:
    with pytest.raises(NotAuthorized):
        TransparencyService(world.store, world.clock).build(
            world.ctx("officer"), *PERIOD, tmp_path / "t.pdf")
    assert not (tmp_path / "t.pdf").exists()


def test_a_failed_csv_leaves_no_pdf_and_no_log_entry(world: World, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from alpr_desktop.reports import transparency_report

    def broken(*_a: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(transparency_report, "write_transparency_csv", broken)
    ctx = world.ctx("keeper")
    out = tmp_path / "out"
    with pytest.raises(OSError):
        TransparencyService(world.store, world.clock).build(ctx, *PERIOD, out / "t.pdf")
    assert not list(out.iterdir())
    assert not log_entries(world.store, "transparency.report")


def test_reads_deleted_by_the_purge_are_counted(world: World, tmp_path: Path) -> None:
    """The purge's own records feed the report (a defect found at the merge: the report looked
    for log events the purge does not write and said "not recorded")."""
    from alpr_desktop.core.clock import FixedClock
    from alpr_desktop.services.retention import RetentionService

    cam = ReadRepo(world.store).get(seed_reads(world.store)[0]).camera_id
    old = 1_500_000_000  # 2017: past its five years at the purge below
    ReadRepo(world.store).insert_many(
        [NewRead(f"{n}OLD{n:03d}", old + n * 60, cam, state="CA") for n in range(1, 8)])
    purge_clock = FixedClock(PERIOD[0] + 86_400_000)  # a run inside the report's period
    gone = RetentionService(world.store, purge_clock).purge("keeper").reads_deleted
    assert gone >= 7
    result = TransparencyService(world.store, world.clock).build(
        world.ctx("keeper"), *PERIOD, tmp_path / "purged.pdf")
    assert result.facts.reads_purged == gone
