"""A hold: requested by an analyst under a purpose, approved by a custodian, skipped by the
purge, released, then purged; refused and lapsed holds keep nothing; every step logged."""

from __future__ import annotations

import pytest
from access_helpers import World, log_entries
from retention_helpers import add_reads, present, utc

from alpr_desktop.core.access_errors import NotAuthorized, PurposeRequired
from alpr_desktop.core.retention import add_months, deletion_time
from alpr_desktop.services.holds import HoldError, HoldService
from alpr_desktop.services.retention import RetentionService

R = utc(2021, 6, 15, 10, 30, 5)
CASE = "123-45678-2026-001"
REASON = "Trial set for March 2027 in Compton Superior Court; the reads place the vehicle."


def _at(world: World, epoch_s: int) -> None:
    world.clock.ms = epoch_s * 1000


def test_requested_approved_skipped_released_then_purged(world: World) -> None:
    held, other = add_reads(world.store, [("7ABC123", R), ("8XYZ999", R)])
    _at(world, deletion_time(R) - 3600)
    holds = HoldService(world.store, world.clock)
    hold = holds.request(world.with_purpose("officer"), [held], CASE, REASON)
    assert hold.status == "requested" and hold.read_count == 1
    keeper = world.ctx("keeper")
    hold = holds.approve(keeper, hold.id, "Checked with the DA's office.")
    assert hold.status == "approved"
    assert hold.review_ms == add_months(world.clock.now_ms() // 1000, 24) * 1000
    purge = RetentionService(world.store, world.clock)
    _at(world, deletion_time(R) + 60)
    result = purge.purge()
    assert result.reads_deleted == 1 and result.held_skipped == 1
    assert present(world.store, held) and not present(world.store, other)
    assert not purge.overdue()  # a held read is not overdue
    keeper = world.ctx("keeper")  # signed in again: time moved on past the idle lock
    holds.release(keeper, hold.id, "Verdict entered; evidence no longer needed.")
    purge.purge()
    assert not present(world.store, held)
    events = [e.event for e in log_entries(world.store) if e.event.startswith("hold.")]
    assert events == ["hold.requested", "hold.approved", "hold.released"]
    [req] = log_entries(world.store, "hold.requested")
    assert req.purpose["case_number"] == CASE and req.username == "officer"
    [listed] = [h for h in holds.all_holds(keeper) if h.id == hold.id]
    assert listed.status == "released" and listed.reads_present == 0


def test_a_waiting_or_refused_request_keeps_nothing(world: World) -> None:
    a, b = add_reads(world.store, [("7ABC123", R), ("8XYZ999", R)])
    holds = HoldService(world.store, world.clock)
    _at(world, deletion_time(R) - 3600)
    officer = world.with_purpose("officer")
    waiting = holds.request(officer, [a], CASE, REASON)
    refused = holds.request(officer, [b], CASE, REASON)
    holds.refuse(world.ctx("keeper"), refused.id, "No case filed under that number.")
    _at(world, deletion_time(R))
    RetentionService(world.store, world.clock).purge()
    assert not present(world.store, a) and not present(world.store, b)
    assert holds.repo.get(waiting.id).status == "requested"


def test_a_hold_lapses_at_its_review_date_unless_renewed(world: World) -> None:
    a, b = add_reads(world.store, [("7ABC123", R), ("8XYZ999", R)])
    holds = HoldService(world.store, world.clock)
    _at(world, deletion_time(R) - 3600)
    officer = world.with_purpose("officer")
    ra, rb = (holds.request(officer, [r], CASE, REASON) for r in (a, b))
    keeper = world.ctx("keeper")  # one session per workstation: the officer's ends
    ha, hb = holds.approve(keeper, ra.id), holds.approve(keeper, rb.id)
    _at(world, ha.review_ms // 1000 - 10 * 86_400)
    assert ha.review_due(world.clock.now_ms())  # the custodian is reminded
    holds.renew(world.ctx("keeper"), hb.id)
    _at(world, ha.review_ms // 1000)
    RetentionService(world.store, world.clock).purge()
    assert not present(world.store, a) and present(world.store, b)
    assert [e.event for e in log_entries(world.store, "hold.renewed")] == ["hold.renewed"]


def test_who_may_do_what(world: World) -> None:
    [rid] = add_reads(world.store, [("7ABC123", R)])
    holds = HoldService(world.store, world.clock)
    with pytest.raises(PurposeRequired):
        holds.request(world.ctx("officer"), [rid], CASE, REASON)
    for user in ("keeper", "root"):
        with pytest.raises(NotAuthorized):
            holds.request(world.ctx(user), [rid], CASE, REASON)
    hold = holds.request(world.with_purpose("officer"), [rid], CASE, REASON)
    for user in ("officer", "root", "vendor"):
        with pytest.raises(NotAuthorized):
            holds.approve(world.ctx(user), hold.id)
        with pytest.raises(NotAuthorized):
            holds.release(world.ctx(user), hold.id, "not mine to release")
    assert holds.repo.get(hold.id).status == "requested"


@pytest.mark.parametrize("ids,case,reason", [
    ([], CASE, REASON), ([1], "", REASON), ([1], CASE, "keep it"), ([999], CASE, REASON),
])
def test_bad_requests_change_nothing(world: World, ids: list[int], case: str,
                                     reason: str) -> None:
    add_reads(world.store, [("7ABC123", R)])
    holds = HoldService(world.store, world.clock)
    officer = world.with_purpose("officer")
    with pytest.raises(HoldError):
        holds.request(officer, ids, case, reason)
    assert world.store.query_one("SELECT count(*) FROM holds")[0] == 0
    assert log_entries(world.store, "hold.requested") == []
