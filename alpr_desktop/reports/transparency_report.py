"""The public transparency report as a PDF and as a CSV of the same figures.

The CSV is long-form (section, item, detail, value), one figure a row, so a spreadsheet or a
portal can take it as is. Both files are owner-only and appear whole or not at all; the
custodian publishes them deliberately.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from alpr_desktop.core.clock import to_local
from alpr_desktop.core.owner_only import private_file
from alpr_desktop.core.safe_csv import write_csv
from alpr_desktop.core.transparency import NOT_RECORDED, TransparencyFacts

_TITLE = ParagraphStyle("t", fontName="Helvetica-Bold", fontSize=17, leading=21, spaceAfter=4)
_HEAD = ParagraphStyle("h", fontName="Helvetica-Bold", fontSize=12.5, leading=16,
                       spaceBefore=10, spaceAfter=4)
_BODY = ParagraphStyle("b", fontName="Helvetica", fontSize=10.5, leading=14, spaceAfter=3)
_CELL = ParagraphStyle("c", fontName="Helvetica", fontSize=9.5, leading=12)


def _day(ms: int) -> str:
    d = to_local(ms / 1000)
    return f"{d:%B} {d.day}, {d.year}"


def period_words(f: TransparencyFacts) -> str:
    return f"{_day(f.period_start_ms)} to {_day(f.period_end_ms)}"


def _n(value: int | None) -> str:
    return NOT_RECORDED if value is None else f"{value:,}"


def _purge_sentence(f: TransparencyFacts) -> str:
    if f.reads_purged is None:
        return "Reads deleted by the retention purge are not recorded by this version."
    return f"The retention purge deleted {f.reads_purged:,} reads."


def rows(f: TransparencyFacts) -> Iterator[tuple[str, str, str, str]]:
    """Every figure as (section, item, detail, value): the CSV, and the PDF's source."""
    yield ("Period", "From", "", _day(f.period_start_ms))
    yield ("Period", "To", "", _day(f.period_end_ms))
    yield ("Reads", "Collected in the period", "", f"{f.reads_collected:,}")
    yield ("Reads", "Held at the time of the report", "", f"{f.reads_held:,}")
    yield ("Reads", "Deleted by the retention purge in the period", "", _n(f.reads_purged))
    yield ("Retention", "Setting", "", f.retention)
    active = sum(1 for c in f.cameras if c[2])
    yield ("Cameras", "Active", "", f"{active:,}")
    for name, reads, is_active in f.cameras:
        yield ("Cameras", name, "active" if is_active else "inactive", f"{reads:,}")
    yield ("Searches", "Total run", "", f"{f.total_searches:,}")
    for cat, off, n in f.searches:
        yield ("Searches", cat, off, f"{n:,}")
    yield ("Refused searches", "Total", "", f"{f.total_refused:,}")
    for reason, n in f.refused:
        yield ("Refused searches", reason, "", f"{n:,}")
    yield ("Disclosures", "Total made", "", f"{f.total_disclosures:,}")
    for agency, n in f.disclosures:
        yield ("Disclosures", agency, "", f"{n:,}")
    yield ("Disclosures", "Refused (recipient not allowed by law)", "",
           f"{f.disclosures_refused:,}")
    yield ("Holds", "Evidence holds past retention", "", _n(f.holds))
    yield ("Maintenance", "Checks recorded", "", _n(f.maintenance_checks))
    yield ("Maintenance", "Problems and downtime recorded", "", _n(f.problems))
    yield ("Incidents", "Security incidents discovered in the period", "", f"{f.incidents:,}")
    yield ("Audit log", "Hash chain", f"{f.chain_entries:,} entries checked", f.chain_summary)


def write_transparency_csv(path: Path, f: TransparencyFacts) -> Path:
    return write_csv(path, ("section", "item", "detail", "value"), rows(f))


def _table(data: list[list[str]], widths: list[float]) -> Table:
    cells = [[Paragraph(escape(c), _CELL) for c in r] for r in data]
    t = Table(cells, colWidths=widths, repeatRows=1)
    t.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e9ef")),
        ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa3b0")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return t


def write_transparency_pdf(path: Path, f: TransparencyFacts) -> Path:
    W = 6.5 * inch
    p = lambda text, style=_BODY: Paragraph(escape(text), style)  # noqa: E731
    story: list = [
        p(f"{f.organization}: ALPR Transparency Report", _TITLE),
        p(f"Period: {period_words(f)}. Generated {_day(f.generated_ms)}. This report holds "
          "counts only: no plate, no person, no username and no case number."),
        p("In brief", _HEAD),
        p(f"{len(f.cameras):,} cameras recorded {f.reads_collected:,} reads in the period. "
          f"Sworn officers ran {f.total_searches:,} searches, each with a stated purpose; the "
          f"program refused {f.total_refused:,} search attempts. Data was disclosed "
          f"{f.total_disclosures:,} times to other agencies and "
          f"{f.disclosures_refused:,} disclosures were refused. {_purge_sentence(f)} "
          f"The access log's hash chain: {f.chain_summary}."),
        p("Retention", _HEAD), p(f.retention),
        p("Cameras", _HEAD),
        _table([["Camera", "Status", "Reads in the period"]]
               + [[n, "active" if a else "inactive", f"{r:,}"] for n, r, a in f.cameras],
               [W * 0.55, W * 0.15, W * 0.30]),
        p("Searches by purpose and offense", _HEAD),
        _table([["Purpose category", "Offense", "Searches"]]
               + [[c, o, f"{n:,}"] for c, o, n in f.searches],
               [W * 0.5, W * 0.35, W * 0.15]),
        p("Refused searches", _HEAD),
        _table([["Reason the program refused", "Attempts"]]
               + [[r, f"{n:,}"] for r, n in f.refused], [W * 0.8, W * 0.2]),
        p("Disclosures by receiving agency", _HEAD),
        _table([["Receiving agency", "Disclosures"]]
               + [[a, f"{n:,}"] for a, n in f.disclosures]
               + [["Refused: recipient not allowed by California law",
                   f"{f.disclosures_refused:,}"]], [W * 0.8, W * 0.2]),
        p("Holds, maintenance, incidents and the audit log", _HEAD),
        _table([["Item", "Value"],
                ["Evidence holds past retention", _n(f.holds)],
                ["Maintenance checks recorded", _n(f.maintenance_checks)],
                ["Problems and downtime recorded", _n(f.problems)],
                ["Security incidents discovered", f"{f.incidents:,}"],
                ["Access-log hash chain", f"{f.chain_summary} ({f.chain_entries:,} entries)"]],
               [W * 0.55, W * 0.45]),
        Spacer(1, 8),
        p("Operated under City of Carson Resolution No. 22-253 (ALPR Usage and Privacy "
          "Policy). The same figures are in the CSV file published with this report."),
    ]
    with private_file(path) as fh:
        SimpleDocTemplate(fh, pagesize=letter, leftMargin=inch, rightMargin=inch,
                          topMargin=0.8 * inch, bottomMargin=0.8 * inch,
                          title="ALPR Transparency Report", author=f.organization,
                          creator="ALPR Investigator Workstation").build(story)
    return path
