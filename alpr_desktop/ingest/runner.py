"""Run an import: read, validate, and store in batches that each commit with their checkpoint.

Idempotence comes from keys, not from care: every read is stored under (source, vendor read
id), where the id is the vendor's own (OpenALPR best_uuid, Genetec Guid) or, for delimited
text, a hash of plate, time and camera (prefixed by the export's id column when mapped, so a
counter that restarts in each export cannot merge two different reads). A batch's reads, images,
new cameras, rejects and the file's checkpoint commit together, so a run killed at any point
leaves the store at a batch boundary; the next run skips the checkpointed records and finds
any others already stored. Nothing here prints read data: summaries hold counts, and the reject
report holds file, line, column and reason only (policy §4: no plaintext copy of reads).

This module is the job: files, checkpoints, the batch transaction, the summary and the reject
report. The plumbing lives beside it: ingest/batches.py reads and prepares batches,
ingest/reader_process.py runs that in a child process for large delimited files, and
ingest/writer_thread.py stores each batch on its own thread.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from alpr_desktop.core.camera_names import camera_key
from alpr_desktop.core.clock import Clock, SystemClock
from alpr_desktop.core.health import HourBucket
from alpr_desktop.core.models import Camera, ImageBlob
from alpr_desktop.core.paths import data_dir
from alpr_desktop.core.safe_csv import write_csv
from alpr_desktop.ingest.archive import ImageSource, open_image_source
from alpr_desktop.ingest.batches import PreparedBatch, Reader, read_batches
from alpr_desktop.ingest.batches import read_key as read_key
from alpr_desktop.ingest.delimited import SITE_ZONE_NAME, DelimitedReader, Mapping
from alpr_desktop.ingest.expected import expected_format
from alpr_desktop.ingest.genetec import GenetecReader
from alpr_desktop.ingest.openalpr import OpenAlprReader
from alpr_desktop.ingest.reader_process import ReaderProcess
from alpr_desktop.ingest.records import (
    REASON_TEXT,
    CameraInfo,
    FileRefused,
    Reason,
    ValidRecord,
)
from alpr_desktop.ingest.validate import Validator
from alpr_desktop.ingest.writer_thread import BatchWriter
from alpr_desktop.ingest.zone_guard import guard_zone_reimport
from alpr_desktop.storage.unit_of_work import UnitOfWork

FORMATS = ("auto", "delimited", "openalpr", "genetec")
_EXTENSIONS = {
    ".csv": "delimited", ".tsv": "delimited", ".txt": "delimited", ".psv": "delimited",
    ".json": "openalpr", ".jsonl": "openalpr", ".ndjson": "openalpr", ".xml": "genetec",
}
# Records per transaction. Each COMMIT encrypts and writes every index page the batch touched
# (the plate index is touched all over) and waits for the disk, and each batch costs the
# writer a dozen statements: at 1,000,000 rows, 5,000-row batches spent ~6 s in COMMIT alone,
# 50,000-row ones ~2.5 s. 50,000 records take about a second: still a fine grain for
# progress, cancel and resume, and three batches in memory stay near 250 MB.
DEFAULT_BATCH = 50_000
# The page cache of an import's connection, in MiB (the program's default is 64): in a store of
# tens of millions of reads each imported read lands on a random leaf of the (plate, time)
# index and of the plates' indexes, and a leaf kept decrypted between batches is not read and
# decrypted again. At 50M reads: 0.60 of the 1M rate over a million reads with it; 0.35 with
# 64 MiB (issue 20, docs/benchmarks.md). Freed when the import's connection closes.
IMPORT_CACHE_MIB = 512
# Delimited files at least this large are parsed, validated and prepared in a child process
# while this one only stores: in one process the GIL kept the two from overlapping. Smaller
# files stay in-thread, as a child costs ~0.3 s to start. ImportOptions.reader_process forces
# either path.
PROCESS_MIN_BYTES = 2_000_000
# A camera that reports this many distinct positions in one import is a mobile reader (or a
# wrong export): the summary says so. Each read keeps its own position whatever the count.
MANY_POSITIONS = 10
MAX_POSITIONS_KEPT = 1_000_000  # per camera: memory stays bounded on a huge export


@dataclass(frozen=True)
class ImportOptions:
    format: str = "auto"
    mapping: Mapping | None = None  # required for delimited text
    delimiter: str | None = None  # overrides detection and the mapping
    images: Path | None = None  # folder or ZIP; default: beside each data file
    batch_size: int = DEFAULT_BATCH
    report_path: Path | None = None  # default: <data dir>/import-reports/...
    reader_process: bool | None = None  # None: by size (PROCESS_MIN_BYTES); delimited only


@dataclass(frozen=True)
class Progress:
    file_index: int
    file_count: int
    file_name: str
    records: int
    accepted: int
    rejected: int


@dataclass
class FileSummary:
    name: str
    sha256: str
    format: str = ""
    records: int = 0
    accepted: int = 0
    duplicates: int = 0
    rejected: dict[str, int] = field(default_factory=dict)
    added: int = 0  # reads this run stored (``accepted`` also counts earlier runs' reads)
    refused: str = ""  # why the whole file was refused
    resumed: bool = False  # an earlier run stopped partway; this one finished it
    already_imported: bool = False  # a finished earlier run: nothing was read again
    notes: list[str] = field(default_factory=list)  # what the import assumed (time zone)
    # When every record was refused for one reason: the format the import expected, with an
    # example (ingest/expected.py), so the user can see what the file should look like.
    expected: str = ""

    @property
    def rejected_total(self) -> int:
        return sum(self.rejected.values())

    @property
    def in_store(self) -> int:
        """Reads of this file that were in the store before this run (earlier runs' and
        duplicates of reads imported from elsewhere)."""
        return max(self.accepted + self.duplicates - self.added, 0)

    @property
    def single_reason(self) -> str:
        """The one reason every record was refused for; '' when any went in or reasons differ."""
        if self.refused or self.accepted or self.duplicates or len(self.rejected) != 1:
            return ""
        return next(iter(self.rejected))

    def log_dict(self) -> dict[str, object]:
        return {
            "name": self.name, "sha256": self.sha256, "format": self.format,
            "added": self.added, "accepted": self.accepted, "duplicates": self.duplicates,
            "rejected": self.rejected_total, "refused": self.refused,
            "resumed": self.resumed, "already_imported": self.already_imported,
        }


@dataclass
class ImportSummary:
    files: list[FileSummary] = field(default_factory=list)
    new_cameras: list[str] = field(default_factory=list)
    report_path: Path | None = None
    cancelled: bool = False
    seconds: float = 0.0
    # Cameras that reported at least MANY_POSITIONS distinct positions: name -> how many.
    moving_cameras: dict[str, int] = field(default_factory=dict)

    @property
    def in_store(self) -> int:
        return sum(f.in_store for f in self.files)

    @property
    def accepted(self) -> int:
        return sum(f.accepted for f in self.files)

    @property
    def added(self) -> int:
        """Reads this run stored (committed): 0 for a file imported before."""
        return sum(f.added for f in self.files)

    @property
    def duplicates(self) -> int:
        return sum(f.duplicates for f in self.files)

    @property
    def rejected(self) -> int:
        return sum(f.rejected_total for f in self.files)

    def rejected_by_reason(self) -> dict[str, int]:
        total: Counter[str] = Counter()
        for f in self.files:
            total.update(f.rejected)
        return dict(total)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def detect_format(path: Path) -> str:
    """By extension, else by the first non-blank byte ('<' XML, '{' or '[' JSON)."""
    fmt = _EXTENSIONS.get(Path(path).suffix.lower())
    if fmt:
        return fmt
    with Path(path).open("rb") as fh:
        head = fh.read(1024).lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return "genetec"
    if head.startswith((b"{", b"[")):
        return "openalpr"
    return "delimited"


def open_reader(path: Path, fmt: str, options: ImportOptions) -> Reader:
    if fmt == "delimited":
        if options.mapping is None:
            raise FileRefused(
                f"{Path(path).name} is delimited text: choose a column mapping (--mapping)."
            )
        return DelimitedReader(path, options.mapping, delimiter=options.delimiter)
    if fmt == "openalpr":
        return OpenAlprReader(path)
    if fmt == "genetec":
        return GenetecReader(path)
    raise FileRefused(f"Unknown import format {fmt!r}; use one of {', '.join(FORMATS)}.")


def images_beside(path: Path) -> Path:
    """The default image source: ``<stem>.zip`` or ``<stem>_images.zip`` beside the data if
    present, else the data file's folder."""
    path = Path(path)
    for name in (f"{path.stem}.zip", f"{path.stem}_images.zip", "images.zip"):
        cand = path.with_name(name)
        if cand.is_file():
            return cand
    return path.parent


def config_key(fmt: str, options: ImportOptions, images: Path | None) -> str:
    """What makes two runs over one file the same job: format, mapping, image source."""
    d = {
        "format": fmt,
        "mapping": options.mapping.fingerprint() if options.mapping and fmt == "delimited"
        else None,
        "delimiter": options.delimiter,
        "images": str(Path(images).resolve()) if images else None,
    }
    return hashlib.sha256(json.dumps(d, sort_keys=True).encode()).hexdigest()[:32]


def default_report_path(now_s: float) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(now_s))
    return data_dir() / "import-reports" / f"import-{stamp}-rejects.csv"


class Cancel(Protocol):
    def __call__(self) -> bool: ...


@dataclass(frozen=True)
class BatchStored:
    """One batch as committed, for the access log: handed to ``ImportJob.on_batch`` inside
    the batch's transaction, so the batch and its entry commit (or fail) together."""

    file_name: str
    sha256: str
    added: int
    duplicates: int
    rejected: int
    records_done: int
    finished: bool


class _FileRun:
    """Counters and buffers of one file while it is read."""

    def __init__(self, summary: FileSummary, config: str, done: int, rejected: int) -> None:
        self.summary = summary
        self.config = config
        self.records = done
        self.rejected = rejected


class ImportJob:
    """One import of one or more files into an open store (its own connection's thread)."""

    def __init__(
        self,
        store: UnitOfWork,
        clock: Clock | None = None,
        options: ImportOptions | None = None,
        *,
        progress: Callable[[Progress], None] | None = None,
        cancel: Cancel | None = None,
        on_batch: Callable[[BatchStored], None] | None = None,
    ) -> None:
        self.store = store
        self.on_batch = on_batch
        self.clock = clock or SystemClock()
        self.options = options or ImportOptions()
        self.progress = progress
        self.cancel = cancel or (lambda: False)
        self.state = store.import_state
        self.reads = store.reads
        self.images = store.images
        self.cameras = store.cameras
        # Keyed by core.camera_names.camera_key: a known camera written with other spacing or
        # case is the same camera, neither created nor reported again.
        self._camera_ids = {camera_key(c.name): c.id for c in self.cameras.all()
                            if c.id is not None}
        self._vendor_ids: dict[str, int] = {}  # a camera's vendor id -> its id (0014)
        # Distinct positions each camera reported in this job, keyed by camera key (capped):
        # many of them is a mobile reader, told in the summary.
        self._positions: dict[str, set[tuple[float, float]]] = {}
        self._camera_names: dict[str, str] = {}
        self.summary = ImportSummary()
        self._reject_rows: list[tuple[str, int, str, str]] = []

    # -- public -----------------------------------------------------------------------------
    def run(self, files: Sequence[Path]) -> ImportSummary:
        started = time.monotonic()
        self.store.enlarge_page_cache(IMPORT_CACHE_MIB)
        for i, path in enumerate(files):
            if self.summary.cancelled:
                break
            self._run_file(Path(path), i, len(files))
        self.summary.seconds = time.monotonic() - started
        self.summary.moving_cameras = {
            self._camera_names[key]: len(seen) for key, seen in self._positions.items()
            if len(seen) >= MANY_POSITIONS
        }
        if self._reject_rows:
            self.summary.report_path = self._write_report()
        return self.summary

    # -- one file ---------------------------------------------------------------------------
    def _run_file(self, path: Path, index: int, count: int) -> FileSummary:
        """Import one file. Its summary joins ``self.summary`` before the first batch, so a
        run stopped by an error still counts what that file committed."""
        try:
            sha = sha256_file(path)
        except OSError as exc:
            refused = FileSummary(path.name, "",
                                  refused=f"The file cannot be read ({exc.strerror}).")
            self.summary.files.append(refused)
            return refused
        summary = FileSummary(path.name, sha)
        self.summary.files.append(summary)
        source: ImageSource | None = None
        config = ""
        try:
            fmt = detect_format(path) if self.options.format == "auto" else self.options.format
            summary.format = fmt
            reader = open_reader(path, fmt, self.options)
            if fmt == "delimited" and self.options.mapping is not None \
                    and not self.options.mapping.timezone:
                summary.notes.append(
                    f"Times written without an offset were read in the site's time zone, "
                    f"{SITE_ZONE_NAME}: the mapping names no time zone."
                )
            images = self.options.images or images_beside(path)
            config = config_key(fmt, self.options, images)
            done = self.state.progress(sha, config)
            if fmt == "delimited" and self.options.mapping is not None \
                    and (done is None or not done.finished):
                # imported before as UTC, when a mapping without a zone meant that?
                guard_zone_reimport(path, self.options.mapping, self.options.delimiter,
                                    self.clock, self.state)
            prog = self.state.start(sha, config, path.name, fmt, self.clock.now_ms())
            summary.accepted, summary.duplicates = prog.accepted, prog.duplicates
            summary.records = prog.records_done
            if prog.finished:
                summary.already_imported = True
            else:
                summary.resumed = prog.records_done > 0
                source = open_image_source(images)  # a hostile archive is refused here
                run = _FileRun(summary, config, prog.records_done, prog.rejected)
                if fmt == "delimited" and self._use_process(path):
                    source.close()
                    source = None  # the child opens its own
                    self._read_in_child(path, images, run, prog.records_done, (index, count))
                else:
                    validator = Validator(
                        self.clock, source, time_parser=getattr(reader, "time_parser", None)
                    )
                    self._read_all(reader, validator, run, prog.records_done, (index, count))
        except FileRefused as exc:
            summary.refused = str(exc)
        finally:
            if source is not None:
                source.close()
        kept = self.state.rejects(sha, config) if config else []
        summary.rejected = dict(Counter(r[1] for r in kept))
        if summary.single_reason:
            summary.expected = expected_format(summary.format, self.options.mapping)
        self._reject_rows.extend((path.name, line, col, reason) for line, reason, col in kept)
        return summary

    def _use_process(self, path: Path) -> bool:
        forced = self.options.reader_process
        if forced is not None:
            return forced
        try:
            return path.stat().st_size >= PROCESS_MIN_BYTES
        except OSError:
            return False

    def _read_all(
        self, reader: Reader, validator: Validator, run: _FileRun, skip: int,
        where: tuple[int, int],
    ) -> None:
        """Parse, validate and key records here while a writer thread stores the previous
        batch: SQLite lets the GIL go while it inserts, encrypts and writes, so the two overlap
        in part. The writer is the slower side, so every per-record step that needs no
        database (the read key, the source) is done here."""
        batches = read_batches(reader, validator, skip, max(1, self.options.batch_size))
        with BatchWriter(self._flush) as writer:
            for recs, prepared, rejects, count, last in batches:
                writer.put(run, recs, prepared, rejects, count, last, where)
                if not last and self.cancel():
                    self.summary.cancelled = True
                    return

    def _read_in_child(
        self, path: Path, images: Path | None, run: _FileRun, skip: int,
        where: tuple[int, int],
    ) -> None:
        """As ``_read_all``, with the reading done in one spawned child process (safe from a
        GUI worker thread; it ignores SIGINT) that streams prepared batches through a pipe:
        the pipe holds at most the message being sent, so the child stays a batch or two
        ahead. This process only stores, each batch with its checkpoint as before; the child
        starts after the checkpointed records. A cancel or any error here terminates it."""
        now_ms = None if isinstance(self.clock, SystemClock) else self.clock.now_ms()
        child = ReaderProcess(path, self.options.mapping, self.options.delimiter, images, now_ms,
                              skip, max(1, self.options.batch_size))
        with child, BatchWriter(self._flush) as writer:
            for recs, prepared, rejects, count, last in child.batches():
                writer.put(run, recs, prepared, rejects, count, last, where)
                if not last and self.cancel():
                    self.summary.cancelled = True
                    return

    def _report(self, run: _FileRun, where: tuple[int, int]) -> None:
        """Progress after each committed batch (called on the writer thread)."""
        if self.progress is not None:
            s = run.summary
            self.progress(Progress(where[0], where[1], s.name, run.records, s.accepted,
                                   run.rejected))

    # -- one batch, one transaction (on the writer thread) ------------------------------------
    def _flush(
        self, run: _FileRun, recs: list[ValidRecord], prepared: PreparedBatch,
        rejects: list[tuple[int, int, str, str]], records_done: int, finished: bool,
        where: tuple[int, int],
    ) -> None:
        """Store one batch (``recs`` may be empty when ``prepared.reads`` holds it all and it
        has no images: the child process sends only what is needed). Per-record work here is
        kept to what needs the database: the reads go in as values prepared on the reading
        thread or process (``batches.prepare_batch``), and a duplicate
        (the same read key already stored, or twice in the batch) is skipped by the insert."""
        s = run.summary
        new_cameras: list[str] = []
        try:
            with self.store.transaction():
                for cam in prepared.cameras.values():
                    if (camera_key(cam.name) not in self._camera_ids
                            or (cam.vendor_id and cam.vendor_id not in self._vendor_ids)):
                        self._camera_id(cam, new_cameras)
                if prepared.reads is not None:
                    ids, skipped = self.reads.insert_prepared(prepared.reads)
                    stored = prepared.reads.count - len(skipped)
                else:  # alternates or vendor camera ids: the general path
                    for rec in recs:
                        rec.camera_id = self._known_camera(rec.camera)
                    ids, skipped = self._insert_general(s.format, recs)
                    stored = len(recs) - len(skipped)
                fresh = [rid for i, rid in enumerate(ids) if i not in skipped]
                if fresh:  # the health counts, kept in the batch's own transaction
                    self.store.health.count_added(
                        min(fresh), self.clock.now_ms() // 1000,
                        None if skipped else self._hour_buckets(prepared))
                blobs = [
                    ImageBlob(rid, im.kind, im.format, im.data,
                              hashlib.sha256(im.data).hexdigest(), im.width, im.height,
                              rec.bbox if im.kind == "overview" else None)
                    for i, (rid, rec) in enumerate(zip(ids, recs, strict=True))
                    if rec.images and i not in skipped
                    for im in rec.images
                ] if prepared.images else []
                if blobs:
                    self.images.put_many(blobs)
                self.state.add_rejects(s.sha256, run.config, rejects)
                self.state.checkpoint(
                    s.sha256, run.config, records_done=records_done,
                    accepted=s.accepted + stored, duplicates=s.duplicates + len(skipped),
                    rejected=run.rejected + len(rejects),
                    finished_ms=self.clock.now_ms() if finished else None,
                )
                if self.on_batch is not None:
                    self.on_batch(BatchStored(s.name, s.sha256, stored, len(skipped),
                                              len(rejects), records_done, finished))
        except BaseException:
            for name in new_cameras:  # rolled back with the batch
                self._camera_ids.pop(camera_key(name), None)
            for cam in prepared.cameras.values():
                if cam.vendor_id:
                    self._vendor_ids.pop(cam.vendor_id, None)
            raise
        self.summary.new_cameras.extend(new_cameras)
        self._note_positions(prepared)
        s.accepted += stored
        s.added += stored
        s.duplicates += len(skipped)
        run.rejected += len(rejects)
        run.records = s.records = records_done
        self._report(run, where)

    def _insert_general(self, fmt: str, recs: list[ValidRecord]) -> tuple[list[int], set[int]]:
        """Insert records that may carry alternates: (ids, positions skipped as stored)."""
        keys = [r.vendor_read_id or "" for r in recs]
        existing = self.state.existing_vendor_ids(fmt, keys) if keys else set()
        skipped: set[int] = set()
        for i, key in enumerate(keys):
            if key in existing:
                skipped.add(i)
            else:
                existing.add(key)
        fresh = [r for i, r in enumerate(recs) if i not in skipped]
        fresh_ids = iter(self.reads.insert_many(fresh, one_statement=True) if fresh else [])
        return [0 if i in skipped else next(fresh_ids) for i in range(len(recs))], skipped

    def _hour_buckets(self, prepared: PreparedBatch) -> list[HourBucket] | None:
        """The batch's counts per camera and hour (worked out by the reading side) with the
        store's camera ids; only for a batch stored whole (a skipped duplicate is in them).
        None when two of its cameras turned out one (their shared seconds cannot be told):
        the store groups the batch then."""
        out = [HourBucket(self._vendor_ids[vid] if vid else self._camera_ids[camera_key(name)],
                          hour, *counts)
               for (vid, name, hour), counts in prepared.hours.items()]
        return out if len({(b.camera_id, b.hour) for b in out}) == len(out) else None

    def _known_camera(self, cam: CameraInfo) -> int:
        """The id of a camera ``_camera_id`` has seen in this job: by vendor id, else name."""
        if cam.vendor_id:
            return self._vendor_ids[cam.vendor_id]
        return self._camera_ids[camera_key(cam.name)]

    def _camera_id(self, cam: CameraInfo, created: list[str]) -> int:
        """The store's camera for ``cam``, matched by the vendor's camera id when the export
        has one, else by name (any spacing or case); created only when neither matches.
        A camera matched by name learns its vendor id, so a later label change still
        matches."""
        key = camera_key(cam.name)
        vid = cam.vendor_id
        cid = self._vendor_ids.get(vid) if vid else None
        if cid is None and vid:
            known = self.cameras.by_vendor_id(vid)
            cid = known.id if known is not None else None
        if cid is None:
            cid = self._camera_ids.get(key)
            if cid is None:
                known = self.cameras.by_name(cam.name)
                cid = known.id if known is not None else None
            if cid is None:
                cid = self.cameras.add(
                    Camera(None, " ".join(cam.name.split()), cam.location, cam.latitude,
                           cam.longitude),
                    vendor_id=vid or None,
                )
                created.append(cam.name)
            elif vid:
                self.cameras.set_vendor_id(cid, vid)
        self._camera_ids.setdefault(key, cid)
        if vid:
            self._vendor_ids[vid] = cid
        return cid

    def _note_positions(self, prepared: PreparedBatch) -> None:
        """Count the distinct positions each camera reported (after the batch committed)."""
        for name, seen in prepared.positions.items():
            key = camera_key(name)
            known = self._positions.setdefault(key, set())
            self._camera_names.setdefault(key, " ".join(name.split()))
            if len(known) < MAX_POSITIONS_KEPT:
                known.update(seen)

    # -- the reject report ------------------------------------------------------------------
    def _write_report(self) -> Path:
        path = self.options.report_path or default_report_path(self.clock.now_ms() / 1000)

        def rows() -> Iterator[tuple[object, ...]]:
            for name, line, col, reason in self._reject_rows:
                try:
                    text = REASON_TEXT[Reason(reason)]
                except ValueError:
                    text = ""
                yield name, line, col, reason, text

        # Owner-only, and no cell can start a formula (a file or column name is the vendor's).
        return write_csv(path, ["file", "line", "column", "reason", "explanation"], rows())
