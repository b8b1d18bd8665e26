"""The audit report's retention section (policy §8, issue 14): the retention period, OVERDUE
when the scheduled purge is not running, the oldest read and the next deletion, the purges of
the period, and every evidence hold. Counts and dates only, never a plate."""

from __future__ import annotations

from alpr_desktop.core.clock import format_local
from alpr_desktop.core.retention import RetentionSummary, age_text, describe_period
from alpr_desktop.reports.pdf_text import BOLD, REGULAR
from alpr_desktop.reports.section_writer import SectionWriter, count_of


def _day(epoch_s: int | None) -> str:
    return format_local(epoch_s * 1000) if epoch_s is not None else "-"


def retention_lines(s: RetentionSummary) -> list[tuple[str, str]]:
    """(label, text) rows of the section, in order; also what a test reads."""
    st = s.status
    rows = [("Retention period", f"{describe_period(st.retention_months)} from recordation, "
                                 "deleted one minute after (policy section 8)")]
    if st.overdue:
        rows.append(("OVERDUE", f"{count_of(st.overdue_reads, 'read')} more than two minutes past "
                                "the deletion time when this report was made: the "
                                "scheduled purge is not running"))
    else:
        rows.append(("Purge on time", "no read was past its deletion time by more than two "
                                      "minutes when this report was made"))
    if st.oldest_recorded is not None:
        rows.append(("Oldest read", f"recorded {_day(st.oldest_recorded)} "
                                    f"({age_text(st.oldest_age_s or 0)} old); next deletion "
                                    f"{_day(st.next_deletion)}"))
    else:
        rows.append(("Oldest read", "none outside a hold"))
    interrupted = sum(1 for r in s.runs if r.interrupted)
    if s.runs:
        oldest = min((r.oldest_recorded for r in s.runs if r.oldest_recorded is not None),
                     default=None)
        newest = max((r.newest_recorded for r in s.runs if r.newest_recorded is not None),
                     default=None)
        span = _day(oldest) if oldest == newest else f"{_day(oldest)} to {_day(newest)}"
        text = (f"{count_of(len(s.runs), 'run')} deleted {count_of(s.reads_deleted, 'read')} and "
                f"{count_of(s.images_deleted, 'image')} recorded {span}")
        if interrupted:
            text += (f"; {count_of(interrupted, 'run')} stopped before the end (the next run "
                     "finished the work)")
        rows.append(("Purges in the period", text))
    else:
        rows.append(("Purges in the period", "no purge deleted anything in the period"))
    in_force = sum(1 for h in s.holds if h.in_force(st.now_s * 1000))
    rows.append(("Held as evidence", f"{count_of(st.held_reads, 'read')} under "
                                     f"{count_of(in_force, 'hold')} in force; every hold is "
                                     "listed below" if s.holds else "no hold has been asked for"))
    return rows


def hold_lines(s: RetentionSummary) -> list[str]:
    now_ms = s.status.now_s * 1000
    out = []
    for h in s.holds:
        who = f"asked by {h.requested_by} {_day(h.requested_ms // 1000)}"
        if h.decided_by:
            who += f"; {h.status if h.status != 'released' else 'approved'} by {h.decided_by}"
        if h.released_by:
            who += f"; released by {h.released_by} {_day((h.released_ms or 0) // 1000)}"
        review = f"; review by {_day(h.review_ms // 1000)}" if h.review_ms else ""
        out.append(f"Hold #{h.id}, case {h.case_number}: {h.state_text(now_ms)}, "
                   f"{count_of(h.read_count, 'read')} ({h.reads_present:,} still stored){review}; "
                   f"{who}. Reason: {h.reason}")
    return out


def retention_section(w: SectionWriter, summary: RetentionSummary | None) -> None:
    if summary is None:
        return
    w.need(120)
    w.gap(10)
    w.heading("Retention and evidence holds", 11)
    for label, text in retention_lines(summary):
        w.field(label, text, value_font=BOLD if label == "OVERDUE" else REGULAR)
    for line in hold_lines(summary):
        w.paragraph(line, size=8)
    w.paragraph("A disclosed evidence package is not a hold: only an approved hold keeps a "
                "read past retention.", size=8)
