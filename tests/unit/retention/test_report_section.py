"""The audit report says OVERDUE when the scheduled purge is not running, lists the purges of
its period and every hold, and holds no plate (issue 14)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from access_helpers import World
from retention_helpers import add_reads, utc

from alpr_desktop.core.audit_filters import AuditFilter
from alpr_desktop.core.retention import deletion_time
from alpr_desktop.reports.retention_section import hold_lines, retention_lines
from alpr_desktop.services.audit_service import AuditService
from alpr_desktop.services.holds import HoldService
from alpr_desktop.services.retention import RetentionService

R = utc(2021, 6, 15, 10, 30, 5)
REASON = "Trial set for March 2027 in Compton Superior Court; the reads place the vehicle."


def _world(world: World) -> None:
    ids = add_reads(world.store, [("7ABC123", R), ("8XYZ999", R), ("9LATE11", R + 3600)])
    world.clock.ms = (deletion_time(R) - 60) * 1000
    holds = HoldService(world.store, world.clock)
    hold = holds.request(world.with_purpose("officer"), [ids[0]], "123-45678-2026-001", REASON)
    holds.approve(world.ctx("keeper"), hold.id, "Checked.")
    world.clock.ms = deletion_time(R) * 1000
    RetentionService(world.store, world.clock).purge()  # deletes 8XYZ999, keeps the held one
    world.clock.ms = (deletion_time(R + 3600) + 300) * 1000  # 9LATE11 overdue: no purge ran


def test_the_section_says_overdue_purges_and_holds(world: World) -> None:
    _world(world)
    s = RetentionService(world.store, world.clock).report_summary(None, None)
    rows = dict(retention_lines(s))
    assert rows["OVERDUE"].startswith("1 read more than two minutes past")
    assert rows["Purges in the period"].startswith("1 run deleted 1 read and 2 images")
    [hold] = hold_lines(s)
    assert "case 123-45678-2026-001: in force" in hold and "asked by officer" in hold
    assert "approved by keeper" in hold
    text = repr(rows) + hold
    assert not any(p in text for p in ("7ABC123", "8XYZ999", "9LATE11"))


def test_a_period_without_purges_says_so(world: World) -> None:
    _world(world)
    s = RetentionService(world.store, world.clock).report_summary(0, 1000)
    assert dict(retention_lines(s))["Purges in the period"].startswith("no purge")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_the_pdf_carries_the_section(world: World, tmp_path: Path) -> None:
    _world(world)
    out = tmp_path / "audit.pdf"
    AuditService(world.store, world.clock).build_report(world.ctx("keeper"), out, AuditFilter())
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    start = text.index("Retention and evidence holds")
    section = text[start:text.index("3. Entries", start)]
    assert "OVERDUE" in section and "Hold #1, case 123-45678-2026-001" in section
