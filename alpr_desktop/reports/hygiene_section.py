"""The audit report's training and account-hygiene section (policy §3 "Training", State
Auditor 2019-118; issue 17): who may not search for want of training, and which accounts were
suspended as unused or deactivated on separation in the report's period."""

from __future__ import annotations

from alpr_desktop.core.clock import format_local
from alpr_desktop.core.training import HygieneSummary, SuspensionKind, TrainingState
from alpr_desktop.reports.pdf_text import BOLD, REGULAR
from alpr_desktop.reports.section_writer import SectionWriter, count_of


def _day(ms: int | None) -> str:
    return format_local(ms)[:10] if ms is not None else "-"


def hygiene_lines(h: HygieneSummary) -> list[tuple[str, str]]:
    """(label, text) rows of the section, in order; also what a test reads."""
    current = h.count(TrainingState.CURRENT)
    rows = [("Rules", f"policy training renewed every {count_of(h.training_months, 'month')}; "
                      f"accounts unused for {count_of(h.unused_days, 'day')} are suspended"),
            ("Analysts", f"{count_of(len(h.statuses), 'analyst')}: {current:,} with current "
                         f"training, {h.count(TrainingState.MISSING):,} missing, "
                         f"{h.count(TrainingState.EXPIRED):,} expired (these cannot search)")]
    for s in h.statuses:
        if s.state is TrainingState.CURRENT:
            continue
        waiting = " (a training record waits for a custodian)" if s.pending else ""
        text = ("no confirmed training" if s.state is TrainingState.MISSING
                else f"training of {_day(s.trained_ms)} expired {_day(s.due_ms)}")
        rows.append((s.username, f"{text}; cannot search{waiting}"))
    unused = [x for x in h.suspensions if x.kind is SuspensionKind.UNUSED]
    separated = [x for x in h.suspensions if x.kind is SuspensionKind.SEPARATED]
    rows.append(("Suspended, unused", count_of(len(unused), "account") + " in the period"))
    for x in unused:
        rows.append((x.username, f"suspended {_day(x.at_ms)}, last used "
                                 f"{_day(x.last_used_ms)}"))
    rows.append(("Separated", count_of(len(separated), "account") + " deactivated in the period"))
    for x in separated:
        note = f": {x.note}" if x.note else ""
        rows.append((x.username, f"deactivated {_day(x.at_ms)} by {x.by or 'the program'}"
                                 f"{note}"))
    return rows


def hygiene_section(w: SectionWriter, h: HygieneSummary | None) -> None:
    """Written after the retention section; nothing when the caller has no summary."""
    if h is None:
        return
    w.need(60)
    w.heading("Training and account hygiene", 11)
    for label, text in hygiene_lines(h):
        w.field(label, text, value_font=BOLD if label == "Analysts" else REGULAR, size=8)
    w.gap(6)
