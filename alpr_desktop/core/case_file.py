"""The analyst's own case file (issue 13): what goes in it, as plain data.

One row per read with its time, place, vehicle, how it matched and the SHA-256 of each
original image; the PDF and the CSV are built from the same rows (reports/case_file.py).
This is the analyst's own use under the active purpose, not a disclosure to another agency.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from alpr_desktop.core.clock import format_local, format_utc
from alpr_desktop.core.models import Read

MAX_CASE_FILE_READS = 1000
SOURCES = ("results", "profile", "picked")
CSV_HEADER = ("read_id", "plate", "plate_as_read", "time_local", "time_utc", "camera",
              "location", "latitude", "longitude", "direction", "state", "make", "model",
              "color", "body_type", "speed", "confidence", "match", "crop_sha256",
              "overview_sha256")


class CaseFileError(ValueError):
    """A case file that cannot be made as asked; ``str()`` says why in a sentence."""


@dataclass(frozen=True)
class CaseFileRequest:
    read_ids: tuple[int, ...]
    pdf_path: Path
    source: str = "results"  # results, profile or picked
    query_words: str = ""  # the query in words, as the analyst ran it
    match_kinds: dict[int, str] = field(default_factory=dict)  # read id -> "exact", ...
    confirmed: bool = False  # the analyst confirmed the export in its dialog

    def checked(self) -> tuple[int, ...]:
        ids = tuple(dict.fromkeys(int(i) for i in self.read_ids))
        if not self.confirmed:
            raise CaseFileError("Confirm the case file before it is written.")
        if not ids:
            raise CaseFileError("A case file needs at least one read.")
        if len(ids) > MAX_CASE_FILE_READS:
            raise CaseFileError(f"A case file holds at most {MAX_CASE_FILE_READS:,} reads.")
        if self.source not in SOURCES:
            raise CaseFileError(f"Unknown case-file source {self.source!r}.")
        if self.pdf_path.suffix.lower() != ".pdf":
            raise CaseFileError("The case file's name ends in .pdf.")
        return ids


@dataclass(frozen=True)
class CaseImage:
    kind: str  # crop or overview
    data: bytes
    format: str
    sha256: str  # computed from the stored bytes now
    stored_sha256: str  # as stored at import

    @property
    def intact(self) -> bool:
        return self.sha256 == self.stored_sha256


@dataclass(frozen=True)
class CaseRow:
    read: Read
    match: str
    crop: CaseImage | None
    overview: CaseImage | None
    latitude: float | None = None
    longitude: float | None = None

    def csv_cells(self) -> tuple[object, ...]:
        r = self.read
        return (r.id, r.plate_norm, r.plate, format_local(r.recorded_at * 1000),
                format_utc(r.recorded_at), r.camera_name, r.location,
                "" if self.latitude is None else self.latitude,
                "" if self.longitude is None else self.longitude, r.direction, r.state,
                r.make, r.model, r.color, r.body_type, "" if r.speed is None else r.speed,
                round(r.confidence, 4), self.match,
                self.crop.sha256 if self.crop else "", self.overview.sha256 if self.overview
                else "")


@dataclass(frozen=True)
class CaseFileHeader:
    purpose_category: str
    offense: str
    case_number: str
    narrative: str
    username: str
    full_name: str
    organization: str
    created_ms: int
    query_words: str
    source: str
    store_label: str = ""


@dataclass(frozen=True)
class CaseFileReceipt:
    pdf_path: Path
    csv_path: Path
    pdf_sha256: str
    csv_sha256: str
    read_count: int
    log_seq: int


def csv_path_for(pdf: Path) -> Path:
    return pdf.with_name(pdf.stem + "-reads.csv")
