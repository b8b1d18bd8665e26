"""The permission matrix and account invariants (policy §2, §6; issue "Access")."""

from __future__ import annotations

import pytest

from alpr_desktop.core.accounts import Account
from alpr_desktop.core.roles import (
    Action,
    Role,
    allowed,
    check_account,
    effective_roles,
)

A, C, K, D = Role.ANALYST, Role.CUSTODIAN, Role.CONTRACTOR, Role.ADMIN
Y, N, W = "yes", "no", "with written permission"

# action: (analyst, custodian, contractor, admin)
EXPECTED = {
    Action.SEARCH_READS: (Y, N, W, N),
    Action.VIEW_IMAGES: (Y, N, W, N),
    Action.EXPORT_EVIDENCE: (Y, N, N, N),
    Action.CORRECT_READS: (Y, N, W, N),  # §7: a contractor corrects under permission
    Action.DECLARE_PURPOSE: (Y, N, W, N),
    Action.READ_AUDIT_LOG: (N, Y, N, N),
    Action.PRINT_AUDIT_REPORT: (N, Y, N, N),
    Action.RECORD_PERMISSION: (N, Y, N, N),
    Action.REVIEW_RETENTION: (N, Y, N, N),
    Action.RECORD_INCIDENT: (N, Y, N, Y),
    Action.RECORD_MAINTENANCE: (N, N, Y, N),
    Action.VIEW_MAINTENANCE: (N, Y, Y, Y),
    Action.IMPORT_DATA: (N, N, Y, Y),
    Action.MANAGE_ACCOUNTS: (N, N, N, Y),
    Action.MANAGE_SECURITY_SETTINGS: (N, N, N, Y),
    Action.APPROVE_ACCOUNTS: (N, Y, N, N),
    Action.REQUEST_HOLD: (Y, N, N, N),
    Action.REVIEW_OVERSIGHT: (N, Y, N, N),
    Action.MANAGE_AGENCIES: (N, Y, N, N),
    Action.RECORD_SHARING_REQUEST: (Y, Y, N, N),
    Action.VIEW_SHARING_REQUESTS: (Y, Y, N, N),
    Action.APPROVE_DISCLOSURE: (N, Y, N, N),
}


def test_every_action_is_in_the_table() -> None:
    assert set(EXPECTED) == set(Action)


@pytest.mark.parametrize("action", list(Action), ids=lambda a: a.value)
@pytest.mark.parametrize("column,role", list(enumerate([A, C, K, D])), ids=str)
def test_matrix(action: Action, column: int, role: Role) -> None:
    want = EXPECTED[action][column]
    without = allowed({role}, action)
    with_permission = allowed({role}, action, written_permission=True)
    assert (without, with_permission) == {Y: (True, True), N: (False, False),
                                          W: (False, True)}[want]


def test_no_role_allows_nothing() -> None:
    assert not any(allowed(set(), a, written_permission=True) for a in Action)


@pytest.mark.parametrize("role", [C, D])
def test_custodian_and_admin_never_see_reads(role: Role) -> None:
    for action in (Action.SEARCH_READS, Action.VIEW_IMAGES, Action.EXPORT_EVIDENCE):
        assert not allowed({role}, action, written_permission=True)


def _acct(**kw: object) -> Account:
    base: dict[str, object] = {
        "id": 1, "username": "jdoe", "full_name": "J Doe", "organization": "LASD",
        "badge_number": "123", "sworn": True, "roles": frozenset({A}),
    }
    base.update(kw)
    return Account(**base)  # type: ignore[arg-type]


def test_sworn_analyst_with_badge_is_valid() -> None:
    assert check_account(_acct()) == []


def test_analyst_must_be_sworn() -> None:
    problems = check_account(_acct(sworn=False))
    assert any("sworn" in p for p in problems)


def test_analyst_needs_badge() -> None:
    problems = check_account(_acct(badge_number="  "))
    assert any("badge" in p for p in problems)


@pytest.mark.parametrize("other", [C, K, D])
def test_analyst_holds_no_other_role(other: Role) -> None:
    assert check_account(_acct(roles=frozenset({A, other})))


def test_custodian_is_never_the_contractor() -> None:
    assert check_account(_acct(roles=frozenset({C, K}), sworn=False, badge_number=""))


def test_admin_may_also_be_contractor() -> None:
    assert check_account(_acct(roles=frozenset({D, K}), sworn=False, badge_number="")) == []


@pytest.mark.parametrize(
    "changes",
    [{"roles": frozenset()}, {"username": "x"}, {"username": "bad name"}, {"full_name": " "},
     {"organization": ""}],
)
def test_other_invariants(changes: dict[str, object]) -> None:
    assert check_account(_acct(**changes))


def test_effective_roles_drop_analyst_without_oath_or_badge() -> None:
    assert effective_roles(_acct()) == {A}
    assert effective_roles(_acct(sworn=False)) == frozenset()
    assert effective_roles(_acct(badge_number="")) == frozenset()
    assert effective_roles(_acct(active=False)) == frozenset()
    assert effective_roles(_acct(roles=frozenset({D}), active=False)) == frozenset()
