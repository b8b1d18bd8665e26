"""Training attestations, account suspensions and their two settings: rows in, dataclasses
out (core/training.py). Written in the repositories' style of the day: ``XRepo(store)``."""

from __future__ import annotations

from alpr_desktop.core.training import (
    DEFAULT_TRAINING_MONTHS,
    DEFAULT_UNUSED_DAYS,
    Suspension,
    SuspensionKind,
    TrainingAttestation,
)
from alpr_desktop.storage.db import Store

TRAINING_MONTHS = "accounts.training_months"
UNUSED_DAYS = "accounts.unused_days"

_ATTEST = (
    "SELECT t.id, t.user_id, u.username, t.trained_ms, t.course, r.username, t.recorded_ms, "
    "coalesce(c.username, ''), t.confirmed_ms FROM training_attestations t "
    "JOIN users u ON u.id = t.user_id JOIN users r ON r.id = t.recorded_by "
    "LEFT JOIN users c ON c.id = t.confirmed_by"
)
_SUSP = (
    "SELECT s.id, s.user_id, u.username, s.kind, s.at_ms, coalesce(b.username, ''), "
    "s.last_used_ms, s.note FROM account_suspensions s JOIN users u ON u.id = s.user_id "
    "LEFT JOIN users b ON b.id = s.by_user_id"
)


def _int_setting(store: Store, key: str, default: int) -> int:
    raw = store.get_setting(key)
    try:
        return int(raw) if raw is not None else default
    except ValueError:
        return default


def training_months(store: Store) -> int:
    return _int_setting(store, TRAINING_MONTHS, DEFAULT_TRAINING_MONTHS)


def unused_days(store: Store) -> int:
    return _int_setting(store, UNUSED_DAYS, DEFAULT_UNUSED_DAYS)


def set_training_months(store: Store, months: int) -> None:
    store.set_setting(TRAINING_MONTHS, str(int(months)))


def set_unused_days(store: Store, days: int) -> None:
    store.set_setting(UNUSED_DAYS, str(int(days)))


def _attestation(row: tuple) -> TrainingAttestation:
    return TrainingAttestation(row[0], row[1], row[2], row[3], row[4], row[5], row[6],
                               row[7], row[8])


class TrainingRepo:
    def __init__(self, store: Store) -> None:
        self.store = store

    def add(self, user_id: int, trained_ms: int, course: str, recorded_by: int,
            now_ms: int) -> TrainingAttestation:
        with self.store.transaction() as c:
            cur = c.execute(
                "INSERT INTO training_attestations(user_id, trained_ms, course, recorded_by, "
                "recorded_ms) VALUES (?,?,?,?,?)",
                (user_id, trained_ms, course, recorded_by, now_ms),
            )
            new_id = int(cur.lastrowid)
        found = self.get(new_id)
        assert found is not None
        return found

    def get(self, attestation_id: int) -> TrainingAttestation | None:
        row = self.store.query_one(f"{_ATTEST} WHERE t.id = ?", (attestation_id,))
        return _attestation(row) if row else None

    def for_user(self, user_id: int) -> list[TrainingAttestation]:
        rows = self.store.query(f"{_ATTEST} WHERE t.user_id = ? ORDER BY t.trained_ms",
                                (user_id,))
        return [_attestation(r) for r in rows]

    def all(self) -> list[TrainingAttestation]:
        return [_attestation(r) for r in self.store.query(f"{_ATTEST} ORDER BY t.id")]

    def confirm(self, attestation_id: int, by_user_id: int, now_ms: int) -> bool:
        """Confirm an unconfirmed attestation; False when it was confirmed already."""
        with self.store.transaction() as c:
            cur = c.execute(
                "UPDATE training_attestations SET confirmed_by = ?, confirmed_ms = ? "
                "WHERE id = ? AND confirmed_ms IS NULL",
                (by_user_id, now_ms, attestation_id),
            )
            return bool(cur.rowcount)


class SuspensionRepo:
    def __init__(self, store: Store) -> None:
        self.store = store

    def add(self, user_id: int, kind: SuspensionKind, at_ms: int, by_user_id: int | None,
            last_used_ms: int | None, note: str = "") -> None:
        with self.store.transaction() as c:
            c.execute(
                "INSERT INTO account_suspensions(user_id, kind, at_ms, by_user_id, "
                "last_used_ms, note) VALUES (?,?,?,?,?,?)",
                (user_id, str(kind), at_ms, by_user_id, last_used_ms, note),
            )

    def last_at(self, user_id: int) -> int | None:
        row = self.store.query_one(
            "SELECT max(at_ms) FROM account_suspensions WHERE user_id = ?", (user_id,))
        return int(row[0]) if row and row[0] is not None else None

    def between(self, start_ms: int, end_ms: int) -> list[Suspension]:
        rows = self.store.query(f"{_SUSP} WHERE s.at_ms BETWEEN ? AND ? ORDER BY s.at_ms",
                                (start_ms, end_ms))
        return [Suspension(r[0], r[1], r[2], SuspensionKind(r[3]), r[4], r[5], r[6], r[7])
                for r in rows]
