"""The evidence package's PDF: cover, one section per read, chain of custody, key page.

Every page carries "page X of Y" and a watermark naming the recipient and the case, so a page
copied out of the package still says whose it is. Original images are shown as stored and
labelled ORIGINAL with their SHA-256; enhanced copies are labelled ENHANCED with what was done
and which original they come from. The PDF is then PAdES-signed (services.evidence_package),
and the last page says how to check it and that its certificate is self-signed.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from alpr_desktop.core.clock import format_local
from alpr_desktop.core.models import Read
from alpr_desktop.reports.page_count_canvas import PageCountCanvas

PAGE = letter
MARGIN = 0.7 * inch


@dataclass(frozen=True)
class PackageImage:
    label: str  # "Overview", "Plate crop"
    file_name: str  # its path inside the package
    source: str  # where the file is on disk now (reportlab embeds a JPEG file as it is)
    sha256: str
    width: int
    height: int
    enhanced: bool = False
    enhancement: str = ""  # what was done (enhanced copies only)
    original_file: str = ""  # the original it was made from (enhanced copies only)


@dataclass(frozen=True)
class PackageRead:
    read: Read
    match_kind: str
    images: tuple[PackageImage, ...]


@dataclass(frozen=True)
class CustodyEvent:
    seq: int
    ts_ms: int
    event: str
    username: str
    organization: str
    agency: str
    outcome: str
    hash: str


@dataclass(frozen=True)
class PackageCover:
    request_id: int
    case_number: str
    offense: str
    purpose: str
    asked_for: str
    agency: str
    requester: str
    requester_contact: str
    received: str  # "by NAME at TIME"
    released_by: str
    prepared_by: str
    approved_by: str
    approved_ms: int
    created_ms: int
    store_id: str
    key_fingerprint: str
    public_key_hex: str
    chain_head_seq: int
    chain_head_hash: str
    own_case: bool = False  # the analyst's own prosecution case: no request, no approval


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    return {
        "title": ParagraphStyle("t", parent=base["Title"], fontSize=18, spaceAfter=10),
        "h": ParagraphStyle("h", parent=base["Heading2"], spaceBefore=6, spaceAfter=4),
        "body": ParagraphStyle("b", parent=base["BodyText"], fontSize=9.5, leading=12),
        "small": ParagraphStyle("s", parent=base["BodyText"], fontSize=7.5, leading=9),
        "mono": ParagraphStyle("m", parent=base["BodyText"], fontName="Courier", fontSize=7.5,
                               leading=9),
        "label": ParagraphStyle("l", parent=base["BodyText"], fontName="Helvetica-Bold",
                                fontSize=9, leading=11),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def _grid(rows: list[list[Paragraph]], widths: Sequence[float]) -> Table:
    t = Table(rows, colWidths=list(widths), hAlign="LEFT")
    t.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("BACKGROUND", (0, 0), (0, -1), colors.Color(0.93, 0.93, 0.93)),
    ]))
    return t


def _numbered_canvas(watermark: str, footer: str) -> type[Canvas]:
    class NumberedCanvas(PageCountCanvas):
        """Draws "page X of Y" and the watermark once the page count is known."""

        def decorate(self, total: int) -> None:
            w, h = PAGE
            self.saveState()
            self.setFillColor(colors.Color(0.75, 0.1, 0.1, alpha=0.13))
            self.translate(w / 2, h / 2)
            self.rotate(35)
            for dy, text in ((18, watermark[:90]),
                             (-18, "RELEASED UNDER POLICY §1 - DO NOT REDISCLOSE")):
                size = min(22.0, 22.0 * 520 / max(stringWidth(text, "Helvetica-Bold", 22), 1))
                self.setFont("Helvetica-Bold", size)
                self.drawCentredString(0, dy, text)
            self.restoreState()
            self.setFont("Helvetica", 7.5)
            self.setFillColor(colors.black)
            self.drawString(MARGIN, 0.45 * inch, footer[:110])
            self.drawRightString(w - MARGIN, 0.45 * inch,
                                 f"Page {self._pageNumber} of {total}")

    return NumberedCanvas


def _image(img: PackageImage, max_w: float, max_h: float) -> Image:
    scale = min(max_w / max(img.width, 1), max_h / max(img.height, 1), 3.0)
    w, h = img.width * scale, img.height * scale
    flow = Image(img.source, width=w, height=h)
    flow.hAlign = "LEFT"
    return flow


def _own_case_rows(cover: PackageCover, reads: int) -> list[tuple[str, str]]:
    """The cover of the analyst's own prosecution package: no request, no approval."""
    return [
        ("Case", cover.case_number),
        ("Offense", cover.offense),
        ("Receiving agency", cover.agency),
        ("Recipient", cover.requester),
        ("Agency contact", cover.requester_contact),
        ("Purpose (the analyst's declared purpose)", cover.purpose),
        ("Contents", cover.asked_for),
        ("Request", cover.received),
        ("Approved by", cover.approved_by),
        ("Released by", cover.released_by),
        ("Date of release", format_local(cover.created_ms)),
        ("Reads in this package", f"{reads}"),
        ("Store", cover.store_id),
        ("Signing key fingerprint", cover.key_fingerprint),
    ]


def build_evidence_pdf(cover: PackageCover, reads: Sequence[PackageRead],
                       events: Sequence[CustodyEvent]) -> bytes:
    """The package PDF (unsigned) as bytes."""
    st = _styles()
    watermark = f"{cover.agency} - case {cover.case_number}"
    answers = "own case" if cover.own_case else f"request #{cover.request_id}"
    footer = (f"Evidence package, {answers}, case {cover.case_number}, for {cover.agency}")
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN, bottomMargin=0.8 * inch,
                            title=f"ALPR evidence package - case {cover.case_number}",
                            author="City of Carson ALPR Investigator Workstation",
                            subject=f"Released to {cover.agency}")
    width = PAGE[0] - 2 * MARGIN
    story: list[object] = [
        _p("ALPR Evidence Package", st["title"]),
        _p("City of Carson automatic license plate reader data, released for the "
           "prosecution of the analyst's own case (policy §1, §5)." if cover.own_case else
           "City of Carson automatic license plate reader data, released to another "
           "law-enforcement or prosecutorial agency on its request (policy §1, §5).",
           st["body"]),
        Spacer(1, 8),
    ]
    rows = _own_case_rows(cover, len(reads)) if cover.own_case else [
        ("Case (requesting agency's)", cover.case_number),
        ("Offense", cover.offense),
        ("Requesting agency", cover.agency),
        ("Requester", cover.requester),
        ("Requester contact", cover.requester_contact),
        ("Purpose, in the requester's words", cover.purpose),
        ("Asked for", cover.asked_for),
        ("Request received", cover.received),
        ("Response prepared by", cover.prepared_by),
        ("Approved by", f"{cover.approved_by}, {format_local(cover.approved_ms)}"),
        ("Released by", cover.released_by),
        ("Date of release", format_local(cover.created_ms)),
        ("Reads in this package", f"{len(reads)}"),
        ("Request number", f"#{cover.request_id}"),
        ("Store", cover.store_id),
        ("Signing key fingerprint", cover.key_fingerprint),
    ]
    story.append(_grid([[_p(a, st["label"]), _p(b, st["body"])] for a, b in rows],
                       (1.9 * inch, width - 1.9 * inch)))
    story += [Spacer(1, 10), _p(
        "What is in this package: this PDF (signed, PAdES), the original image files exactly "
        "as stored (images/), enhanced copies marked as such (images/enhanced/), manifest.json "
        "listing every file with its SHA-256, and manifest.json.sig, a detached Ed25519 "
        "signature over manifest.json. The signing key's public half is in signing-key.pem "
        "and on the last page. Check it all with: alpr-desktop verify-package FOLDER (or the "
        "ZIP file).",
        st["body"]), PageBreak()]

    for i, pr in enumerate(reads, 1):
        r = pr.read
        story.append(_p(f"Read {i} of {len(reads)}: #{r.id}, plate {r.plate}", st["h"]))
        meta = [
            ("Plate (as read)", f"{r.plate} ({r.state or 'state not read'})"),
            ("Match", pr.match_kind),
            ("Recorded", format_local(r.recorded_at * 1000)),
            ("Camera", f"{r.camera_name} {('- ' + r.location) if r.location else ''}"),
            ("Direction", r.direction or "—"),
            ("Vehicle", " ".join(x for x in (r.color, r.make, r.model, r.body_type) if x)
             or "—"),
            ("Speed", f"{r.speed:g}" if r.speed is not None else "—"),
            ("Confidence", f"{r.confidence * 100:.0f}%" if r.confidence else "—"),
            ("OCR candidates", ", ".join(f"{p} ({c * 100:.0f}%)" for p, c in r.candidates)
             or "—"),
        ]
        block: list[object] = [_grid([[_p(a, st["label"]), _p(b, st["body"])] for a, b in meta],
                                     (1.5 * inch, width - 1.5 * inch)), Spacer(1, 6)]
        story.append(KeepTogether(block))
        for img in pr.images:
            tag = "ENHANCED COPY" if img.enhanced else "ORIGINAL"
            caption = f"{img.label} - {tag} - file {img.file_name} ({img.width}x{img.height})"
            lines = [_p(caption, st["label"])]
            if img.enhanced:
                lines.append(_p(f"Enhanced copy of {img.original_file} ({img.enhancement}). Not "
                                "the original: use the original as evidence.", st["small"]))
            lines.append(_p(f"SHA-256 {img.sha256}", st["mono"]))
            story.append(KeepTogether([*lines, _image(img, width, 3.3 * inch), Spacer(1, 8)]))
        story.append(PageBreak())

    story.append(_p("Chain of custody", st["h"]))
    story.append(_p(
        "Every access-log entry of this request and package, from the store's hash-chained "
        "access log (entry number, time, event, who, receiving agency, outcome, entry hash). "
        f"Chain head when the package was sealed: entry #{cover.chain_head_seq:,}, hash "
        f"{cover.chain_head_hash}. The package's own sealing entry follows it in the log.",
        st["body"]))
    story.append(Spacer(1, 6))
    head = [_p(h, st["label"]) for h in ("#", "Time", "Event", "Who", "Agency", "Outcome")]
    body = [[_p(f"{e.seq}", st["small"]), _p(format_local(e.ts_ms), st["small"]),
             _p(e.event, st["small"]), _p(f"{e.username} ({e.organization})", st["small"]),
             _p(e.agency or "—", st["small"]), _p(e.outcome, st["small"])]
            for e in events]
    t = Table([head, *body], colWidths=[0.45 * inch, 1.4 * inch, 1.35 * inch, 1.55 * inch,
                                        1.4 * inch, 0.75 * inch], repeatRows=1, hAlign="LEFT")
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                           ("VALIGN", (0, 0), (-1, -1), "TOP"),
                           ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.93, 0.93, 0.93))]))
    story.append(t)
    story.append(Spacer(1, 6))
    story.append(_p("Entry hashes:", st["label"]))
    for e in events:
        story.append(_p(f"#{e.seq} {e.hash}", st["mono"]))
    story.append(PageBreak())

    story.append(_p("Signatures and how to check them", st["h"]))
    story.append(_grid([
        [_p("Public key (Ed25519, hex)", st["label"]), _p(cover.public_key_hex, st["mono"])],
        [_p("Fingerprint", st["label"]), _p(cover.key_fingerprint, st["body"])],
    ], (1.9 * inch, width - 1.9 * inch)))
    story.append(Spacer(1, 8))
    for text in (
        "manifest.json.sig is an Ed25519 signature over the bytes of manifest.json made with "
        "this key. Any Ed25519 verifier checks it, for example: openssl pkeyutl -verify -pubin "
        "-inkey signing-key.pem -rawin -in manifest.json -sigfile manifest.json.sig",
        "This PDF is signed (PAdES) with the same key. Its certificate is SELF-SIGNED by the "
        "store (no certificate authority vouches for it), so a PDF reader will say the signer "
        "is not trusted: compare the certificate's key with the fingerprint above, and ask the "
        "City of Carson to confirm the fingerprint by telephone or letter. Any change to the "
        "signed PDF shows in the reader's signature panel.",
        "alpr-desktop verify-package FOLDER (or ZIP) checks every file's SHA-256 against the "
        "manifest, the manifest's signature and the PDF's signature, and names anything that "
        "differs.",
    ):
        story += [_p(text, st["body"]), Spacer(1, 6)]
    # Images go in as binary streams: reportlab's default ASCII85 wrapping runs in pure Python
    # without its optional C accelerator (about 0.3 s per 1920x1080 scene here).
    saved_a85 = rl_config.useA85
    rl_config.useA85 = 0
    try:
        doc.build(story, canvasmaker=_numbered_canvas(watermark, footer))
    finally:
        rl_config.useA85 = saved_a85
    return buf.getvalue()


def image_size(data: bytes) -> tuple[int, int]:
    """Pixel size of an encoded image, as reportlab reads it (no full decode for JPEG)."""
    w, h = ImageReader(io.BytesIO(data)).getSize()
    return int(w), int(h)
