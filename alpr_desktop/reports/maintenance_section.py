"""The audit report's maintenance section (policy §7, issue 16): OVERDUE when the last 30-day
check is older than 30 days, the check history, and every downtime window, so an analyst or a
court knows when a camera could not have seen a car. No plate, no image."""

from __future__ import annotations

from alpr_desktop.core.clock import format_local
from alpr_desktop.core.maintenance import MaintenanceSummary, Problem
from alpr_desktop.reports.pdf_text import BOLD, REGULAR
from alpr_desktop.reports.section_writer import SectionWriter


def _t(ms: int | None) -> str:
    return format_local(ms) if ms is not None else "-"


def status_lines(s: MaintenanceSummary) -> list[tuple[str, str]]:
    """(label, text) rows at the head of the section; also what a test reads."""
    st = s.status
    rows = [("OVERDUE" if st.overdue else "30-day checks", st.sentence())]
    if st.last_check is not None:
        c = st.last_check
        rows.append(("Last check", f"{_t(c.checked_ms)} by {c.checked_by}"))
    open_n = sum(1 for p in s.problems if not p.resolved)
    rows.append(("Problems", f"{len(s.problems):,} recorded, {open_n:,} not resolved; "
                             f"{len(s.downtime):,} with a downtime window"))
    return rows


def check_lines(s: MaintenanceSummary) -> list[str]:
    out = []
    for c in s.checks:
        results = "; ".join(f"{i.item.label}: {i.result.label}" + (f" ({i.note})" if i.note
                                                                   else "") for i in c.items)
        notes = f" Notes: {c.notes}" if c.notes else ""
        out.append(f"Check #{c.id}, {_t(c.checked_ms)} by {c.checked_by}. {results}.{notes}")
    return out


def downtime_line(p: Problem) -> str:
    cams = ", ".join(p.camera_names) or "no camera named"
    until = _t(p.down_to_ms) if p.down_to_ms is not None else "still not working"
    resolved = f"resolved {_t(p.resolved_ms)}" if p.resolved_ms is not None else "not resolved"
    action = f" Action: {p.corrective_action}" if p.corrective_action else ""
    return (f"Problem #{p.id} ({cams}): not working from {_t(p.down_from_ms)} to {until}; "
            f"found {_t(p.discovered_ms)}, {resolved}. {p.description}{action}")


def maintenance_section(w: SectionWriter, summary: MaintenanceSummary | None) -> None:
    if summary is None:
        return
    w.need(120)
    w.gap(10)
    w.heading("Maintenance log (policy section 7)", 11)
    for label, text in status_lines(summary):
        w.field(label, text, value_font=BOLD if label == "OVERDUE" else REGULAR)
    w.paragraph("Downtime windows (a camera could not have seen a car in these periods):",
                font=BOLD, size=8)
    windows = summary.downtime
    for p in windows:
        w.paragraph(downtime_line(p), size=8, indent=8)
    if not windows:
        w.paragraph("No downtime window has been recorded.", size=8, indent=8)
    others = [p for p in summary.problems if not p.has_downtime]
    if others:
        w.paragraph("Problems without downtime:", font=BOLD, size=8)
        for p in others:
            w.paragraph(downtime_line(p).replace("not working from - to still not working; ",
                                                 ""), size=8, indent=8)
    w.paragraph("Check history:", font=BOLD, size=8)
    for line in check_lines(summary) or ["No 30-day check has been recorded."]:
        w.paragraph(line, size=8, indent=8)
