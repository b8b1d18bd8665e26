"""The release record of an offline review extract: one page for the City's file and, cut
along the line, the slip with the passphrase that goes to the recipient apart from the files.

This is the only place the passphrase is ever written: the program keeps it nowhere and shows
it once. The record is written owner-only (core.owner_only), to be printed and then deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas

from alpr_desktop.core.clock import format_local
from alpr_desktop.core.extract import ExtractManifest
from alpr_desktop.core.owner_only import private_file
from alpr_desktop.reports.pdf_text import BOLD, MONO, REGULAR, clean, wrap

W, H = letter
M = 54


@dataclass(frozen=True)
class ReleaseRecordInput:
    manifest: ExtractManifest
    extract_file: str
    key_file: str
    passphrase: str
    released_by_name: str
    log_seq: int
    image_count: int = 0


def _rows(r: ReleaseRecordInput) -> list[tuple[str, str]]:
    m = r.manifest
    return [
        ("Extract", m.extract_id),
        ("Files", f"{r.extract_file} and {r.key_file} (keep them together)"),
        ("Released to", f"{m.recipient_name}, {m.organization}"),
        ("Case", m.case_number),
        ("Request", m.request_ref or "none recorded"),
        ("Purpose", m.purpose),
        ("Contents", f"{len(m.read_ids):,} reads with their images"),
        ("Opens until", f"the end of {m.expires_on.isoformat()} ({m.zone}); not after"),
        ("Released by", f"{r.released_by_name} ({m.released_by}), "
                        f"{format_local(m.released_at_ms)}; access log entry #{r.log_seq}"),
        ("Log signing key", m.key_fingerprint),
    ]


def build_release_record(out: Path | str, r: ReleaseRecordInput) -> Path:
    target = Path(out)
    with private_file(target) as fh:
        c = Canvas(fh, pagesize=letter, invariant=0)
        c.setTitle(f"Release record of extract {r.manifest.extract_id[:8]}")
        c.setCreator("ALPR Investigator Workstation")
        y = H - M
        c.setFont(BOLD, 15)
        c.drawString(M, y, "City of Carson ALPR: offline review extract, release record")
        y -= 18
        c.setFont(REGULAR, 9)
        c.drawString(M, y, "Policy §1 and §5: data goes only to law-enforcement or prosecutorial "
                           "agencies on request; every access is logged.")
        y -= 26
        for label, value in _rows(r):
            c.setFont(BOLD, 9)
            c.drawString(M, y, label)
            _, lines = wrap(clean(value), REGULAR, 9, W - 2 * M - 110)
            c.setFont(REGULAR, 9)
            for line in lines or ("",):
                c.drawString(M + 110, y, line)
                y -= 12
            y -= 3
        y -= 8
        c.setFont(REGULAR, 9)
        for line in (
            "The reviewer opens the extract with the ALPR Investigator Workstation "
            "(alpr-desktop --review FILE), signs in with the name and organization above and "
            "a purpose, and may only view these reads. Every view is logged in the extract.",
            "When the review is done, the reviewer exports the log (File > Export Reviewer "
            "Log) and returns the file to the custodian, who imports it into the audit.",
        ):
            for part in wrap(line, REGULAR, 9, W - 2 * M)[1]:
                c.drawString(M, y, part)
                y -= 12
            y -= 4
        y -= 10
        c.drawString(M, y, "Released by (signature) ______________________________     "
                           "Received by (signature) ______________________________")
        y -= 40
        c.setDash(4, 3)
        c.line(M, y, W - M, y)
        c.setDash()
        c.setFont(REGULAR, 7)
        c.drawString(M, y + 3, "cut here: the slip below goes to the recipient separately "
                               "from the files (in person or by another channel)")
        y -= 28
        c.setFont(BOLD, 11)
        c.drawString(M, y, f"Passphrase for extract {r.manifest.extract_id[:8]} "
                           f"({r.manifest.recipient_name})")
        y -= 30
        c.setFont(MONO, 22)
        c.drawString(M, y, r.passphrase)
        y -= 22
        c.setFont(REGULAR, 9)
        c.drawString(M, y, f"Valid until the end of {r.manifest.expires_on.isoformat()}. "
                           "Capitals and dashes do not matter when typing it. The City does not "
                           "keep it:")
        y -= 12
        c.drawString(M, y, "if it is lost, ask for a new release. Destroy this slip when the "
                           "review is over.")
        c.showPage()
        c.save()
    return target
