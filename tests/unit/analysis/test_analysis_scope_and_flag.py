"""Issue 19: the purpose's own window (from its record and the dates its narrative names), and
the audit report's oversight flag for analysis use, counting every "analysis.*" entry."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from access_helpers import World
from places_helpers import DAY, DAY0, HOUR, Planted, plant

from alpr_desktop.core.accounts import ActivePurpose
from alpr_desktop.core.analysis_places import LocationQuery, Place, Window
from alpr_desktop.core.analysis_scope import (
    AnalysisReasonRequired,
    check_scope,
    narrative_dates,
    purpose_span,
)
from alpr_desktop.core.audit_filters import AuditFilter
from alpr_desktop.core.audit_log import LogEvent, Outcome
from alpr_desktop.core.purposes import Purpose, PurposeCategory
from alpr_desktop.services.audit import log_event
from alpr_desktop.services.audit_service import AuditService
from alpr_desktop.services.location_analysis import LocationAnalysisService

NOW = 1_767_225_600  # 2026-01-01T00:00:00Z


def _purpose(narrative: str, category: PurposeCategory = PurposeCategory.CRIMINAL_INVESTIGATION
             ) -> ActivePurpose:
    return ActivePurpose(1, 1, Purpose(category, "Robbery", "123-45678-2026-001", narrative),
                         NOW * 1000)


def test_narrative_dates_take_the_latest_year_not_after_the_declaration() -> None:
    d = narrative_dates("Robbery 11/20 at 2300, again on 2025-12-03 and Dec 28; 123-45678",
                        date(2026, 1, 1))
    assert d == [date(2025, 11, 20), date(2025, 12, 3), date(2025, 12, 28)]
    assert narrative_dates("no date here, 2310 hrs Friday", date(2026, 1, 1)) == []


def test_the_purpose_window_from_its_words_and_its_record() -> None:
    plain = purpose_span(_purpose("Robbery Friday night at the Avalon market, need suspect"),
                         NOW)
    assert (plain.since, plain.until) == (NOW - 30 * DAY, NOW)
    dated = purpose_span(_purpose("Armed robbery 12/20 at the Avalon market, find suspect"),
                         NOW)
    assert dated.since == 1_766_188_800 - 7 * DAY  # 2025-12-20 less a week
    asked = purpose_span(_purpose("LAPD asks for reads of 7ABC123 from 12/01 to 12/03",
                                  PurposeCategory.AGENCY_REQUEST), NOW)
    assert (asked.since, asked.until) == (1_764_547_200 - DAY, 1_764_720_000 + 2 * DAY - 1)


def test_a_window_outside_needs_a_reason_of_a_few_words() -> None:
    p = _purpose("Robbery Friday night at the Avalon market, need suspect")
    inside = [Window(NOW - 2 * DAY, NOW - DAY)]
    assert check_scope(inside, p, NOW, "")[1] is False
    outside = [Window(NOW - 90 * DAY, NOW - 89 * DAY)]
    with pytest.raises(AnalysisReasonRequired, match="reaches outside"):
        check_scope(outside, p, NOW, "because")
    assert check_scope(outside, p, NOW, "Series of robberies since September at the same mall"
                       )[1] is True


def _other_analyses(world: World) -> None:
    """Entries as travel's analyses will log them, and one that is no analysis."""
    for event in ("analysis.cotravel", "analysis.cloned", "analysis.locate", "search"):
        log_event(world.store, LogEvent(event, Outcome.OK, "officer",
                                        organization="LASD Carson Station",
                                        query={"plate": "7ABC123", "time_window": {
                                            "from": DAY0, "to": DAY0 + 3 * DAY}},
                                        result_count=4), world.clock)


def test_the_flag_counts_every_analysis_with_how_wide(world: World) -> None:
    planted: Planted = plant(world.store, crowd=20)
    ctx = world.with_purpose("officer")
    places = LocationAnalysisService(world.store, world.clock)
    place = Place("Scene 1", (Window(DAY0 + 10 * HOUR, DAY0 + 12 * HOUR),
                              Window(DAY0 + DAY, DAY0 + DAY + 2 * HOUR)),
                  camera_ids=(planted.cams[0],))
    places.location_search(ctx, LocationQuery((place, place)))
    old = DAY0 - 60 * DAY
    places.location_search(ctx, LocationQuery(
        (Place("Old", (Window(old, old + HOUR),), camera_ids=(planted.cams[0],)),),
        reason="Same suspect vehicle seen in an October robbery series"))
    _other_analyses(world)
    out = Path(world.store.location).parent / "audit.pdf"
    result = AuditService(world.store, world.clock).build_report(world.ctx("keeper"), out,
                                                                 AuditFilter())
    [flag] = [f for f in result.oversight.flags if f.code == "analysis_use"]
    [item] = flag.items
    assert item.subject.startswith("officer")
    assert len(item.seqs) == 5  # 2 location searches + co-travel, cloned, locate; no "search"
    assert "Ran 5 analyses (2 location, 1 cloned, 1 cotravel, 1 locate)" in item.note
    assert "up to 2 places" in item.note and "1 wider than the purpose's own dates" in item.note
    assert "up to 72 hours" in item.note
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True,
                              text=True, check=True).stdout
        assert "Use of investigative analyses" in text
