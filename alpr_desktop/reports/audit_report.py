"""The custodian's access-log audit report (policy §5 and §6) as a PDF.

Drawn straight onto a reportlab canvas, one pass over the entries: a platypus table grows worse
than linearly with a long log (DESIGN), and a two-pass layout would wrap every cell twice.
"Page X of Y" works in one pass because each footer places a form XObject that holds the page
total and is only defined once the last page is known. The file appears under its final name
only when complete (temp file, then rename); a cancelled or failed build leaves nothing behind.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from reportlab import rl_config
from reportlab.lib.pagesizes import landscape, letter
from reportlab.pdfgen.canvas import Canvas

from alpr_desktop.core.audit_format import (
    COUNT_EVENT,
    AuditRow,
    audit_row,
    format_local,
    format_utc,
    load_obj,
)
from alpr_desktop.core.audit_log import LogEntry, VerifyResult
from alpr_desktop.core.audit_words import (
    ACTION_WORDS,
    detail_words,
    event_words,
    outcome_words,
    query_words,
    read_ids_of,
)
from alpr_desktop.core.clock import SITE_ZONE
from alpr_desktop.core.errors import Cancelled
from alpr_desktop.core.log_anchors import AnchorSummary
from alpr_desktop.core.maintenance import MaintenanceSummary
from alpr_desktop.core.oversight import OversightResult
from alpr_desktop.core.owner_only import private_file
from alpr_desktop.core.retention import RetentionSummary
from alpr_desktop.core.reviewer_log import ExtractReviewSummary
from alpr_desktop.core.training import HygieneSummary
from alpr_desktop.reports.audit_appendix import AppendixWriter
from alpr_desktop.reports.extract_review_section import extract_review_section
from alpr_desktop.reports.hygiene_section import hygiene_section
from alpr_desktop.reports.maintenance_section import maintenance_section
from alpr_desktop.reports.oversight_sections import oversight_section, ranking_block
from alpr_desktop.reports.pdf_text import (
    BOLD,
    MONO,
    REGULAR,
    PageBuffer,
    clean,
    literal,
    width,
    wrap,
)
from alpr_desktop.reports.retention_section import retention_section

PAGE_W, PAGE_H = landscape(letter)
MARGIN = 30.0
TOP = PAGE_H - MARGIN
BODY_TOP = TOP - 22  # below the running header
BOTTOM = MARGIN + 18  # above the footer
FONT = 7.0
LEADING = 8.2
PAD = 2.5
TOTAL_FORM = "audit_page_total"
PROGRESS_EVERY = 500

# The detail table: title, width. Widths add up to the page width between the margins.
COLUMNS: tuple[tuple[str, float], ...] = (
    ("Entry", 34),
    ("Date and time (local / UTC)", 88),
    ("Event / outcome", 60),
    ("Agency", 58),
    ("Plate or query elements / detail", 126),
    ("Username / organization", 86),
    ("Purpose: category, case number, offense, narrative", 236),
    ("Reads returned", 44),
)
assert abs(sum(w for _, w in COLUMNS) - (PAGE_W - 2 * MARGIN)) < 0.01


@dataclass(frozen=True)
class ReportMeta:
    """What the title block says about the report itself."""

    period: str
    filters: str
    generated_by: str
    generated_at_ms: int
    store_id: str
    store_file: str
    zone: ZoneInfo = SITE_ZONE
    title: str = "ALPR access-log audit report"
    organization: str = "City of Carson"


@dataclass(frozen=True)
class ReportStats:
    path: Path
    pages: int
    entries: int
    appendix: Path | None = None  # the CSV of read ids beside the PDF
    appendix_rows: int = 0


ProgressFn = Callable[[int, int], object]
CancelFn = Callable[[], bool]


class _Writer:
    """Page state: the cursor, the running header and footer, page breaks."""

    def __init__(self, canvas: Canvas, meta: ReportMeta) -> None:
        self.c = canvas
        self.meta = meta
        self.page = 0
        self.buf = PageBuffer(canvas)
        self.y = BODY_TOP
        self.on_new_page: Callable[[], None] | None = None
        self._footer_left = clean(
            f"Generated {format_local(meta.generated_at_ms, meta.zone)} by {meta.generated_by}"
            f" - store {meta.store_id}"
        )
        self._header_right = clean(f"Period: {meta.period}")
        self._start_page()

    def _start_page(self) -> None:
        self.page += 1
        b = self.buf
        b.text(MARGIN, TOP - 9, clean(f"{self.meta.organization} - {self.meta.title}"), BOLD, 9)
        b.text_right(PAGE_W - MARGIN, TOP - 9, self._header_right, REGULAR, 7)
        b.rule(MARGIN, TOP - 14, PAGE_W - MARGIN, TOP - 14)
        b.rule(MARGIN, MARGIN + 10, PAGE_W - MARGIN, MARGIN + 10)
        b.text(MARGIN, MARGIN, self._footer_left, REGULAR, 6.5)
        self.y = BODY_TOP
        if self.on_new_page is not None:
            self.on_new_page()

    def _end_page(self) -> None:
        self.buf.flush()
        label = f"Page {self.page} of "
        x = PAGE_W - MARGIN - 70
        self.c.setFont(REGULAR, 7)
        self.c.drawString(x, MARGIN, label)
        self.c.saveState()
        self.c.translate(x + width(label, REGULAR, 7), MARGIN)
        self.c.doForm(TOTAL_FORM)
        self.c.restoreState()
        self.c.showPage()

    def new_page(self) -> None:
        self._end_page()
        self._start_page()

    def need(self, height: float) -> None:
        if self.y - height < BOTTOM:
            self.new_page()

    def finish(self) -> int:
        self._end_page()
        self.c.beginForm(TOTAL_FORM)
        self.c.setFont(REGULAR, 7)
        self.c.drawString(0, 0, str(self.page))
        self.c.endForm()
        return self.page

    # -- flowing text ----------------------------------------------------------------------
    def heading(self, text: str, size: float = 12) -> None:
        self.need(size * 2.6)
        self.y -= size * 1.4
        self.buf.text(MARGIN, self.y, clean(text), BOLD, size)
        self.y -= size * 0.6

    def paragraph(self, text: str, *, font: str = REGULAR, size: float = 8,
                  indent: float = 0, max_width: float | None = None) -> None:
        used, lines = wrap(text, font, size, max_width or (PAGE_W - 2 * MARGIN - indent))
        lead = size * 1.25
        for line in lines:
            self.need(lead)
            self.y -= lead
            self.buf.text(MARGIN + indent, self.y, line, used, size)

    def field(self, label: str, value: str, *, value_font: str = REGULAR,
              size: float = 9) -> None:
        """A label and its (wrapped) value, for the title block."""
        label_w = 120
        used, lines = wrap(value or "-", value_font, size,
                           PAGE_W - 2 * MARGIN - label_w)
        lead = size * 1.3
        self.need(lead * max(1, len(lines)))
        self.y -= lead
        self.buf.text(MARGIN, self.y, clean(label), BOLD, size)
        for i, line in enumerate(lines):
            if i:
                self.y -= lead
            self.buf.text(MARGIN + label_w, self.y, line, used, size)

    def gap(self, h: float) -> None:
        self.y -= h


def _counter_table(w: _Writer, title: str, counts: Counter[str], total_label: str = "") -> None:
    w.need(40)
    w.y -= 6
    w.paragraph(title, font=BOLD, size=9)
    if not counts:
        w.paragraph("None in this selection.", size=8, indent=12)
        return
    lead = 10.0
    col = 300.0
    for label, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        used, lines = wrap(label, REGULAR, 8, col - 20)
        w.need(lead * len(lines))
        w.y -= lead
        w.buf.text_right(MARGIN + 12 + col + 60, w.y, f"{n:,}", REGULAR, 8)
        for i, line in enumerate(lines):
            if i:
                w.y -= lead
            w.buf.text(MARGIN + 12, w.y, line, used, 8)
    if total_label:
        w.need(lead)
        w.y -= lead
        w.buf.text(MARGIN + 12, w.y, total_label, BOLD, 8)
        w.buf.text_right(MARGIN + 12 + col + 60, w.y, f"{sum(counts.values()):,}", BOLD, 8)


def _summary(w: _Writer, result: OversightResult) -> None:
    s = result.summary
    w.heading("1. Summary")
    span = "no entries"
    if s.first_seq is not None and s.last_seq is not None:
        span = (
            f"{s.total:,} entries, #{s.first_seq} to #{s.last_seq}, "
            f"{format_local(s.first_ms or 0, w.meta.zone)} to "
            f"{format_local(s.last_ms or 0, w.meta.zone)}"
        )
    w.paragraph(f"This selection: {span}.", size=8)
    _counter_table(w, "Entries by event type", _in_words(s.by_event, event_words),
                   "All entries")
    _counter_table(w, "Entries by outcome", _in_words(s.by_outcome, outcome_words))
    _counter_table(w, "Searches by user", s.queries_by_user, "All searches")
    _counter_table(w, "Searches by organization", s.queries_by_org)
    _counter_table(w, "Searches by purpose category", s.queries_by_category)
    _counter_table(w, "Disclosures by receiving agency", s.disclosures_by_agency,
                   "All disclosures")
    _counter_table(w, "Failed sign-ins by username", s.failed_signins_by_user,
                   "All failed sign-ins")
    _counter_table(w, "Account lockouts by username", s.lockouts_by_user, "All lockouts")
    _counter_table(w, "Refusals by the access rules (user: what was refused)",
                   _in_words(s.refusals, _refusal_words), "All refusals")


def _in_words(counts: Counter[str], words: Callable[[str], str]) -> Counter[str]:
    out: Counter[str] = Counter()
    for key, n in counts.items():
        out[words(key)] += n
    return out


def _refusal_words(key: str) -> str:
    """"vendor: search_reads" → "vendor: search reads"; an event code → its words."""
    user, sep, what = key.rpartition(": ")
    if not sep:
        return key
    said = ACTION_WORDS.get(what) or (event_words(what) if "." in what or what in (
        "search", "export", "disclosure") else what.replace("_", " "))
    return f"{user}: {said}"


class _Table:
    """The detail table: one row per entry, header row repeated on every page."""

    def __init__(self, w: _Writer) -> None:
        self.w = w
        self.xs: list[float] = []
        x = MARGIN
        for _, cw in COLUMNS:
            self.xs.append(x)
            x += cw
        self.header_lines = [wrap(title, BOLD, FONT, cw - 2 * PAD)[1] for title, cw in COLUMNS]
        self.header_h = max(len(h) for h in self.header_lines) * LEADING + 2 * PAD
        self.shade = False
        self.top_y = 0.0
        self._xtext = [f"{x + PAD:.2f}" for x in self.xs]

    def header(self) -> None:
        w = self.w
        b = w.buf
        top = w.y
        b.shade(MARGIN, top - self.header_h, PAGE_W - 2 * MARGIN, self.header_h)
        for x, lines in zip(self.xs, self.header_lines, strict=True):
            y = top - PAD - FONT
            for line in lines:
                b.text(x + PAD, y, line, BOLD, FONT)
                y -= LEADING
        w.y = top - self.header_h
        b.rule(MARGIN, w.y, PAGE_W - MARGIN, w.y)
        self.top_y = w.y

    def cells(self, r: AuditRow, words: dict[str, str]) -> list[tuple[str, tuple[str, ...]]]:
        """(font, lines) per column; ``words`` holds the entry in words (core.audit_words):
        event, outcome, query, detail and result."""
        def cell(i: int, *parts: str) -> tuple[str, tuple[str, ...]]:
            limit = COLUMNS[i][1] - 2 * PAD
            font = REGULAR
            lines: tuple[str, ...] = ()
            for part in parts:
                used, got = wrap(part, font, FONT, limit)
                if used != font:
                    # one font per cell: a part that needs the fallback font takes the cell
                    font = used
                    lines = ()
                    for again in parts:
                        lines += wrap(again, font, FONT, limit)[1]
                    return font, lines
                lines += got
            return font, lines

        purpose_head = " - ".join(x for x in (r.category, r.case_number, r.offense) if x)
        requested = ""
        if r.requesting_agency or r.requester_name:
            requested = f"Requested by {r.requester_name or '?'}, {r.requesting_agency or '?'}"
        outcome = words["outcome"] if r.outcome == "ok" else words["outcome"].upper()
        return [
            (REGULAR, (f"#{r.seq}",)),
            (REGULAR, (r.local_time, r.utc_time)),
            cell(2, words["event"], outcome),
            cell(3, r.agency),
            cell(4, words["query"], words["detail"]),
            cell(5, r.username, r.organization),
            cell(6, purpose_head, r.narrative, requested),
            cell(7, words["result"]),
        ]

    def row(self, r: AuditRow, words: dict[str, str]) -> None:
        """Draw one entry; rows break to a new page whole, unless taller than a page."""
        w = self.w
        cells = self.cells(r, words)
        n = max(len(lines) for _, lines in cells) or 1
        done = 0
        last = len(COLUMNS) - 1
        while done < n:
            room = int((w.y - BOTTOM - 2 * PAD) // LEADING)
            if room < n - done and w.y != self.top_y:
                w.new_page()
                continue
            take = max(1, min(room, n - done))
            h = take * LEADING + 2 * PAD
            top = w.y
            b = w.buf
            if self.shade:
                b.shade(MARGIN, top - h, PAGE_W - 2 * MARGIN, h)
            ys = [f"{top - PAD - FONT + 0.6 - k * LEADING:.2f}" for k in range(take)]
            run = b.runs.get((REGULAR, FONT))
            if run is None:
                run = b.runs[(REGULAR, FONT)] = []
            for i, (font, lines) in enumerate(cells):
                part = lines[done:done + take] if done or len(lines) > take else lines
                if not part:
                    continue
                if i == last or font != REGULAR:
                    y = top - PAD - FONT + 0.6
                    for line in part:
                        if i == last:
                            b.text_right(self.xs[i] + COLUMNS[i][1] - PAD, y, line, font, FONT)
                        else:
                            b.text(self.xs[i] + PAD, y, line, font, FONT)
                        y -= LEADING
                    continue
                x = self._xtext[i]
                for k, line in enumerate(part):
                    lit = literal(line)
                    if lit is None:
                        b.text(self.xs[i] + PAD, float(ys[k]), line, font, FONT)
                    else:
                        run.append(f"1 0 0 1 {x} {ys[k]} Tm ({lit}) Tj")
            done += take
            w.y = top - h
            if done < n:  # continued on the next page
                b.text(self.xs[0] + PAD, w.y + PAD, "(continued)", REGULAR, 5.5)
        self.shade = not self.shade


def _integrity(w: _Writer, verify: VerifyResult, stored_head: tuple[int, str] | None,
               verified_at_ms: int | None) -> None:
    w.need(230)
    w.gap(10)
    w.heading("4. Integrity statement")
    state = "INTACT" if verify.intact else "NOT INTACT"
    w.field("Verification result", state, value_font=BOLD, size=10)
    if verified_at_ms is not None:
        w.field("Verified at",
                f"{format_local(verified_at_ms, w.meta.zone)} ({format_utc(verified_at_ms)})")
    w.field("Entries checked", f"{verify.checked:,} (the whole log, from entry #1)"
            if not verify.archived_to else
            f"{verify.checked:,} (from entry #{verify.start_seq:,}: the archive anchor)")
    if verify.archived_to:  # the log's own retention (docs/retention.md)
        w.paragraph(verify.archive_note or (
            f"Entries 1–{verify.archived_to:,} are archived and were not checked here."),
            size=8)
    if verify.intact:
        w.field("Chain head", f"entry #{verify.head_seq}")
        w.field("Head hash (SHA-256)", verify.head_hash, value_font=MONO)
        w.paragraph(
            "Every entry of the access log, from the first to the chain head, was checked "
            "against its hash and its predecessor's. A later verification that shows this head "
            "hash at the same entry number proves that none of these entries has been changed, "
            "removed, inserted or reordered since this report was printed.", size=8,
        )
    else:
        where = f"entry #{verify.first_broken}" if verify.first_broken is not None else "-"
        w.field("First broken entry", where, value_font=BOLD)
        w.field("Reason", verify.reason)
        w.field("Last verified entry", f"#{verify.head_seq}")
        w.field("Hash of last verified entry", verify.head_hash, value_font=MONO)
        if stored_head is not None:
            w.field("Stored head", f"entry #{stored_head[0]}")
            w.field("Stored head hash", stored_head[1], value_font=MONO)
        w.paragraph(
            "The access log is NOT INTACT: entries from the first broken entry on cannot be "
            "relied on as written. Preserve the store file and the report, and report the break "
            "as a possible security incident (policy section 10).", size=8,
        )
    w.need(110)
    w.gap(34)
    for label in ("Custodian's signature", "Printed name and title"):
        w.buf.text(MARGIN, w.y, label, REGULAR, 8)
        w.buf.rule(MARGIN + 115, w.y - 1, MARGIN + 400, w.y - 1)
        if label == "Custodian's signature":
            w.buf.text(MARGIN + 430, w.y, "Date", REGULAR, 8)
            w.buf.rule(MARGIN + 455, w.y - 1, MARGIN + 600, w.y - 1)
        w.gap(30)


def checkpoint_section(w: _Writer, anchors: AnchorSummary | None) -> None:
    """The anchors outside the store (issue 10 section 2): each pinned checkpoint signing key
    in full, so a checkpoint file can be checked against paper, and the newest checkpoint."""
    if anchors is None:
        return
    w.need(120)
    w.gap(10)
    w.heading("Checkpoints and signing keys", 11)
    if anchors.newest is None:
        w.field("Newest checkpoint", "none issued yet")
    else:
        cp = anchors.newest
        w.field("Newest checkpoint",
                f"{cp.entry_count:,} entries, issued "
                f"{format_local(cp.issued_ms, w.meta.zone)} ({format_utc(cp.issued_ms)}) by "
                f"{cp.issuer}")
        w.field("Its head hash", cp.head_hash, value_font=MONO)
        w.field("Signed by key", cp.key_fingerprint, value_font=MONO)
        w.field("Log at that entry", anchors.newest_state,
                value_font=REGULAR if anchors.newest_consistent else BOLD)
    if not anchors.pinned:
        w.field("Pinned signing keys", "none (no custodian has issued a checkpoint)")
    for key in anchors.pinned:
        w.need(40)
        w.field("Pinned signing key",
                f"{key.fingerprint} - {key.username}, pinned "
                f"{format_local(key.pinned_ms, w.meta.zone)}", value_font=MONO)
        w.field("Public key (Ed25519)", key.public_key_hex, value_font=MONO)
    w.paragraph(
        "A checkpoint file is genuine only if signed by one of these keys. Keep the files away "
        "from this workstation and check them with: alpr-desktop verify-log --checkpoint FILE.",
        size=8,
    )



def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def _count_of(counts: Counter[str], *events: str) -> int:
    return sum(counts.get(e, 0) for e in events)


def _listing(counts: Counter[str], limit: int = 3) -> str:
    """"Long Beach PD (2), Torrance PD (1)" for the largest few."""
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    text = ", ".join(f"{k} ({n:,})" for k, n in top)
    return text + (f" and {len(counts) - limit:,} more" if len(counts) > limit else "")


def brief_sentences(result: OversightResult, verify: VerifyResult, period: str,
                    appendix_name: str = "") -> list[str]:
    """What the period held, in sentences a City official reads without the tables. Each
    but the first starts with its subject and a colon ("Searches: ...")."""
    s = result.summary
    ev = s.by_event
    searches = _count_of(ev, "search", "search.batch")
    users = len(s.queries_by_user)
    orgs = len(s.queries_by_org)
    out = [f"The report covers {period}: {_plural(s.total, 'log entry', 'log entries')}."]
    if searches:
        more = _count_of(ev, "search.page")
        out.append(
            f"Searches: {_plural(searches, 'search', 'searches')} by "
            f"{_plural(users, 'user')} of {_plural(orgs, 'organization')}"
            + (f", with {_plural(more, 'further page')} of results." if more else "."))
    else:
        out.append("Searches: none.")
    views = _count_of(ev, "image.view", "read.view")
    thumbs = _count_of(ev, "image.thumbnails")
    shown = _plural(views, "read viewed with its images", "reads viewed with their images")
    out.append(f"Image views: {shown}"
               + (f", and {_plural(thumbs, 'set')} of plate thumbnails." if thumbs else "."))
    disclosed = sum(s.disclosures_by_agency.values())
    if disclosed:
        out.append(f"Exports and disclosures: {disclosed:,}, to "
                   f"{_listing(s.disclosures_by_agency)}.")
    else:
        out.append("Exports and disclosures: none.")
    refused = sum(s.refusals.values())
    purposes = _count_of(ev, "purpose.rejected")
    failed = sum(s.failed_signins_by_user.values())
    lockouts = sum(s.lockouts_by_user.values())
    out.append(
        f"Refusals: {refused:,} {'access' if refused == 1 else 'accesses'} refused by the "
        "access rules, "
        f"{_plural(purposes, 'purpose')} refused as not specific enough, "
        f"{_plural(failed, 'failed sign-in')} and {_plural(lockouts, 'account lockout')}.")
    flagged = [f for f in result.flags if f.items]
    if flagged:
        named = "; ".join(f"{f.title.lower()} ({_plural(f.entry_count, 'entry', 'entries')})"
                          for f in flagged)
        out.append(f"Oversight flags: {len(flagged)} of {len(result.flags)} checks found "
                   f"something to look at: {named}. Section 2 lists each; a flag is a "
                   "reason to look, not a finding.")
    else:
        out.append(f"Oversight flags: none of the {len(result.flags)} checks found anything.")
    if verify.intact:
        out.append(
            f"Integrity: the whole access log ({_plural(verify.checked, 'entry', 'entries')}, "
            f"#1 to #{verify.head_seq}) was verified and is INTACT: no entry was changed, "
            "removed, inserted or reordered. Section 4 gives the chain head to hold against a "
            "later check.")
    else:
        where = (f" from entry #{verify.first_broken}" if verify.first_broken is not None
                 else "")
        out.append(f"Integrity: the access log is NOT INTACT{where} ({verify.reason}). "
                   "Entries from there on cannot be relied on; see section 4.")
    if appendix_name:
        out.append(f"Read ids: the entries count the reads they returned; the ids of the reads "
                   f"they name are in the CSV appendix {appendix_name}, beside this file.")
    return out


def _title(w: _Writer, meta: ReportMeta, count: int, verify: VerifyResult,
           result: OversightResult, appendix_name: str) -> None:
    b = w.buf
    w.y -= 14
    b.text(MARGIN, w.y, clean(meta.organization), BOLD, 20)
    w.y -= 22
    b.text(MARGIN, w.y, clean(meta.title), BOLD, 15)
    w.y -= 6
    w.paragraph(f"Period: {meta.period}", size=9)
    ranking_block(w, result, MARGIN, PAGE_W)
    w.gap(6)
    sentences = brief_sentences(result, verify, meta.period, appendix_name)
    w.paragraph(sentences[0], size=10)
    for sentence in sentences[1:]:
        head, _, rest = sentence.partition(": ")
        w.gap(2)
        _lead_paragraph(w, head + ":", rest)
    w.gap(8)
    w.field("Period", meta.period)
    w.field("Filters", meta.filters)
    w.field("Entries in report", f"{count:,}")
    w.field("Generated by", meta.generated_by)
    w.field("Generated at", f"{format_local(meta.generated_at_ms, meta.zone)} "
                            f"({format_utc(meta.generated_at_ms)})")
    w.field("Store", meta.store_id)
    w.field("Store file", meta.store_file)
    if verify.intact:
        state = (f"INTACT: all {verify.checked:,} entries verified; chain head entry "
                 f"#{verify.head_seq} (hash in section 4)")
    else:
        where = f"first broken entry #{verify.first_broken}: " if verify.first_broken else ""
        state = f"NOT INTACT: {where}{verify.reason}"
    w.field("Log integrity", state, value_font=BOLD)
    w.gap(4)
    w.paragraph(
        "Contents: 1. Summary; 2. Oversight (users to look at first, explained repeats, each "
        "check); 3. Entries (every entry of the selection with "
        "the five elements policy section 5 requires: date, agency, plate or other query "
        "elements, username and organization, purpose); 4. Integrity statement and signature.",
        size=8,
    )


def _lead_paragraph(w: _Writer, lead: str, text: str, size: float = 9) -> None:
    """A paragraph whose first words are bold ("Searches:"), the rest wrapped beside them."""
    lead_w = width(lead + " ", BOLD, size)
    indent = max(120.0, lead_w)
    used, lines = wrap(text, REGULAR, size, PAGE_W - 2 * MARGIN - indent)
    step = size * 1.3
    w.need(step * max(1, len(lines)))
    w.y -= step
    w.buf.text(MARGIN, w.y, clean(lead), BOLD, size)
    for i, line in enumerate(lines):
        if i:
            w.y -= step
        w.buf.text(MARGIN + indent, w.y, line, used, size)


def _result_short(event: str, count: int | None, detail: dict[str, object]) -> str:
    """The Reads returned cell: "3 reads", "of 12" when a first page held fewer."""
    if count is None:
        return ""
    if event.startswith("image."):
        return _plural(count, "image")
    if event == COUNT_EVENT:  # a search's count returns no read
        return _plural(count, "read") + " counted"
    if event.startswith(("search", "read.", "export", "disclosure")):
        total = detail.get("total")
        more = f" of {total:,}" if isinstance(total, int) and total != count else ""
        return _plural(count, "read") + more
    return f"{count:,}"


@contextlib.contextmanager
def _plain_streams() -> Iterator[None]:
    """Flate without ASCII85 (4/5 the size, much less time); reportlab reads the setting when
    it writes the file."""
    old = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = old


def build_audit_report(
    out_path: Path | str,
    entries: Iterable[LogEntry],
    count: int,
    oversight: OversightResult,
    verify: VerifyResult,
    meta: ReportMeta,
    *,
    stored_head: tuple[int, str] | None = None,
    verified_at_ms: int | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    anchors: AnchorSummary | None = None,
    appendix: Path | None = None,
    retention: RetentionSummary | None = None,
    hygiene: HygieneSummary | None = None,
    extract_reviews: ExtractReviewSummary | None = None,
    maintenance: MaintenanceSummary | None = None,
) -> ReportStats:
    """Write the report for ``entries`` (``count`` of them, in seq order) to ``out_path``,
    and, when ``appendix`` names a file, the read ids the entries name to that CSV
    (reports.audit_appendix), in the same pass.

    ``progress(done, count)`` is called every few hundred entries; ``cancel()`` returning True
    stops the build with Cancelled. Either way no partial file is left."""
    out = Path(out_path)
    done = 0
    ids_out = AppendixWriter(Path(appendix)) if appendix is not None else None
    written: Path | None = None
    try:
        # Owner-only, written whole or not at all (core.owner_only): a partial or cancelled
        # build leaves no file, and the appendix appears only beside a finished report.
        with private_file(out) as fh, _plain_streams():
            canvas = Canvas(
                fh, pagesize=(PAGE_W, PAGE_H), pageCompression=1, invariant=0,
            )
            canvas.setTitle(f"{meta.organization} {meta.title}: {meta.period}")
            canvas.setAuthor(meta.generated_by)
            canvas.setSubject(f"Store {meta.store_id}")
            canvas.setCreator("ALPR Investigator Workstation")
            w = _Writer(canvas, meta)
            _title(w, meta, count, verify, oversight,
                   Path(appendix).name if appendix is not None else "")
            _summary(w, oversight)
            oversight_section(w, oversight, meta.zone)
            retention_section(w, retention)  # issue 14: OVERDUE, purges, holds
            hygiene_section(w, hygiene)  # issue 17: training, suspensions, separations
            extract_review_section(w, extract_reviews, meta.zone)  # issue 15: extracts
            maintenance_section(w, maintenance)  # issue 16: checks, downtime windows
            w.new_page()
            w.heading("3. Entries")
            table = _Table(w)
            table.header()
            w.on_new_page = table.header
            zone = meta.zone
            for e in entries:
                p, q, d = load_obj(e.purpose_json), load_obj(e.query_json), \
                    load_obj(e.detail_json)
                r = audit_row(e, zone, purpose=p, query=q, detail=d)
                words = {
                    "event": event_words(e.event), "outcome": outcome_words(e.outcome),
                    "query": query_words(e.event, q, zone), "detail": detail_words(d),
                    "result": _result_short(e.event, e.result_count, d),
                }
                table.row(r, words)
                if ids_out is not None and (q or d):
                    ids = read_ids_of(q, d)
                    if ids:
                        ids_out.add(e.seq, r.local_time, words["event"], e.username,
                                    e.organization, ids)
                done += 1
                if done % PROGRESS_EVERY == 0:
                    if cancel is not None and cancel():
                        raise Cancelled("report cancelled")
                    if progress is not None:
                        progress(done, count)
            if done == 0:
                w.paragraph("No entries in this selection.", size=8)
            w.on_new_page = None
            checkpoint_section(w, anchors)
            _integrity(w, verify, stored_head, verified_at_ms)
            pages = w.finish()
            if cancel is not None and cancel():
                raise Cancelled("report cancelled")
            canvas.save()
            written = ids_out.finish() if ids_out is not None else None
    except BaseException:
        if written is not None:
            written.unlink(missing_ok=True)
        elif ids_out is not None:
            ids_out.discard()
        raise
    if progress is not None:
        progress(done, count)
    return ReportStats(out, pages, done, written, ids_out.rows if ids_out is not None else 0)


__all__ = ["COLUMNS", "ReportMeta", "ReportStats", "build_audit_report"]
