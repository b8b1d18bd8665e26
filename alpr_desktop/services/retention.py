"""The purge (policy §8) and the custodian's retention view and setting.

``purge`` deletes due reads in batches, each one short transaction that also updates the run's
purge record and writes its access-log entry ("retention.purge"): a run killed midway leaves
exactly what it deleted on record, nothing half-deleted, and the next run carries on. Two runs
at once (two processes) take turns batch by batch, since each picks its reads under the write
lock. The purge returns no read data and needs no session: it is the program's own duty,
run by the GUI worker while the program is open and by ``alpr-desktop purge`` when it is not.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from alpr_desktop.core.accounts import AccessContext
from alpr_desktop.core.audit_log import LogEvent, Outcome
from alpr_desktop.core.clock import Clock, SystemClock
from alpr_desktop.core.errors import Cancelled
from alpr_desktop.core.log_archive import Anchor
from alpr_desktop.core.retention import (
    HoldRecord,
    PurgeRecord,
    PurgeResult,
    RetentionError,
    RetentionStatus,
    RetentionSummary,
    StoreConversion,
    check_period,
    cutoff,
    deletion_time,
    describe_period,
    overdue_cutoff,
    plan_batches,
)
from alpr_desktop.core.roles import Action, Role
from alpr_desktop.services.audit import log_event, workstation_id
from alpr_desktop.services.gate import require
from alpr_desktop.services.log_archive import LogArchiveService
from alpr_desktop.storage.retention import Deleted
from alpr_desktop.storage.unit_of_work import UnitOfWork

# Each purge transaction deletes at most BATCH_READS reads and BATCH_IMAGE_BYTES of their
# images (core/retention.plan_batches): with secure_delete on, a commit costs about what it
# overwrites, and a search that waits for the write lock waits for one such transaction.
# Fixed bounds, not a stopwatch: the number of transactions for N reads is known in advance.
BATCH_READS = 2000
BATCH_IMAGE_BYTES = 1 * 1024 * 1024
PASS_READS = 50_000  # due reads picked (and sorted by plate) per pass
SIZE_AHEAD = 64  # reads whose image sizes are asked for first, doubling while they all fit
# Between two transactions the purge gives way to writers of this process that wait for the
# lock (a search's log entry; storage/write_turns.py), this long at most; nobody waiting, it
# goes straight on. Another process's writers get in through their busy timeout, between
# two short transactions (the purge's WAL checkpoint runs there, without the write lock).
GIVE_WAY_S = 2.0
# The scheduled command runs in its own process while the program may be open: the program's
# writers cannot be seen from here, and SQLite's busy handler retries every 50-100 ms, so a
# purge that takes the lock straight back could hold a search out until its busy timeout.
# A short gap between transactions lets them in (1,450 transactions: about 15 s per 100,000
# reads with images, against the 0.1 s pause of session 5).
SCHEDULED_GAP_S = 0.01
# The purge copies its WAL frames into the file itself every this many transactions (each
# checkpoint is an fsync; one per transaction cost a quarter of the run), often enough that
# SQLite's own checkpoint at 1,000 WAL pages does not fall to a search's commit.
CHECKPOINT_EVERY = 8
VACUUM_PAGES = 256  # pages handed back per transaction
SCHEDULED = "(scheduled purge)"
MIN_REASON = 10
Cancel = Callable[[], bool]


@dataclass(frozen=True)
class RetentionOverview:
    status: RetentionStatus
    history: list[PurgeRecord]
    holds: list[HoldRecord]
    log_anchors: tuple[Anchor, ...] = ()  # the access log's archived segments
    log_due: int = 0  # access-log entries older than five years, not yet archived


@dataclass(frozen=True)
class PeriodChange:
    before: int
    after: int


class RetentionService:
    """One per store connection (the GUI worker opens its own)."""

    def __init__(self, store: UnitOfWork, clock: Clock | None = None) -> None:
        self.store = store
        self.clock = clock or SystemClock()
        self.repo = store.retention

    # -- the purge -------------------------------------------------------------------------
    def purge(self, ran_by: str = SCHEDULED, *, batch: int | None = None,
              batch_bytes: int | None = None, cancel: Cancel | None = None,
              reclaim: bool = True, gap_s: float = 0.0) -> PurgeResult:
        """Delete every due read that no hold keeps; see the module docstring. Each
        transaction holds at most ``batch`` reads (BATCH_READS) and ``batch_bytes`` of images
        (BATCH_IMAGE_BYTES): N due reads without images take ceil(N / batch) transactions."""
        max_reads = batch or BATCH_READS
        max_bytes = batch_bytes or BATCH_IMAGE_BYTES
        t0 = time.monotonic()
        started_ms = self.clock.now_ms()
        now_s = started_ms // 1000
        months = self.repo.retention_months()
        cut = cutoff(now_s, months)
        record_id: int | None = None
        reads = images = plates = 0
        oldest: int | None = None
        newest: int | None = None
        deleted: set[int] = set()
        segments: set[str] = set()  # image segment files the deleted images were in
        first = True
        unchecked = 0  # transactions since the purge's last WAL checkpoint
        while not (cancel and cancel()):
            # The due reads of this pass, read outside any transaction, oldest first (the
            # order they were stored in, so a batch's rows, images and time-index entries
            # share pages; plate order, better while images filled the pages, took 1.6x as
            # long here: docs/benchmarks.md); each batch checks again under the write lock
            # which of them are still due.
            due = self.repo.due_batch(cut, started_ms, PASS_READS)
            if not due:
                break
            for chunk in self._chunks(due, max_reads, max_bytes):
                if cancel and cancel():
                    break
                if not first:
                    self.repo.give_way(GIVE_WAY_S)  # a waiting search goes first
                    if gap_s:
                        time.sleep(gap_s)  # and another process's (SCHEDULED_GAP_S)
                first = False
                with self.store.transaction():
                    ids = self.repo.still_due(chunk, cut, started_ms)
                    if not ids:
                        continue
                    gone = self.repo.delete_reads(ids)
                    if record_id is None:
                        record_id = self.repo.open_record(started_ms, cut, months, ran_by,
                                                          workstation_id())
                    self.repo.add_to_record(record_id, gone)
                    self._log_batch(ran_by, record_id, cut, months, gone)
                unchecked += 1
                if unchecked >= CHECKPOINT_EVERY:  # the purge pays for its own pages
                    self.repo.checkpoint_passive()
                    unchecked = 0
                deleted.update(ids)
                segments.update(gone.segments)
                reads, images = reads + gone.reads, images + gone.images
                plates += gone.plates
                oldest = _min(oldest, gone.oldest)
                newest = _max(newest, gone.newest)
            if len(due) < PASS_READS:
                break
        duration_ms = int((time.monotonic() - t0) * 1000)
        with self.store.transaction():
            if record_id is not None:
                self.repo.finish_record(record_id, started_ms + duration_ms)
            self.repo.note_run(started_ms)
            # Segment files no row uses any more (their images were already erased with
            # their keys), and those of expired days that an interrupted run left.
            self.repo.drop_segments(cut, sorted(segments))
        held = self.repo.held_due(cut, started_ms)
        freed = self.reclaim() if reclaim and reads else 0
        return PurgeResult(reads, images, plates, oldest, newest, cut, held, duration_ms,
                           record_id, freed, frozenset(deleted))

    def _chunks(self, due: list[int], max_reads: int,
                max_bytes: int) -> Iterator[list[int]]:
        """``plan_batches`` over ``due``, asking for image sizes just ahead of each batch, not
        for the whole pass at once: the size query reads the image pages, about 750 MB for a
        pass of 50,000 reads with images, all before the first deletion."""
        sizes: dict[int, int] = {}
        start = sized = 0
        ahead = SIZE_AHEAD
        while start < len(due):
            if sized < len(due):
                more = due[sized:sized + ahead]
                sizes.update(self.repo.image_bytes(more))
                sized += len(more)
            batch = plan_batches(due[start:sized], sizes, max_reads, max_bytes)[0]
            if start + len(batch) == sized < len(due) and len(batch) < max_reads:
                ahead = min(2 * ahead, max_reads)  # all of it fits: size some more first
                continue
            yield batch
            start += len(batch)

    def _log_batch(self, ran_by: str, record_id: int, cut: int, months: int,
                   gone: Deleted) -> None:
        """One entry per batch, in the batch's transaction: no deletion without its entry."""
        log_event(self.store, LogEvent(
            "retention.purge", Outcome.OK, ran_by,
            query={"recorded_at_to": cut, "retention_months": months},
            result_count=gone.reads,
            detail={"purge_id": record_id, "reads": gone.reads, "images": gone.images,
                    "plates": gone.plates, "oldest_recorded": gone.oldest,
                    "newest_recorded": gone.newest},
        ), self.clock)

    def reclaim(self, cancel: Cancel | None = None) -> int:
        """Hand free pages back to the file system (a few hundred per transaction) and cut
        the WAL, so purged rows survive neither in free pages nor in old WAL frames."""
        freed = 0
        if self.repo.auto_vacuum_incremental():
            while self.repo.free_pages() and not (cancel and cancel()):
                if freed:
                    self.repo.give_way(GIVE_WAY_S)
                with self.store.transaction():
                    step = self.repo.incremental_vacuum(VACUUM_PAGES)
                if step <= 0:
                    break
                freed += step
        self.repo.checkpoint_truncate()
        return freed

    # -- converting a store made before incremental vacuum -----------------------------------
    def convert_store(self, ctx: AccessContext,
                      progress: Callable[[float], object] | None = None,
                      cancel: Cancel | None = None) -> StoreConversion:
        """Turn on incremental vacuum in a store created before it was the default, so the
        purge hands freed pages (and the old ciphertext in them) back to the file system; a
        custodian's or an administrator's act. One VACUUM: all or nothing, a kill or a
        cancel leaves the store as it was ("retention.store_conversion" logged at the start
        and at the end, so a run that never finished is on record too). Other writers wait
        while it runs (minutes on a large store)."""
        roles = ctx.session.roles if ctx.session is not None else frozenset()
        action = (Action.MANAGE_SECURITY_SETTINGS if Role.ADMIN in roles
                  else Action.REVIEW_RETENTION)
        grant = require(self.store, ctx, action, needs_purpose=False, clock=self.clock)
        if self.repo.auto_vacuum_incremental():
            return StoreConversion(False, self.repo.page_count(), self.repo.page_count(), 0, 0)
        pages, free = self.repo.page_count(), self.repo.free_pages()
        with self.store.transaction():
            grant.log("retention.store_conversion", query={},
                      detail={"stage": "started", "pages": pages, "free_pages": free})
        self.repo.checkpoint_truncate()
        t0 = time.monotonic()

        def tick(share: float) -> bool:
            if progress is not None:
                progress(share)
            return bool(cancel and cancel())

        try:
            self.repo.convert_to_incremental(tick)
        except Cancelled:
            with self.store.transaction():
                grant.log("retention.store_conversion", query={}, outcome=Outcome.FAILED,
                          detail={"stage": "cancelled"})
            raise
        duration_ms = int((time.monotonic() - t0) * 1000)
        self.repo.checkpoint_truncate()  # the old file's pages go with the WAL's copy
        after = self.repo.page_count()
        with self.store.transaction():
            grant.log("retention.store_conversion", query={},
                      detail={"stage": "finished", "pages_before": pages,
                              "pages_after": after, "free_pages_removed": free,
                              "duration_ms": duration_ms})
        self.repo.checkpoint_truncate()
        if progress is not None:
            progress(1.0)
        return StoreConversion(True, pages, after, free, duration_ms)

    # -- what the status bar and the view show --------------------------------------------------
    def overdue(self) -> bool:
        """Whether a read is past its deletion time by more than two minutes (the scheduled
        purge is not running). A yes or no about the store, for custodian and admin."""
        now_ms = self.clock.now_ms()
        return self.repo.any_due(overdue_cutoff(now_ms // 1000, self.repo.retention_months()),
                                 now_ms)

    def status(self, ctx: AccessContext) -> RetentionStatus:
        """The custodian's retention view (logged as "retention.view"): dates and counts,
        never a plate."""
        grant = require(self.store, ctx, Action.REVIEW_RETENTION, needs_purpose=False,
                        clock=self.clock)
        with self.store.transaction():
            grant.log("retention.view", query={})
        return self._status()

    def _status(self) -> RetentionStatus:
        now_ms = self.clock.now_ms()
        now_s = now_ms // 1000
        months = self.repo.retention_months()
        oldest = self.repo.oldest_unheld(now_ms)
        overdue = self.repo.count_due(overdue_cutoff(now_s, months), now_ms)
        return RetentionStatus(
            now_s=now_s, retention_months=months, oldest_recorded=oldest,
            next_deletion=deletion_time(oldest, months) if oldest is not None else None,
            overdue_reads=overdue, held_reads=self.repo.held_count(now_ms),
            auto_vacuum=self.repo.auto_vacuum_incremental(),
            last_run_ms=self.repo.last_run_ms(),
        )

    def overview(self, ctx: AccessContext, limit: int = 200) -> RetentionOverview:
        """The retention view in one logged request ("retention.view"): the status, the
        purge history and the holds, all without a plate."""
        grant = require(self.store, ctx, Action.REVIEW_RETENTION, needs_purpose=False,
                        clock=self.clock)
        with self.store.transaction():
            grant.log("retention.view", query={"history_limit": limit},
                      detail={"with": ["status", "history", "holds"]})
        first, last = LogArchiveService(self.store, self.clock).due_until()
        return RetentionOverview(self._status(), self.repo.history(limit),
                                 self.store.holds.all(),
                                 tuple(s.anchor for s in self.store.log_archive.anchors()),
                                 max(0, last - first + 1))

    def report_summary(self, since_ms: int | None, until_ms: int | None) -> RetentionSummary:
        """For the audit report (whose own gate and log entry cover it): the state now, the
        purge runs of its period and every hold."""
        return RetentionSummary(self._status(),
                                tuple(self.repo.history(100_000, since_ms, until_ms)),
                                tuple(self.store.holds.all()))

    def history(self, ctx: AccessContext, limit: int = 200) -> list[PurgeRecord]:
        """The purge records, newest first (logged as "retention.history")."""
        grant = require(self.store, ctx, Action.REVIEW_RETENTION, needs_purpose=False,
                        clock=self.clock)
        with self.store.transaction():
            grant.log("retention.history", query={"limit": limit})
        return self.repo.history(limit)

    def set_period(self, ctx: AccessContext, months: int, reason: str) -> PeriodChange:
        """The custodian shortens (or restores, up to five years) the retention period, with
        a reason; logged as "retention.period_changed". Reads it makes due go at the next
        purge. Bad input changes nothing."""
        months = check_period(months)
        reason = reason.strip()
        if len(reason) < MIN_REASON:
            raise RetentionError(
                "Say why the retention period changes (at least a sentence): the reason is "
                "kept in the access log.")
        grant = require(self.store, ctx, Action.REVIEW_RETENTION, needs_purpose=False,
                        clock=self.clock)
        with self.store.transaction():
            before = self.repo.retention_months()
            self.repo.set_retention_months(months)
            grant.log("retention.period_changed",
                      query={"retention_months": months},
                      detail={"from_months": before, "to_months": months,
                              "from": describe_period(before), "to": describe_period(months),
                              "reason": reason})
        return PeriodChange(before, months)


def _min(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else min(a, b)


def _max(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else max(a, b)


def purge_store(store: UnitOfWork, ran_by: str = SCHEDULED, clock: Clock | None = None,
                cancel: Cancel | None = None, gap_s: float = 0.0) -> PurgeResult:
    """One purge run on ``store`` (the GUI worker's and the command's entry point)."""
    return RetentionService(store, clock).purge(ran_by, cancel=cancel, gap_s=gap_s)


def scheduled_purge(path: Path | str, clock: Clock | None = None) -> tuple[PurgeResult, str]:
    """The scheduled task's run: open the store with the purge credential enrolled on this
    computer (security/purge_credential.py), hold the log against this workstation's witness,
    purge, move the witness on. Returns the result and any witness warning line."""
    from alpr_desktop.security.purge_credential import unlock
    from alpr_desktop.services import witness
    from alpr_desktop.services.stores import open_with_key

    store = open_with_key(path, unlock(path))
    try:
        said = witness.command_line(witness.check_on_open(store))
        result = purge_store(store, SCHEDULED, clock, gap_s=SCHEDULED_GAP_S)
        witness.advance(store)
    finally:
        store.close()
    return result, said


def _custody(store: UnitOfWork) -> Path:
    """The store file the purge credential sits beside (the embedded store's only)."""
    path = store.custody_path
    if path is None:
        raise RetentionError("A shared store's purge runs on its server, not on a workstation.")
    return path


def enroll_scheduled_purge(store: UnitOfWork, ctx: AccessContext,
                           clock: Clock | None = None) -> str:
    """A custodian gives the scheduled purge its own way into the store on this computer
    (security/purge_credential.py says what that costs); logged as "retention.purge_enrolled".
    Returns the credential file's name."""
    from alpr_desktop.security import purge_credential

    grant = require(store, ctx, Action.REVIEW_RETENTION, needs_purpose=False, clock=clock)
    with store.transaction():
        grant.log("retention.purge_enrolled", query={},
                  detail={"workstation": workstation_id()})
        path = purge_credential.enroll(_custody(store), store.store_id, store.data_key())
    return path.name


def unenroll_scheduled_purge(store: UnitOfWork, ctx: AccessContext,
                             clock: Clock | None = None) -> bool:
    from alpr_desktop.security import purge_credential

    grant = require(store, ctx, Action.REVIEW_RETENTION, needs_purpose=False, clock=clock)
    with store.transaction():
        grant.log("retention.purge_unenrolled", query={},
                  detail={"workstation": workstation_id()})
        return purge_credential.unenroll(_custody(store), store.store_id)
