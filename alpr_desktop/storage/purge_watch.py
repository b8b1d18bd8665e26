"""What an open program needs to notice a purge run by another process (the scheduled
``alpr-desktop purge`` while the program is open; issue 14): a cheap token of the recent
purge records, and which of a few read ids are no longer stored. No read data leaves here."""

from __future__ import annotations

from collections.abc import Sequence

from alpr_desktop.storage.db import Store

RECENT_RUNS = 16  # a run still deleting, or two at once, keep changing one of the last rows
ID_CHUNK = 500


class PurgeWatchRepo:
    def __init__(self, store: Store) -> None:
        self.store = store

    def token(self) -> tuple[int, int]:
        """(newest purge record id, reads deleted by the newest few records): it changes
        whenever any process starts a purge run or commits one of its batches. Two index
        reads on the primary key, whatever the size of the history."""
        row = self.store.query_one(
            "SELECT coalesce(max(id), 0), coalesce(sum(reads_deleted), 0) FROM "
            "(SELECT id, reads_deleted FROM purges ORDER BY id DESC LIMIT ?)", (RECENT_RUNS,))
        return (int(row[0]), int(row[1])) if row else (0, 0)

    def missing(self, read_ids: Sequence[int]) -> frozenset[int]:
        """Those of ``read_ids`` no longer stored (ids are never reused: gone is gone)."""
        wanted = sorted({int(i) for i in read_ids})
        present: set[int] = set()
        for at in range(0, len(wanted), ID_CHUNK):
            part = wanted[at:at + ID_CHUNK]
            marks = ",".join("?" * len(part))
            present.update(int(r[0]) for r in self.store.query(
                f"SELECT id FROM reads WHERE id IN ({marks})", tuple(part)))
        return frozenset(wanted) - present
