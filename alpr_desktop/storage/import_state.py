"""Import bookkeeping: per-file progress checkpoints, kept rejects, saved mapping presets, and
the duplicate check against (source, vendor_read_id).

Checkpoints and rejects are written in the same transaction as the batch of reads they
describe, so after a kill the store says exactly how far the file got.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from alpr_desktop.storage.db import Store

PRESET_PREFIX = "import.mapping."


@dataclass(frozen=True)
class FileProgress:
    sha256: str
    config: str
    name: str
    format: str
    records_done: int
    accepted: int
    duplicates: int
    rejected: int
    started_ms: int
    finished_ms: int | None

    @property
    def finished(self) -> bool:
        return self.finished_ms is not None


_PROGRESS_COLS = (
    "sha256, config, name, format, records_done, accepted, duplicates, rejected, started_ms, "
    "finished_ms"
)


class ImportStateRepo:
    def __init__(self, store: Store) -> None:
        self.store = store

    # -- progress ---------------------------------------------------------------------------
    def progress(self, sha256: str, config: str) -> FileProgress | None:
        row = self.store.query_one(
            f"SELECT {_PROGRESS_COLS} FROM import_files WHERE sha256 = ? AND config = ?",
            (sha256, config),
        )
        return FileProgress(*row) if row else None

    def start(self, sha256: str, config: str, name: str, fmt: str, now_ms: int) -> FileProgress:
        with self.store.transaction() as c:
            c.execute(
                "INSERT OR IGNORE INTO import_files(sha256, config, name, format, started_ms) "
                "VALUES (?, ?, ?, ?, ?)",
                (sha256, config, name, fmt, now_ms),
            )
        got = self.progress(sha256, config)
        assert got is not None
        return got

    def checkpoint(
        self, sha256: str, config: str, *, records_done: int, accepted: int, duplicates: int,
        rejected: int, finished_ms: int | None = None,
    ) -> None:
        with self.store.transaction() as c:
            c.execute(
                "UPDATE import_files SET records_done = ?, accepted = ?, duplicates = ?, "
                "rejected = ?, finished_ms = coalesce(?, finished_ms) "
                "WHERE sha256 = ? AND config = ?",
                (records_done, accepted, duplicates, rejected, finished_ms, sha256, config),
            )

    def recent(self, limit: int = 200) -> list[FileProgress]:
        """The files imported, newest first (names and counts; no read data)."""
        rows = self.store.query(
            f"SELECT {_PROGRESS_COLS} FROM import_files ORDER BY started_ms DESC, name "
            "LIMIT ?",
            (int(limit),),
        )
        return [FileProgress(*r) for r in rows]

    # -- rejects ----------------------------------------------------------------------------
    def add_rejects(
        self, sha256: str, config: str, rejects: Iterable[tuple[int, int, str, str]]
    ) -> None:
        """(record position, line, reason, column) tuples; a repeat of a kept one is ignored."""
        rows = [(sha256, config, *r) for r in rejects]
        if not rows:
            return
        with self.store.transaction() as c:
            c.executemany(
                "INSERT OR IGNORE INTO import_rejects(sha256, config, record, line, reason, "
                "column_name) VALUES (?, ?, ?, ?, ?, ?)",
                rows,
            )

    def rejects(self, sha256: str, config: str) -> list[tuple[int, str, str]]:
        """(line, reason, column) in file order."""
        return [
            (int(r[0]), str(r[1]), str(r[2]))
            for r in self.store.query(
                "SELECT line, reason, column_name FROM import_rejects "
                "WHERE sha256 = ? AND config = ? ORDER BY record",
                (sha256, config),
            )
        ]

    # -- duplicates -------------------------------------------------------------------------
    def existing_vendor_ids(self, source: str, vendor_ids: Sequence[str]) -> set[str]:
        """Which of ``vendor_ids`` are already stored under ``source`` (uses the UNIQUE index).
        One statement for the whole batch: SQLite runs it without taking the GIL back, so a
        parsing thread keeps going meanwhile."""
        if not vendor_ids:
            return set()
        rows = self.store.query(
            "SELECT vendor_read_id FROM reads WHERE source = ? "
            "AND vendor_read_id IN (SELECT value FROM json_each(?))",
            (source, json.dumps(list(vendor_ids), ensure_ascii=False)),
        )
        return {r[0] for r in rows}

    # -- mapping presets (settings table, JSON text) -----------------------------------------
    def save_preset(self, name: str, mapping_json: str) -> None:
        self.store.set_setting(PRESET_PREFIX + name, mapping_json)

    def preset(self, name: str) -> str | None:
        return self.store.get_setting(PRESET_PREFIX + name)

    def preset_names(self) -> list[str]:
        rows = self.store.query(
            "SELECT substr(key, ?) FROM settings WHERE substr(key, 1, ?) = ? ORDER BY key",
            (len(PRESET_PREFIX) + 1, len(PRESET_PREFIX), PRESET_PREFIX),
        )
        return [r[0] for r in rows]

    def delete_preset(self, name: str) -> bool:
        with self.store.transaction() as c:
            cur = c.execute("DELETE FROM settings WHERE key = ?", (PRESET_PREFIX + name,))
            return cur.rowcount > 0
