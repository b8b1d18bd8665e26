"""The custodian's side of separation of duties: approve or reject account requests.

An administrator's new analyst or custodian account, re-enabled account or role change adding
either waits as a request (services/accounts.py). A custodian who is not the administrator who
asked, and not the account concerned, approves it (the change takes effect) or rejects it with
a reason (nothing changes; a new account stays disabled). The invariants are checked again at
the decision, since the account may have changed meanwhile. Every decision is logged with the
request in the same transaction.
"""

from __future__ import annotations

from dataclasses import replace
from typing import NoReturn

from alpr_desktop.core.access_errors import (
    AccountInvalid,
    ApprovalRefused,
    AwaitingApproval,
    BadCredentials,
)
from alpr_desktop.core.accounts import AccessContext, Account
from alpr_desktop.core.approvals import AccountRequest, Decision, RequestKind, check_reason
from alpr_desktop.core.audit_log import LogEvent, Outcome
from alpr_desktop.core.clock import Clock, SystemClock
from alpr_desktop.core.roles import Action, check_account
from alpr_desktop.services.audit import log_event
from alpr_desktop.services.gate import Grant, require
from alpr_desktop.storage.unit_of_work import UnitOfWork


class ApprovalService:
    def __init__(self, store: UnitOfWork, clock: Clock | None = None) -> None:
        self.store = store
        self.clock = clock or SystemClock()
        self._requests = store.account_requests
        self._accounts = store.accounts

    def _custodian(self, ctx: AccessContext) -> Grant:
        return require(self.store, ctx, Action.APPROVE_ACCOUNTS, needs_purpose=False,
                       clock=self.clock)

    def list_requests(self, ctx: AccessContext, *, open_only: bool = True) -> list[AccountRequest]:
        """Open requests, oldest first (or every request, newest first)."""
        self._custodian(ctx)
        return self._requests.list(open_only=open_only)

    def approve(self, ctx: AccessContext, request_id: int, note: str = "") -> AccountRequest:
        """Apply the requested change. Raises ApprovalRefused (own request, own account,
        already decided), AccountInvalid (the change no longer keeps the invariants)."""
        grant = self._custodian(ctx)
        problems = check_reason(note, required=False)
        if problems:
            raise AccountInvalid(problems)
        request, _account = self._open(grant, request_id)  # refusals are logged outside
        with self.store.transaction():
            account = self._accounts.get_by_id(request.user_id)  # as it is now
            assert account is not None
            after = self._applied(request, account)
            problems = check_account(after)
            if problems:
                raise AccountInvalid([
                    f"The request for {account.username} cannot be approved as it stands:",
                    *problems, "Reject it and ask the administrator for a new request.",
                ])
            self._accounts.update_profile(after, self.clock.now_ms())
            self._decide(grant, request, Decision.APPROVED, note.strip(), "account.approved")
        return self._decided(request_id)

    def reject(self, ctx: AccessContext, request_id: int, reason: str) -> AccountRequest:
        """Refuse the change with a reason: nothing changes (a new account stays disabled)."""
        grant = self._custodian(ctx)
        problems = check_reason(reason, required=True)
        if problems:
            raise AccountInvalid(problems)
        request, _account = self._open(grant, request_id)
        with self.store.transaction():
            self._decide(grant, request, Decision.REJECTED, reason.strip(), "account.rejected")
        return self._decided(request_id)

    # -- helpers -------------------------------------------------------------------------------
    def _open(self, grant: Grant, request_id: int) -> tuple[AccountRequest, Account]:
        request = self._requests.get(request_id)
        if request is None or not request.is_open:
            raise ApprovalRefused("This request has already been decided or withdrawn; "
                                  "refresh the list.")
        me = grant.account.id
        if request.requested_by_id == me:
            self._refused(grant, request, "own_request")
            raise ApprovalRefused("You asked for this change yourself: another custodian must "
                                  "decide it (separation of duties).")
        if request.user_id == me:
            self._refused(grant, request, "own_account")
            raise ApprovalRefused("This request is about your own account: another custodian "
                                  "must decide it (separation of duties).")
        account = self._accounts.get_by_id(request.user_id)
        assert account is not None
        return request, account

    @staticmethod
    def _applied(request: AccountRequest, account: Account) -> Account:
        if request.kind is RequestKind.ROLES:
            return replace(account, roles=request.roles_to)
        return replace(account, active=True)

    def _decide(
        self, grant: Grant, request: AccountRequest, decision: Decision, reason: str, event: str
    ) -> None:
        if not self._requests.decide(request.id, decision, grant.account.id or 0,
                                     self.clock.now_ms(), reason):
            raise ApprovalRefused("This request has already been decided; refresh the list.")
        self._log(grant, event, Outcome.OK, request, reason=reason)

    def _refused(self, grant: Grant, request: AccountRequest, why: str) -> None:
        with self.store.transaction():
            self._log(grant, "account.approval_refused", Outcome.REFUSED, request, why=why)

    def _log(
        self, grant: Grant, event: str, outcome: str, request: AccountRequest, **detail: object
    ) -> None:
        log_event(
            self.store,
            LogEvent(
                event, outcome, grant.account.username,
                organization=grant.account.organization, agency=grant.account.organization,
                detail={
                    "account": request.username, "request_id": request.id,
                    "kind": str(request.kind), "requested_by": request.requested_by,
                    "roles_from": sorted(map(str, request.roles_from)),
                    "roles_to": sorted(map(str, request.roles_to)), **detail,
                },
            ),
            self.clock,
        )

    def _decided(self, request_id: int) -> AccountRequest:
        request = self._requests.get(request_id)
        assert request is not None
        return request


def refuse_inactive_sign_in(store: UnitOfWork, clock: Clock, account: Account) -> NoReturn:
    """After a correct password on an inactive account: "awaiting approval" when a custodian
    has not yet decided on it, otherwise the same answer as a wrong password. Logged."""
    waiting = account.pending in (RequestKind.CREATE, RequestKind.ENABLE)
    log_event(
        store,
        LogEvent("signin.failed", Outcome.REFUSED, account.username,
                 organization=account.organization, agency=account.organization,
                 detail={"reason": "awaiting_approval" if waiting else "disabled"}),
        clock,
    )
    if waiting:
        raise AwaitingApproval()
    raise BadCredentials()
