"""The first rows of a delimited file with a mapping applied, for the import wizard's preview.

Reads the same way the import does (DelimitedReader, then the one Validator) so that what the
contractor sees is what the import would do, but writes nothing and looks at nothing in the
store: a duplicate of an existing read cannot be told here, and that is on purpose (the
preview must not reveal which reads the store holds).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from alpr_desktop.core.clock import Clock
from alpr_desktop.ingest.archive import open_image_source
from alpr_desktop.ingest.delimited import DelimitedReader, Mapping
from alpr_desktop.ingest.records import (
    REASON_TEXT,
    RawRecord,
    Reason,
    Reject,
    RejectError,
)
from alpr_desktop.ingest.runner import images_beside
from alpr_desktop.ingest.validate import Validator

PREVIEW_ROWS = 20
_SHOWN = ("state", "direction", "make", "model", "color", "body_type")


@dataclass(frozen=True)
class PreviewRow:
    """One data row as the import would take it: parsed values, or the reason it is refused.

    For a refused row the values are the file's own text (shortened), so the user sees what
    did not parse."""

    line: int
    plate: str = ""
    time_text: str = ""
    recorded_at: int | None = None  # UTC seconds when the time parsed
    camera: str = ""
    details: dict[str, str] = field(default_factory=dict)
    speed: float | None = None
    confidence: float | None = None
    images: int = 0
    reason: Reason | None = None
    column: str = ""  # the file's column the reason is about

    @property
    def accepted(self) -> bool:
        return self.reason is None

    @property
    def explanation(self) -> str:
        return REASON_TEXT.get(self.reason, "") if self.reason else ""


@dataclass(frozen=True)
class Preview:
    rows: tuple[PreviewRow, ...]
    delimiter: str

    @property
    def rejected(self) -> int:
        return sum(1 for r in self.rows if not r.accepted)


def _short(value: object, limit: int = 64) -> str:
    if value is None:
        return ""
    s = str(value).strip()
    return s if len(s) <= limit else s[: limit - 1] + "…"


def _raw_row(raw: RawRecord, reason: Reason, column: str) -> PreviewRow:
    return PreviewRow(
        line=raw.line, plate=_short(raw.plate), time_text=_short(raw.time),
        camera=_short(raw.camera),
        details={k: _short(getattr(raw, k)) for k in _SHOWN if getattr(raw, k) is not None},
        images=len(raw.images), reason=reason, column=column,
    )


def preview_rows(
    path: Path,
    mapping: Mapping,
    clock: Clock,
    *,
    delimiter: str | None = None,
    images: Path | None = None,
    limit: int = PREVIEW_ROWS,
) -> Preview:
    """Up to ``limit`` data rows of ``path`` parsed and validated with ``mapping``.

    Raises FileRefused (a sentence) when the mapping cannot be used or names a column the
    file lacks, exactly as the import would."""
    reader = DelimitedReader(path, mapping, delimiter=delimiter)
    source = open_image_source(images or images_beside(path))
    try:
        validator = Validator(clock, source, time_parser=reader.time_parser)
        rows: list[PreviewRow] = []
        for item in islice(reader.records(), max(0, limit)):
            if isinstance(item, Reject):
                rows.append(PreviewRow(item.line, reason=item.reason, column=item.column))
                continue
            try:
                rec = validator.validate(item)
            except RejectError as exc:
                col = reader.columns.get(exc.column, exc.column)
                rows.append(_raw_row(item, exc.reason, col))
                continue
            rows.append(PreviewRow(
                line=rec.line, plate=rec.plate, time_text=_short(item.time),
                recorded_at=rec.recorded_at, camera=rec.camera.name,
                details={k: getattr(rec, k) for k in _SHOWN if getattr(rec, k)},
                speed=rec.speed, confidence=rec.confidence if item.confidence is not None
                else None, images=len(rec.images),
            ))
    finally:
        source.close()
    return Preview(tuple(rows), reader.delimiter)
