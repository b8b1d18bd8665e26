"""Account hygiene (State Auditor 2019-118): accounts unused for the set number of days are
suspended automatically, and separation from the agency is one click.

The sweep runs at every sign-in (before the session starts), so an unused account is
suspended before it can be used again, and the others are caught whenever anyone signs in.
A suspended account is disabled like any other: an administrator re-enables it, which for an
analyst or custodian waits for a custodian's approval (services/accounts.py). The last active
administrator and the last active custodian are never suspended automatically, so the store
never becomes unmanageable; each skip is logged.
"""

from __future__ import annotations

from dataclasses import replace

from alpr_desktop.core.accounts import AccessContext, Account
from alpr_desktop.core.audit_log import LogEvent, Outcome
from alpr_desktop.core.clock import Clock, SystemClock
from alpr_desktop.core.roles import Action, Role
from alpr_desktop.core.training import (
    AccountSuspended,
    SuspensionKind,
    is_unused,
    last_used_ms,
)
from alpr_desktop.services import keyslots as slots
from alpr_desktop.services.accounts import AccountService
from alpr_desktop.services.audit import SYSTEM_USER, log_event
from alpr_desktop.services.gate import require
from alpr_desktop.services.sessions import end_open_purpose
from alpr_desktop.storage.protocols import AccountRepository
from alpr_desktop.storage.training import unused_days
from alpr_desktop.storage.unit_of_work import UnitOfWork

MAX_NOTE = 300


def _last_used(store: UnitOfWork, account: Account) -> int:
    return last_used_ms(account.last_sign_in_ms, account.created_ms, account.updated_ms,
                        store.suspensions.last_at(account.id or 0))


def suspend_unused(store: UnitOfWork, clock: Clock | None = None) -> list[str]:
    """Suspend every active account unused for longer than the setting; the usernames."""
    clock = clock or SystemClock()
    days, now = unused_days(store), clock.now_ms()
    repo = store.accounts
    suspended: list[str] = []
    for account in repo.all():
        if not account.active:
            continue
        last = _last_used(store, account)
        if not is_unused(last, now, days):
            continue
        if _last_of_a_kind(repo, account):
            continue
        with store.transaction():
            repo.update_profile(replace(account, active=False), now)
            store.suspensions.add(account.id or 0, SuspensionKind.UNUSED, now, None, last)
            end_open_purpose(store, clock, account, "account_suspended")
            log_event(store, LogEvent(
                "account.suspended", Outcome.OK, SYSTEM_USER,
                detail={"account": account.username, "reason": "unused",
                        "last_used_ms": last, "unused_days": days}), clock)
            slots.remove_account_slot(store, account, reason="suspended_unused", clock=clock)
        suspended.append(account.username)
    return suspended


def _last_of_a_kind(repo: AccountRepository, account: Account) -> bool:
    for role in (Role.ADMIN, Role.CUSTODIAN):
        if role in account.roles and repo.count_active_with_role(role) <= 1:
            return True
    return False


def check_sign_in(uow: UnitOfWork, clock: Clock, account: Account) -> None:
    """Before a session starts: sweep, and refuse the account if the sweep suspended it."""
    if account.username in suspend_unused(uow, clock):
        log_event(uow, LogEvent(
            "signin.failed", Outcome.REFUSED, account.username,
            organization=account.organization, agency=account.organization,
            detail={"reason": "suspended_unused"}), clock)
        raise AccountSuspended(unused_days(uow))


class HygieneService:
    """The administrator's one-click separation."""

    def __init__(self, store: UnitOfWork, clock: Clock | None = None) -> None:
        self.store = store
        self.clock = clock or SystemClock()

    def separate(self, ctx: AccessContext, username: str, note: str = "") -> Account:
        """Deactivate at once an account whose holder left the agency; logged as a
        separation (and as the disabling it is)."""
        grant = require(self.store, ctx, Action.MANAGE_ACCOUNTS, needs_purpose=False,
                        clock=self.clock)
        note = " ".join(note.split())[:MAX_NOTE]
        accounts = AccountService(self.store, self.clock)
        before = accounts.get_account(ctx, username)
        with self.store.transaction():
            after = accounts.set_active(ctx, username, False) if before.active else before
            self.store.suspensions.add(before.id or 0, SuspensionKind.SEPARATED,
                                           self.clock.now_ms(), grant.account.id,
                                           _last_used(self.store, before), note)
            log_event(self.store, LogEvent(
                "account.separated", Outcome.OK, grant.account.username,
                organization=grant.account.organization, agency=grant.account.organization,
                detail={"account": before.username, "note": note}), self.clock)
        return after
