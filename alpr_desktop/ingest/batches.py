"""The reading side of an import: records read and validated, keyed, and grouped into
batches with the values the writer binds prepared ahead. Runs in the import's reading thread,
or in the reader process (ingest/reader_process.py); stores nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Protocol

from alpr_desktop.core.health import LOW_CONFIDENCE
from alpr_desktop.ingest.records import CameraInfo, RawRecord, Reject, RejectError, ValidRecord
from alpr_desktop.ingest.validate import Validator
from alpr_desktop.storage.reads import PreparedReads, prepare_reads


class Reader(Protocol):
    format: str
    columns: dict[str, str]

    def records(self) -> Iterator[RawRecord | Reject]: ...


def read_key(fmt: str, rec: ValidRecord) -> str:
    """The vendor read id the read is stored under (unique with the format as source)."""
    if fmt != "delimited" and rec.vendor_id:
        return rec.vendor_id
    content = f"{rec.plate_norm}|{rec.recorded_at}|{rec.camera.name}".encode()
    # The time leads so that keys of a time-ordered export land side by side in the unique
    # index: random keys made each insert touch a random (encrypted) index page.
    key = f"{rec.recorded_at:x}-{hashlib.blake2b(content, digest_size=12).hexdigest()}"
    return f"{key}|{rec.vendor_id}" if rec.vendor_id else key


@dataclass
class PreparedBatch:
    """What the reading thread works out for the writer: the bound values (None when a
    record has alternates or a camera has a vendor id: the writer then takes the general
    path), the batch's cameras as first seen, the distinct positions each camera reported
    (a mobile reader has many) and whether any record has images."""

    reads: PreparedReads | None
    cameras: dict[str, CameraInfo]
    images: bool
    positions: dict[str, set[tuple[float, float]]] = field(default_factory=dict)
    # The batch's reads per camera (vendor id, name) and hour, as the health signals count
    # them (reads, first and last second, reads sharing a second, unreadable plates): worked
    # out here, beside the writer, so storing the batch's counts costs it no grouping.
    hours: dict[tuple[str, str, int], tuple[int, int, int, int, int]] = field(
        default_factory=dict)


_camera_of = attrgetter("camera")


def prepare_batch(batch: list[ValidRecord], seen_plates: set[str]) -> PreparedBatch:
    # The validator hands out one CameraInfo per (name, position, place): the distinct
    # objects, found in C by id, are the batch's cameras and positions.
    infos = list(map(_camera_of, batch))
    distinct = dict(zip(map(id, infos), infos, strict=True))
    cameras: dict[str, CameraInfo] = {}
    positions: dict[str, set[tuple[float, float]]] = {}
    for cam in distinct.values():
        cameras.setdefault(cam.name, cam)  # first seen: a new camera takes the first position
        if cam.latitude is not None and cam.longitude is not None:
            positions.setdefault(cam.name, set()).add((cam.latitude, cam.longitude))
    images = any(r.images for r in batch)
    hours = hour_counts(batch)
    if any(r.candidates for r in batch) or any(c.vendor_id for c in cameras.values()):
        return PreparedBatch(None, cameras, images, positions, hours)
    reads = prepare_reads(batch, plate_norm="plate_norm", camera_name="camera.name",
                          seen_plates=seen_plates)
    return PreparedBatch(reads, cameras, images, positions, hours)


def hour_counts(batch: list[ValidRecord]) -> dict[tuple[str, str, int],
                                                  tuple[int, int, int, int, int]]:
    """Per (camera vendor id, camera name, hour): reads, first and last second, reads sharing
    their second with another of the hour, unreadable plates (core.health's definitions, as
    storage.health_queries groups them in SQL)."""
    seconds: dict[tuple[str, str, int], set[int]] = {}
    acc: dict[tuple[str, str, int], list[int]] = {}
    for r in batch:
        t = r.recorded_at
        cam = r.camera
        key = (cam.vendor_id, cam.name, t // 3600)
        bad = 1 if (0 < r.confidence < LOW_CONFIDENCE) or len(r.plate) < 3 else 0
        a = acc.get(key)
        if a is None:
            acc[key] = [1, t, t, bad]
            seconds[key] = {t}
        else:
            a[0] += 1
            if t < a[1]:
                a[1] = t
            elif t > a[2]:
                a[2] = t
            a[3] += bad
            seconds[key].add(t)
    return {k: (a[0], a[1], a[2], a[0] - len(seconds[k]), a[3]) for k, a in acc.items()}


Batch = tuple[list[ValidRecord], PreparedBatch, list[tuple[int, int, str, str]], int, bool]


def read_batches(reader: Reader, validator: Validator, skip: int, batch_size: int,
             ) -> Iterator[Batch]:
    """(records, prepared, rejects, records done, last) per batch of ``batch_size`` records
    read, skipping the first ``skip`` (committed by an earlier run)."""
    columns = reader.columns
    validate = validator.validate
    fmt = reader.format
    batch: list[ValidRecord] = []
    rejects: list[tuple[int, int, str, str]] = []
    seen: set[str] = set()  # plates whose OCR key was computed here
    count = skip
    for seq, item in enumerate(reader.records()):
        if seq < skip:
            continue
        count = seq + 1
        if type(item) is Reject:
            rejects.append((seq, item.line, str(item.reason), item.column))
        else:
            try:
                rec = validate(item)  # type: ignore[arg-type]
            except RejectError as exc:
                col = columns.get(exc.column, exc.column)
                rejects.append((seq, item.line, str(exc.reason), col))
            else:
                rec.vendor_read_id = read_key(fmt, rec)
                rec.source = fmt
                batch.append(rec)
        if len(batch) + len(rejects) >= batch_size:
            yield batch, prepare_batch(batch, seen), rejects, count, False
            batch, rejects = [], []
    yield batch, prepare_batch(batch, seen), rejects, count, True
