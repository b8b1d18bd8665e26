"""Issue 21: the custodian marks a finding reviewed with a note (logged) and the next report
shows what was reviewed and what came after; working hours and thresholds are store settings
the custodian edits (logged), not options of one report. Runs on its own simulation: these
tests change the store."""

from __future__ import annotations

import shutil
import subprocess
from datetime import time
from pathlib import Path

import pytest
from station_sim import PASSWORD, STALKED, STALKER, Simulation

from alpr_desktop.core.access_errors import NotAuthorized
from alpr_desktop.core.oversight_config import OversightConfig, OversightSettingError
from alpr_desktop.services.auth import AuthService
from alpr_desktop.services.oversight_service import OversightService, ReviewRejected
from alpr_desktop.services.search import SearchService
from alpr_desktop.storage.access_log import AccessLogRepo

KEY = f"repeat|{STALKER}|{STALKED}"


def _svc(sim: Simulation) -> OversightService:
    return OversightService(sim.store, sim.clock)


def _last(sim: Simulation):  # type: ignore[no-untyped-def]
    return AccessLogRepo(sim.store).entries(limit=100_000)[-1]


def test_only_the_custodian_reviews_and_a_review_needs_a_note(sim: Simulation) -> None:
    with pytest.raises(NotAuthorized):
        _svc(sim).mark_reviewed(sim.ctx("adams"), KEY, "Looked at it, nothing wrong here.")
    assert _last(sim).event == "gate.refused"
    with pytest.raises(ReviewRejected, match="what the review found"):
        _svc(sim).mark_reviewed(sim.ctx("keeper"), KEY, "ok")


def test_a_reviewed_finding_shows_on_the_next_report_and_what_came_after(
        sim: Simulation, tmp_path: Path) -> None:
    svc = _svc(sim)
    receipt = svc.mark_reviewed(sim.ctx("keeper"), KEY,
                                "Referred to Internal Affairs, IA case 26-014.")
    entry = _last(sim)
    assert (entry.seq, entry.event, entry.query["finding_key"]) == (
        receipt.seq, "oversight.reviewed", KEY)
    assert entry.detail["note"] == "Referred to Internal Affairs, IA case 26-014."

    settled = svc.findings(sim.ctx("keeper"))
    [f] = [x for x in settled.findings() if x.key == KEY]
    assert f.review is not None and f.new_since_review == 0 and f.settled
    evans = next(r for r in settled.ranking if r.username == STALKER)
    assert evans.findings[-1].key == KEY  # settled reasons go last

    # He looks the plate up once more: the next report says so under the review.
    sim.clock.advance(3600)
    auth = AuthService(sim.store, sim.clock)
    from station_sim import STALKER_TEXTS

    from alpr_desktop.core.purposes import PurposeInput
    from alpr_desktop.core.search import SearchQuery
    from alpr_desktop.services.purposes import PurposeService

    ctx = auth.context(auth.sign_in(STALKER, PASSWORD))
    text, case, offense = STALKER_TEXTS[0]
    PurposeService(sim.store, sim.clock).declare(
        ctx, PurposeInput("criminal_investigation", offense, case, text, acknowledged=True))
    SearchService(sim.store, sim.clock).search(auth.context(ctx.session), SearchQuery(STALKED))
    again = svc.findings(sim.ctx("keeper"))
    [f] = [x for x in again.findings() if x.key == KEY]
    assert f.new_since_review == 1 and not f.settled
    if shutil.which("pdftotext") is None:
        return
    out = tmp_path / "audit.pdf"
    sim.report(out)
    text_out = subprocess.run(["pdftotext", "-raw", str(out), "-"], capture_output=True,
                              text=True, check=True, timeout=120).stdout
    flat = " ".join(text_out.split())
    assert "Reviewed by keeper on" in flat
    i = flat.index("Referred to Internal")
    assert "Referred to Internal Affairs, IA case 26-014. 1 entry since the review." in flat, \
        flat[i - 80:i + 120]


def test_settings_are_the_custodians_and_logged(sim: Simulation) -> None:
    svc = _svc(sim)
    new = OversightConfig(repeat_threshold=40, work_start=time(6, 0))
    with pytest.raises(NotAuthorized):
        svc.set_config(sim.ctx("root"), new)  # the administrator does not set the audit
    svc.set_config(sim.ctx("keeper"), new)
    entry = _last(sim)
    assert entry.event == "settings.changed" and entry.username == "keeper"
    assert entry.detail["key"] == "oversight.config"
    assert entry.detail["changes"] == {
        "repeat_threshold": {"from": 3, "to": 40},
        "work_start": {"from": "07:00", "to": "06:00"},
    }
    assert svc.config() == new
    # every report and listing uses them: no repeat reaches 40 look-ups
    result = svc.findings(sim.ctx("keeper"))
    assert not [f for f in result.findings() if f.kind == "repeat"]
    svc.set_config(sim.ctx("keeper"), OversightConfig())


def test_settings_refuse_nonsense_and_read_old_or_damaged_values() -> None:
    with pytest.raises(OversightSettingError, match="end after they start"):
        OversightConfig(work_start=time(19, 0), work_end=time(7, 0))
    with pytest.raises(OversightSettingError, match="Repeated look-ups"):
        OversightConfig(repeat_threshold=1)
    c = OversightConfig(night_start=time(21, 30), work_days=frozenset({0, 1, 2, 3, 4, 5}))
    assert OversightConfig.from_json(c.to_json()) == c
    assert OversightConfig.from_json('{"repeat_threshold": "x", "reuse_days": 9}') == \
        OversightConfig(reuse_days=9)
    assert OversightConfig.from_json("not json") == OversightConfig()
    assert c.describe_hours() == "07:00-19:00 Monday to Saturday (America/Los_Angeles)"
