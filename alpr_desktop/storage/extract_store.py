"""An offline review extract's file: a SQLCipher store made by the same migrations as the
City's store, holding only the released reads, their plates, cameras and images, the extract's
description and signing key (settings), and its own access log.

Using the store's schema rather than a small one of its own means the reads, images and
access-log repositories (with the append-only triggers and the chain) work on an extract
unchanged, and a read keeps its City id, so the reviewer's log names reads as the City does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from alpr_desktop.core.models import Read
from alpr_desktop.storage.db import Store, create_store, open_store
from alpr_desktop.storage.image_segments import DATA_COLUMNS
from alpr_desktop.storage.read_rows import FROM_READS, READ_COLUMNS, row_to_read

_MANIFEST = "extract.manifest"
_SIGNING_KEY = "extract.signing_key"
_MARK = "extract"


@dataclass(frozen=True)
class TableRows:
    table: str
    columns: tuple[str, ...]
    rows: tuple[tuple, ...]


@dataclass(frozen=True)
class ReleasedRows:
    """The stored rows of the released reads and what they refer to, copied as they are (any
    column a later migration adds comes along)."""

    tables: tuple[TableRows, ...]
    read_ids: tuple[int, ...]

    def count(self, table: str) -> int:
        return next((len(t.rows) for t in self.tables if t.table == table), 0)


# Copied in this order so each row's references are already there.
COPIED_TABLES = ("cameras", "plates", "reads", "images")


def _select_rows(store: Store, table: str, where: str, ids: Sequence[int]) -> TableRows:
    cur = store.execute(f"SELECT * FROM {table} WHERE {where} IN "
                        f"(SELECT value FROM json_each(?))", (_json_ids(ids),))
    cols = tuple(d[0] for d in cur.description)
    return TableRows(table, cols, tuple(tuple(r) for r in cur.fetchall()))


def _json_ids(ids: Sequence[int]) -> str:
    return "[" + ",".join(str(int(i)) for i in ids) + "]"


def released_rows(store: Store, read_ids: Sequence[int]) -> ReleasedRows:
    """Rows of ``read_ids`` (those that exist) and of their plates, cameras and images."""
    reads = _select_rows(store, "reads", "id", read_ids)
    idx = {c: i for i, c in enumerate(reads.columns)}
    found = tuple(int(r[idx["id"]]) for r in reads.rows)
    plates = sorted({int(r[idx["plate_id"]]) for r in reads.rows})
    cams = sorted({int(r[idx["camera_id"]]) for r in reads.rows})
    return ReleasedRows((
        _select_rows(store, "cameras", "id", cams),
        _select_rows(store, "plates", "id", plates),
        reads,
        _inline_images(store, _select_rows(store, "images", "read_id", found)),
    ), found)


def _inline_images(store: Store, t: TableRows) -> TableRows:
    """The image rows with their bytes inline: an extract travels as one file, without the
    store's segment folder (storage/image_segments.py)."""
    col = {c: i for i, c in enumerate(t.columns)}
    data_cols = [col[c] for c in DATA_COLUMNS]
    rows = []
    for r in t.rows:
        row = list(r)
        row[data_cols[0]] = store.segments.row_data(*(r[i] for i in data_cols))
        for i in data_cols[1:]:
            row[i] = None
        rows.append(tuple(row))
    return TableRows(t.table, t.columns, tuple(rows))


class ExtractContentRepo:
    """The extract side: what an extract holds and says about itself."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def is_extract(self) -> bool:
        return self.store.get_setting(_MARK) == "1"

    def put_rows(self, rows: ReleasedRows) -> None:
        with self.store.transaction() as c:
            for t in rows.tables:
                if not t.rows:
                    continue
                cols = ", ".join(t.columns)
                marks = ", ".join("?" for _ in t.columns)
                c.executemany(f"INSERT INTO {t.table}({cols}) VALUES ({marks})", t.rows)

    def set_description(self, manifest_json: str, signing_key: bytes) -> None:
        with self.store.transaction() as c:
            c.executemany(
                "INSERT INTO settings(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [(_MANIFEST, manifest_json), (_SIGNING_KEY, signing_key.hex()), (_MARK, "1")])

    def manifest_json(self) -> str | None:
        return self.store.get_setting(_MANIFEST)

    def signing_key(self) -> bytes | None:
        text = self.store.get_setting(_SIGNING_KEY)
        return bytes.fromhex(text) if text else None

    def read_ids(self) -> list[int]:
        return [int(r[0]) for r in self.store.query("SELECT id FROM reads ORDER BY id")]

    def all_reads(self) -> list[Read]:
        rows = self.store.query(
            f"SELECT {READ_COLUMNS} FROM reads r {FROM_READS} ORDER BY r.recorded_at, r.id")
        return [row_to_read(r) for r in rows]

    def last_log_ms(self) -> int | None:
        row = self.store.query_one("SELECT max(ts_ms) FROM access_log")
        return int(row[0]) if row and row[0] is not None else None


def create_extract_file(path: Path | str, key: bytes) -> Store:
    """A new, empty extract file (the store's schema) at ``path``; refuses to overwrite."""
    return create_store(path, key)


def open_extract_file(path: Path | str, key: bytes) -> Store:
    """Open an extract. Raises the store's typed errors (WrongKey, NotAStore, StoreCorrupt)."""
    return open_store(path, key)
