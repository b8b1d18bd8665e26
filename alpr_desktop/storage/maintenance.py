"""The maintenance log (policy §7): checks with their item results, problems with their
cameras and downtime windows. Rows in, core.maintenance dataclasses out."""

from __future__ import annotations

from collections import defaultdict

from alpr_desktop.core.maintenance import (
    CheckInput,
    CheckItem,
    CheckResult,
    ItemResult,
    MaintenanceCheck,
    Problem,
    ProblemInput,
)
from alpr_desktop.storage.db import Store

_CHECKS = ("SELECT m.id, m.checked_ms, u.username, m.notes, m.recorded_ms "
           "FROM maintenance_checks m JOIN users u ON u.id = m.checked_by")
_PROBLEMS = (
    "SELECT p.id, p.discovered_ms, p.description, p.down_from_ms, p.down_to_ms, "
    "p.corrective_action, p.resolved_ms, p.signal, ru.username, p.recorded_ms, uu.username, "
    "p.updated_ms FROM maintenance_problems p JOIN users ru ON ru.id = p.recorded_by "
    "LEFT JOIN users uu ON uu.id = p.updated_by"
)


class MaintenanceRepo:
    def __init__(self, store: Store) -> None:
        self.store = store

    # -- checks ------------------------------------------------------------------------------
    def add_check(self, check: CheckInput, checked_by: int, now_ms: int) -> MaintenanceCheck:
        with self.store.transaction() as c:
            cur = c.execute(
                "INSERT INTO maintenance_checks(checked_ms, checked_by, notes, recorded_ms) "
                "VALUES (?,?,?,?)", (check.checked_ms, checked_by, check.notes.strip(), now_ms))
            new_id = int(cur.lastrowid)
            c.executemany(
                "INSERT INTO maintenance_check_items(check_id, item, result, note) "
                "VALUES (?,?,?,?)",
                [(new_id, i.item.value, i.result.value, i.note.strip()) for i in check.items])
            found = self._checks(f"{_CHECKS} WHERE m.id = ?", (new_id,))
        return found[0]

    def checks(self, limit: int = 1000) -> list[MaintenanceCheck]:
        """Newest first."""
        return self._checks(f"{_CHECKS} ORDER BY m.checked_ms DESC, m.id DESC LIMIT ?",
                            (limit,))

    def last_check(self) -> MaintenanceCheck | None:
        found = self.checks(1)
        return found[0] if found else None

    def _checks(self, sql: str, params: tuple) -> list[MaintenanceCheck]:
        rows = self.store.query(sql, params)
        if not rows:
            return []
        ids = [r[0] for r in rows]
        items: dict[int, list[ItemResult]] = defaultdict(list)
        marks = ",".join("?" * len(ids))
        for check_id, item, result, note in self.store.query(
            f"SELECT check_id, item, result, note FROM maintenance_check_items "
            f"WHERE check_id IN ({marks})", tuple(ids)
        ):
            items[check_id].append(ItemResult(CheckItem(item), CheckResult(result), note))
        order = {i: n for n, i in enumerate(CheckItem)}
        return [MaintenanceCheck(r[0], r[1], r[2],
                                 tuple(sorted(items[r[0]], key=lambda i: order[i.item])),
                                 r[3], r[4]) for r in rows]

    # -- problems ----------------------------------------------------------------------------
    def add_problem(self, p: ProblemInput, recorded_by: int, now_ms: int) -> Problem:
        with self.store.transaction() as c:
            cur = c.execute(
                "INSERT INTO maintenance_problems(discovered_ms, description, down_from_ms, "
                "down_to_ms, corrective_action, resolved_ms, signal, recorded_by, recorded_ms) "
                "VALUES (?,?,?,?,?,?,?,?,?)",
                (p.discovered_ms, p.description.strip(), p.down_from_ms, p.down_to_ms,
                 p.corrective_action.strip(), p.resolved_ms, p.signal, recorded_by, now_ms))
            new_id = int(cur.lastrowid)
            self._set_cameras(new_id, p.camera_ids)
        found = self.problem(new_id)
        assert found is not None
        return found

    def update_problem(self, problem_id: int, p: ProblemInput, updated_by: int,
                       now_ms: int) -> Problem:
        with self.store.transaction() as c:
            c.execute(
                "UPDATE maintenance_problems SET discovered_ms = ?, description = ?, "
                "down_from_ms = ?, down_to_ms = ?, corrective_action = ?, resolved_ms = ?, "
                "updated_by = ?, updated_ms = ? WHERE id = ?",
                (p.discovered_ms, p.description.strip(), p.down_from_ms, p.down_to_ms,
                 p.corrective_action.strip(), p.resolved_ms, updated_by, now_ms, problem_id))
            c.execute("DELETE FROM maintenance_problem_cameras WHERE problem_id = ?",
                      (problem_id,))
            self._set_cameras(problem_id, p.camera_ids)
        found = self.problem(problem_id)
        assert found is not None
        return found

    def _set_cameras(self, problem_id: int, camera_ids: tuple[int, ...]) -> None:
        self.store.conn.executemany(
            "INSERT INTO maintenance_problem_cameras(problem_id, camera_id) VALUES (?,?)",
            [(problem_id, cid) for cid in dict.fromkeys(camera_ids)])

    def problem(self, problem_id: int) -> Problem | None:
        found = self._problems(f"{_PROBLEMS} WHERE p.id = ?", (problem_id,))
        return found[0] if found else None

    def problems(self, *, open_only: bool = False, limit: int = 5000) -> list[Problem]:
        """Newest discovery first."""
        where = "WHERE p.resolved_ms IS NULL " if open_only else ""
        return self._problems(
            f"{_PROBLEMS} {where}ORDER BY p.discovered_ms DESC, p.id DESC LIMIT ?", (limit,))

    def _problems(self, sql: str, params: tuple) -> list[Problem]:
        rows = self.store.query(sql, params)
        if not rows:
            return []
        ids = [r[0] for r in rows]
        cams: dict[int, list[tuple[int, str]]] = defaultdict(list)
        marks = ",".join("?" * len(ids))
        for pid, cid, name in self.store.query(
            "SELECT pc.problem_id, c.id, c.name FROM maintenance_problem_cameras pc "
            f"JOIN cameras c ON c.id = pc.camera_id WHERE pc.problem_id IN ({marks}) "
            "ORDER BY c.name", tuple(ids)
        ):
            cams[pid].append((cid, name))
        return [Problem(r[0], r[1], r[2], tuple(c for c, _ in cams[r[0]]),
                        tuple(n for _, n in cams[r[0]]), r[3], r[4], r[5], r[6], r[7], r[8],
                        r[9], r[10], r[11]) for r in rows]

    def camera_ids(self) -> set[int]:
        return {int(r[0]) for r in self.store.query("SELECT id FROM cameras")}
