"""The transparency report's aggregates (uow.transparency): counts within the period, from the
reads and the access log; tables the store lacks or that are not countable answer None."""

from __future__ import annotations

from alpr_desktop.core.audit_log import LogEvent, Outcome
from alpr_desktop.core.models import NewRead
from alpr_desktop.storage.unit_of_work import UnitOfWork

T0 = 1_700_000_000
MS = 1_000


def _search(store: UnitOfWork, ts_ms: int, category: str, outcome: str = Outcome.OK) -> None:
    store.access_log.append(LogEvent("search", outcome, "officer",
                                     purpose={"category": category, "offense": "459 PC"}),
                            ts_ms)


def test_reads_and_cameras_are_counted_in_the_period(store: UnitOfWork, camera_id: int) -> None:
    store.reads.insert_many([NewRead(f"7ABC{i:03d}", T0 + i * 100, camera_id)
                             for i in range(5)])
    q = store.transparency
    assert q.reads_held() == 5
    assert q.reads_collected(T0 + 100, T0 + 300) == 3
    assert q.cameras(T0, T0 + 150) == [("CAM-7", 2, True)]


def test_searches_are_counted_by_purpose_and_refusals_apart(store: UnitOfWork) -> None:
    _search(store, T0 * MS, "investigation")
    _search(store, T0 * MS + 1, "investigation")
    _search(store, T0 * MS + 2, "amber_alert")
    _search(store, T0 * MS + 3, "investigation", Outcome.REFUSED)  # not a search that ran
    _search(store, (T0 + 999_999) * MS, "investigation")  # outside the period
    q = store.transparency
    assert q.searches_by_purpose(T0 * MS, (T0 + 10) * MS) == [
        ("investigation", "459 PC", 2), ("amber_alert", "459 PC", 1)]


def test_a_search_and_its_count_are_one_search_and_a_refused_count_no_refused_search(
    store: UnitOfWork,
) -> None:
    """Issue 20: a first page without its counts, then "search.count"; a refused count."""
    _search(store, T0 * MS, "investigation")
    store.access_log.append(LogEvent("search.count", Outcome.OK, "officer",
                                     purpose={"category": "investigation", "offense": "459 PC"}),
                            T0 * MS + 1)
    for n, extra in enumerate(({}, {"count": True})):
        store.access_log.append(LogEvent(
            "gate.refused", Outcome.REFUSED, "officer",
            query={"pattern": "7ABC123", "action": "search_reads", **extra},
            detail={"action": "search_reads", "reason": "no_purpose"}), T0 * MS + 2 + n)
    q = store.transparency
    assert q.searches_by_purpose(T0 * MS, (T0 + 10) * MS) == [("investigation", "459 PC", 1)]
    assert q.refused_searches(T0 * MS, (T0 + 10) * MS) == [("no_purpose", 1)]


def test_only_known_tables_are_counted(store: UnitOfWork) -> None:
    q = store.transparency
    assert q.count_rows("holds") == 0
    assert q.count_rows("users") is None  # not one the report may count
    assert q.incidents(0, 2**50) == 0
    assert q.purged(0, 2**50) == 0
