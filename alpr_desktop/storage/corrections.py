"""Corrections of misreads: rows in read_corrections (migration 0013), core.corrections out.

The read row is never touched. A correction's plate goes into the plates table like any
plate (so a wildcard or substring search resolves it), and search finds the corrected read
through the in-force corrections naming a resolved plate (storage/plate_search.py)."""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence

from alpr_desktop.core.corrections import Correction, CorrectionInput, EndKind
from alpr_desktop.core.models import Read
from alpr_desktop.core.plates import ocr_key
from alpr_desktop.storage.db import Store
from alpr_desktop.storage.limit_sql import limit as sql_limit
from alpr_desktop.storage.plates import resolve_plate_ids
from alpr_desktop.storage.read_rows import FROM_READS, READ_COLUMNS, row_to_read
from alpr_desktop.storage.search_queries import Order, Where

_SELECT = (
    "SELECT k.id, k.read_id, k.plate, k.state, k.make, k.model, k.color, k.body_type, "
    "k.reason, k.evidence_kind, k.evidence_sha256, cu.username, k.corrected_ms, k.ended_ms, "
    "eu.username, k.end_kind, k.end_reason FROM read_corrections k "
    "JOIN users cu ON cu.id = k.corrected_by LEFT JOIN users eu ON eu.id = k.ended_by"
)


# Up to this many plates, the corrections naming them are found by probing the index plate by
# plate (about 0.13 µs a plate) without first counting the corrections in force.
PROBE_MAX_PLATES = 256
# Beyond it, one pass over the corrections in force (about 0.3 µs each) instead, when the
# plates outnumber them this many times over.
PASS_PLATES_PER_CORRECTION = 2


def _row(r: tuple) -> Correction:
    return Correction(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11],
                      r[12], r[13], r[14], EndKind(r[15]) if r[15] else None, r[16] or "")


class CorrectionRepo:
    def __init__(self, store: Store) -> None:
        self.store = store

    def add(self, c: CorrectionInput, evidence_sha256: str, corrected_by: int,
            now_ms: int) -> Correction:
        """Record ``c``, ending the correction in force on the read (superseded)."""
        values = c.values()
        with self.store.transaction() as conn:
            conn.execute(
                "UPDATE read_corrections SET ended_ms = ?, ended_by = ?, end_kind = ? "
                "WHERE read_id = ? AND ended_ms IS NULL",
                (now_ms, corrected_by, EndKind.SUPERSEDED.value, c.read_id))
            plate_id = None
            if "plate" in values:
                plate = values["plate"]
                plate_id = resolve_plate_ids(conn, [plate], {plate: ocr_key(plate)})[plate]
            cur = conn.execute(
                "INSERT INTO read_corrections(read_id, plate_id, plate, state, make, model, "
                "color, body_type, reason, evidence_kind, evidence_sha256, corrected_by, "
                "corrected_ms) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (c.read_id, plate_id, values.get("plate"), values.get("state"),
                 values.get("make"), values.get("model"), values.get("color"),
                 values.get("body_type"), c.reason.strip(), c.evidence_kind, evidence_sha256,
                 corrected_by, now_ms))
            new_id = int(cur.lastrowid)
        found = self.get(new_id)
        assert found is not None
        return found

    def revert(self, correction_id: int, by: int, reason: str, now_ms: int) -> Correction:
        with self.store.transaction() as conn:
            conn.execute(
                "UPDATE read_corrections SET ended_ms = ?, ended_by = ?, end_kind = ?, "
                "end_reason = ? WHERE id = ? AND ended_ms IS NULL",
                (now_ms, by, EndKind.REVERTED.value, reason.strip(), correction_id))
        found = self.get(correction_id)
        assert found is not None
        return found

    def get(self, correction_id: int) -> Correction | None:
        row = self.store.query_one(f"{_SELECT} WHERE k.id = ?", (correction_id,))
        return _row(row) if row else None

    def in_force(self, read_id: int) -> Correction | None:
        row = self.store.query_one(f"{_SELECT} WHERE k.read_id = ? AND k.ended_ms IS NULL",
                                   (read_id,))
        return _row(row) if row else None

    def history(self, read_id: int) -> list[Correction]:
        """Every correction of the read, oldest first."""
        return [_row(r) for r in self.store.query(
            f"{_SELECT} WHERE k.read_id = ? ORDER BY k.corrected_ms, k.id", (read_id,))]

    def in_force_for(self, read_ids: Sequence[int]) -> dict[int, Correction]:
        """The corrections in force on these reads (a results page), by read id."""
        if not read_ids:
            return {}
        rows = self.store.query(
            f"{_SELECT} WHERE k.ended_ms IS NULL AND k.read_id IN "
            "(SELECT value FROM json_each(?))", (json.dumps(list(read_ids)),))
        return {int(r[1]): _row(r) for r in rows}

    def count_in_force(self) -> int:
        return int(self.store.scalar(
            "SELECT count(*) FROM read_corrections WHERE ended_ms IS NULL"))


class CorrectionQueries:
    """What plate search needs of corrections (storage/plate_search.py): the plates named by
    corrections in force, and the corrected reads' rows by id under the search's filters."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def in_force_plates(self, plate_ids: Collection[int]) -> list[tuple[int, int, int, str]]:
        """(read id, corrected plate id, the read's own plate id, corrected plate) of each
        correction in force that corrects a read's plate to one of ``plate_ids``. Only those
        corrections and their reads are read: reading every correction in force and its read
        on every search cost an exact search 9 ms at 2,000 corrections and 34 ms at 10,000
        (issue 20). The plates are probed in the partial index read_corrections_plate one by
        one, unless a broad pattern's plates far outnumber the corrections in force: then
        one pass over those corrections picks the ones naming a plate of the set."""
        if not plate_ids:
            return []
        if len(plate_ids) > PROBE_MAX_PLATES:
            in_force = int(self.store.scalar(
                "SELECT count(*) FROM read_corrections INDEXED BY read_corrections_plate "
                "WHERE ended_ms IS NULL AND plate_id IS NOT NULL"))
            if in_force == 0:
                return []
            if in_force * PASS_PLATES_PER_CORRECTION < len(plate_ids):
                return self._named_by_pass(plate_ids)
        return self._rows(
            "SELECT k.read_id, k.plate_id, r.plate_id, k.plate FROM json_each(?) j "
            "CROSS JOIN read_corrections k INDEXED BY read_corrections_plate "
            "ON k.plate_id = j.value JOIN reads r ON r.id = k.read_id "
            "WHERE k.ended_ms IS NULL AND k.plate_id IS NOT NULL",
            (json.dumps(list(plate_ids)),))

    def in_force_matching(self, glob: str) -> list[tuple[int, int, int, str]]:
        """As ``in_force_plates`` for every plate matching ``glob``, by their text: each
        correction in force whose corrected plate matches while the read's own plate does
        not (a read of a matching plate is found as itself). For a page of a broad pattern
        from the postings, which does not read the pattern's plates (storage/plate_search.py):
        the partial index of their text (migration 0029): a range of it for a pattern with a
        literal start, else its entries tested one by one; rows are read for matches only."""
        return self._rows(
            "SELECT k.read_id, k.plate_id, r.plate_id, k.plate "
            "FROM read_corrections k INDEXED BY read_corrections_text "
            "JOIN reads r ON r.id = k.read_id JOIN plates p ON p.id = r.plate_id "
            "WHERE k.ended_ms IS NULL AND k.plate IS NOT NULL AND k.plate GLOB ? "
            "AND p.plate_norm NOT GLOB ?", (glob, glob))

    def _named_by_pass(self, plate_ids: Collection[int]) -> list[tuple[int, int, int, str]]:
        wanted = plate_ids if isinstance(plate_ids, (set, frozenset)) else set(plate_ids)
        ids = [int(cid) for cid, pid in self.store.query(
            "SELECT id, plate_id FROM read_corrections INDEXED BY read_corrections_plate "
            "WHERE ended_ms IS NULL AND plate_id IS NOT NULL") if pid in wanted]
        if not ids:
            return []
        return self._rows(
            "SELECT k.read_id, k.plate_id, r.plate_id, k.plate FROM json_each(?) j "
            "CROSS JOIN read_corrections k ON k.id = j.value "
            "JOIN reads r ON r.id = k.read_id", (json.dumps(ids),))

    def _rows(self, sql: str, params: tuple[object, ...]) -> list[tuple[int, int, int, str]]:
        """(read id, corrected plate id, the read's own plate id, corrected plate) rows."""
        return [(int(r[0]), int(r[1]), int(r[2]), str(r[3]))
                for r in self.store.query(sql, params)]

    def reads_with_candidates(self, read_ids: Sequence[int], plate_ids: set[int]) -> set[int]:
        """Which of these reads have an alternate candidate among ``plate_ids``."""
        rows = self.store.query(
            "SELECT DISTINCT read_id FROM read_candidates WHERE read_id IN "
            "(SELECT value FROM json_each(?)) AND plate_id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(read_ids)), json.dumps(sorted(plate_ids))))
        return {int(r[0]) for r in rows}

    def in_force_for(self, read_ids: Sequence[int]) -> dict[int, Correction]:
        return CorrectionRepo(self.store).in_force_for(read_ids)

    def page_by_ids(self, read_ids: Sequence[int], where: Where,
                    after: tuple[object, int] | None, limit: int, order: Order) -> list[Read]:
        ks, ks_params = order.keyset(after)
        by = order.sql()
        sql = (f"SELECT {READ_COLUMNS} FROM reads r {FROM_READS} WHERE "
               + " AND ".join(c for c in ("r.id IN (SELECT value FROM json_each(?))",
                                          where.sql, ks) if c)
               + f" ORDER BY {by} {sql_limit(limit)}")
        params = (json.dumps(list(read_ids)), *where.params, *ks_params)
        return [row_to_read(r) for r in self.store.query(sql, params)]

    def ids_matching(self, read_ids: Sequence[int], where: Where) -> set[int]:
        sql = ("SELECT r.id FROM reads r WHERE "
               + " AND ".join(c for c in ("r.id IN (SELECT value FROM json_each(?))",
                                          where.sql) if c))
        return {int(r[0]) for r in self.store.query(sql, (json.dumps(list(read_ids)),
                                                          *where.params))}
