"""The incident register and the breach notice (issue 17, Civil Code 1798.29): the notice's
title and five headings in order, every font at least 10 point, the dates of the breach and
of the notice, the Attorney General flag above 500 California residents; recording and the
notice logged; bad input changes nothing. None of this existed before the issue."""

from __future__ import annotations

from pathlib import Path

import pytest
from access_helpers import World, log_entries
from pdf_helpers import font_sizes, needs_pdftotext, pdf_text

from alpr_desktop.core.access_errors import AccountInvalid, NotAuthorized
from alpr_desktop.core.incidents import NOTICE_HEADINGS, NOTICE_TITLE, IncidentInput
from alpr_desktop.core.training import DAY_MS
from alpr_desktop.services.incidents import IncidentService


def _incident(world: World, residents: int = 120, **changes: object) -> IncidentInput:
    now = world.clock.now_ms()  # 2026-01-01T00:00Z, December 31 in Carson
    base: dict[str, object] = dict(
        discovered_ms=now - 2 * DAY_MS, breach_from_ms=now - 9 * DAY_MS,
        breach_to_ms=now - 8 * DAY_MS,
        what_happened="A laptop holding an exported case file was stolen from a patrol car.",
        data_involved="Plate reads and plate images exported for two investigations.",
        encrypted=False, key_exposed=False, people_affected=max(residents, 130),
        california_residents=residents,
        actions_taken="The export was revoked, the theft reported, and exports now encrypted.",
        contact="Call the City Clerk at (310) 555-0100, weekdays 8 to 5.",
    )
    base.update(changes)
    return IncidentInput(**base)  # type: ignore[arg-type]


@needs_pdftotext
def test_the_notice_has_the_statutory_title_headings_dates_and_type_size(
    world: World, tmp_path: Path
) -> None:
    svc = IncidentService(world.store, world.clock)
    inc = svc.record(world.ctx("keeper"), _incident(world))
    world.clock.advance(3 * 86_400)
    result = svc.build_notice(world.ctx("keeper"), inc.id, tmp_path / "notice.pdf")
    text = " ".join(pdf_text(result.path).split())
    assert text.startswith(NOTICE_TITLE)
    positions = [text.index(h) for h in NOTICE_HEADINGS]
    assert positions == sorted(positions)
    assert "Date of this notice: January 3, 2026" in text
    assert "Date of the breach: December 22, 2025 to December 23, 2025" in text
    assert "stolen from a patrol car" in text and "(310) 555-0100" in text
    assert "The data was not encrypted." in text
    assert min(font_sizes(result.path)) >= 10
    assert not result.ag_sample_required
    assert [e.event for e in log_entries(world.store)][-1] == "incident.notice"
    assert svc.list_incidents(world.ctx("keeper"))[0].notice_ms == world.clock.now_ms()


def test_more_than_500_california_residents_flags_a_sample_for_the_attorney_general(
    world: World, tmp_path: Path
) -> None:
    svc = IncidentService(world.store, world.clock)
    ctx = world.ctx("keeper")
    at_500 = svc.record(ctx, _incident(world, residents=500))
    over = svc.record(ctx, _incident(world, residents=501))
    assert not at_500.ag_sample_required and over.ag_sample_required
    result = svc.build_notice(ctx, over.id, tmp_path / "n.pdf")
    assert result.ag_sample_required
    assert '"ag_sample_required":true' in log_entries(world.store, "incident.notice")[0].detail_json


def test_bad_input_changes_nothing_and_other_roles_are_refused(world: World) -> None:
    svc = IncidentService(world.store, world.clock)
    ctx = world.ctx("keeper")
    before = len(log_entries(world.store))
    with pytest.raises(AccountInvalid, match="Say more"):
        svc.record(ctx, _incident(world, what_happened="lost"))
    with pytest.raises(AccountInvalid, match="cannot end before"):
        svc.record(ctx, _incident(world, breach_from_ms=world.clock.now_ms() - DAY_MS))
    with pytest.raises(AccountInvalid, match="More California residents"):
        svc.record(ctx, _incident(world, residents=10, people_affected=5))
    assert len(log_entries(world.store)) == before
    assert not svc.list_incidents(ctx)
    with pytest.raises(NotAuthorized):
        svc.record(world.ctx("officer"), _incident(world))
