"""Evidence holds (uow.holds): a request names reads; a decision changes only a waiting
request, a release only an approved hold."""

from __future__ import annotations

from alpr_desktop.core.models import NewRead
from alpr_desktop.storage.unit_of_work import UnitOfWork

T0 = 1_700_000_000
NOW_MS = 1_800_000_000_000


def test_a_request_reads_back_with_its_reads(store: UnitOfWork, camera_id: int) -> None:
    ids = store.reads.insert_many([NewRead("7ABC123", T0, camera_id),
                                   NewRead("8XYZ999", T0 + 90, camera_id)])
    assert store.holds.existing_reads([*ids, 999_999]) == ids
    assert store.holds.recorded_span(ids) == (T0, T0 + 90)
    with store.transaction():
        hold_id = store.holds.add("24-000123", "homicide evidence", "officer", NOW_MS,
                                  [*ids, ids[0]])  # a read named twice counts once
    h = store.holds.get(hold_id)
    assert h is not None
    assert (h.case_number, h.reason, h.requested_by, h.status) == (
        "24-000123", "homicide evidence", "officer", "requested")
    assert (h.read_count, h.reads_present) == (2, 2)
    assert [x.id for x in store.holds.all()] == [hold_id]
    assert store.holds.get(hold_id + 1) is None


def test_decisions_and_releases_change_only_the_state_they_expect(
    store: UnitOfWork, camera_id: int
) -> None:
    [rid] = store.reads.insert_many([NewRead("7ABC123", T0, camera_id)])
    with store.transaction():
        hold_id = store.holds.add("24-000123", "evidence", "officer", NOW_MS, [rid])
        assert not store.holds.release(hold_id, "keeper", NOW_MS, "early")  # not approved yet
        assert not store.holds.renew(hold_id, NOW_MS + 1)
        assert store.holds.decide(hold_id, "approved", "keeper", NOW_MS, "ok", NOW_MS + 10)
        assert not store.holds.decide(hold_id, "refused", "keeper", NOW_MS, "again", None)
        assert store.holds.renew(hold_id, NOW_MS + 20)
        assert store.holds.release(hold_id, "keeper", NOW_MS + 5, "case closed")
        assert not store.holds.release(hold_id, "keeper", NOW_MS + 6, "twice")
    h = store.holds.get(hold_id)
    assert h is not None
    assert (h.status, h.decided_by, h.review_ms, h.released_by, h.release_note) == (
        "released", "keeper", NOW_MS + 20, "keeper", "case closed")
