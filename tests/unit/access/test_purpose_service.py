"""Declaring, changing and ending purposes (policy §1, §3, §5) through the service."""

from __future__ import annotations

import pytest
from access_helpers import World, log_entries, purpose_input

from alpr_desktop.core.access_errors import NotAuthorized, NotSignedIn
from alpr_desktop.core.accounts import ANONYMOUS
from alpr_desktop.core.purpose_rules import PurposeRejected

OTHER_NARRATIVE = (
    "Shots were fired during a robbery at the 7-Eleven on 223rd St Tuesday night; we want to "
    "locate the getaway sedan seen leaving northbound."
)


def test_declare_is_logged_and_active(world: World) -> None:
    ctx = world.ctx("officer")
    declared = world.purposes.declare(ctx, purpose_input())
    assert world.purposes.active(ctx) == declared
    assert world.auth.context(ctx.session).purpose == declared
    [entry] = log_entries(world.store, "purpose.declared")
    assert entry.username == "officer" and entry.purpose["case_number"] == "123-45678-2026-001"


def test_vague_purpose_is_rejected_and_logged(world: World) -> None:
    ctx = world.ctx("officer")
    with pytest.raises(PurposeRejected):
        world.purposes.declare(ctx, purpose_input(narrative="investigation", case_number="inv"))
    [entry] = log_entries(world.store, "purpose.rejected")
    assert entry.outcome == "refused" and entry.detail["problems"]
    assert world.purposes.active(ctx) is None


def test_changing_the_purpose_ends_the_old_one(world: World) -> None:
    ctx = world.ctx("officer")
    first = world.purposes.declare(ctx, purpose_input())
    second = world.purposes.declare(
        ctx, purpose_input(offense="Robbery", case_number="26-004512", narrative=OTHER_NARRATIVE)
    )
    assert world.purposes.active(ctx) == second
    [ended] = log_entries(world.store, "purpose.ended")
    assert ended.detail == {"purpose_id": first.id, "reason": "changed"}


def test_end_purpose(world: World) -> None:
    ctx = world.ctx("officer")
    world.purposes.declare(ctx, purpose_input())
    world.purposes.end(ctx)
    assert world.purposes.active(ctx) is None
    assert log_entries(world.store, "purpose.ended")[-1].detail["reason"] == "ended_by_user"


def test_sign_out_ends_the_purpose(world: World) -> None:
    ctx = world.ctx("officer")
    world.purposes.declare(ctx, purpose_input())
    assert ctx.session is not None
    world.auth.sign_out(ctx.session)
    assert world.ctx("officer").purpose is None


def test_copying_another_users_narrative_is_refused(world: World) -> None:
    from access_helpers import add_account

    from alpr_desktop.core.accounts import Account
    from alpr_desktop.core.roles import Role

    add_account(world.store, world.clock,
                Account(None, "officer2", "Otto Two", "LASD Carson Station", badge_number="77",
                        sworn=True, roles=frozenset({Role.ANALYST})), "Second-Officer-Pass-11")
    world.purposes.declare(world.ctx("officer"), purpose_input())
    other = world.auth.context(world.auth.sign_in("officer2", "Second-Officer-Pass-11"))
    with pytest.raises(PurposeRejected, match="another user"):
        world.purposes.declare(other, purpose_input(narrative=purpose_input().narrative.upper()))
    # the user's own earlier narrative may be reused for their next purpose
    mine = world.ctx("officer")
    assert world.purposes.declare(mine, purpose_input())


@pytest.mark.parametrize("who", ["keeper", "root"])
def test_roles_without_data_cannot_declare(world: World, who: str) -> None:
    with pytest.raises(NotAuthorized):
        world.purposes.declare(world.ctx(who), purpose_input())


def test_not_signed_in(world: World) -> None:
    with pytest.raises(NotSignedIn):
        world.purposes.declare(ANONYMOUS, purpose_input())
    assert log_entries(world.store, "gate.refused")
