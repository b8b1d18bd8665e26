"""The maintenance log (policy §7, issue 16): the contractor records checks and problems, each
logged; others may read but not write; bad input changes nothing; OVERDUE after 30 days."""

from __future__ import annotations

import pytest
from access_helpers import World, log_entries

from alpr_desktop.core.access_errors import AccountInvalid, NotAuthorized
from alpr_desktop.core.maintenance import (
    CheckInput,
    CheckItem,
    CheckResult,
    ItemResult,
    ProblemInput,
)
from alpr_desktop.core.models import Camera
from alpr_desktop.services.maintenance import MaintenanceService, UnknownProblem
from alpr_desktop.storage.reads import CameraRepo

DAY_MS = 86_400_000


def _check(world: World, **problem_notes: str) -> CheckInput:
    items = tuple(
        ItemResult(i, CheckResult.PROBLEM if i.value in problem_notes else CheckResult.OK,
                   problem_notes.get(i.value, "")) for i in CheckItem)
    return CheckInput(world.clock.now_ms() - 3_600_000, items, "Monthly visit, all poles.")


def test_contractor_records_a_check_and_it_is_logged(world: World) -> None:
    svc = MaintenanceService(world.store, world.clock)
    saved = svc.record_check(world.ctx("vendor"),
                             _check(world, clock_drift="Cam 3 was 40 s fast; reset to NTP."))
    assert saved.checked_by == "vendor" and len(saved.items) == len(CheckItem)
    assert saved.result(CheckItem.CLOCK_DRIFT) is CheckResult.PROBLEM
    [e] = log_entries(world.store, "maintenance.check")
    assert (e.username, e.organization) == ("vendor", "Acme ALPR Services")
    assert e.detail["check_id"] == saved.id and e.detail["problems"] == 1
    assert e.detail["results"]["clock_drift"] == "problem"
    assert svc.checks(world.ctx("keeper")) == [saved]  # the custodian reads it


@pytest.mark.parametrize("who", ["keeper", "root", "officer"])
def test_only_the_contractor_records(world: World, who: str) -> None:
    svc = MaintenanceService(world.store, world.clock)
    with pytest.raises(NotAuthorized):
        svc.record_check(world.ctx(who), _check(world))
    with pytest.raises(NotAuthorized):
        svc.record_problem(world.ctx(who), ProblemInput(world.clock.now_ms(),
                                                        "Pole 4 camera dark after storm."))
    assert [e.detail["reason"] for e in log_entries(world.store, "gate.refused")] == ["role"] * 2
    assert not log_entries(world.store, "maintenance.check")


def test_an_analyst_may_not_read_the_log(world: World) -> None:
    with pytest.raises(NotAuthorized):
        MaintenanceService(world.store, world.clock).problems(world.ctx("officer"))


def test_bad_check_changes_nothing(world: World) -> None:
    svc = MaintenanceService(world.store, world.clock)
    ctx = world.ctx("vendor")
    incomplete = CheckInput(world.clock.now_ms(), (ItemResult(CheckItem.READ_RATE,
                                                              CheckResult.OK),))
    unexplained = _check(world, read_rate="")
    future = CheckInput(world.clock.now_ms() + DAY_MS, _check(world).items)
    for bad in (incomplete, unexplained, future):
        with pytest.raises(AccountInvalid):
            svc.record_check(ctx, bad)
    assert svc.checks(ctx) == [] and not log_entries(world.store, "maintenance.check")


def test_problem_with_downtime_then_resolved(world: World) -> None:
    cam = CameraRepo(world.store).add(Camera(None, "Avalon & 223rd NB", "Carson"))
    svc = MaintenanceService(world.store, world.clock)
    ctx = world.ctx("vendor")
    now = world.clock.now_ms()
    opened = svc.record_problem(ctx, ProblemInput(
        now - DAY_MS, "Camera dark: no reads since the storm.", (cam,), now - 2 * DAY_MS))
    assert opened.camera_names == ("Avalon & 223rd NB",) and not opened.resolved
    with pytest.raises(AccountInvalid):  # resolved without saying what was done
        svc.update_problem(ctx, opened.id, ProblemInput(
            opened.discovered_ms, opened.description, (cam,), opened.down_from_ms, now, "",
            now))
    done = svc.update_problem(ctx, opened.id, ProblemInput(
        opened.discovered_ms, opened.description, (cam,), opened.down_from_ms, now - 3_600_000,
        "Replaced the power supply; reads resumed.", now))
    assert done.resolved and done.down_to_ms == now - 3_600_000 and done.updated_by == "vendor"
    [rec] = log_entries(world.store, "maintenance.problem")
    [upd] = log_entries(world.store, "maintenance.problem_updated")
    assert rec.detail["down_from_ms"] == now - 2 * DAY_MS and rec.detail["camera_ids"] == [cam]
    assert upd.detail["before"]["resolved_ms"] is None and upd.detail["resolved_ms"] == now
    with pytest.raises(UnknownProblem):
        svc.update_problem(ctx, 999, ProblemInput(now, "Nothing to see here at all."))
    with pytest.raises(AccountInvalid):  # a camera the store does not know
        svc.record_problem(ctx, ProblemInput(now, "Camera 99 down since Monday.", (99,)))
    assert svc.problems(world.ctx("keeper"), open_only=True) == []


def test_overdue_after_thirty_days(world: World) -> None:
    svc = MaintenanceService(world.store, world.clock)
    assert svc.status(world.ctx("keeper")).overdue  # never checked
    svc.record_check(world.ctx("vendor"), CheckInput(world.clock.now_ms(),
                                                     _check(world).items))
    world.clock.advance(30 * 86_400)
    st = svc.status(world.ctx("keeper"))
    assert not st.overdue and "30 days ago" in st.sentence()
    world.clock.advance(1)
    st = svc.status(world.ctx("vendor"))
    assert st.overdue and st.sentence().startswith("OVERDUE")
