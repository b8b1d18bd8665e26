"""The audit report's training and account-hygiene section (issue 17: suspensions and
separations "both in the audit report"). Before it, the report listed the log entries one by
one and said nowhere which analysts could not search for want of training."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from access_helpers import World

from alpr_desktop.core.audit_filters import AuditFilter
from alpr_desktop.core.training import DAY_MS, AccountSuspended
from alpr_desktop.reports.hygiene_section import hygiene_lines
from alpr_desktop.services.account_hygiene import HygieneService
from alpr_desktop.services.audit_service import AuditService
from alpr_desktop.services.training import TrainingService

pytestmark = pytest.mark.hygiene_rules


def _world(world: World) -> None:
    """officer never trained; vendor suspended as unused; root separates keeper2."""
    world.clock.advance(100 * DAY_MS / 1000)
    with pytest.raises(AccountSuspended):
        world.sign_in("officer")


def test_the_summary_names_who_cannot_search_and_who_was_suspended(world: World) -> None:
    _world(world)
    HygieneService(world.store, world.clock).separate(world.ctx("root"), "vendor",
                                                       "Left the contractor")
    summary = TrainingService(world.store, world.clock).report_summary(None, None)
    rows = hygiene_lines(summary)
    labels = [label for label, _ in rows]
    assert labels.index("Suspended, unused") < labels.index("Separated")
    text = dict(rows)
    officer = [t for label, t in rows if label == "officer"]
    assert officer[0].startswith("no confirmed training; cannot search")  # training part
    assert officer[1].startswith("suspended ")  # and again under the suspensions
    separated = [t for label, t in rows[labels.index("Separated"):] if label == "vendor"]
    assert separated and "by root: Left the contractor" in separated[0]
    assert "1 account deactivated" in text["Separated"]


def test_a_period_before_the_suspension_lists_none(world: World) -> None:
    start = world.clock.now_ms()
    _world(world)
    summary = TrainingService(world.store, world.clock).report_summary(start, start + 1000)
    assert dict(hygiene_lines(summary))["Suspended, unused"].startswith("0 accounts")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_the_pdf_carries_the_section(world: World, tmp_path: Path) -> None:
    _world(world)
    out = tmp_path / "audit.pdf"
    AuditService(world.store, world.clock).build_report(world.ctx("keeper"), out, AuditFilter())
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True,
                          text=True, check=True).stdout
    start = text.index("Training and account hygiene")
    section = text[start:text.index("3. Entries", start)]
    assert "no confirmed training; cannot search" in section
    assert "Suspended, unused" in section and "officer" in section
