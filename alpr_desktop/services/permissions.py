"""Contractor written permissions (policy §2): the custodian records and revokes them.

While one is active, its contractor may declare a purpose under it and search reads recorded
inside its data window; each such access is logged with the permission's reference. Outside it
the contractor is refused like anyone without the right (services.gate).
"""

from __future__ import annotations

from alpr_desktop.core.access_errors import PermissionInvalid, UnknownAccount
from alpr_desktop.core.accounts import AccessContext, Account, DataWindow, WrittenPermission
from alpr_desktop.core.audit_log import LogEvent, Outcome
from alpr_desktop.core.clock import Clock, SystemClock
from alpr_desktop.core.roles import Action, Role
from alpr_desktop.services.audit import log_event
from alpr_desktop.services.gate import Grant, require
from alpr_desktop.services.sessions import end_open_purpose
from alpr_desktop.storage.unit_of_work import UnitOfWork

MAX_REFERENCE = 120
MAX_PURPOSE = 2000
MIN_PURPOSE = 20
MAX_DURATION_MS = 366 * 24 * 3600 * 1000  # a permission is for one matter, not for ever


class PermissionService:
    def __init__(self, store: UnitOfWork, clock: Clock | None = None) -> None:
        self.store = store
        self.clock = clock or SystemClock()
        self._repo = store.permissions

    def _custodian(self, ctx: AccessContext) -> Grant:
        return require(self.store, ctx, Action.RECORD_PERMISSION, needs_purpose=False,
                       clock=self.clock)

    def record(
        self,
        ctx: AccessContext,
        *,
        reference: str,
        contractor_username: str,
        purpose: str,
        data_from: int,
        data_to: int,
        expires_ms: int,
        case_number: str = "",
    ) -> WrittenPermission:
        """Record a written permission. ``data_from``/``data_to`` are UTC seconds (inclusive)
        bounding the reads' recorded_at; ``expires_ms`` ends it. Raises PermissionInvalid."""
        grant = self._custodian(ctx)
        now = self.clock.now_ms()
        contractor = self.store.accounts.get(contractor_username.strip())
        if contractor is None:
            raise UnknownAccount(contractor_username)
        reference, purpose, case_number = reference.strip(), purpose.strip(), case_number.strip()
        problems: list[str] = []
        if not reference or len(reference) > MAX_REFERENCE:
            problems.append(f"Give the document's reference (1 to {MAX_REFERENCE} characters).")
        if not MIN_PURPOSE <= len(purpose) <= MAX_PURPOSE:
            problems.append(
                f"Say what the permission covers ({MIN_PURPOSE} to {MAX_PURPOSE} characters)."
            )
        if Role.CONTRACTOR not in contractor.roles or not contractor.active:
            problems.append(f"{contractor.username} is not an active contractor account.")
        if data_from > data_to:
            problems.append("The data window ends before it starts.")
        if expires_ms <= now:
            problems.append("The expiry must be in the future.")
        elif expires_ms - now > MAX_DURATION_MS:
            problems.append("A permission may last at most one year.")
        if len(case_number) > 40:
            problems.append("The case number is longer than 40 characters.")
        if problems:
            raise PermissionInvalid(problems)
        with self.store.transaction():
            created = self._repo.add(
                reference=reference, contractor_user_id=contractor.id or 0, purpose=purpose,
                case_number=case_number.upper(), window=DataWindow(data_from, data_to),
                expires_ms=expires_ms, granted_by=grant.account.id or 0, granted_ms=now,
            )
            self._log(grant, "permission.granted", created)
        return created

    def revoke(self, ctx: AccessContext, permission_id: int, reason: str) -> WrittenPermission:
        """Revoke a permission now; purposes declared under it end with it."""
        grant = self._custodian(ctx)
        current = self._repo.get(permission_id)
        if current is None:
            raise PermissionInvalid(["There is no such permission."])
        if current.revoked_ms is not None:
            raise PermissionInvalid(["This permission is already revoked."])
        if not reason.strip():
            raise PermissionInvalid(["Say why the permission is revoked."])
        now = self.clock.now_ms()
        with self.store.transaction():
            self._repo.revoke(permission_id, grant.account.id or 0, reason.strip(), now)
            contractor = self.store.accounts.get_by_id(current.contractor_user_id)
            if contractor is not None and any(
                p.user_id == contractor.id
                for p in self.store.purposes.open_under_permission(permission_id)
            ):
                end_open_purpose(self.store, self.clock, contractor, "permission_revoked")
            revoked = self._repo.get(permission_id)
            assert revoked is not None
            self._log(grant, "permission.revoked", revoked, reason=reason.strip())
        return revoked

    def list_permissions(self, ctx: AccessContext) -> list[WrittenPermission]:
        """All permissions, newest first (custodian)."""
        self._custodian(ctx)
        return self._repo.all()

    def contractor_accounts(self, ctx: AccessContext) -> list[Account]:
        """The active contractor accounts a permission may be recorded for, by username
        (custodian). A read of account names only, so not logged (like list_permissions)."""
        self._custodian(ctx)
        return sorted(
            (a for a in self.store.accounts.all()
             if a.active and Role.CONTRACTOR in a.roles),
            key=lambda a: a.username.casefold(),
        )

    def my_active_permissions(self, ctx: AccessContext) -> list[WrittenPermission]:
        """The signed-in contractor's active permissions (to show what they may do)."""
        grant = require(self.store, ctx, Action.RECORD_MAINTENANCE, needs_purpose=False,
                        clock=self.clock)
        return self._repo.active_for(grant.account.id or 0, self.clock.now_ms())

    def _log(
        self, grant: Grant, event: str, p: WrittenPermission, **extra: object
    ) -> None:
        log_event(
            self.store,
            LogEvent(
                event, Outcome.OK, grant.account.username,
                organization=grant.account.organization, agency=grant.account.organization,
                detail={
                    "permission_id": p.id, "reference": p.reference,
                    "contractor": p.contractor_username, "purpose": p.purpose,
                    "case_number": p.case_number, "data_window": p.window.as_dict(),
                    "expires_ms": p.expires_ms, **extra,
                },
            ),
            self.clock,
        )
