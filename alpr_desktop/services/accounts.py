"""The admin screen's use cases: create, edit, disable and re-enable accounts, reset passwords,
release lockouts. Admin only (MANAGE_ACCOUNTS); every change is logged with who made it.

Rules beyond the role matrix: an admin cannot change their own roles, disable themselves or
reset their own password (they use change-password), and the last active admin cannot be
disabled or lose the admin role, so the store never becomes unmanageable.

Separation of duties (issue 10 §3): a new account holding analyst or custodian, a re-enabled
one, and a role change adding either take effect only when a custodian approves
(services/approvals.py); until then the account stays inactive or keeps its old roles, and the
request is logged. The last active custodian cannot be disabled or lose the role, since a
custodian must approve the next one. A store with no active custodian other than the asking
admin (one made before this rule) may get its custodian without approval, logged as such.
"""

from __future__ import annotations

from dataclasses import replace

from alpr_desktop.core.access_errors import (
    AccountInvalid,
    NotAuthorized,
    PasswordRejected,
    UnknownAccount,
)
from alpr_desktop.core.accounts import AccessContext, Account
from alpr_desktop.core.approvals import Decision, RequestKind
from alpr_desktop.core.audit_log import LogEvent, Outcome
from alpr_desktop.core.clock import Clock, SystemClock
from alpr_desktop.core.roles import (
    NEEDS_APPROVAL,
    Action,
    Role,
    approval_needed,
    check_account,
    duty_conflicts,
)
from alpr_desktop.security import passwords
from alpr_desktop.services import keyslots as slots
from alpr_desktop.services.audit import log_event
from alpr_desktop.services.gate import Grant, require
from alpr_desktop.services.sessions import end_open_purpose
from alpr_desktop.storage.unit_of_work import UnitOfWork

BOOTSTRAP_NOTE = "none: the store had no other active custodian to approve it"


class AccountService:
    def __init__(self, store: UnitOfWork, clock: Clock | None = None) -> None:
        self.store = store
        self.clock = clock or SystemClock()
        self._repo = store.accounts
        self._requests = store.account_requests

    def _admin(self, ctx: AccessContext) -> Grant:
        return require(self.store, ctx, Action.MANAGE_ACCOUNTS, needs_purpose=False,
                       clock=self.clock)

    def _get(self, username: str) -> Account:
        account = self._repo.get(username.strip())
        if account is None:
            raise UnknownAccount(username)
        return account

    def list_accounts(self, ctx: AccessContext) -> list[Account]:
        self._admin(ctx)
        return self._repo.all()

    def get_account(self, ctx: AccessContext, username: str) -> Account:
        self._admin(ctx)
        return self._get(username)

    def create_account(
        self,
        ctx: AccessContext,
        *,
        username: str,
        full_name: str,
        organization: str,
        roles: frozenset[Role],
        initial_password: str,
        badge_number: str = "",
        sworn: bool = False,
    ) -> Account:
        """A new account; its user must change ``initial_password`` at first sign-in. An account
        holding analyst or custodian is created inactive with a request for a custodian's
        approval (``pending == "create"``); any other is active at once.

        Raises AccountInvalid (duplicate username or broken invariant), PasswordRejected."""
        grant = self._admin(ctx)
        account = Account(
            None, username.strip(), full_name.strip(), organization.strip(),
            badge_number=badge_number.strip(), sworn=sworn, roles=frozenset(roles),
            must_change_password=True,
        )
        problems = check_account(account)
        if self._repo.get(account.username) is not None:
            problems.append(f"The username {account.username!r} is taken.")
        if problems:
            raise AccountInvalid(problems)
        rejected = passwords.check_password_rules(initial_password, account.username)
        if rejected:
            raise PasswordRejected(rejected)
        pw_hash = passwords.hash_password(initial_password)
        kind = approval_needed(None, account)
        bootstrap = kind is not None and self._bootstrap(grant, account.roles)
        waits = kind is not None and not bootstrap
        if waits:
            account = replace(account, active=False)
        with self.store.transaction():
            created = self._repo.add(account, pw_hash, self.clock.now_ms())
            extra: dict[str, object] = {"awaiting_approval": True} if waits else {}
            if bootstrap:
                extra["approval"] = BOOTSTRAP_NOTE
            self._log(grant, "account.created", created, values=created.summary(), **extra)
            slots.write_account_slot(self.store, created, initial_password, reason="created",
                                     actor=grant.account, clock=self.clock)
            if waits:
                self._request(grant, RequestKind.CREATE, created, frozenset(), created.roles)
        return self._get(created.username)

    def update_account(
        self,
        ctx: AccessContext,
        username: str,
        *,
        full_name: str | None = None,
        organization: str | None = None,
        badge_number: str | None = None,
        sworn: bool | None = None,
        roles: frozenset[Role] | None = None,
    ) -> Account:
        """Change the given fields (None leaves a field as it is). A role change adding analyst
        or custodian is saved as a request: the other fields change now, the roles when a
        custodian approves. Raises AccountInvalid, NotAuthorized (own roles)."""
        grant = self._admin(ctx)
        before = self._get(username)
        after = replace(
            before,
            full_name=before.full_name if full_name is None else full_name.strip(),
            organization=before.organization if organization is None else organization.strip(),
            badge_number=before.badge_number if badge_number is None else badge_number.strip(),
            sworn=before.sworn if sworn is None else sworn,
            roles=before.roles if roles is None else frozenset(roles),
        )
        if after.roles != before.roles and before.id == grant.account.id:
            raise NotAuthorized("An administrator cannot change their own roles.")
        if after.roles != before.roles and before.pending:
            raise AccountInvalid([
                f"{before.username} has a request waiting for a custodian's decision; its "
                "roles cannot change until the custodian approves or rejects it."
            ])
        self._check(after, before, keep_legacy=after.roles <= before.roles)
        if approval_needed(before, after) is None or self._bootstrap(grant, after.roles):
            return self._save(grant, before, after, "account.updated")
        with self.store.transaction():
            saved = self._save(grant, before, replace(after, roles=before.roles),
                               "account.updated")
            self._request(grant, RequestKind.ROLES, saved, before.roles, after.roles)
        return self._get(username)

    def set_active(self, ctx: AccessContext, username: str, active: bool) -> Account:
        """Disable or re-enable an account. A disabled account cannot sign in and its open
        purpose ends; its history stays, and a request waiting for approval is withdrawn.
        Re-enabling an account holding analyst or custodian waits for a custodian's approval
        (``pending == "enable"``)."""
        grant = self._admin(ctx)
        before = self._get(username)
        if not active and before.id == grant.account.id:
            raise NotAuthorized("An administrator cannot disable their own account.")
        if active and before.pending in (RequestKind.CREATE, RequestKind.ENABLE):
            raise AccountInvalid([
                f"{before.username} is already waiting for a custodian's approval."
            ])
        after = replace(before, active=active)
        self._check(after, before, keep_legacy=not active)
        if approval_needed(before, after) and not self._bootstrap(grant, after.roles):
            with self.store.transaction():
                self._request(grant, RequestKind.ENABLE, before, before.roles, before.roles)
            return self._get(username)
        event = "account.enabled" if active else "account.disabled"
        with self.store.transaction():
            if not active and before.pending:
                self._withdraw(grant, before)
            saved = self._save(grant, before, after, event)
            if not active:
                end_open_purpose(self.store, self.clock, before, "account_disabled")
                slots.remove_account_slot(self.store, before, reason="disabled",
                                          actor=grant.account, clock=self.clock)
        return self._get(saved.username)

    def reset_password(self, ctx: AccessContext, username: str, temporary_password: str) -> None:
        """Set a temporary password that must be changed at the next sign-in; also releases
        a lockout (the admin has checked who is asking)."""
        grant = self._admin(ctx)
        account = self._get(username)
        if account.id == grant.account.id:
            raise NotAuthorized("Change your own password with Change password instead.")
        rejected = passwords.check_password_rules(temporary_password, account.username)
        if rejected:
            raise PasswordRejected(rejected)
        pw_hash = passwords.hash_password(temporary_password)
        now = self.clock.now_ms()
        with self.store.transaction():
            self._repo.set_password(account.id or 0, pw_hash, must_change=True, now_ms=now)
            self._repo.set_lock_state(account.id or 0, 0, None)
            self._log(grant, "password.reset", account)
            slots.write_account_slot(self.store, account, temporary_password, reason="reset",
                                     actor=grant.account, clock=self.clock)
        slots.release_signin_lock(self.store, account.username)

    def release_lockout(self, ctx: AccessContext, username: str) -> Account:
        """Clear failed attempts and any lock (CJIS 5.5.3: an administrator may release it)."""
        grant = self._admin(ctx)
        account = self._get(username)
        with self.store.transaction():
            self._repo.set_lock_state(account.id or 0, 0, None)
            self._log(grant, "account.lockout_released", account,
                      failed_attempts=account.failed_attempts,
                      was_locked=account.is_locked(self.clock.now_ms()))
        slots.release_signin_lock(self.store, account.username)
        return self._get(username)

    # -- helpers -------------------------------------------------------------------------------
    def _check(self, after: Account, before: Account, *, keep_legacy: bool = False) -> None:
        """Refuse a change that breaks an invariant. With ``keep_legacy``, a role combination
        the account held before the separation-of-duties rule (a store from an earlier
        version) does not block other edits or removing a role; it blocks every grant."""
        problems = check_account(after)
        if keep_legacy:
            legacy = set(duty_conflicts(before.roles))
            problems = [p for p in problems if p not in legacy]
        was_admin = before.active and Role.ADMIN in before.roles
        still_admin = after.active and Role.ADMIN in after.roles
        if was_admin and not still_admin and self._repo.count_active_with_role(Role.ADMIN) <= 1:
            problems.append("This is the last active administrator; keep at least one.")
        was_custodian = before.active and Role.CUSTODIAN in before.roles
        still_custodian = after.active and Role.CUSTODIAN in after.roles
        if (was_custodian and not still_custodian
                and self._repo.count_active_with_role(Role.CUSTODIAN) <= 1):
            problems.append(
                "This is the last active custodian, and a custodian must approve the next "
                "one: create the successor and have them approved first (resetting the "
                "password keeps a departed custodian out meanwhile)."
            )
        if problems:
            raise AccountInvalid(problems)

    def _bootstrap(self, grant: Grant, roles: frozenset[Role]) -> bool:
        """True when ``roles`` need approval only for the custodian role and no custodian
        other than the asking admin is active to approve it (a store from before this rule)."""
        if (roles & NEEDS_APPROVAL) != {Role.CUSTODIAN}:
            return False
        others = [a for a in self._repo.all()
                  if a.active and Role.CUSTODIAN in a.roles and a.id != grant.account.id]
        return not others

    def _request(
        self, grant: Grant, kind: RequestKind, account: Account,
        roles_from: frozenset[Role], roles_to: frozenset[Role],
    ) -> None:
        request = self._requests.add(kind, account.id or 0, roles_from, roles_to,
                                     grant.account.id or 0, self.clock.now_ms())
        self._log(grant, "account.approval_requested", account, request_id=request.id,
                  kind=str(kind), roles_from=sorted(map(str, roles_from)),
                  roles_to=sorted(map(str, roles_to)))

    def _withdraw(self, grant: Grant, account: Account) -> None:
        request = self._requests.open_for(account.id or 0)
        if request is None:
            return
        self._requests.decide(request.id, Decision.WITHDRAWN, grant.account.id or 0,
                              self.clock.now_ms(), "account disabled")
        self._log(grant, "account.approval_withdrawn", account, request_id=request.id,
                  kind=str(request.kind))

    def _save(self, grant: Grant, before: Account, after: Account, event: str) -> Account:
        old, new = before.summary(), after.summary()
        changes = {k: {"from": old[k], "to": new[k]} for k in new if old[k] != new[k]}
        with self.store.transaction():
            self._repo.update_profile(after, self.clock.now_ms())
            if changes:
                self._log(grant, event, after, changes=changes)
        saved = self._repo.get_by_id(after.id or 0)
        assert saved is not None
        return saved

    def _log(self, grant: Grant, event: str, target: Account, **detail: object) -> None:
        log_event(
            self.store,
            LogEvent(
                event, Outcome.OK, grant.account.username,
                organization=grant.account.organization, agency=grant.account.organization,
                detail={"account": target.username, **detail},
            ),
            self.clock,
        )

