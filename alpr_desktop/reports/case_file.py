"""The analyst's case file as a PDF (and its CSV of the same rows).

Each read is one block: the plate crop and an overview thumbnail on the left; time, place,
vehicle, how it matched and the SHA-256 of each original image on the right. Every page
carries the case number and "Page X of Y". Built in memory: the service hashes the bytes, logs
them, then writes them owner-only.

Drawn straight on the canvas: every block has a known height, so the pages (and their count)
are laid out first and then drawn once. reportlab's platypus tables and paragraphs spent most
of a 200-read file re-measuring each word in pure Python (issue 13's figure: 30.8 s under load).
Each thumbnail is a JPEG made here and embedded as is (DCTDecode), not decoded again by PIL.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

import cv2
import numpy as np
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from alpr_desktop.core.case_file import CSV_HEADER, CaseFileHeader, CaseImage, CaseRow
from alpr_desktop.core.clock import format_local, format_utc
from alpr_desktop.core.safe_csv import neutralize
from alpr_desktop.imaging.decode import decode_image, looks_truncated
from alpr_desktop.imaging.limits import ImageRejected, check_limits

_TITLE = ParagraphStyle("t", fontName="Helvetica-Bold", fontSize=16, leading=20, spaceAfter=6)
_BODY = ParagraphStyle("b", fontName="Helvetica", fontSize=9.5, leading=12.5, spaceAfter=2)
CROP_BOX = (1.7 * inch, 0.55 * inch)
OVERVIEW_BOX = (1.7 * inch, 1.1 * inch)
THUMB_PX = 240  # longest side of an embedded thumbnail (about 140 dpi at its printed size)

PAGE_W, PAGE_H = letter
LEFT, RIGHT = 0.6 * inch, PAGE_W - 0.6 * inch
TOP, BOTTOM = PAGE_H - 0.6 * inch, 0.75 * inch
TEXT_X = LEFT + CROP_BOX[0] + 16
TEXT_W = RIGHT - TEXT_X
IMAGES_H = CROP_BOX[1] + OVERVIEW_BOX[1] + 4
BLOCK_GAP = 6  # between a block's rule and the next block

REGULAR, BOLD, MONO = "Helvetica", "Helvetica-Bold", "Courier"
CELL_SIZE, CELL_LEAD = 8.5, 10.5
PLATE_SIZE, PLATE_LEAD = 11, 13
HASH_SIZE, HASH_LEAD = 6.6, 8
HASH_CHARS = int(TEXT_W / (0.6 * HASH_SIZE))  # Courier: every glyph 0.6 em wide
DIFFERS = colors.HexColor("#b00020")

Run = tuple[str, float, str]  # font, size, text
Line = tuple[float, tuple[Run, ...], Any]  # leading, runs, colour


@dataclass(frozen=True)
class Thumb:
    """A JPEG ready to embed, or the sentence shown instead."""

    jpeg: bytes = b""
    width: int = 0
    height: int = 0
    message: str = ""


class _JpegImage(ImageReader):
    """A JPEG made here, embedded as is. reportlab's own reader opens every image with PIL and
    decodes all of its pixels only to name it; this one is named by its bytes."""

    def __init__(self, thumb: Thumb) -> None:  # no super().__init__: there is nothing to open
        self._data = thumb.jpeg
        self._width, self._height = thumb.width, thumb.height
        self._dataA = None
        self._image = None
        self.fileName = f"case-file-thumbnail-{id(self)}"

    def getRGBData(self) -> bytes:  # only names the image (see the docstring)
        return self._data

    def getSize(self) -> tuple[int, int]:
        return self._width, self._height

    def jpeg_fh(self) -> io.BytesIO:
        return io.BytesIO(self._data)


def thumbnail(image: CaseImage | None) -> Thumb:
    """A small JPEG of the image (longest side THUMB_PX), or a sentence when there is no
    usable image. Decoding goes through imaging's limits, like the viewer."""
    if image is None:
        return Thumb(message="(no image stored)")
    img = _reduced(image.data)
    if img is None:
        decoded = decode_image(image.data, image.format)
        if not decoded.ok or decoded.image is None:
            return Thumb(message=f"({decoded.message})")
        img = decoded.image
    h, w = img.shape[:2]
    scale = min(1.0, THUMB_PX / max(h, w))
    if scale < 1.0:
        w, h = max(1, int(w * scale)), max(1, int(h * scale))
        img = cv2.resize(img, (w, h), interpolation=cv2.INTER_AREA)
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 82])
    if not ok:
        return Thumb(message="(image could not be shown)")
    return Thumb(buf.tobytes(), w, h)


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


def _thumbnails(rows: Sequence[CaseRow]) -> list[tuple[Thumb, Thumb]]:
    """Every row's crop and overview thumbnails. OpenCV lets go of the GIL while it decodes,
    shrinks and encodes, so two threads keep both cores busy on a quiet machine."""
    def both(row: CaseRow) -> tuple[Thumb, Thumb]:
        return thumbnail(row.crop), thumbnail(row.overview)

    if len(rows) < 8:
        return [both(r) for r in rows]
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        return list(pool.map(both, rows))


def _hash_lines(label: str, image: CaseImage | None) -> list[Line]:
    if image is None:
        return [(HASH_LEAD, ((MONO, HASH_SIZE, f"{label}: none stored"),), colors.black)]
    lines: list[Line] = [(HASH_LEAD, ((MONO, HASH_SIZE, f"{label} SHA-256: {image.sha256}"),),
                          colors.black)]
    if not image.intact:
        lines.append((HASH_LEAD, ((MONO, HASH_SIZE, "  DIFFERS from the hash stored at "
                                   "import"),), DIFFERS))
    return lines


def _width(run: Run) -> float:
    return stringWidth(run[2], run[0], run[1])


def _wrap(runs: Sequence[Run], width: float, lead: float) -> list[Line]:
    """Runs of text on as many lines of ``width`` as they need (measured word by word only
    when the whole does not fit on one line)."""
    if sum(_width(r) for r in runs) <= width:
        return [(lead, tuple(runs), colors.black)]
    lines: list[Line] = []
    current: list[Run] = []
    used = 0.0
    for font, size, text in runs:
        for n, word in enumerate(text.split(" ")):
            piece = word if n == 0 else " " + word
            w = stringWidth(piece, font, size)
            if used + w > width and current:
                lines.append((lead, tuple(current), colors.black))
                current, used = [], 0.0
                piece = piece.lstrip()
                w = stringWidth(piece, font, size)
            while w > width and len(piece) > 1:  # one word wider than the line: cut it
                cut = max(1, int(len(piece) * width / w))
                lines.append((lead, ((font, size, piece[:cut]),), colors.black))
                piece = piece[cut:]
                w = stringWidth(piece, font, size)
            current.append((font, size, piece))
            used += w
    if current:
        lines.append((lead, tuple(current), colors.black))
    return lines


def _text_lines(row: CaseRow, n: int, total: int) -> list[Line]:
    r = row.read
    vehicle = " ".join(v for v in (r.color, r.make, r.model, r.body_type) if v) or "—"
    place = r.camera_name + (f", {r.location}" if r.location else "")
    if row.latitude is not None and row.longitude is not None:
        place += f" ({row.latitude:.5f}, {row.longitude:.5f})"
    if r.direction:
        place += f" · heading {r.direction}"
    cell = CELL_SIZE
    lines = _wrap([(BOLD, PLATE_SIZE, r.plate_norm),
                   (REGULAR, cell, f"   {r.state or ''} · read {n} of {total} · read id {r.id}")],
                  TEXT_W, PLATE_LEAD)
    lines += _wrap([(BOLD, cell, "Time: "),
                    (REGULAR, cell, f"{format_local(r.recorded_at * 1000)} "
                                    f"({format_utc(r.recorded_at)})")], TEXT_W, CELL_LEAD)
    lines += _wrap([(BOLD, cell, "Place: "), (REGULAR, cell, place)], TEXT_W, CELL_LEAD)
    lines += _wrap([(BOLD, cell, "Vehicle: "), (REGULAR, cell, f"{vehicle} · "),
                    (BOLD, cell, "Match: "), (REGULAR, cell, f"{row.match} · "),
                    (BOLD, cell, "Confidence: "), (REGULAR, cell, f"{r.confidence:.0%}")],
                   TEXT_W, CELL_LEAD)
    lines += _hash_lines("Crop", row.crop) + _hash_lines("Overview", row.overview)
    return lines


@dataclass(frozen=True)
class _Block:
    lines: list[Line]
    crop: Thumb
    overview: Thumb
    height: float


def _block(row: CaseRow, n: int, total: int, thumbs: tuple[Thumb, Thumb]) -> _Block:
    lines = _text_lines(row, n, total)
    text_h = sum(lead for lead, _runs, _c in lines) + 2
    return _Block(lines, thumbs[0], thumbs[1], max(IMAGES_H, text_h) + 5 + BLOCK_GAP)


def _draw_lines(c: Canvas, x: float, y: float, lines: Sequence[Line]) -> None:
    """Lines of runs in one text object: a font or colour operator only where it changes."""
    t = c.beginText(x, y)
    font: tuple[str, float] | None = None
    colour: Any = None
    for n, (lead, runs, line_colour) in enumerate(lines):
        if n:
            t.moveCursor(0, lead)
        if line_colour is not colour:
            t.setFillColor(line_colour)
            colour = line_colour
        for face, size, text in runs:
            if (face, size) != font:
                t.setFont(face, size)
                font = (face, size)
            t.textOut(text)
    c.drawText(t)


def _draw_image(c: Canvas, thumb: Thumb, x: float, top: float, box: tuple[float, float]
                ) -> None:
    bw, bh = box
    if thumb.message:
        lines = _wrap([(REGULAR, CELL_SIZE, thumb.message)], bw, CELL_LEAD)
        _draw_lines(c, x, top - CELL_LEAD + 2, lines[:int(bh // CELL_LEAD) or 1])
        return
    fit = min(bw / thumb.width, bh / thumb.height)
    w, h = thumb.width * fit, thumb.height * fit
    c.drawImage(_JpegImage(thumb), x, top - h, width=w, height=h)


def _draw_block(c: Canvas, b: _Block, top: float) -> None:
    _draw_image(c, b.crop, LEFT, top, CROP_BOX)
    _draw_image(c, b.overview, LEFT, top - CROP_BOX[1] - 4, OVERVIEW_BOX)
    _draw_lines(c, TEXT_X, top - b.lines[0][0] + 2, b.lines)
    rule = top - b.height + BLOCK_GAP
    c.setStrokeColor(colors.grey)
    c.setLineWidth(0.5)
    c.line(LEFT, rule, RIGHT, rule)


def _header(header: CaseFileHeader, count: int) -> list[Paragraph]:
    who = header.full_name + (f" ({header.username})" if header.username else "")
    return [
        Paragraph(f"ALPR case file — case {escape(header.case_number)}", _TITLE),
        Paragraph(f"<b>Purpose:</b> {escape(header.purpose_category)} · "
                  f"{escape(header.offense)} · case {escape(header.case_number)}", _BODY),
        Paragraph(f"<b>Narrative:</b> {escape(header.narrative)}", _BODY),
        Paragraph(f"<b>Prepared by:</b> {escape(who)}, {escape(header.organization)}", _BODY),
        Paragraph(f"<b>Prepared:</b> {escape(format_local(header.created_ms))}", _BODY),
        Paragraph(f"<b>Query:</b> {escape(header.query_words or '(reads picked by hand)')}",
                  _BODY),
        Paragraph(f"<b>Reads:</b> {count:,} ({escape(header.source)}). Each image's SHA-256 "
                  "is of the original as stored, computed when this file was made.", _BODY),
        Paragraph("For the analyst's own case file under the purpose above (Carson ALPR "
                  "policy §1). Not a disclosure to another agency. Confidential (§4).", _BODY),
    ]


def _paginate(first_top: float, blocks: Sequence[_Block]) -> list[list[tuple[_Block, float]]]:
    """Blocks placed on pages: each (block, its top), a new page when one does not fit."""
    pages: list[list[tuple[_Block, float]]] = [[]]
    top = first_top
    for b in blocks:
        if top - b.height < BOTTOM and pages[-1]:
            pages.append([])
            top = TOP
        pages[-1].append((b, top))
        top -= b.height
    return pages


def build_case_file_pdf(header: CaseFileHeader, rows: Sequence[CaseRow]) -> bytes:
    """The case file as PDF bytes."""
    out = io.BytesIO()
    c = Canvas(out, pagesize=letter)
    c.setTitle(f"Case file {header.case_number}")
    c.setAuthor(header.username)
    c.setSubject("ALPR case file")
    paragraphs = _header(header, len(rows))
    heights = [p.wrap(RIGHT - LEFT, PAGE_H)[1] for p in paragraphs]
    first_top = TOP - sum(h + p.style.spaceAfter for p, h in zip(paragraphs, heights,
                                                                  strict=True)) - 6
    total = len(rows)
    blocks = [_block(row, i, total, thumbs) for i, (row, thumbs)
              in enumerate(zip(rows, _thumbnails(rows), strict=True), start=1)]
    pages = _paginate(first_top, blocks)
    footer = (f"Case {header.case_number} · {header.username} · "
              f"{format_local(header.created_ms)} · confidential")
    # Binary image streams: reportlab's pure-Python ASCII85 encoder (its C accelerator is
    # not always installed) took most of the time of a 200-read file.
    was = rl_config.useA85
    rl_config.useA85 = 0
    try:
        for number, page in enumerate(pages, start=1):
            if number == 1:
                y = TOP
                for p, h in zip(paragraphs, heights, strict=True):
                    p.drawOn(c, LEFT, y - h)
                    y -= h + p.style.spaceAfter
            for block, top in page:
                _draw_block(c, block, top)
            c.setFont(REGULAR, 8)
            c.setFillColor(colors.black)
            c.drawString(LEFT, 0.45 * inch, footer)
            c.drawRightString(RIGHT, 0.45 * inch, f"Page {number} of {len(pages)}")
            c.showPage()
        c.save()
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

