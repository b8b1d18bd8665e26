"""Separation of duties (issue 10 §3; CJIS least privilege, State Auditor 2019-118).

The administrator role is never held with custodian or analyst, and an administrator cannot
give analyst or custodian alone: a new or re-enabled analyst account, a new custodian, or a
role change adding either becomes active only when a custodian, a different person, approves.
On today's code an admin's new analyst signed in at once, an admin could also be custodian,
and nothing waited for anyone (admin + analyst was already refused)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from access_helpers import World, add_account, log_entries

from alpr_desktop.core.access_errors import (
    AccountInvalid,
    ApprovalRefused,
    AwaitingApproval,
    BadCredentials,
    NotAuthorized,
)
from alpr_desktop.core.accounts import Account
from alpr_desktop.core.roles import Action, Role, check_account
from alpr_desktop.services.gate import require
from alpr_desktop.storage.accounts import AccountRepo

DEPUTY = {
    "username": "deputy2",
    "full_name": "Dee Puty",
    "organization": "LASD Carson Station",
    "roles": frozenset({Role.ANALYST}),
    "initial_password": "Lemon-Grove-Sunrise-9",
    "badge_number": "5521",
    "sworn": True,
}
CLERK = {
    "username": "clerk",
    "full_name": "Cleo Clerk",
    "organization": "City of Carson",
    "roles": frozenset({Role.CUSTODIAN}),
    "initial_password": "Orchard-Kite-Summit-4",
}
# A store from before this rule: one account both administrator and custodian.
BOTH = Account(None, "boss", "Bo Boss", "City of Carson",
               roles=frozenset({Role.ADMIN, Role.CUSTODIAN}))
BOTH_PASSWORD = "Granite-Meadow-Falcon-61"


def _only_request(world: World, custodian: str = "keeper"):
    ctx = world.ctx(custodian)
    [request] = world.approvals.list_requests(ctx)
    return ctx, request


@pytest.mark.parametrize("other", [Role.ANALYST, Role.CUSTODIAN])
def test_admin_cannot_also_be_analyst_or_custodian(world: World, other: Role) -> None:
    both = Account(None, "dual", "Dee Ual", "City of Carson", badge_number="77", sworn=True,
                   roles=frozenset({Role.ADMIN, other}))
    assert any("separation of duties" in p for p in check_account(both))
    admin = world.ctx("root")
    with pytest.raises(AccountInvalid, match=f"both admin and {other}|both {other} and admin"):
        world.accounts.create_account(admin, **{**DEPUTY, "username": "dual",
                                                "roles": frozenset({Role.ADMIN, other})})
    with pytest.raises(AccountInvalid, match="separation of duties"):
        world.accounts.update_account(admin, "vendor", roles=frozenset({Role.ADMIN, other}),
                                      sworn=True, badge_number="77")
    assert not log_entries(world.store, "account.created")
    assert not log_entries(world.store, "account.approval_requested")


def test_new_analyst_waits_for_a_custodian_and_cannot_sign_in(world: World) -> None:
    created = world.accounts.create_account(world.ctx("root"), **DEPUTY)
    assert not created.active and created.pending == "create"
    # a wrong password gets the usual answer; "awaiting approval" only after the right one
    with pytest.raises(BadCredentials):
        world.auth.sign_in("deputy2", "Not-The-Password-42")
    with pytest.raises(AwaitingApproval):
        world.auth.sign_in("deputy2", DEPUTY["initial_password"])
    refused = [e for e in log_entries(world.store, "signin.failed")
               if e.username == "deputy2"]
    assert [e.detail["reason"] for e in refused] == ["wrong_password", "awaiting_approval"]

    keeper, request = _only_request(world)
    assert (request.kind, request.username, request.requested_by) == ("create", "deputy2",
                                                                      "root")
    approved = world.approvals.approve(keeper, request.id)
    assert approved.decision == "approved" and approved.decided_by == "keeper"
    session = world.auth.sign_in("deputy2", DEPUTY["initial_password"])
    assert session.must_change_password
    session = world.auth.change_password(session, DEPUTY["initial_password"],
                                         "Quartz-Window-Pelican-8")
    require(world.store, world.auth.context(session), Action.DECLARE_PURPOSE, clock=world.clock)
    events = [e.event for e in log_entries(world.store)]
    assert events.index("account.approval_requested") < events.index("account.approved")


def test_the_admin_cannot_approve_their_own_request(world: World) -> None:
    with world.store.transaction():
        add_account(world.store, world.clock, BOTH, BOTH_PASSWORD)
    boss = world.auth.context(world.auth.sign_in("boss", BOTH_PASSWORD))
    world.accounts.create_account(boss, **DEPUTY)
    [request] = world.approvals.list_requests(boss)
    with pytest.raises(ApprovalRefused, match="another custodian"):
        world.approvals.approve(boss, request.id)
    with pytest.raises(ApprovalRefused):
        world.approvals.reject(boss, request.id, "changed my mind")
    assert not AccountRepo(world.store).get("deputy2").active
    refusals = log_entries(world.store, "account.approval_refused")
    assert [(e.username, e.detail["why"]) for e in refusals] == [("boss", "own_request")] * 2
    # an admin who is not a custodian may not decide at all
    root = world.ctx("root")
    with pytest.raises(NotAuthorized):
        world.approvals.approve(root, request.id)
    # a second person may
    keeper = world.ctx("keeper")
    world.approvals.approve(keeper, request.id)
    assert AccountRepo(world.store).get("deputy2").active


def test_reenabling_an_analyst_needs_approval(world: World) -> None:
    admin = world.ctx("root")
    world.accounts.set_active(admin, "officer", False)
    again = world.accounts.set_active(admin, "officer", True)
    assert not again.active and again.pending == "enable"
    with pytest.raises(AwaitingApproval):
        world.sign_in("officer")
    with pytest.raises(AccountInvalid, match="already waiting"):
        world.accounts.set_active(world.ctx("root"), "officer", True)
    keeper, request = _only_request(world)
    assert request.kind == "enable"
    world.approvals.approve(keeper, request.id)
    assert world.sign_in("officer").username == "officer"


def test_new_custodian_and_role_change_need_approval_and_rejection_changes_nothing(
    world: World,
) -> None:
    admin = world.ctx("root")
    clerk = world.accounts.create_account(admin, **CLERK)
    assert clerk.pending == "create" and not clerk.active
    vendor = world.accounts.update_account(admin, "vendor", roles=frozenset({Role.ANALYST}),
                                           sworn=True, badge_number="9001")
    assert vendor.roles == {Role.CONTRACTOR} and vendor.pending == "roles" and vendor.active
    with pytest.raises(AccountInvalid, match="waiting for a custodian"):
        world.accounts.update_account(world.ctx("root"), "vendor",
                                      roles=frozenset({Role.CONTRACTOR, Role.ADMIN}))

    keeper = world.ctx("keeper")
    requests = {r.username: r for r in world.approvals.list_requests(keeper)}
    assert set(requests) == {"clerk", "vendor"}
    with pytest.raises(AccountInvalid, match="reason"):
        world.approvals.reject(keeper, requests["vendor"].id, "   ")
    world.approvals.reject(keeper, requests["vendor"].id, "No written need for data access.")
    world.approvals.reject(keeper, requests["clerk"].id, "Not the City's designee.")
    repo = AccountRepo(world.store)
    assert repo.get("vendor").roles == {Role.CONTRACTOR} and not repo.get("vendor").pending
    assert not repo.get("clerk").active and not repo.get("clerk").pending
    with pytest.raises(BadCredentials):  # rejected: an ordinary disabled account
        world.auth.sign_in("clerk", CLERK["initial_password"])
    rejected = log_entries(world.store, "account.rejected")
    assert {e.detail["account"]: e.detail["reason"] for e in rejected} == {
        "vendor": "No written need for data access.", "clerk": "Not the City's designee."}
    with pytest.raises(ApprovalRefused, match="already been decided"):
        world.approvals.approve(keeper, requests["clerk"].id)


def test_disabling_withdraws_a_waiting_request(world: World) -> None:
    admin = world.ctx("root")
    world.accounts.create_account(admin, **DEPUTY)
    world.accounts.set_active(admin, "deputy2", False)
    assert world.approvals.list_requests(world.ctx("keeper")) == []
    [entry] = log_entries(world.store, "account.approval_withdrawn")
    assert entry.username == "root" and entry.detail["account"] == "deputy2"


def test_last_custodian_stays(world: World) -> None:
    with pytest.raises(AccountInvalid, match="last active custodian"):
        world.accounts.set_active(world.ctx("root"), "keeper", False)
    with pytest.raises(AccountInvalid, match="last active custodian"):
        world.accounts.update_account(world.ctx("root"), "keeper",
                                      roles=frozenset({Role.CONTRACTOR}))


def test_a_store_without_a_custodian_gets_its_first_one_logged_as_such(world: World) -> None:
    """A store made before this rule may have no custodian to approve anything."""
    repo = AccountRepo(world.store)
    keeper = repo.get("keeper")
    repo.update_profile(replace(keeper, roles=frozenset({Role.CONTRACTOR})), 0)
    clerk = world.accounts.create_account(world.ctx("root"), **CLERK)
    assert clerk.active and not clerk.pending
    [entry] = log_entries(world.store, "account.created")
    assert "no other active custodian" in entry.detail["approval"]
    # from then on the new custodian approves; the admin still cannot give analyst alone
    assert world.accounts.create_account(world.ctx("root"), **DEPUTY).pending == "create"


def test_legacy_combined_account_is_kept_but_gets_no_further_grant(world: World) -> None:
    with world.store.transaction():
        add_account(world.store, world.clock, BOTH, BOTH_PASSWORD)
    admin = world.ctx("root")
    boss = world.accounts.get_account(admin, "boss")
    assert boss.active and boss.roles == {Role.ADMIN, Role.CUSTODIAN}
    # other edits are fine; re-enabling the combination is not
    assert world.accounts.update_account(admin, "boss", full_name="Bo B. Boss").full_name \
        == "Bo B. Boss"
    world.accounts.set_active(admin, "boss", False)
    with pytest.raises(AccountInvalid, match="separation of duties"):
        world.accounts.set_active(admin, "boss", True)
    with pytest.raises(AccountInvalid, match="separation of duties"):
        world.accounts.update_account(admin, "boss",
                                      roles=frozenset({Role.ADMIN, Role.CUSTODIAN,
                                                       Role.CONTRACTOR}))
    # removing one role resolves it
    fixed = world.accounts.update_account(admin, "boss", roles=frozenset({Role.ADMIN}))
    assert fixed.roles == {Role.ADMIN}
