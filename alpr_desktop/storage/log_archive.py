"""The access log's archive anchors (migration 0019) and the archived prefix's rows.

The triggers allow removing only entries an anchor covers, and an anchor only when it
continues the one before and names a stored entry by its hash; the service inserts the
anchor, logs, and removes the prefix in one transaction."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import dataclass

from alpr_desktop.core.log_archive import Anchor
from alpr_desktop.storage.access_log import _COLUMNS
from alpr_desktop.storage.db import Store

_ANCHOR_COLS = ("a.first_seq, a.last_seq, a.last_hash, a.archive_name, a.archive_sha256, "
                "a.archived_ms, a.archived_by, k.fingerprint, a.body, a.signature, "
                "k.public_key")


DELETE_CHUNK = 5_000


@dataclass(frozen=True)
class StoredAnchor:
    anchor: Anchor
    body: str  # the signed text as stored
    signature: bytes
    public_key: bytes  # the pinned key it names


class LogArchiveRepo:
    def __init__(self, store: Store) -> None:
        self.store = store

    def anchors(self) -> list[StoredAnchor]:
        rows = self.store.query(
            f"SELECT {_ANCHOR_COLS} FROM log_anchors a JOIN checkpoint_keys k "
            "ON k.id = a.key_id ORDER BY a.last_seq")
        return [StoredAnchor(
            Anchor(int(r[0]), int(r[1]), str(r[2]), str(r[3]), str(r[4]), int(r[5]), str(r[6]),
                   str(r[7]), self.store.store_id),
            str(r[8]), base64.b64decode(r[9]), bytes.fromhex(r[10])) for r in rows]

    def anchor_count(self) -> int:
        """Counted without the key join: an anchor whose key row is missing still counts."""
        return int(self.store.scalar("SELECT count(*) FROM log_anchors"))

    def archived_to(self) -> int:
        return int(self.store.scalar("SELECT coalesce(max(last_seq), 0) FROM log_anchors"))

    def segment_end(self, first_seq: int, before_ms: int) -> int:
        """The last entry of the prefix from ``first_seq`` whose every entry is older than
        ``before_ms`` (the prefix stops at the first younger entry, whatever comes after);
        ``first_seq - 1`` when there is none. The log's newest entry is never included."""
        # Walked in seq order from first_seq (the unary + keeps the planner off the ts_ms
        # index, which would visit every younger entry): usually the first entry answers.
        row = self.store.query_one(
            "SELECT seq FROM access_log WHERE seq >= ? AND +ts_ms >= ? ORDER BY seq LIMIT 1",
            (first_seq, before_ms))
        head = int(self.store.scalar("SELECT coalesce(max(seq), 0) FROM access_log"))
        last = int(row[0]) - 1 if row and row[0] is not None else head
        return min(last, head - 1)

    def rows(self, first_seq: int, last_seq: int) -> list[tuple]:
        """The entries as stored, every column, in order."""
        return self.store.query(
            f"SELECT {_COLUMNS} FROM access_log WHERE seq >= ? AND seq <= ? ORDER BY seq",
            (first_seq, last_seq))

    def iter_rows(self, first_seq: int, last_seq: int, size: int) -> Iterator[list[tuple]]:
        """The same entries in chunks of at most ``size`` (one indexed query each), so that a
        segment of any length is archived in bounded memory. The archived prefix is older
        than five years and append-only: it cannot change between chunks."""
        start = first_seq
        while start <= last_seq:
            rows = self.store.query(
                f"SELECT {_COLUMNS} FROM access_log WHERE seq >= ? AND seq <= ? "
                "ORDER BY seq LIMIT ?", (start, last_seq, size))
            if not rows:
                return
            yield rows
            start = int(rows[-1][0]) + 1

    def hash_at(self, seq: int) -> str | None:
        row = self.store.query_one("SELECT hash FROM access_log WHERE seq = ?", (seq,))
        return str(row[0]) if row else None

    def add_anchor(self, anchor: Anchor, key_id: int, signature: bytes) -> None:
        """Call inside the archiving transaction."""
        self.store.execute(
            "INSERT INTO log_anchors(first_seq, last_seq, last_hash, archive_name, "
            "archive_sha256, archived_ms, archived_by, key_id, body, signature) "
            "VALUES (?,?,?,?,?,?,?,?,?,?)",
            (anchor.first_seq, anchor.last_seq, anchor.last_hash, anchor.archive_name,
             anchor.archive_sha256, anchor.archived_ms, anchor.archived_by, key_id,
             anchor.body().decode("utf-8"), base64.b64encode(signature).decode("ascii")))

    def remove_prefix(self, last_seq: int) -> int:
        """Delete entries up to ``last_seq`` (the triggers refuse any an anchor does not
        cover). Call inside the archiving transaction, after ``add_anchor``. One statement per
        ``DELETE_CHUNK`` entries: SQLite collects the rows a DELETE with triggers will remove
        before removing them, so one statement over a million entries held tens of MiB more
        (the transaction is still one)."""
        start = int(self.store.scalar("SELECT coalesce(min(seq), 1) FROM access_log"))
        removed = 0
        for lo in range(start, last_seq + 1, DELETE_CHUNK):
            removed += int(self.store.execute(
                "DELETE FROM access_log WHERE seq >= ? AND seq <= ?",
                (lo, min(last_seq, lo + DELETE_CHUNK - 1))).rowcount)
        return removed
