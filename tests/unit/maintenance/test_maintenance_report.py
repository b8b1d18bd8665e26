"""The audit report's maintenance section (issue 16): OVERDUE after 30 days without a check,
the check history and every downtime window, in the PDF the custodian prints."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from access_helpers import World

from alpr_desktop.core.audit_filters import AuditFilter
from alpr_desktop.core.maintenance import (
    CheckInput,
    CheckItem,
    CheckResult,
    ItemResult,
    ProblemInput,
)
from alpr_desktop.core.models import Camera
from alpr_desktop.reports.maintenance_section import check_lines, downtime_line, status_lines
from alpr_desktop.services.audit_service import AuditService
from alpr_desktop.services.maintenance import MaintenanceService
from alpr_desktop.storage.reads import CameraRepo

DAY_MS = 86_400_000


def _log(world: World) -> MaintenanceService:
    cam = CameraRepo(world.store).add(Camera(None, "Avalon & 223rd NB", "Carson"))
    svc = MaintenanceService(world.store, world.clock)
    ctx = world.ctx("vendor")
    now = world.clock.now_ms()
    svc.record_check(ctx, CheckInput(now - DAY_MS, tuple(ItemResult(i, CheckResult.OK)
                                                         for i in CheckItem), "All fine."))
    svc.record_problem(ctx, ProblemInput(now - 5 * DAY_MS, "Camera dark after the storm.",
                                         (cam,), now - 6 * DAY_MS, now - 4 * DAY_MS,
                                         "Replaced the power supply.", now - 4 * DAY_MS))
    svc.record_problem(ctx, ProblemInput(now - DAY_MS, "Lens fogged: images blurred.", (cam,),
                                         now - 2 * DAY_MS))
    return svc


def test_section_lines_overdue_history_and_windows(world: World) -> None:
    svc = _log(world)
    world.clock.advance(31 * 86_400)
    s = svc.report_summary(world.ctx("keeper"))
    rows = dict(status_lines(s))
    assert rows["OVERDUE"].startswith("OVERDUE: the last 30-day check was 32 days ago")
    assert rows["Problems"] == "2 recorded, 1 not resolved; 2 with a downtime window"
    [check] = check_lines(s)
    assert "by vendor" in check and "Log verified: OK" in check
    lines = [downtime_line(p) for p in s.downtime]
    assert any("to still not working" in x and "Lens fogged" in x for x in lines)
    assert any("Avalon & 223rd NB" in x and "resolved" in x for x in lines)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_the_pdf_carries_the_section(world: World, tmp_path: Path) -> None:
    _log(world)
    world.clock.advance(31 * 86_400)
    out = tmp_path / "audit.pdf"
    AuditService(world.store, world.clock).build_report(world.ctx("keeper"), out, AuditFilter())
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True,
                          text=True, check=True).stdout
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "3", str(out),
                    str(tmp_path / "page")], check=False)
    for png in tmp_path.glob("page*.png"):
        shutil.copy(png, Path("/tmp") / f"maintenance-report-{png.name}")
    start = text.index("Maintenance log (policy section 7)")
    section = text[start:text.index("3. Entries", start)]
    assert "OVERDUE" in section and "Problem #2" in section and "Check #1" in section


def test_transparency_report_counts_the_periods_checks_and_problems(world: World,
                                                                    tmp_path: Path) -> None:
    """The public report counted rows of tables named "maintenance" and "problems" that no
    migration made, so it said "not recorded"; now it counts the log's checks and problems
    of its period."""
    from alpr_desktop.services.transparency import TransparencyService

    _log(world)
    now = world.clock.now_ms()
    result = TransparencyService(world.store, world.clock).build(
        world.ctx("keeper"), now - 30 * DAY_MS, now, tmp_path / "t.pdf")
    assert (result.facts.maintenance_checks, result.facts.problems) == (1, 2)
    result = TransparencyService(world.store, world.clock).build(
        world.ctx("keeper"), now - 3 * DAY_MS, now, tmp_path / "t2.pdf")
    assert (result.facts.maintenance_checks, result.facts.problems) == (1, 1)
