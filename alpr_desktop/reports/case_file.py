"""The analyst's case file as a PDF (and its CSV of the same rows).

Each read is one block: the plate crop and an overview thumbnail on the left; time, place,
vehicle, how it matched and the SHA-256 of each original image on the right. Every page
carries the case number and "Page X of Y" (the page count is known only once the document is
laid out, so the canvas keeps each page's drawing until the end, then numbers them).
Built in memory: the service hashes the bytes, logs them, then writes them owner-only.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

import cv2
import numpy as np
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import (
    Image,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from alpr_desktop.core.case_file import CSV_HEADER, CaseFileHeader, CaseImage, CaseRow
from alpr_desktop.core.clock import format_local, format_utc
from alpr_desktop.core.safe_csv import neutralize
from alpr_desktop.imaging.decode import decode_image, looks_truncated
from alpr_desktop.imaging.limits import ImageRejected, check_limits
from alpr_desktop.reports.page_count_canvas import PageCountCanvas

_TITLE = ParagraphStyle("t", fontName="Helvetica-Bold", fontSize=16, leading=20, spaceAfter=6)
_BODY = ParagraphStyle("b", fontName="Helvetica", fontSize=9.5, leading=12.5, spaceAfter=2)
_CELL = ParagraphStyle("c", fontName="Helvetica", fontSize=8.5, leading=10.5)
_PLATE = ParagraphStyle("p", fontName="Helvetica-Bold", fontSize=11, leading=13)
_HASH = ParagraphStyle("h", fontName="Courier", fontSize=6.6, leading=8)
CROP_BOX = (1.7 * inch, 0.55 * inch)
OVERVIEW_BOX = (1.7 * inch, 1.1 * inch)
THUMB_PX = 240  # longest side of an embedded thumbnail (about 140 dpi at its printed size)


def thumbnail(image: CaseImage | None, box: tuple[float, float]) -> Any:
    """A small JPEG of the image fitted into ``box`` (points), or a sentence when there is no
    usable image. Decoding goes through imaging's limits, like the viewer."""
    if image is None:
        return Paragraph("(no image stored)", _CELL)
    img = _reduced(image.data)
    if img is None:
        decoded = decode_image(image.data, image.format)
        if not decoded.ok or decoded.image is None:
            return Paragraph(escape(f"({decoded.message})"), _CELL)
        img = decoded.image
    h, w = img.shape[:2]
    scale = min(1.0, THUMB_PX / max(h, w))
    if scale < 1.0:
        img = cv2.resize(img, (max(1, int(w * scale)), max(1, int(h * scale))),
                         interpolation=cv2.INTER_AREA)
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 82])
    if not ok:
        return Paragraph("(image could not be shown)", _CELL)
    bw, bh = box
    fit = min(bw / w, bh / h)
    return Image(io.BytesIO(buf.tobytes()), width=w * fit, height=h * fit)


def _reduced(data: bytes) -> np.ndarray | None:
    """A large JPEG decoded at 1/2, 1/4 or 1/8 size straight from its DCT (several times
    faster than decoding it whole and shrinking it), within imaging's limits; None when
    that does not apply (then the ordinary decode says what is wrong)."""
    try:
        head = check_limits(data)
    except ImageRejected:
        return None
    if head.format != "jpeg" or looks_truncated(data, "jpeg"):
        return None
    longest = max(head.width, head.height)
    for factor, flag in ((8, cv2.IMREAD_REDUCED_COLOR_8), (4, cv2.IMREAD_REDUCED_COLOR_4),
                         (2, cv2.IMREAD_REDUCED_COLOR_2)):
        if longest // factor >= THUMB_PX:
            img = cv2.imdecode(np.frombuffer(data, np.uint8), flag)
            return img if img is not None and img.size else None
    return None


def _hash_line(label: str, image: CaseImage | None) -> str:
    if image is None:
        return f"{label}: none stored"
    note = "" if image.intact else " (DIFFERS from the hash stored at import)"
    return f"{label} SHA-256: {image.sha256}{note}"


def _row_flowable(row: CaseRow, n: int, total: int) -> Table:
    r = row.read
    vehicle = " ".join(v for v in (r.color, r.make, r.model, r.body_type) if v) or "—"
    place = r.camera_name + (f", {r.location}" if r.location else "")
    if row.latitude is not None and row.longitude is not None:
        place += f" ({row.latitude:.5f}, {row.longitude:.5f})"
    text = [
        Paragraph(f"{escape(r.plate_norm)} &nbsp; <font size=8.5>{escape(r.state or '')} · "
                  f"read {n} of {total} · read id {r.id}</font>", _PLATE),
        Paragraph(f"<b>Time:</b> {escape(format_local(r.recorded_at * 1000))} "
                  f"({escape(format_utc(r.recorded_at))})", _CELL),
        Paragraph(f"<b>Place:</b> {escape(place)}"
                  + (f" · heading {escape(r.direction)}" if r.direction else ""), _CELL),
        Paragraph(f"<b>Vehicle:</b> {escape(vehicle)} · <b>Match:</b> {escape(row.match)} · "
                  f"<b>Confidence:</b> {r.confidence:.0%}", _CELL),
        Paragraph(escape(_hash_line("Crop", row.crop)), _HASH),
        Paragraph(escape(_hash_line("Overview", row.overview)), _HASH),
    ]
    images = Table([[thumbnail(row.crop, CROP_BOX)], [thumbnail(row.overview, OVERVIEW_BOX)]],
                   colWidths=[CROP_BOX[0] + 4])
    images.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0),
                                ("TOPPADDING", (0, 0), (-1, -1), 1),
                                ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    t = Table([[images, text]], colWidths=[CROP_BOX[0] + 10, 5.3 * inch])
    t.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.grey),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]))
    return t


class _NumberedCanvas(PageCountCanvas):
    """Every page's footer: who and which case, and "Page X of Y"."""

    footer_left = ""

    def decorate(self, total: int) -> None:
        self.saveState()
        self.setFont("Helvetica", 8)
        self.setFillColor(colors.black)
        w, _h = letter
        self.drawString(0.6 * inch, 0.45 * inch, self.footer_left)
        self.drawRightString(w - 0.6 * inch, 0.45 * inch,
                             f"Page {self._pageNumber} of {total}")
        self.restoreState()


def build_case_file_pdf(header: CaseFileHeader, rows: Sequence[CaseRow]) -> bytes:
    """The case file as PDF bytes."""
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=letter, leftMargin=0.6 * inch,
                            rightMargin=0.6 * inch, topMargin=0.6 * inch,
                            bottomMargin=0.75 * inch, title=f"Case file {header.case_number}",
                            author=header.username, subject="ALPR case file")
    who = header.full_name + (f" ({header.username})" if header.username else "")
    story: list[Any] = [
        Paragraph(f"ALPR case file — case {escape(header.case_number)}", _TITLE),
        Paragraph(f"<b>Purpose:</b> {escape(header.purpose_category)} · "
                  f"{escape(header.offense)} · case {escape(header.case_number)}", _BODY),
        Paragraph(f"<b>Narrative:</b> {escape(header.narrative)}", _BODY),
        Paragraph(f"<b>Prepared by:</b> {escape(who)}, {escape(header.organization)}", _BODY),
        Paragraph(f"<b>Prepared:</b> {escape(format_local(header.created_ms))}", _BODY),
        Paragraph(f"<b>Query:</b> {escape(header.query_words or '(reads picked by hand)')}",
                  _BODY),
        Paragraph(f"<b>Reads:</b> {len(rows):,} ({escape(header.source)}). Each image's SHA-256 "
                  "is of the original as stored, computed when this file was made.", _BODY),
        Paragraph("For the analyst's own case file under the purpose above (Carson ALPR "
                  "policy §1). Not a disclosure to another agency. Confidential (§4).", _BODY),
        Spacer(1, 6),
    ]
    total = len(rows)
    story += [_row_flowable(row, i, total) for i, row in enumerate(rows, start=1)]

    class Numbered(_NumberedCanvas):
        footer_left = (f"Case {header.case_number} · {header.username} · "
                       f"{format_local(header.created_ms)} · confidential")

    # Binary image streams: reportlab's pure-Python ASCII85 encoder (its C accelerator is
    # not always installed) took most of the time of a 200-read file.
    was = rl_config.useA85
    rl_config.useA85 = 0
    try:
        doc.build(story, canvasmaker=Numbered)
    finally:
        rl_config.useA85 = was
    return out.getvalue()


def build_case_file_csv(rows: Sequence[CaseRow]) -> bytes:
    """The same rows as UTF-8 CSV, every cell neutralized (core.safe_csv)."""
    buf = io.StringIO(newline="")
    w = csv.writer(buf)
    w.writerow([neutralize(c) for c in CSV_HEADER])
    for row in rows:
        w.writerow([neutralize(c) for c in row.csv_cells()])
    return buf.getvalue().encode("utf-8")

