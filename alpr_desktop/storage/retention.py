"""The purge's SQL: which reads are due, deleting a read with everything derived from it, the
purge records, the retention setting, and handing freed pages back to the file system.

Every method that writes runs inside the caller's ``store.transaction()`` (the service keeps
each batch to one short transaction, so a search waits for at most one of them).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from alpr_desktop.core.errors import Cancelled
from alpr_desktop.core.retention import MAX_RETENTION_MONTHS, PurgeRecord
from alpr_desktop.storage.db import Store
from alpr_desktop.storage.errors import DB_ERRORS, classify

# The VACUUM's progress handler runs every this many virtual-machine steps; about this many
# steps copy one live 16 KiB page (measured: 38 calls for 360 live pages of a 50,000-read
# store, about 2,100 a page; image overflow pages cost less), for a progress estimate.
VACUUM_TICK_OPS = 20_000
VACUUM_OPS_PER_PAGE = 1500

RETENTION_KEY = "retention_months"
LAST_RUN_KEY = "purge_last_run_ms"

# A read is held while an approved hold that names it has not reached its review date.
_NOT_HELD = (
    "NOT EXISTS (SELECT 1 FROM hold_reads hr JOIN holds h ON h.id = hr.hold_id "
    "WHERE hr.read_id = r.id AND h.status = 'approved' AND h.review_ms > :now_ms)"
)
_HELD = _NOT_HELD.removeprefix("NOT ")
_RECORD_COLUMNS = (
    "id, started_ms, finished_ms, reads_deleted, images_deleted, plates_deleted, "
    "oldest_recorded, newest_recorded, cutoff, retention_months, ran_by, workstation"
)


@dataclass(frozen=True)
class Deleted:
    """What one batch removed."""

    reads: int
    images: int
    plates: int
    oldest: int | None
    newest: int | None
    segments: tuple[str, ...] = ()  # segment files that held some of the images


class RetentionRepo:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._fts_secure = False

    # -- the setting ---------------------------------------------------------------------
    def retention_months(self) -> int:
        raw = self.store.get_setting(RETENTION_KEY)
        try:
            months = int(raw) if raw is not None else MAX_RETENTION_MONTHS
        except ValueError:
            months = MAX_RETENTION_MONTHS
        # A damaged or hand-edited setting can only make retention shorter, never longer.
        return min(max(months, 1), MAX_RETENTION_MONTHS)

    def set_retention_months(self, months: int) -> None:
        self.store.execute(
            "INSERT INTO settings(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (RETENTION_KEY, str(int(months))),
        )

    # -- what is due -----------------------------------------------------------------------
    def due_batch(self, cutoff: int, now_ms: int, limit: int) -> list[int]:
        """Ids of up to ``limit`` reads recorded at or before ``cutoff`` and not held, oldest
        first (the recorded_at index walks them in order)."""
        rows = self.store.query(
            f"SELECT r.id FROM reads r WHERE r.recorded_at <= :cutoff AND {_NOT_HELD} "
            "ORDER BY r.recorded_at LIMIT :limit",
            {"cutoff": cutoff, "now_ms": now_ms, "limit": limit},
        )
        return [int(r[0]) for r in rows]

    def still_due(self, ids: Sequence[int], cutoff: int, now_ms: int) -> list[int]:
        """Those of ``ids`` that are still stored, due and not held (call inside the write
        transaction: another purge, or a hold approved meanwhile, may have changed them)."""
        rows = self.store.query(
            "SELECT r.id FROM reads r WHERE r.id IN (SELECT value FROM json_each(:ids)) "
            f"AND r.recorded_at <= :cutoff AND {_NOT_HELD}",
            {"ids": json.dumps([int(i) for i in ids]), "cutoff": cutoff, "now_ms": now_ms},
        )
        return [int(r[0]) for r in rows]

    def image_bytes(self, ids: Sequence[int]) -> dict[int, int]:
        """Bytes of inline images per read among ``ids`` (reads without them are absent): what
        deleting them will overwrite, which sizes the purge's batches. An image in a segment
        file costs only its row (storage/image_segments.py) and is not counted."""
        rows = self.store.query(
            "SELECT read_id, sum(size) FROM images WHERE read_id IN "
            "(SELECT value FROM json_each(?)) AND seg IS NULL GROUP BY read_id",
            (json.dumps([int(i) for i in ids]),),
        )
        return {int(r[0]): int(r[1] or 0) for r in rows}

    def held_due(self, cutoff: int, now_ms: int) -> int:
        """Reads that are due but held."""
        row = self.store.query_one(
            f"SELECT count(*) FROM reads r WHERE r.recorded_at <= :cutoff AND {_HELD}",
            {"cutoff": cutoff, "now_ms": now_ms},
        )
        return int(row[0]) if row else 0

    # -- deleting --------------------------------------------------------------------------
    def give_way(self, timeout_s: float) -> bool:
        """Between two purge transactions: let this process's waiting writers (a search's
        log entry) have the write lock first, at most ``timeout_s``; no pause when nobody
        waits (storage/write_turns.py). True when somebody was waiting."""
        return self.store.turns.give_way(timeout_s)

    def delete_reads(self, ids: Sequence[int]) -> Deleted:
        """Delete these reads, their images and candidate rows, and every plate (with its
        trigram entry and OCR key) that no remaining read or candidate uses. Call inside a
        transaction."""
        if not ids:
            return Deleted(0, 0, 0, None, None)
        self.ensure_fts_secure_delete()
        arg = json.dumps([int(i) for i in ids])
        ex = self.store.execute
        span = ex(
            "SELECT count(*), min(recorded_at), max(recorded_at) FROM reads "
            "WHERE id IN (SELECT value FROM json_each(?))", (arg,),
        ).fetchone()
        plates = [int(r[0]) for r in ex(
            "SELECT plate_id FROM reads WHERE id IN (SELECT value FROM json_each(?)) UNION "
            "SELECT plate_id FROM read_candidates WHERE read_id IN "
            "(SELECT value FROM json_each(?)) UNION "
            "SELECT plate_id FROM read_corrections WHERE plate_id IS NOT NULL AND read_id IN "
            "(SELECT value FROM json_each(?))", (arg, arg, arg),
        ).fetchall()]
        segments = tuple(str(r[0]) for r in ex(
            "SELECT DISTINCT seg FROM images WHERE read_id IN (SELECT value FROM json_each(?)) "
            "AND seg IS NOT NULL", (arg,),
        ).fetchall())
        images = ex(
            "DELETE FROM images WHERE read_id IN (SELECT value FROM json_each(?))", (arg,)
        ).rowcount
        ex("DELETE FROM read_candidates WHERE read_id IN (SELECT value FROM json_each(?))",
           (arg,))
        reads = ex("DELETE FROM reads WHERE id IN (SELECT value FROM json_each(?))",
                   (arg,)).rowcount
        # The FTS5 trigger removes each plate's trigrams (secure-delete: no tombstone left).
        gone = ex(
            "DELETE FROM plates WHERE id IN (SELECT value FROM json_each(?)) "
            "AND NOT EXISTS (SELECT 1 FROM reads WHERE plate_id = plates.id) "
            "AND NOT EXISTS (SELECT 1 FROM read_candidates WHERE plate_id = plates.id) "
            "AND NOT EXISTS (SELECT 1 FROM read_corrections WHERE plate_id = plates.id)",
            (json.dumps(plates),),
        ).rowcount if plates else 0
        return Deleted(int(reads), int(images), int(gone),
                       int(span[1]) if span[1] is not None else None,
                       int(span[2]) if span[2] is not None else None, segments)

    def drop_segments(self, cutoff: int, touched: Sequence[str] = ()) -> int:
        """Unlink the image segment files that no image row refers to any more (their images
        were erased with their rows' keys) among ``touched`` (those the purge deleted rows
        from) and those whose whole day is at or before ``cutoff`` (what an interrupted run
        or a rolled-back import left); the number unlinked. Call inside a transaction
        (storage/image_segments.py)."""
        segments = self.store.segments
        names = sorted({*touched, *segments.expired(cutoff)})
        return segments.unlink(names, self._segment_used)

    def _segment_used(self, name: str) -> bool:
        return self.store.query_one(
            "SELECT 1 FROM images WHERE seg = ? LIMIT 1", (name,)) is not None

    def ensure_fts_secure_delete(self) -> bool:
        """Switch the trigram index to FTS5 secure-delete (SQLite 3.42+), so a purged plate
        leaves no trigram in the index's old segments: without it FTS5 only writes a
        tombstone and keeps the old terms until a merge. Idempotent; False only on an older
        SQLite (the unencrypted benchmark baseline on Python's own sqlite3)."""
        if self._fts_secure:
            return True
        row = self.store.query_one(
            "SELECT v FROM plates_fts_config WHERE k = 'secure-delete'")
        if row is None or str(row[0]) != "1":
            version = self.store.query_one("SELECT sqlite_version()")
            parts = tuple(int(p) for p in str(version[0] if version else "0").split(".")[:2])
            if parts < (3, 42):
                return False
            self.store.execute(
                "INSERT INTO plates_fts(plates_fts, rank) VALUES ('secure-delete', 1)")
        self._fts_secure = True
        return True

    # -- records ---------------------------------------------------------------------------
    def open_record(self, started_ms: int, cutoff: int, months: int, ran_by: str,
                    workstation: str) -> int:
        cur = self.store.execute(
            "INSERT INTO purges(started_ms, cutoff, retention_months, ran_by, workstation) "
            "VALUES (?, ?, ?, ?, ?)", (started_ms, cutoff, months, ran_by, workstation),
        )
        return int(cur.lastrowid)

    def add_to_record(self, record_id: int, d: Deleted) -> None:
        self.store.execute(
            "UPDATE purges SET reads_deleted = reads_deleted + ?, "
            "images_deleted = images_deleted + ?, plates_deleted = plates_deleted + ?, "
            "oldest_recorded = min(coalesce(oldest_recorded, ?), ?), "
            "newest_recorded = max(coalesce(newest_recorded, ?), ?) WHERE id = ?",
            (d.reads, d.images, d.plates, d.oldest, d.oldest, d.newest, d.newest, record_id),
        )

    def finish_record(self, record_id: int, finished_ms: int) -> None:
        self.store.execute("UPDATE purges SET finished_ms = ? WHERE id = ?",
                           (finished_ms, record_id))

    def history(self, limit: int = 200, since_ms: int | None = None,
                until_ms: int | None = None) -> list[PurgeRecord]:
        rows = self.store.query(
            f"SELECT {_RECORD_COLUMNS} FROM purges WHERE started_ms >= ? AND started_ms < ? "
            "ORDER BY started_ms DESC, id DESC LIMIT ?",
            (since_ms if since_ms is not None else -(2**62),
             until_ms if until_ms is not None else 2**62, limit),
        )
        return [PurgeRecord(*r) for r in rows]

    def note_run(self, now_ms: int) -> None:
        self.store.execute(
            "INSERT INTO settings(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (LAST_RUN_KEY, str(now_ms)),
        )

    def last_run_ms(self) -> int | None:
        raw = self.store.get_setting(LAST_RUN_KEY)
        return int(raw) if raw and raw.isdigit() else None

    # -- status ----------------------------------------------------------------------------
    def oldest_unheld(self, now_ms: int) -> int | None:
        """recorded_at of the oldest read no hold keeps (the next to expire)."""
        row = self.store.query_one(
            f"SELECT r.recorded_at FROM reads r WHERE {_NOT_HELD} ORDER BY r.recorded_at "
            "LIMIT 1", {"now_ms": now_ms},
        )
        return int(row[0]) if row else None

    def count_due(self, cutoff: int, now_ms: int) -> int:
        row = self.store.query_one(
            f"SELECT count(*) FROM reads r WHERE r.recorded_at <= :cutoff AND {_NOT_HELD}",
            {"cutoff": cutoff, "now_ms": now_ms},
        )
        return int(row[0]) if row else 0

    def any_due(self, cutoff: int, now_ms: int) -> bool:
        row = self.store.query_one(
            f"SELECT EXISTS (SELECT 1 FROM reads r WHERE r.recorded_at <= :cutoff "
            f"AND {_NOT_HELD})", {"cutoff": cutoff, "now_ms": now_ms},
        )
        return bool(row and row[0])

    def read_count(self) -> int:
        row = self.store.query_one("SELECT count(*) FROM reads")
        return int(row[0]) if row else 0

    def held_count(self, now_ms: int) -> int:
        row = self.store.query_one(
            f"SELECT count(*) FROM reads r WHERE {_HELD}", {"now_ms": now_ms})
        return int(row[0]) if row else 0

    # -- giving freed pages back -------------------------------------------------------------
    def auto_vacuum_incremental(self) -> bool:
        row = self.store.query_one("PRAGMA auto_vacuum")
        return bool(row and int(row[0]) == 2)

    def free_pages(self) -> int:
        row = self.store.query_one("PRAGMA freelist_count")
        return int(row[0]) if row else 0

    def incremental_vacuum(self, pages: int) -> int:
        """Return up to ``pages`` free pages to the file system, in the caller's transaction;
        the number returned."""
        before = self.free_pages()
        self.store.execute(f"PRAGMA incremental_vacuum({int(pages)})").fetchall()
        return before - self.free_pages()

    def checkpoint_passive(self) -> None:
        """Copy what the WAL holds into the file without holding anybody back, so the WAL
        stays small and no search's commit inherits a large checkpoint."""
        self.store.query_one("PRAGMA wal_checkpoint(PASSIVE)")

    def checkpoint_truncate(self) -> bool:
        """Copy the WAL into the file and cut the WAL to zero bytes, so the frames that held
        purged rows are gone too; False when a reader kept it from finishing (next run)."""
        # PASSIVE first, beside the other writers. TRUNCATE holds new writers back while it
        # waits for readers, so it runs only when PASSIVE left nothing to copy (else: next run).
        row = self.store.query_one("PRAGMA wal_checkpoint(PASSIVE)")
        if row is None or int(row[0]) != 0 or int(row[1]) != int(row[2]):
            return False
        row = self.store.query_one("PRAGMA wal_checkpoint(TRUNCATE)")
        return row is not None and int(row[0]) == 0

    def page_count(self) -> int:
        row = self.store.query_one("PRAGMA page_count")
        return int(row[0]) if row else 0

    def convert_to_incremental(self, tick: Callable[[float], bool] | None = None) -> None:
        """Turn on incremental vacuum in a store made before it existed: one VACUUM, which
        rewrites the whole file into the WAL and commits it at once (a kill before the commit
        leaves the old file as it was; SQLite ignores uncommitted WAL frames). ``tick(share)``
        is called as it goes with an estimate in [0, 1); True cancels (raises Cancelled, the
        store unchanged). Call outside a transaction; other writers wait while it runs."""
        if self.store.in_transaction:
            raise RuntimeError("the conversion cannot run inside a transaction")
        live = max(1, self.page_count() - self.free_pages())  # free pages are not copied
        expected = max(1.0, live * VACUUM_OPS_PER_PAGE / VACUUM_TICK_OPS)
        calls = 0
        cancelled = False

        def handler() -> int:
            nonlocal calls, cancelled
            calls += 1
            if tick is not None and tick(min(0.99, calls / expected)):
                cancelled = True
                return 1
            return 0

        conn = self.store.conn
        try:
            conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
            conn.set_progress_handler(handler, VACUUM_TICK_OPS)
            try:
                conn.execute("VACUUM")
            finally:
                conn.set_progress_handler(None, 0)
        except DB_ERRORS as exc:
            if cancelled:
                raise Cancelled("the conversion was cancelled; the store is as it was") from None
            raise classify(exc, self.store.path) from exc
