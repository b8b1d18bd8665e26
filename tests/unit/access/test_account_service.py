"""The admin screen's use cases (issue "Access"): admin only, invariants, logged with actor."""

from __future__ import annotations

from dataclasses import replace

import pytest
from access_helpers import PASSWORDS, World, log_entries

from alpr_desktop.core.access_errors import (
    AccountInvalid,
    AccountLocked,
    BadCredentials,
    NotAuthorized,
    PasswordChangeRequired,
    PasswordRejected,
)
from alpr_desktop.core.roles import Action, Role
from alpr_desktop.services.gate import require
from alpr_desktop.storage.accounts import AccountRepo

NEW = {
    "username": "deputy2",
    "full_name": "Dee Puty",
    "organization": "LASD Carson Station",
    "roles": frozenset({Role.ANALYST}),
    "initial_password": "Lemon-Grove-Sunrise-9",
    "badge_number": "5521",
    "sworn": True,
}


@pytest.mark.parametrize("who", ["officer", "keeper", "vendor"])
def test_only_admin_manages_accounts(world: World, who: str) -> None:
    ctx = world.ctx(who)
    with pytest.raises(NotAuthorized):
        world.accounts.list_accounts(ctx)
    with pytest.raises(NotAuthorized):
        world.accounts.create_account(ctx, **NEW)
    refused = log_entries(world.store, "gate.refused")
    assert len(refused) == 2 and refused[0].username == who
    assert refused[0].detail["action"] == "manage_accounts"


def test_create_account_forces_password_change(world: World) -> None:
    admin = world.ctx("root")
    created = world.accounts.create_account(admin, **NEW)
    assert created.must_change_password and not created.active and created.pending == "create"
    [entry] = log_entries(world.store, "account.created")
    assert entry.username == "root" and entry.detail["account"] == "deputy2"
    assert "password" not in entry.detail_json.lower().replace("must_change_password", "")
    keeper = world.ctx("keeper")
    [request] = world.approvals.list_requests(keeper)
    world.approvals.approve(keeper, request.id)

    session = world.auth.sign_in("deputy2", NEW["initial_password"])
    assert session.must_change_password
    with pytest.raises(PasswordChangeRequired):
        require(world.store, world.auth.context(session), Action.DECLARE_PURPOSE,
                clock=world.clock)
    session = world.auth.change_password(session, NEW["initial_password"],
                                         "Orchard-Kite-Summit-4")
    assert not session.must_change_password
    require(world.store, world.auth.context(session), Action.DECLARE_PURPOSE, clock=world.clock)


def test_analyst_invariant_on_create(world: World) -> None:
    admin = world.ctx("root")
    with pytest.raises(AccountInvalid, match="sworn"):
        world.accounts.create_account(admin, **{**NEW, "sworn": False})
    with pytest.raises(AccountInvalid, match="badge"):
        world.accounts.create_account(admin, **{**NEW, "badge_number": ""})
    with pytest.raises(AccountInvalid, match="taken"):
        world.accounts.create_account(admin, **{**NEW, "username": "OFFICER"})
    with pytest.raises(PasswordRejected):
        world.accounts.create_account(admin, **{**NEW, "initial_password": "password123456"})
    assert not log_entries(world.store, "account.created")


def test_analyst_invariant_on_update(world: World) -> None:
    admin = world.ctx("root")
    with pytest.raises(AccountInvalid):
        world.accounts.update_account(admin, "officer", sworn=False)
    with pytest.raises(AccountInvalid):
        world.accounts.update_account(admin, "vendor", roles=frozenset({Role.ANALYST}))
    updated = world.accounts.update_account(
        admin, "vendor", roles=frozenset({Role.ANALYST}), sworn=True, badge_number="88"
    )
    # sworn and badge change now; the analyst role waits for a custodian
    assert updated.roles == {Role.CONTRACTOR} and updated.pending == "roles"
    assert updated.sworn and updated.badge_number == "88"
    [entry] = log_entries(world.store, "account.updated")
    assert entry.username == "root" and "roles" not in entry.detail["changes"]
    keeper = world.ctx("keeper")
    [request] = world.approvals.list_requests(keeper)
    world.approvals.approve(keeper, request.id)
    assert world.accounts.get_account(world.ctx("root"), "vendor").roles == {Role.ANALYST}
    [approved] = log_entries(world.store, "account.approved")
    assert approved.username == "keeper" and approved.detail["requested_by"] == "root"
    assert (approved.detail["roles_from"], approved.detail["roles_to"]) == (
        ["contractor"], ["analyst"])


def test_admin_cannot_change_own_roles(world: World) -> None:
    admin = world.ctx("root")
    with pytest.raises(NotAuthorized):
        world.accounts.update_account(admin, "root",
                                      roles=frozenset({Role.ADMIN, Role.CONTRACTOR}))
    # other fields of their own account are fine
    assert world.accounts.update_account(admin, "root", full_name="Robin R. Root").full_name \
        == "Robin R. Root"


def test_admin_cannot_disable_self(world: World) -> None:
    admin = world.ctx("root")
    with pytest.raises(NotAuthorized):
        world.accounts.set_active(admin, "root", False)
    world.accounts.update_account(admin, "vendor", roles=frozenset({Role.ADMIN}))
    second_admin = world.ctx("vendor")
    world.accounts.set_active(second_admin, "root", False)  # another admin may
    assert world.accounts.get_account(second_admin, "root").active is False
    with pytest.raises(NotAuthorized):
        world.accounts.set_active(second_admin, "vendor", False)


def test_disable_and_reenable(world: World) -> None:
    admin = world.ctx("root")
    world.accounts.set_active(admin, "officer", False)
    with pytest.raises(BadCredentials):
        world.sign_in("officer")
    admin = world.ctx("root")
    world.accounts.set_active(admin, "officer", True)
    keeper = world.ctx("keeper")
    world.approvals.approve(keeper, world.approvals.list_requests(keeper)[0].id)
    assert world.sign_in("officer")
    events = [(e.event, e.username, e.detail.get("account")) for e in log_entries(world.store)]
    assert ("account.disabled", "root", "officer") in events
    assert ("account.approval_requested", "root", "officer") in events
    assert ("account.approved", "keeper", "officer") in events


def test_disabled_account_is_refused_by_the_gate_mid_session(world: World) -> None:
    officer = world.sign_in("officer")
    ctx = world.auth.context(officer)
    # an admin at another workstation disables the account while the session is open
    acct = AccountRepo(world.store).get("officer")
    assert acct is not None
    AccountRepo(world.store).update_profile(replace(acct, active=False), 0)
    with pytest.raises(NotAuthorized):
        require(world.store, ctx, Action.DECLARE_PURPOSE, clock=world.clock)


def test_reset_password_must_change_and_releases_lock(world: World) -> None:
    for _ in range(5):
        with pytest.raises((BadCredentials, AccountLocked)):
            world.auth.sign_in("officer", "Wrong-Password-999")
    admin = world.ctx("root")
    world.accounts.reset_password(admin, "officer", "Temporary-Maple-Bridge-6")
    s = world.auth.sign_in("officer", "Temporary-Maple-Bridge-6")
    assert s.must_change_password
    with pytest.raises(BadCredentials):
        world.auth.sign_in("officer", PASSWORDS["officer"])
    [entry] = log_entries(world.store, "password.reset")
    assert entry.username == "root" and entry.detail["account"] == "officer"
    with pytest.raises(NotAuthorized):
        world.accounts.reset_password(world.ctx("root"), "root", "Temporary-Maple-Bridge-6")


def test_release_lockout(world: World) -> None:
    for _ in range(5):
        with pytest.raises((BadCredentials, AccountLocked)):
            world.auth.sign_in("officer", "Wrong-Password-999")
    with pytest.raises(AccountLocked):
        world.sign_in("officer")
    released = world.accounts.release_lockout(world.ctx("root"), "officer")
    assert released.failed_attempts == 0 and released.locked_until_ms is None
    assert world.sign_in("officer")
    [entry] = log_entries(world.store, "account.lockout_released")
    assert entry.username == "root" and entry.detail["was_locked"] is True


def test_account_never_exposes_the_hash(world: World) -> None:
    for acct in world.accounts.list_accounts(world.ctx("root")):
        assert "pbkdf2" not in repr(acct)
