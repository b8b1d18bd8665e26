"""The purge: one second before and after the deletion time, everything derived from a read,
a plate shared with a living read, the purge record and its log entries."""

from __future__ import annotations

import pytest
from access_helpers import World, log_entries
from retention_helpers import add_reads, present, utc

from alpr_desktop.core.clock import FixedClock
from alpr_desktop.core.retention import deletion_time
from alpr_desktop.services.retention import RetentionService
from alpr_desktop.storage import Store
from alpr_desktop.storage.plates import PlateRepo

R = utc(2021, 6, 15, 10, 30, 5)


def _at(clock: FixedClock, epoch_s: int) -> None:
    clock.ms = epoch_s * 1000


def test_present_one_second_before_gone_at_and_after(store: Store, clock: FixedClock) -> None:
    [rid] = add_reads(store, [("7ABC123", R)])
    svc = RetentionService(store, clock)
    _at(clock, deletion_time(R) - 1)
    assert svc.purge().reads_deleted == 0
    assert present(store, rid)
    _at(clock, deletion_time(R))
    assert svc.purge().reads_deleted == 1
    assert not present(store, rid)


def test_gone_within_one_purge_interval(store: Store, clock: FixedClock) -> None:
    """A purge every 60 s: the run after the deletion time takes the read."""
    [rid] = add_reads(store, [("7ABC123", R)])
    svc = RetentionService(store, clock)
    _at(clock, deletion_time(R) - 30)  # a run half a minute before the deletion time
    svc.purge()
    assert present(store, rid)
    clock.advance(60)  # the next run
    svc.purge()
    assert not present(store, rid)


def test_a_leap_day_read_goes_on_1_march(store: Store, clock: FixedClock) -> None:
    [leap] = add_reads(store, [("4LEAP29", utc(2024, 2, 29, 12, 0, 0))])
    svc = RetentionService(store, clock)
    _at(clock, utc(2029, 3, 1, 0, 0, 59))
    svc.purge()
    assert present(store, leap)
    _at(clock, utc(2029, 3, 1, 0, 1, 0))
    svc.purge()
    assert not present(store, leap)


def test_everything_derived_goes_and_a_shared_plate_stays(store: Store, clock: FixedClock) -> None:
    old, living = add_reads(
        store, [("7ABC123", R), ("7ABC123", R + 86_400 * 400)], candidates={0: ["7A8C123"]})
    [only] = add_reads(store, [("9ONLY99", R)])
    plates = PlateRepo(store)
    assert plates.id_of("7A8C123") is not None
    _at(None or clock, deletion_time(R))
    result = RetentionService(store, clock).purge()
    assert (result.reads_deleted, result.images_deleted) == (2, 4)
    assert not present(store, old) and not present(store, only) and present(store, living)
    # the shared plate stays, with its trigram entry; the others go from table and index
    assert plates.id_of("7ABC123") is not None and plates.substring("ABC1") == ["7ABC123"]
    assert plates.id_of("9ONLY99") is None and plates.substring("ONLY") == []
    assert plates.id_of("7A8C123") is None  # the candidate's plate, used by no one else
    assert plates.by_ocr_key(plates.store.query_one(
        "SELECT ocr_key FROM plates WHERE plate_norm = '7ABC123'")[0]) == ["7ABC123"]
    assert store.query_one("SELECT count(*) FROM images WHERE read_id IN (?, ?)",
                           (old, only))[0] == 0
    assert store.query_one("SELECT count(*) FROM read_candidates")[0] == 0
    assert plates.index_intact()


def test_the_record_and_the_log_hold_counts_and_dates_never_a_plate(world: World) -> None:
    store, clock = world.store, world.clock
    add_reads(store, [("7ABC123", R), ("8XYZ999", R + 60)])
    _at(clock, deletion_time(R + 60))
    result = RetentionService(store, clock).purge("(scheduled purge)")
    assert result.summary.startswith("purge: deleted 2 reads and 4 images recorded")
    [rec] = RetentionService(store, clock).repo.history()
    assert (rec.reads_deleted, rec.images_deleted, rec.oldest_recorded, rec.newest_recorded) \
        == (2, 4, R, R + 60)
    assert rec.ran_by == "(scheduled purge)" and rec.finished_ms is not None
    [entry] = log_entries(store, "retention.purge")
    text = repr(entry)
    assert "7ABC123" not in text and "8XYZ999" not in text
    assert entry.result_count == 2


def test_nothing_due_writes_no_record(store: Store, clock: FixedClock) -> None:
    add_reads(store, [("7ABC123", R)])
    _at(clock, R + 86_400)
    result = RetentionService(store, clock).purge()
    assert result.summary == "purge: nothing due."
    assert RetentionService(store, clock).repo.history() == []


def test_a_shortened_period_is_logged_with_its_reason_and_applies(world: World) -> None:
    store, clock = world.store, world.clock
    [rid] = add_reads(store, [("7ABC123", R)])
    svc = RetentionService(store, clock)
    keeper = world.ctx("keeper")
    _at(clock, R + 3 * 365 * 86_400)
    svc.purge()
    assert present(store, rid)
    svc.set_period(keeper, 24, "Council resolution 26-101 shortened retention to two years.")
    svc.purge()
    assert not present(store, rid)
    [entry] = log_entries(store, "retention.period_changed")
    assert entry.detail["reason"].startswith("Council resolution") and entry.username == "keeper"
    assert (entry.detail["from_months"], entry.detail["to_months"]) == (60, 24)


@pytest.mark.parametrize("months,reason", [(61, "a good long reason for this"), (24, "short")])
def test_bad_period_changes_change_nothing(world: World, months: int, reason: str) -> None:
    from alpr_desktop.core.retention import RetentionError

    svc = RetentionService(world.store, world.clock)
    with pytest.raises(RetentionError):
        svc.set_period(world.ctx("keeper"), months, reason)
    assert svc.repo.retention_months() == 60
    assert log_entries(world.store, "retention.period_changed") == []


def test_only_the_custodian_sets_the_period(world: World) -> None:
    from alpr_desktop.core.access_errors import NotAuthorized

    svc = RetentionService(world.store, world.clock)
    for user in ("officer", "root", "vendor"):
        with pytest.raises(NotAuthorized):
            svc.set_period(world.ctx(user), 12, "I would like less retention please.")
    assert svc.repo.retention_months() == 60


def test_overdue_after_two_minutes(store: Store, clock: FixedClock) -> None:
    add_reads(store, [("7ABC123", R)])
    svc = RetentionService(store, clock)
    _at(clock, deletion_time(R) + 120)
    assert not svc.overdue()
    _at(clock, deletion_time(R) + 121)
    assert svc.overdue()
    svc.purge()
    assert not svc.overdue()


def test_a_store_made_with_0008_but_not_0007_gets_0007(store_path, store_key) -> None:  # type: ignore[no-untyped-def]
    """Stores made by the program before retention are at schema 8 (0008 landed first): the
    retention migration must still run on them, once."""
    from alpr_desktop.storage import create_store, open_store

    s = create_store(store_path, store_key)
    s.conn.executescript("BEGIN; DROP TABLE hold_reads; DROP TABLE holds; "
                         "DROP TRIGGER purges_no_delete; DROP TABLE purges; "
                         "DELETE FROM schema_version WHERE version = 7; COMMIT;")
    s.close()
    with open_store(store_path, store_key) as again:
        versions = [r[0] for r in again.query("SELECT version FROM schema_version")]
        assert versions.count(7) == 1 and max(versions) >= 8
        assert again.query_one("SELECT count(*) FROM purges") == (0,)


def test_the_repeated_hour_of_the_dst_change(store: Store, clock: FixedClock) -> None:
    """Two reads at "01:30" Los Angeles time on 2021-11-07 (PDT, then PST, an hour apart in
    UTC) go an hour apart, each exactly at its own deletion time."""
    pdt, pst = utc(2021, 11, 7, 8, 30), utc(2021, 11, 7, 9, 30)
    first, second = add_reads(store, [("1PDT130", pdt), ("1PST130", pst)])
    svc = RetentionService(store, clock)
    _at(clock, deletion_time(pdt) - 1)
    svc.purge()
    assert present(store, first) and present(store, second)
    _at(clock, deletion_time(pdt))
    svc.purge()
    assert not present(store, first) and present(store, second)
    _at(clock, deletion_time(pst) - 1)
    svc.purge()
    assert present(store, second)
    _at(clock, deletion_time(pst))
    svc.purge()
    assert not present(store, second)
