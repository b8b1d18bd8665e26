"""The incident register: rows in, core.incidents.Incident out."""

from __future__ import annotations

from alpr_desktop.core.incidents import Incident, IncidentInput
from alpr_desktop.storage.db import Store

_SELECT = (
    "SELECT i.id, i.discovered_ms, i.breach_from_ms, i.breach_to_ms, i.what_happened, "
    "i.data_involved, i.data_from_ms, i.data_to_ms, i.encrypted, i.key_exposed, "
    "i.people_affected, i.california_residents, i.actions_taken, i.contact, u.username, "
    "i.recorded_ms, i.notice_ms FROM incidents i JOIN users u ON u.id = i.recorded_by"
)


def _incident(r: tuple) -> Incident:
    return Incident(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], bool(r[8]), bool(r[9]),
                    r[10], r[11], r[12], r[13], r[14], r[15], r[16])


class IncidentRepo:
    def __init__(self, store: Store) -> None:
        self.store = store

    def add(self, inc: IncidentInput, recorded_by: int, now_ms: int) -> Incident:
        with self.store.transaction() as c:
            cur = c.execute(
                "INSERT INTO incidents(discovered_ms, breach_from_ms, breach_to_ms, "
                "what_happened, data_involved, data_from_ms, data_to_ms, encrypted, "
                "key_exposed, people_affected, california_residents, actions_taken, contact, "
                "recorded_by, recorded_ms) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (inc.discovered_ms, inc.breach_from_ms, inc.breach_to_ms,
                 inc.what_happened.strip(), inc.data_involved.strip(), inc.data_from_ms,
                 inc.data_to_ms, int(inc.encrypted), int(inc.key_exposed),
                 inc.people_affected, inc.california_residents, inc.actions_taken.strip(),
                 inc.contact.strip(), recorded_by, now_ms),
            )
            new_id = int(cur.lastrowid)
        found = self.get(new_id)
        assert found is not None
        return found

    def get(self, incident_id: int) -> Incident | None:
        row = self.store.query_one(f"{_SELECT} WHERE i.id = ?", (incident_id,))
        return _incident(row) if row else None

    def all(self) -> list[Incident]:
        return [_incident(r) for r in self.store.query(f"{_SELECT} ORDER BY i.discovered_ms "
                                                        "DESC, i.id DESC")]

    def set_notice(self, incident_id: int, notice_ms: int) -> None:
        with self.store.transaction() as c:
            c.execute("UPDATE incidents SET notice_ms = ? WHERE id = ?",
                      (notice_ms, incident_id))
