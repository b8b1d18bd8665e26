"""The agency registry (migration 0011): rows in, core.agencies.Agency out."""

from __future__ import annotations

from alpr_desktop.core.agencies import Agency, AgencyKind, Jurisdiction
from alpr_desktop.storage.db import Store

_COLS = ("id, name, kind, jurisdiction, contact, jurisdiction_note, added_by, added_ms, "
         "approved_by, approved_ms, withdrawn_by, withdrawn_ms, withdraw_reason")


def _agency(row: tuple) -> Agency:
    return Agency(row[0], row[1], AgencyKind(row[2]), Jurisdiction(row[3]), row[4], row[5],
                  row[6], row[7], row[8], row[9], row[10], row[11], row[12])


class AgencyRepo:
    def __init__(self, store: Store) -> None:
        self.store = store

    def add(self, name: str, kind: AgencyKind, jurisdiction: Jurisdiction, contact: str,
            note: str, added_by: str, now_ms: int) -> Agency:
        """Insert (inside the caller's transaction); None-free: a duplicate name raises
        the store's integrity error, so check ``by_name`` first."""
        cur = self.store.execute(
            "INSERT INTO agencies(name, name_key, kind, jurisdiction, jurisdiction_note, "
            "contact, added_by, added_ms) VALUES (?,?,?,?,?,?,?,?)",
            (name, name.casefold(), kind.value, jurisdiction.value, note, contact, added_by,
             now_ms))
        got = self.get(int(cur.lastrowid))
        assert got is not None
        return got

    def get(self, agency_id: int) -> Agency | None:
        row = self.store.query_one(f"SELECT {_COLS} FROM agencies WHERE id = ?",
                                   (int(agency_id),))
        return _agency(row) if row else None

    def by_name(self, name: str) -> Agency | None:
        row = self.store.query_one(f"SELECT {_COLS} FROM agencies WHERE name_key = ?",
                                   (name.casefold(),))
        return _agency(row) if row else None

    def all(self, limit: int = 2000) -> list[Agency]:
        return [_agency(r) for r in self.store.query(
            f"SELECT {_COLS} FROM agencies ORDER BY name_key LIMIT ?", (limit,))]

    def approve(self, agency_id: int, by: str, now_ms: int) -> None:
        self.store.execute(
            "UPDATE agencies SET approved_by = ?, approved_ms = ?, withdrawn_by = '', "
            "withdrawn_ms = NULL, withdraw_reason = '' WHERE id = ?", (by, now_ms, agency_id))

    def withdraw(self, agency_id: int, by: str, now_ms: int, reason: str) -> None:
        self.store.execute(
            "UPDATE agencies SET withdrawn_by = ?, withdrawn_ms = ?, withdraw_reason = ? "
            "WHERE id = ?", (by, now_ms, reason, agency_id))
