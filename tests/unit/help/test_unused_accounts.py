"""Account hygiene (issue 17): an account unused for 90 days is suspended at the next sign-in
sweep and refused; re-enabling an analyst needs the custodian; separation is one call. Before
this issue an account unused for a year signed in as if nothing had happened."""

from __future__ import annotations

import pytest
from access_helpers import World, log_entries

from alpr_desktop.core.access_errors import BadCredentials
from alpr_desktop.core.training import DAY_MS, AccountSuspended
from alpr_desktop.services.account_hygiene import HygieneService
from alpr_desktop.storage.accounts import AccountRepo

pytestmark = pytest.mark.hygiene_rules


def _days(world: World, n: float) -> None:
    world.clock.advance(n * DAY_MS / 1000)


def test_an_account_unused_for_91_days_is_suspended_and_refused(world: World) -> None:
    world.sign_in("officer")
    _days(world, 91)
    with pytest.raises(AccountSuspended, match="90 days"):
        world.sign_in("officer")
    assert not AccountRepo(world.store).get("officer").active
    with pytest.raises(BadCredentials):  # still suspended: the same answer as disabled
        world.sign_in("officer")
    suspended = log_entries(world.store, "account.suspended")
    assert any('"account":"officer"' in e.detail_json for e in suspended)
    assert any('"reason":"suspended_unused"' in e.detail_json
               for e in log_entries(world.store, "signin.failed"))


def test_an_account_used_within_the_limit_stays(world: World) -> None:
    world.sign_in("officer")
    _days(world, 89)
    world.sign_in("officer")
    _days(world, 89)
    world.sign_in("officer")
    assert AccountRepo(world.store).get("officer").active
    suspended = log_entries(world.store, "account.suspended")
    assert [e for e in suspended if '"account":"vendor"' in e.detail_json]  # unused 178 days
    assert not [e for e in suspended if '"account":"officer"' in e.detail_json]


def test_the_sweep_suspends_others_but_never_the_last_admin_or_custodian(world: World) -> None:
    _days(world, 200)
    world.sign_in("root")  # root and keeper are the last of their role: kept
    repo = AccountRepo(world.store)
    assert {a.username for a in repo.all() if a.active} == {"root", "keeper"}
    assert len(log_entries(world.store, "account.suspended")) == 2  # officer and vendor


def test_reenabling_a_suspended_analyst_needs_the_custodian(world: World) -> None:
    _days(world, 100)
    with pytest.raises(AccountSuspended):
        world.sign_in("officer")
    account = world.accounts.set_active(world.ctx("root"), "officer", True)
    assert not account.active and account.pending == "enable"
    request = world.approvals.list_requests(world.ctx("keeper"))[0]
    world.approvals.approve(world.ctx("keeper"), request.id)
    _days(world, 1)
    assert world.sign_in("officer").username == "officer"  # not suspended again at once


def test_separation_is_one_click_and_logged(world: World) -> None:
    HygieneService(world.store, world.clock).separate(world.ctx("root"), "officer",
                                                       "Transferred to another station")
    assert not AccountRepo(world.store).get("officer").active
    with pytest.raises(BadCredentials):
        world.sign_in("officer")
    sep = log_entries(world.store, "account.separated")
    assert len(sep) == 1 and sep[0].username == "root"
    assert log_entries(world.store, "account.disabled")
