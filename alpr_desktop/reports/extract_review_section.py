"""The audit report's section on offline review extracts (issue 15): each extract released in
the period (to whom, for which case, how many reads, until when), each reviewer log imported
back, and what the reviewers did, entry by entry: who looked at which read, when, from which
computer and under which purpose. Refusals (a read outside the extract, a wrong name) are
marked, so misuse shows."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from alpr_desktop.core.clock import SITE_ZONE, format_local
from alpr_desktop.core.reviewer_log import ExtractReviewSummary, ReviewedEntry
from alpr_desktop.reports.pdf_text import BOLD, REGULAR
from alpr_desktop.reports.section_writer import SectionWriter

MAX_LISTED = 2000


def release_lines(s: ExtractReviewSummary) -> list[str]:
    return [f"Extract {x[:8]}: {n:,} read{'s' if n != 1 else ''} to {to} ({org}), case "
            f"{case}, expires {exp}" for x, to, org, case, n, exp in s.releases]


def import_lines(s: ExtractReviewSummary, zone: ZoneInfo = SITE_ZONE) -> list[str]:
    return [f"{format_local(i.imported_ms, zone)}: log of extract {i.extract_id[:8]} "
            f"({i.recipient_name}, {i.organization}) from {i.file_name}: {i.new_entries:,} new "
            f"entr{'y' if i.new_entries == 1 else 'ies'}, chain intact to #{i.head_seq} "
            f"{i.head_hash[:16]}…" for i in s.imports]


def entry_line(e: ReviewedEntry, zone: ZoneInfo = SITE_ZONE) -> str:
    mark = "" if e.outcome == "ok" else f" [{e.outcome.upper()}]"
    purpose = f"; purpose {e.purpose}" if e.purpose else ""
    return (f"{format_local(e.ts_ms, zone)}  {e.reviewer} ({e.organization}), extract "
            f"{e.extract_id[:8]} #{e.seq}: {e.what}{mark}; at {e.workstation or '-'}{purpose}")


def extract_review_section(w: SectionWriter, summary: ExtractReviewSummary | None,
                           zone: ZoneInfo = SITE_ZONE) -> None:
    if summary is None:
        return
    w.need(100)
    w.gap(10)
    w.heading("Offline review extracts", 11)
    w.field("Released in the period", f"{len(summary.releases):,} extract"
            f"{'s' if len(summary.releases) != 1 else ''}")
    for line in release_lines(summary):
        w.paragraph(line, size=8, indent=10)
    w.field("Reviewer logs imported", f"{len(summary.imports):,}")
    for line in import_lines(summary, zone):
        w.paragraph(line, size=8, indent=10)
    refused = sum(1 for e in summary.entries if e.outcome != "ok")
    w.field("Reviewers' entries", f"{len(summary.entries):,} ({refused:,} refused)",
            value_font=BOLD if refused else REGULAR)
    for e in summary.entries[:MAX_LISTED]:
        w.paragraph(entry_line(e, zone), size=7, indent=10)
    if len(summary.entries) > MAX_LISTED:
        w.paragraph(f"… and {len(summary.entries) - MAX_LISTED:,} more entries (see the audit "
                    "screen).", size=7, indent=10)
