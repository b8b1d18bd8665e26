"""The "Notice of Data Breach" PDF (Civil Code 1798.29(d)): the statute's title and five
headings in order, body text in 11-point type (the statute asks for at least 10), the date of
the breach and the date of the notice. A short document, so reportlab's platypus lays it out.
Whether a sample goes to the Attorney General is the custodian's flag (Incident.
ag_sample_required, shown in the app and logged), not part of the notice people receive.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from alpr_desktop.core.clock import to_local
from alpr_desktop.core.incidents import NOTICE_HEADINGS, NOTICE_TITLE, Incident
from alpr_desktop.core.owner_only import private_file

BODY_PT = 11.0
HEADING_PT = 13.0
TITLE_PT = 18.0

_TITLE = ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=TITLE_PT,
                        leading=TITLE_PT * 1.25, spaceAfter=10)
_HEAD = ParagraphStyle("head", fontName="Helvetica-Bold", fontSize=HEADING_PT,
                       leading=HEADING_PT * 1.25, spaceBefore=10, spaceAfter=4)
_BODY = ParagraphStyle("body", fontName="Helvetica", fontSize=BODY_PT,
                       leading=BODY_PT * 1.35, spaceAfter=4)


def _day(ms: int) -> str:
    d = to_local(ms / 1000)
    return f"{d:%B} {d.day}, {d.year}"


def _period(start: int, end: int) -> str:
    a, b = _day(start), _day(end)
    return a if a == b else f"{a} to {b}"


def _p(text: str, style: ParagraphStyle = _BODY) -> Paragraph:
    return Paragraph(escape(" ".join(text.split())), style)


def notice_sections(inc: Incident, organization: str) -> list[tuple[str, list[str]]]:
    """The five headings with their paragraphs, in the statute's order."""
    data_period = (f" The data involved was recorded {_period(inc.data_from_ms, inc.data_to_ms)}."
                   if inc.data_from_ms is not None and inc.data_to_ms is not None else "")
    if inc.encrypted and not inc.key_exposed:
        enc = "The data was encrypted, and the encryption key was not exposed."
    elif inc.encrypted:
        enc = ("The data was encrypted, but the encryption key was or may have been exposed "
               "with it, so the data must be treated as readable.")
    else:
        enc = "The data was not encrypted."
    contact = inc.contact.strip() or (
        f"Contact the {organization} Assistant City Manager's office, the custodian of the "
        "automated license plate recognition system.")
    return [
        (NOTICE_HEADINGS[0], [
            f"The breach occurred {_period(inc.breach_from_ms, inc.breach_to_ms)} and was "
            f"discovered on {_day(inc.discovered_ms)}.", inc.what_happened]),
        (NOTICE_HEADINGS[1], [
            "Automated license plate recognition (ALPR) data held by the "
            f"{organization}: {inc.data_involved.strip()}{data_period}", enc]),
        (NOTICE_HEADINGS[2], [inc.actions_taken]),
        (NOTICE_HEADINGS[3], [
            "You may ask the agency whether data about your vehicle was involved. Watch for "
            "unexpected contact that refers to where or when your vehicle was seen, and report "
            "suspicious activity to your local law enforcement agency."]),
        (NOTICE_HEADINGS[4], [contact]),
    ]


def build_breach_notice(out: Path, inc: Incident, notice_ms: int,
                        organization: str = "City of Carson") -> Path:
    """Write the notice to ``out`` (owner-only, complete or absent); returns the path."""
    story: list = [
        _p(NOTICE_TITLE, _TITLE),
        _p(f"{organization} · Date of this notice: {_day(notice_ms)} · Date of the breach: "
           f"{_period(inc.breach_from_ms, inc.breach_to_ms)}"),
        Spacer(1, 6),
    ]
    for heading, paragraphs in notice_sections(inc, organization):
        story.append(_p(heading, _HEAD))
        story.extend(_p(text) for text in paragraphs if text.strip())
    with private_file(out) as fh:
        doc = SimpleDocTemplate(fh, pagesize=letter, leftMargin=inch, rightMargin=inch,
                                topMargin=0.9 * inch, bottomMargin=0.9 * inch,
                                title=NOTICE_TITLE, author=organization,
                                creator="ALPR Investigator Workstation")
        doc.build(story)
    return out
