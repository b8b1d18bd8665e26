"""The retention repository (uow.retention) and the holds it honours (uow.holds): what is due,
what a hold keeps, what a purge deletes and records."""

from __future__ import annotations

from alpr_desktop.core.models import NewRead
from alpr_desktop.core.retention import MAX_RETENTION_MONTHS
from alpr_desktop.storage.unit_of_work import UnitOfWork

T0 = 1_700_000_000  # reads' recorded_at, UTC seconds
NOW_MS = 1_800_000_000_000


def _reads(store: UnitOfWork, camera_id: int, n: int) -> list[int]:
    return store.reads.insert_many(
        [NewRead(f"7ABC{i:03d}", T0 + i, camera_id) for i in range(n)])


def test_retention_months_round_trip_and_never_longer_than_the_policy(
    store: UnitOfWork,
) -> None:
    repo = store.retention
    assert repo.retention_months() == MAX_RETENTION_MONTHS  # the default: the policy's limit
    with store.transaction():
        repo.set_retention_months(6)
    assert repo.retention_months() == 6
    with store.transaction():
        repo.set_retention_months(MAX_RETENTION_MONTHS + 24)  # a hand-edited value
    assert repo.retention_months() == MAX_RETENTION_MONTHS


def test_an_approved_hold_keeps_its_reads_out_of_the_purge(
    store: UnitOfWork, camera_id: int
) -> None:
    ids = _reads(store, camera_id, 4)
    cutoff = T0 + 10  # every read is due
    assert store.retention.due_batch(cutoff, NOW_MS, 100) == ids
    with store.transaction():
        hold = store.holds.add("24-000123", "evidence", "officer", NOW_MS - 1, ids[:2])
        assert store.holds.decide(hold, "approved", "keeper", NOW_MS - 1, "ok",
                                  NOW_MS + 86_400_000)
    assert store.retention.due_batch(cutoff, NOW_MS, 100) == ids[2:]
    assert store.retention.held_due(cutoff, NOW_MS) == 2
    assert store.retention.count_due(cutoff, NOW_MS) == 2
    # Past its review date the hold lapses and the reads are due again.
    later = NOW_MS + 2 * 86_400_000
    assert store.retention.due_batch(cutoff, later, 100) == ids


def test_delete_reads_removes_them_and_the_record_adds_up(
    store: UnitOfWork, camera_id: int
) -> None:
    ids = _reads(store, camera_id, 3)
    repo = store.retention
    with store.transaction():
        record = repo.open_record(NOW_MS, T0 + 10, 12, "keeper", "WS-1")
        gone = repo.delete_reads(ids[:2])
        repo.add_to_record(record, gone)
        repo.finish_record(record, NOW_MS + 5)
    assert (gone.reads, gone.oldest, gone.newest) == (2, T0, T0 + 1)
    assert store.reads.count() == 1 and store.reads.get(ids[0]) is None
    [rec] = repo.history()
    assert (rec.reads_deleted, rec.ran_by, rec.finished_ms) == (2, "keeper", NOW_MS + 5)
