"""Import use case: the gate's role check (contractor or admin), the job, and the log entries.

Import writes reads but shows none: the preview shows rows of the user's own file, and the
summary holds counts. It is not wrapped in ``gated`` because that runs the work in one
transaction; an import commits batch by batch so that a killed run can resume. So the gate is
called directly, an "import.started" entry names the files before the first batch commits, each
batch commits with its own "import.batch" entry in its transaction (no entry, no stored batch:
a log that cannot be written stops the import), and an "import" entry records who, which files
(name and SHA-256) and the counts at the end, also when the run failed or was cancelled.

The counts tell the truth: ``result_count`` and ``added`` are the reads this run stored, so a
re-import that adds nothing says 0 (``accepted`` per file also counts earlier runs), and an
import stopped by a full disk reports and logs exactly the batches that committed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from alpr_desktop.core.accounts import AccessContext
from alpr_desktop.core.audit_log import Outcome
from alpr_desktop.core.clock import Clock, SystemClock
from alpr_desktop.core.roles import Action
from alpr_desktop.ingest.delimited import Mapping
from alpr_desktop.ingest.presets import PresetStore
from alpr_desktop.ingest.runner import (
    BatchStored,
    Cancel,
    ImportJob,
    ImportOptions,
    ImportSummary,
    Progress,
    sha256_file,
)
from alpr_desktop.services.gate import require
from alpr_desktop.storage.errors import LogUnavailable, StoreError
from alpr_desktop.storage.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class ImportedFile:
    """One file's import, for the contractor's history: name, format, counts, times."""

    name: str
    format: str
    accepted: int
    duplicates: int
    rejected: int
    started_ms: int
    finished_ms: int | None

    @property
    def finished(self) -> bool:
        return self.finished_ms is not None


@dataclass(frozen=True)
class CameraSummary:
    """A camera as the contractor maintains it: name, place, and how many reads it has."""

    id: int
    name: str
    location: str
    latitude: float | None
    longitude: float | None
    reads: int



class ImportStopped(StoreError):
    """A storage failure (a full disk, a log that cannot be written) stopped the import after
    some batches had committed; ``summary`` counts exactly those."""

    def __init__(self, summary: ImportSummary, cause: StoreError, closing_logged: bool) -> None:
        added = summary.added
        reads = "1 read was" if added == 1 else f"{added:,} reads were"
        logged = (
            "each stored batch is in the access log"
            if closing_logged or isinstance(cause, LogUnavailable)
            else "each stored batch is in the access log, but the closing entry could not "
                 "be written"
        )
        super().__init__(
            f"The import stopped: {cause} {reads} stored before it stopped ({logged}); "
            "nothing after that was stored.",
            path=cause.path,
        )
        self.summary = summary
        self.cause = cause
        self.advice = ("Free disk space (or have the administrator check the store), then "
                       "import the same files again: the import goes on after the stored "
                       "batches and adds nothing twice.")


class ImportService:
    def __init__(self, store: UnitOfWork, clock: Clock | None = None) -> None:
        self.store = store
        self.clock = clock or SystemClock()

    def run(
        self,
        ctx: AccessContext,
        files: Sequence[Path | str],
        options: ImportOptions | None = None,
        *,
        progress: Callable[[Progress], None] | None = None,
        cancel: Cancel | None = None,
    ) -> ImportSummary:
        """Import ``files``; raises NotAuthorized (logged by the gate) for other roles."""
        grant = require(self.store, ctx, Action.IMPORT_DATA, needs_purpose=False,
                        clock=self.clock)
        paths = [Path(f) for f in files]
        named = []
        for p in paths:
            try:
                named.append({"name": p.name, "sha256": sha256_file(p)})
            except OSError:
                named.append({"name": p.name, "sha256": ""})
        opts = options or ImportOptions()
        query = {
            "files": named,
            "format": opts.format,
            "mapping": opts.mapping.name if opts.mapping else "",
        }
        grant.log("import.started", query=query)

        def batch_logged(b: BatchStored) -> None:  # inside the batch's transaction
            grant.log("import.batch", query={"file": {"name": b.file_name, "sha256": b.sha256}},
                      result_count=b.added,
                      detail={"added": b.added, "duplicates": b.duplicates,
                              "rejected": b.rejected, "records_done": b.records_done,
                              "file_finished": b.finished})

        job = ImportJob(self.store, self.clock, opts, progress=progress, cancel=cancel,
                        on_batch=batch_logged)
        try:
            summary = job.run(paths)
        except BaseException as exc:
            done = job.summary  # only committed batches are counted
            closing_logged = True
            try:
                grant.log(
                    "import", query=query, outcome=Outcome.FAILED, result_count=done.added,
                    detail={"error": type(exc).__name__, "added": done.added,
                            "files": [f.log_dict() for f in done.files]},
                )
            except LogUnavailable:
                closing_logged = False  # the batch entries still say what was stored
            if isinstance(exc, StoreError) and not isinstance(exc, ImportStopped):
                raise ImportStopped(done, exc, closing_logged) from exc
            raise
        grant.log(
            "import", query=query, result_count=summary.added,
            detail={
                "added": summary.added,
                "accepted": summary.accepted,
                "duplicates": summary.duplicates,
                "rejected": summary.rejected,
                "rejected_by_reason": summary.rejected_by_reason(),
                "cancelled": summary.cancelled,
                "new_cameras": summary.new_cameras,
                "files": [f.log_dict() for f in summary.files],
            },
        )
        return summary

    # -- mapping presets: the same role may list, read and save them -------------------------
    def mapping_names(self, ctx: AccessContext) -> list[str]:
        require(self.store, ctx, Action.IMPORT_DATA, needs_purpose=False, clock=self.clock)
        return PresetStore(self.store).names()

    def mapping(self, ctx: AccessContext, name: str) -> Mapping:
        require(self.store, ctx, Action.IMPORT_DATA, needs_purpose=False, clock=self.clock)
        return PresetStore(self.store).get(name)

    def save_mapping(self, ctx: AccessContext, mapping: Mapping) -> Mapping:
        grant = require(self.store, ctx, Action.IMPORT_DATA, needs_purpose=False,
                        clock=self.clock)
        saved = PresetStore(self.store).save(mapping)
        grant.log("import.mapping_saved", query={"mapping": saved.name},
                  detail={"mapping": saved.to_json()})
        return saved

    # -- the contractor's home: what was imported, and the cameras --------------------------
    def history(self, ctx: AccessContext, limit: int = 200) -> list[ImportedFile]:
        """The files imported into this store, newest first (counts only; no reads)."""
        require(self.store, ctx, Action.IMPORT_DATA, needs_purpose=False, clock=self.clock)
        return [
            ImportedFile(p.name, p.format, p.accepted, p.duplicates, p.rejected, p.started_ms,
                         p.finished_ms)
            for p in self.store.import_state.recent(limit)
        ]

    def cameras(self, ctx: AccessContext) -> list[CameraSummary]:
        """Every camera with its number of reads (configuration and counts, no read data)."""
        require(self.store, ctx, Action.VIEW_MAINTENANCE, needs_purpose=False,
                clock=self.clock)
        repo = self.store.cameras
        counts = repo.read_counts()
        return [
            CameraSummary(int(c.id), c.name, c.location, c.latitude, c.longitude,
                       counts.get(int(c.id), 0))
            for c in repo.all() if c.id is not None
        ]
