"""Distinct normalized plates: resolution to ids on insert, and the lookups search starts from.

Searches resolve a pattern against this table (hundreds of thousands of rows) before touching
reads (millions). ``resolve_plate_ids`` is the only code that inserts plates, and it also adds
them to the FTS5 trigram index (in bulk, which is four times cheaper than a trigger).
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping

from alpr_desktop.core.plates import MAX_PLATE_LEN, normalize_plate, ocr_key
from alpr_desktop.storage.db import Connection, Store
from alpr_desktop.storage.errors import StoreCorrupt
from alpr_desktop.storage.sequences import PLATES, allocate

# A plate already in normal form: NFKC, separator removal, confusable folding and upper-casing
# all leave it unchanged, so the general (and much slower) normalize_plate can be skipped.
_ALREADY_NORMAL = re.compile(rf"[A-Z0-9]{{1,{MAX_PLATE_LEN}}}")
_TRIGRAM = 3


def fast_normalize(plate: str) -> str:
    """normalize_plate, with a shortcut for the common already-normal case (bulk insert)."""
    if _ALREADY_NORMAL.fullmatch(plate):
        return plate
    return normalize_plate(plate)


def resolve_plate_ids(
    c: Connection, norms: Collection[str], ocr_keys: Mapping[str, str] | None = None
) -> dict[str, int]:
    """Ids of the given normalized plates, adding the ones not yet known.

    Must run inside the caller's write transaction: new ids come from the plates sequence
    (storage/sequences.py), and the plate generation moves so cached pattern resolutions
    are dropped. No id is kept across transactions, since a purge may delete plates and a
    rollback undo them.

    ``ocr_keys`` may hold the OCR keys of some of the plates, computed beforehand on another
    thread (an import's reading thread): a missing one is computed here."""
    if not norms:
        return {}
    wanted = list(norms)
    ids: dict[str, int] = dict(
        c.execute(
            "SELECT p.plate_norm, p.id FROM json_each(?) AS j "
            "JOIN plates AS p ON p.plate_norm = j.value",
            (json.dumps(wanted),),
        ).fetchall()
    )
    missing = sorted(set(wanted).difference(ids))
    if missing:
        first = allocate(c, PLATES, len(missing))
        new_ids = range(first, first + len(missing))
        keys = ocr_keys or {}
        # One statement, not executemany: each executemany row hands the GIL back and forth,
        # which cost seconds per million reads with an import's parsing thread running.
        c.execute(
            "INSERT INTO plates(id, plate_norm, ocr_key) "
            "SELECT ? + key, value->>0, value->>1 FROM json_each(?)",
            (first, json.dumps([(n, keys.get(n) or ocr_key(n)) for n in missing],
                               ensure_ascii=False)),
        )
        # One statement for the whole batch: see the note on plates_fts in 0001_initial.sql.
        c.execute(
            "INSERT INTO plates_fts(rowid, plate_norm) "
            "SELECT id, plate_norm FROM plates WHERE id BETWEEN ? AND ?",
            (first, first + len(missing) - 1),
        )
        c.execute("UPDATE plate_generation SET n = n + 1")
        ids.update(zip(missing, new_ids, strict=True))
    return ids


class PlateIdCache:
    """Plate ids from earlier batches, so a bulk import looks up each distinct plate once
    rather than once per batch.

    Keys are normalized plates, so a raw plate found here is already in normal form: one
    dict probe both normalizes and resolves the common case. A plate's id never changes (a
    trigger forbids updates) and is only reused after a delete, which bumps
    ``plate_deletions``: the cache empties itself when that count moves. Entries added inside
    a transaction stay pending until the caller says it committed (``commit``) or not
    (``rollback``), so a rolled-back plate's id is never reused from here."""

    MAX_ENTRIES = 2_000_000

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self._pending: list[str] = []
        self._deletions: int | None = None

    def validate(self, c: Connection) -> dict[str, int]:
        """The cached ids, emptied first if plates were deleted since they were read. Call
        inside the write transaction, so no deletion can happen before it ends."""
        deletions = c.execute("SELECT n FROM plate_deletions").fetchone()[0]
        if deletions != self._deletions or len(self.ids) > self.MAX_ENTRIES:
            self.ids.clear()
            self._deletions = deletions
        return self.ids

    def add_new(
        self, c: Connection, norms: Collection[str], ocr_keys: Mapping[str, str] | None = None
    ) -> None:
        """Resolve plates not in the cache, adding them to the store if needed, and cache
        them as pending."""
        fresh = resolve_plate_ids(c, set(norms).difference(self.ids), ocr_keys)
        self._pending.extend(fresh)
        self.ids.update(fresh)

    def commit(self) -> None:
        self._pending.clear()

    def rollback(self) -> None:
        for n in self._pending:
            self.ids.pop(n, None)
        self._pending.clear()


class PlateRepo:
    """Read side of the distinct-plates table."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def count(self) -> int:
        return int(self.store.scalar("SELECT count(*) FROM plates"))

    def id_of(self, plate: str) -> int | None:
        row = self.store.query_one(
            "SELECT id FROM plates WHERE plate_norm = ?", (fast_normalize(plate),)
        )
        return int(row[0]) if row else None

    def substring(self, fragment: str, limit: int = 10_000) -> list[str]:
        """Distinct plates containing ``fragment`` (normalized first), in plate order.

        Three characters or more go through the trigram index; shorter fragments have no
        trigram, so they scan the (small) plates table instead."""
        frag = normalize_plate(fragment)
        if len(frag) >= _TRIGRAM:
            # frag is A-Z0-9 only, so quoting it as an FTS5 string needs no escaping.
            rows = self.store.query(
                "SELECT p.plate_norm FROM plates_fts JOIN plates AS p ON p.id = plates_fts.rowid "
                "WHERE plates_fts MATCH ? ORDER BY p.plate_norm LIMIT ?",
                (f'"{frag}"', limit),
            )
        else:
            rows = self.store.query(
                "SELECT plate_norm FROM plates WHERE instr(plate_norm, ?) > 0 "
                "ORDER BY plate_norm LIMIT ?",
                (frag, limit),
            )
        return [r[0] for r in rows]

    def index_intact(self) -> bool:
        """Whether the trigram index agrees with the plates table (a health check)."""
        try:
            self.store.execute(
                "INSERT INTO plates_fts(plates_fts, rank) VALUES ('integrity-check', 1)"
            )
        except StoreCorrupt:
            return False
        return True

    def by_ocr_key(self, key: str) -> list[str]:
        """Plates that OCR look-alikes could have produced from the same characters."""
        rows = self.store.query(
            "SELECT plate_norm FROM plates WHERE ocr_key = ? ORDER BY plate_norm", (key,)
        )
        return [r[0] for r in rows]
