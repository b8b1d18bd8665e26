"""Training attestations, account suspensions and their two settings: rows in, dataclasses
out (core/training.py). The settings helpers work on any unit of work (through its settings
repository); the repositories are the embedded store's (``uow.training``, ``uow.suspensions``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from alpr_desktop.core.training import (
    DEFAULT_TRAINING_MONTHS,
    DEFAULT_UNUSED_DAYS,
    Suspension,
    SuspensionKind,
    TrainingAttestation,
)
from alpr_desktop.storage.db import Store

if TYPE_CHECKING:
    from alpr_desktop.storage.protocols import UnitOfWork

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


def _int_setting(raw: str | None, default: int) -> int:
    try:
        return int(raw) if raw is not None else default
    except ValueError:
        return default


def training_months(uow: UnitOfWork) -> int:
    return _int_setting(uow.settings.get(TRAINING_MONTHS), DEFAULT_TRAINING_MONTHS)


def unused_days(uow: UnitOfWork) -> int:
    return _int_setting(uow.settings.get(UNUSED_DAYS), DEFAULT_UNUSED_DAYS)


def set_training_months(uow: UnitOfWork, months: int) -> None:
    uow.settings.put(TRAINING_MONTHS, str(int(months)))


def set_unused_days(uow: UnitOfWork, days: int) -> None:
    uow.settings.put(UNUSED_DAYS, str(int(days)))


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

    def standing(self, user_id: int) -> tuple[int | None, int]:
        """Newest confirmed training day and the period in months, in one query (the gate
        asks on every data call)."""
        row = self.store.query_one(
            "SELECT (SELECT max(trained_ms) FROM training_attestations WHERE user_id = ? "
            "AND confirmed_ms IS NOT NULL), (SELECT value FROM settings WHERE key = ?)",
            (user_id, TRAINING_MONTHS),
        )
        newest, raw = (row[0], row[1]) if row else (None, None)
        months = _int_setting(None if raw is None else str(raw), DEFAULT_TRAINING_MONTHS)
        return (int(newest) if newest is not None else None), months

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
