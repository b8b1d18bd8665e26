"""The audit report's oversight parts (issue 21): page 1's ranking of the users to look at
first, each with one line saying why and a link to its detail, and section 2, the detail per
user, the explained repeats and each check with its entries.

Dates carry weekday names ("Sat 2026-01-10 10:00"): a weekend or a night shows at a glance.
Drawn with the report's writer (reports.audit_report), in the same one pass.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol
from zoneinfo import ZoneInfo

from alpr_desktop.core.audit_format import format_local, local_day_and_second
from alpr_desktop.core.oversight import Finding, Flag, OversightResult, UserRank, review_words
from alpr_desktop.core.oversight_config import DAY_SHORT
from alpr_desktop.reports.pdf_text import BOLD, REGULAR, PageBuffer, width, wrap

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

PAGE_ONE_USERS = 8
LISTED_WITH_TIMES = 200  # longer lists of entries print as ranges of entry numbers


class Writer(Protocol):
    """What these sections need of the report's page writer."""

    c: Canvas
    y: float
    page: int

    buf: PageBuffer

    def need(self, height: float) -> None: ...

    def new_page(self) -> None: ...

    def heading(self, text: str, size: float = 12) -> None: ...

    def paragraph(self, text: str, *, font: str = REGULAR, size: float = 8,
                  indent: float = 0, max_width: float | None = None) -> None: ...

    def gap(self, h: float) -> None: ...


def when(ms: int, zone: ZoneInfo) -> str:
    """"Sat 2026-01-10 10:00" in the site's zone."""
    day, _ = local_day_and_second(ms, zone)
    return f"{DAY_SHORT[(day + 3) % 7]} {format_local(ms, zone)[:16]}"


def _sentence(text: str) -> str:
    text = text.strip()
    return (text[:1].upper() + text[1:]).rstrip(".") + "." if text else ""


def _anchor(username: str) -> str:
    return "user-" + "".join(ch if ch.isalnum() else "_" for ch in username)


def number_sections(result: OversightResult) -> None:
    """Give each ranked user its detail section ("2.1.3") before page 1 links to it."""
    for n, rank in enumerate(result.ranking, 1):
        rank.section = f"2.1.{n}"


def ranking_block(w: Writer, result: OversightResult, margin: float, page_w: float) -> None:
    """Page 1: the users to look at first, one line each saying why, linked to the detail."""
    number_sections(result)
    open_ = [r for r in result.ranking if r.score > 0]
    settled = [r for r in result.ranking if r.score <= 0]
    w.gap(4)
    w.paragraph("Users to look at first", font=BOLD, size=11)
    if not open_:
        text = "No user stands out: none of the checks found anything unexplained."
        if settled:
            text += " Findings reviewed earlier, with nothing new since: " + ", ".join(
                r.user for r in settled) + "."
        w.paragraph(text, size=9)
        _explained_line(w, result)
        return
    w.paragraph(
        "Ranked by what the checks found, most serious first. A reason to look, not a "
        "finding of misuse: each line links to its detail in section 2.", size=8)
    size = 9
    shown = open_[:PAGE_ONE_USERS]
    heads = [f"{n}. {rank.user}" for n, rank in enumerate(shown, 1)]
    # room for the widest name, with slack for a viewer whose substitute font runs wider
    indent = min(260.0, max(150.0, *(width(h, BOLD, size) * 1.1 + 12 for h in heads)))
    for head, rank in zip(heads, shown, strict=True):
        used, lines = wrap(_sentence(rank.line) + f" (section {rank.section})", REGULAR, size,
                           page_w - 2 * margin - indent)
        step = size * 1.25
        w.need(step * len(lines) + 3)
        w.gap(3)
        top = w.y
        w.y -= step
        used_h, head_lines = wrap(head, BOLD, size, indent - 6)
        w.buf.text(margin, w.y, head_lines[0], used_h, size)
        for i, line in enumerate(lines):
            if i:
                w.y -= step
            w.buf.text(margin + indent, w.y, line, used, size)
        w.c.linkAbsolute("", _anchor(rank.username),
                         (margin, w.y - 2, page_w - margin, top), thickness=0)
    more = len(open_) - PAGE_ONE_USERS
    if more > 0:
        w.paragraph(f"And {more} more users in section 2.1.", size=8)
    if settled:
        w.paragraph("Reviewed earlier, with nothing new since: "
                    + ", ".join(r.user for r in settled) + ".", size=8)
    _explained_line(w, result)


def _explained_line(w: Writer, result: OversightResult) -> None:
    if result.explained:
        users = sorted({f.user for f in result.explained})
        w.paragraph(
            f"Explained repeats (one plate looked up again under one case and one purpose "
            f"within {result.config.legit_span_days} days), listed in section 2.2 and not "
            f"counted against anyone: {len(result.explained):,}, by {', '.join(users[:6])}"
            + (f" and {len(users) - 6} more" if len(users) > 6 else "") + ".", size=8)


def _entries_text(seqs: list[int], times: list[int], zone: ZoneInfo) -> str:
    if times and len(times) == len(seqs) and len(seqs) <= LISTED_WITH_TIMES:
        return ", ".join(f"#{s} ({when(t, zone)})" for s, t in zip(seqs, times, strict=True))
    return seq_ranges(sorted(seqs))


def seq_ranges(seqs: list[int]) -> str:
    """``#1-#4, #9`` for a sorted list of entry numbers."""
    parts: list[str] = []
    start = prev = -2
    for s in seqs:
        if s == prev + 1:
            prev = s
            continue
        if start >= 0:
            parts.append(f"#{start}" if start == prev else f"#{start}-#{prev}")
        start = prev = s
    if start >= 0:
        parts.append(f"#{start}" if start == prev else f"#{start}-#{prev}")
    return ", ".join(parts)


def _finding(w: Writer, f: Finding, zone: ZoneInfo, indent: float = 12) -> None:
    w.gap(2)
    w.paragraph(_sentence(f.sentence), size=8, indent=indent)
    if f.review is not None:
        w.paragraph(review_words(f), font=BOLD, size=7.5, indent=indent + 12)
    w.paragraph(f"Finding {f.key}. Entries: {_entries_text(f.seqs, f.times, zone)}", size=7,
                indent=indent + 12)


def oversight_section(w: Writer, result: OversightResult, zone: ZoneInfo) -> None:
    """Section 2: each ranked user in detail, the explained repeats, then every check."""
    c = result.config
    w.new_page()
    w.heading("2. Oversight")
    w.paragraph(
        "Patterns the State Auditor (report 2019-118) found behind misuse, counted on what users "
        "saw, not only on what they typed: a search counts as a look-up of each plate its "
        f"results held when they held at most {c.focus_plates} plates; image views count; "
        "further pages of one search do not. A flag is a reason to look, not a finding. The "
        f"settings in force: working hours {c.describe_hours()}; night {c.describe_night()}; "
        f"repeated look-ups from {c.repeat_threshold}; the custodian changes them in the "
        "oversight settings (each change is logged).", size=8)
    number_sections(result)
    w.gap(4)
    w.heading("2.1 Users to look at first", 10)
    if not result.ranking:
        w.paragraph("Nobody: no check found anything unexplained.", size=8, indent=12)
    for rank in result.ranking:
        _user_detail(w, rank, zone)
    w.gap(4)
    w.heading(f"2.2 Repeats with their context: {len(result.explained):,}", 10)
    w.paragraph(
        f"One plate looked up again by one user under one case number and one purpose within "
        f"{c.legit_span_days} days: shown so the custodian can confirm, ranked below every "
        "unexplained repeat.", size=8)
    if not result.explained:
        w.paragraph("None.", size=8, indent=12)
    for f in result.explained:
        w.paragraph(f.user, font=BOLD, size=8, indent=12)
        _finding(w, f, zone, indent=24)
    for n, flag in enumerate(result.flags, 3):
        _flag(w, n, flag, zone)


def _user_detail(w: Writer, rank: UserRank, zone: ZoneInfo) -> None:
    w.need(60)
    w.gap(3)
    w.c.bookmarkPage(_anchor(rank.username), fit="XYZ", top=w.y + 10)
    state = "" if rank.score > 0 else " (reviewed, nothing new since)"
    w.paragraph(f"{rank.section} {rank.user}{state}", font=BOLD, size=9)
    for f in rank.findings:
        _finding(w, f, zone)


def _flag(w: Writer, n: int, flag: Flag, zone: ZoneInfo) -> None:
    w.gap(4)
    count = flag.entry_count
    w.heading(f"2.{n} {flag.title}: {count:,} {'entry' if count == 1 else 'entries'}", 10)
    w.paragraph(flag.explanation, size=8)
    if not flag.items:
        w.paragraph("Nothing flagged.", size=8, indent=12)
        return
    for item in flag.items:
        w.gap(3)
        w.paragraph(item.subject, font=BOLD, size=8, indent=12)
        if item.note:
            w.paragraph(item.note, size=8, indent=24)
        if item.reviewed:
            w.paragraph(item.reviewed, font=BOLD, size=7.5, indent=24)
        w.paragraph(f"Entries: {_entries_text(item.seqs, item.times, zone)}", size=7.5,
                    indent=24)
