"""The search connection's warm-up (issue 20, storage/plate_search.py ``warm``): it probes the
reads table by id and reads_plate_time by plate at even steps, reads the newest reads' rows,
says how many probes found a read and how many rows it read, and changes nothing in the
store."""

from __future__ import annotations

import pytest

from alpr_desktop.core.models import NewRead
from alpr_desktop.storage import plate_search
from alpr_desktop.storage.db import Store
from alpr_desktop.storage.search_queries import SearchQueries

T0 = 1_767_225_600


def _reads(store: Store, camera_id: int, n: int, plates: int) -> None:
    store.reads.insert_many([NewRead(f"7AB{i % plates:04d}", T0 - i, camera_id)
                             for i in range(n)])


def test_an_empty_store_has_nothing_to_warm(store: Store) -> None:
    assert store.search.warm() == 0


def test_the_probes_step_through_the_reads_and_the_plates(
    store: Store, camera_id: int, monkeypatch: pytest.MonkeyPatch,
) -> None:
    _reads(store, camera_id, 1_000, plates=120)
    monkeypatch.setattr(plate_search, "WARM_READS_STEP", 100)  # ids 1, 101, ... 901
    monkeypatch.setattr(plate_search, "WARM_PLATE_PROBES", 30)  # every 4th plate, 1 to 117
    monkeypatch.setattr(plate_search, "WARM_RECENT_READS", 250)  # ids 751 to 1,000
    assert store.search.warm() == 10 + 30 + 250
    monkeypatch.setattr(plate_search, "WARM_RECENT_READS", 5_000)  # all there are
    assert store.search.warm() == 10 + 30 + 1_000


def test_the_newest_rows_are_read_by_id(store: Store, camera_id: int) -> None:
    """The pass over the newest rows is a range of the reads table itself (its pages are
    what a broad first page reads), not of an index."""
    _reads(store, camera_id, 300, plates=20)
    q = SearchQueries(store)
    assert q.warm_recent_rows(0) == 0
    ran: list[str] = []
    store.conn.set_trace_callback(ran.append)  # the statements, their values bound
    try:
        assert q.warm_recent_rows(120) == 120
    finally:
        store.conn.set_trace_callback(None)
    [pass_sql] = [s for s in ran if "FROM reads r" in s]
    plan = str(store.query("EXPLAIN QUERY PLAN " + pass_sql))
    assert "SEARCH r USING INTEGER PRIMARY KEY (rowid>?)" in plan, plan


def test_warming_changes_nothing(store: Store, camera_id: int) -> None:
    _reads(store, camera_id, 500, plates=40)
    before = [store.scalar(f"SELECT count(*) FROM {t}")
              for t in ("reads", "plates", "access_log")]
    changes = store.conn.total_changes
    assert store.search.warm() > 0
    assert store.conn.total_changes == changes
    assert [store.scalar(f"SELECT count(*) FROM {t}")
            for t in ("reads", "plates", "access_log")] == before


def test_a_stop_before_a_pass_starts_it_not(
    store: Store, camera_id: int, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The lock and sign-out stop the warm-up between its passes (the pass running is
    stopped by interrupting the connection, tests/gui/test_search_view.py)."""
    _reads(store, camera_id, 1_000, plates=120)
    monkeypatch.setattr(plate_search, "WARM_READS_STEP", 100)
    monkeypatch.setattr(plate_search, "WARM_PLATE_PROBES", 30)
    monkeypatch.setattr(plate_search, "WARM_RECENT_READS", 250)
    assert store.search.warm(lambda: True) == 0
    asked: list[int] = []

    def after_the_first() -> bool:
        asked.append(1)
        return len(asked) > 1

    assert store.search.warm(after_the_first) == 10 + 30  # the newest rows not read
    assert len(asked) == 2
