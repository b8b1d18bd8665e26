"""Filling an open store with the demo: cameras, then reads and their images in batches.

Rendering is the cost, so it runs in a process pool (spawned, not forked: the GUI calls this
from a thread, and forking a threaded process can deadlock) while this process writes. Each
batch of reads and its images commit in one transaction, so an interrupted build never leaves
a read without its images.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from alpr_desktop.core.clock import format_local
from alpr_desktop.core.errors import Cancelled
from alpr_desktop.core.models import BBox, Camera, ImageBlob, NewRead
from alpr_desktop.demo.cameras import CAMERAS
from alpr_desktop.demo.plan import DEMO_END_UTC, PlannedRead, plan_reads
from alpr_desktop.demo.render import Rendered, RenderJob, render_read
from alpr_desktop.storage.unit_of_work import UnitOfWork

BATCH = 2000
SOURCE = "demo"
# Below this many images a pool costs more to start than it saves.
_POOL_THRESHOLD = 1000

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]


@dataclass(frozen=True)
class DemoSummary:
    reads: int
    images: int
    cameras: int
    distinct_plates: int
    accounts: tuple[tuple[str, str, str], ...] = ()  # (username, DEMO password, roles)


def render_job(seed: int, r: PlannedRead) -> RenderJob:
    site = CAMERAS[r.camera]
    return RenderJob(
        seed=seed, index=r.index, plate=r.true_plate, state=r.state, commercial=r.commercial,
        camera=r.camera, color=r.vehicle.color, body_type=r.vehicle.body_type, night=r.night,
        caption=f"{site.name}   {format_local(r.recorded_at * 1000)}",
    )


def new_read(r: PlannedRead, camera_ids: list[int]) -> NewRead:
    v = r.vehicle
    return NewRead(
        plate=r.plate, recorded_at=r.recorded_at, camera_id=camera_ids[r.camera], state=r.state,
        direction=r.direction, make=v.make, model=v.model, color=v.color, body_type=v.body_type,
        speed=r.speed, confidence=r.confidence, candidates=r.candidates, source=SOURCE,
    )


def _blobs(read_id: int, out: Rendered) -> list[ImageBlob]:
    c, o = out.crop, out.overview
    return [
        ImageBlob(read_id, "crop", "jpeg", c.data, c.sha256, c.width, c.height),
        ImageBlob(read_id, "overview", "jpeg", o.data, o.sha256, o.width, o.height,
                  BBox(*out.bbox)),
    ]


def _worker_init() -> None:
    # Ctrl+C goes to the whole process group; only the parent decides what to do about it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import cv2

    cv2.setNumThreads(1)  # the pool already uses every core


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


@contextmanager
def _render_stream(jobs: list[RenderJob], workers: int) -> Iterator[Iterator[Rendered]]:
    """Rendered reads in job order. With a pool, workers start on every job at once, so the
    caller's own work overlaps theirs; leaving the block stops the pool, also on Cancelled or
    KeyboardInterrupt."""
    if workers <= 1 or len(jobs) < _POOL_THRESHOLD:
        yield map(render_read, jobs)
        return
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(workers, initializer=_worker_init) as pool:
        yield pool.imap(render_read, jobs, chunksize=32)


def _batches(items: list[PlannedRead], size: int) -> Iterable[list[PlannedRead]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _insert(store: UnitOfWork, plan: list[PlannedRead], camera_ids: list[int],
            rendered: Iterator[Rendered] | None, progress: Progress | None,
            cancel: Cancel | None) -> int:
    """Write reads (and their images, when rendered) in batches; returns how many."""
    read_repo, image_repo = store.reads, store.images
    total, done = len(plan), 0
    if progress:
        progress(0, total)
    for batch in _batches(plan, BATCH):
        blobs: list[Rendered] = []
        if rendered is not None:
            for pos in range(len(batch)):
                blobs.append(next(rendered))
                if cancel and pos % 200 == 0 and cancel():
                    raise Cancelled("demo build cancelled")
        if cancel and cancel():
            raise Cancelled("demo build cancelled")
        with store.transaction():
            # NewRead is frozen; storage's ReadFields protocol still declares settable members
            # (the storage helper's one declaration of the read fields fixes it).
            ids = read_repo.insert_many([new_read(r, camera_ids) for r in batch])
            if blobs:
                image_repo.put_many([b for rid, out in zip(ids, blobs, strict=True)
                                     for b in _blobs(rid, out)])
        done += len(batch)
        if progress:
            progress(done, total)
    return done


def build_demo(
    store: UnitOfWork,
    reads: int,
    seed: int = 1,
    *,
    images: bool = True,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    workers: int | None = None,
    end_utc: int = DEMO_END_UTC,
    while_rendering: Callable[[], None] | None = None,
) -> DemoSummary:
    """Add the demo's cameras, ``reads`` reads and (unless ``images`` is False) a crop and an
    overview per read to an empty store. Raises Cancelled when ``cancel()`` turns true; the
    caller then discards the store (services/demo_store.py does). ``while_rendering`` is called
    once the render workers are busy, for other slow set-up (demo accounts)."""
    plan = plan_reads(reads, seed, end_utc)
    jobs = [render_job(seed, r) for r in plan] if images else []
    with _render_stream(jobs, workers or default_workers()) as rendered:
        cams = store.cameras
        camera_ids = [
            cams.add(Camera(None, s.name, s.location, s.latitude, s.longitude, s.heading))
            for s in CAMERAS
        ]
        if while_rendering:
            while_rendering()
        done = _insert(store, plan, camera_ids, rendered if images else None, progress, cancel)
    return DemoSummary(
        reads=done,
        images=2 * done if images else 0,
        cameras=len(camera_ids),
        distinct_plates=len({r.true_plate for r in plan}),
    )
