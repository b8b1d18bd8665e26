"""Plates one OCR-key edit away, through the deletion neighbourhood (migration 0020).

A key k is one edit from the searched key q exactly when one of these holds:

* k is q with one character deleted: ``plates.ocr_key IN deletions(q)``;
* k is q with one character inserted: q is among k's deletions;
* k is q with one character substituted: both share the key with that position deleted.

So the plates whose key is q or one edit from it are among those found by probing the
plates_ocr_key index with q and its deletions, and plate_key_deletions with the same keys:
about 2 x 8 probes instead of one per key one edit away (~380). Two keys that share a
deletion at different positions can be two edits apart (AB, BA): the caller keeps only the
plates that ``core.patterns.classify_fuzzy`` accepts, so the answer is the same as probing
every key one edit away.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from alpr_desktop.core.plates import MAX_PLATE_LEN
from alpr_desktop.storage.db import Connection, Store
from alpr_desktop.storage.search_queries import PlateHit

_POSITIONS = json.dumps(list(range(1, MAX_PLATE_LEN + 1)))
# A plate's key with each character deleted in turn (1-based position j.value).
_VARIANTS = (
    "SELECT substr(p.ocr_key, 1, j.value - 1) || substr(p.ocr_key, j.value + 1), p.id "
    f"FROM plates AS p, json_each('{_POSITIONS}') AS j WHERE j.value <= length(p.ocr_key)"
)


def deletions(key: str) -> list[str]:
    """``key`` with one character deleted, each distinct variant once, in order."""
    return sorted({key[:i] + key[i + 1:] for i in range(len(key))})


def index_plate_range(c: Connection, first: int, last: int) -> None:
    """Add the deletion variants of plates ``first``..``last`` (ids just inserted), inside
    the caller's transaction. One statement for the batch, sorted so each index leaf is
    written once."""
    c.execute(
        "INSERT OR IGNORE INTO plate_key_deletions(variant, plate_id) "
        f"{_VARIANTS} AND p.id BETWEEN ? AND ? ORDER BY 1, 2",
        (first, last),
    )


def index_plates(c: Connection, ids: Iterable[int]) -> None:
    """Add the deletion variants of the given plates (copied in by id, e.g. an extract)."""
    c.execute(
        "INSERT OR IGNORE INTO plate_key_deletions(variant, plate_id) "
        f"{_VARIANTS} AND p.id IN (SELECT value FROM json_each(?)) ORDER BY 1, 2",
        (json.dumps([int(i) for i in ids]),),
    )


class FuzzyPlates:
    """Candidates for a fuzzy search: a superset of the plates whose key is the searched key
    or one edit from it, each once (the caller classifies them)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def candidates(self, key: str) -> list[PlateHit]:
        probes = json.dumps([key, *deletions(key)])
        rows = self.store.query(
            "SELECT id, plate_norm, ocr_key FROM plates "
            "WHERE ocr_key IN (SELECT value FROM json_each(?1)) "
            "UNION "
            "SELECT p.id, p.plate_norm, p.ocr_key FROM plate_key_deletions AS d "
            "JOIN plates AS p ON p.id = d.plate_id "
            "WHERE d.variant IN (SELECT value FROM json_each(?1)) "
            "ORDER BY 1",
            (probes,),
        )
        return [PlateHit(*r) for r in rows]

    def probes(self, key: str) -> int:
        """Index probes one search makes (two per distinct key probed): the plan's words."""
        return 2 * (1 + len(deletions(key)))
