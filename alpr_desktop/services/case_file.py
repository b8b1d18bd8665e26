"""The analyst's case file (issue 13): results, a profile or picked reads to a PDF and a CSV.

Gated (EXPORT_EVIDENCE, active purpose). Both files are built in memory, hashed, logged as
"export.case_file" with the read ids and the files' SHA-256, and then written owner-only
(core.owner_only) inside the same transaction: if writing fails the entry rolls back and no
file is left; if the entry cannot be written no file is made. It is the analyst's own use
under the purpose, not a disclosure (that is the disclosure issue's action).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from alpr_desktop.core.case_file import (
    CaseFileHeader,
    CaseFileReceipt,
    CaseFileRequest,
    CaseImage,
    CaseRow,
    csv_path_for,
)
from alpr_desktop.core.clock import Clock, SystemClock
from alpr_desktop.core.models import ImageBlob
from alpr_desktop.core.owner_only import write_private
from alpr_desktop.core.roles import Action
from alpr_desktop.services.gate import Grant, gated, refuse_outside_window
from alpr_desktop.services.images import NoSuchRead
from alpr_desktop.storage.unit_of_work import UnitOfWork


def _attempt(request: Any, *_: object, **__: object) -> dict[str, Any]:
    ids = getattr(request, "read_ids", ())
    return {"read_ids": [int(i) for i in list(ids)[:1000]], "case_file": True,
            "source": str(getattr(request, "source", ""))}


def _image(blob: ImageBlob | None) -> CaseImage | None:
    if blob is None:
        return None
    return CaseImage(blob.kind, blob.data, blob.format, hashlib.sha256(blob.data).hexdigest(),
                     blob.sha256)


class CaseFileService:
    def __init__(self, store: UnitOfWork, clock: Clock | None = None) -> None:
        self.store = store
        self.clock = clock or SystemClock()

    @gated(Action.EXPORT_EVIDENCE, attempted=_attempt)
    def export(self, grant: Grant, request: CaseFileRequest) -> CaseFileReceipt:
        from alpr_desktop.reports.case_file import build_case_file_csv, build_case_file_pdf

        ids = request.checked()
        rows: list[CaseRow] = []
        # One query each for the reads, their images and their places (the map's sightings
        # query: a read's own coordinates where it has them, else its camera's), not one
        # per read.
        views = self.store.investigator_views
        reads = views.reads_by_id(ids)
        images = views.images_of(ids)
        places = {s.read_id: s for s in views.sightings(ids)}
        for rid in ids:
            read = reads.get(rid)
            if read is None:
                raise NoSuchRead(rid)
            refuse_outside_window(grant, read.recorded_at, "read")
            blobs = {b.kind: b for b in images.get(rid, ())}
            place = places.get(rid)
            rows.append(CaseRow(read, request.match_kinds.get(rid, "exact"),
                                _image(blobs.get("crop")), _image(blobs.get("overview")),
                                place.latitude if place else None,
                                place.longitude if place else None))
        assert grant.purpose is not None
        p = grant.purpose.purpose
        now_ms = self.clock.now_ms()
        header = CaseFileHeader(
            p.category.label, p.offense, p.case_number, p.narrative, grant.account.username,
            grant.account.full_name, grant.account.organization, now_ms,
            request.query_words[:500], request.source)
        pdf_bytes = build_case_file_pdf(header, rows)
        csv_bytes = build_case_file_csv(rows)
        pdf_path = Path(request.pdf_path)
        csv_path = csv_path_for(pdf_path)
        pdf_sha = hashlib.sha256(pdf_bytes).hexdigest()
        csv_sha = hashlib.sha256(csv_bytes).hexdigest()
        entry = grant.log(
            "export.case_file",
            query={"read_ids": list(ids), "source": request.source,
                   "query_words": request.query_words[:500],
                   "plates": sorted({r.read.plate_norm for r in rows})[:200]},
            result_count=len(rows),
            detail={"destination": "own case file", "pdf": pdf_path.name[:120],
                    "csv": csv_path.name[:120], "pdf_sha256": pdf_sha, "csv_sha256": csv_sha,
                    "confirmed": True})
        written: list[Path] = []
        try:
            written.append(write_private(pdf_path, pdf_bytes))
            written.append(write_private(csv_path, csv_bytes))
        except BaseException:
            for path in written:  # both files or neither, like the log entry
                path.unlink(missing_ok=True)
            raise
        return CaseFileReceipt(pdf_path, csv_path, pdf_sha, csv_sha, len(rows), entry.seq)
