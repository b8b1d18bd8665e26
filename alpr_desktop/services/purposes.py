"""Declaring and ending the purpose of an investigation (policy §1, §3, §5).

A declared purpose stays active for the user's current investigation until they end or change
it, sign out, or the session locks. A contractor declares under an active written permission,
and the purpose is tied to it.
"""

from __future__ import annotations

from dataclasses import replace

from alpr_desktop.core.access_errors import PermissionInvalid
from alpr_desktop.core.accounts import AccessContext, ActivePurpose, WrittenPermission
from alpr_desktop.core.audit_log import LogEvent, Outcome
from alpr_desktop.core.clock import Clock, SystemClock
from alpr_desktop.core.purpose_rules import (
    PurposeProblem,
    PurposeRejected,
    narrative_fingerprint,
    validate_purpose,
)
from alpr_desktop.core.purposes import PurposeInput
from alpr_desktop.core.roles import Action
from alpr_desktop.services import sessions
from alpr_desktop.services.audit import log_event
from alpr_desktop.services.gate import Grant, require
from alpr_desktop.services.sharing import is_request_purpose
from alpr_desktop.storage.unit_of_work import UnitOfWork


class PurposeService:
    def __init__(self, store: UnitOfWork, clock: Clock | None = None) -> None:
        self.store = store
        self.clock = clock or SystemClock()

    def declare(
        self, ctx: AccessContext, entry: PurposeInput, *, permission_id: int | None = None
    ) -> ActivePurpose:
        """Validate and record ``entry`` as the user's purpose, ending any previous one.

        A contractor declares under a written permission: ``permission_id`` picks one of
        theirs, else the context's (AuthService.context picks the first active one).
        Raises PurposeRejected (logged as "purpose.rejected" with every problem), or a gate
        error. Build a new context afterwards (AuthService.context) to use the purpose."""
        if permission_id is not None and ctx.session is not None:
            chosen = self.store.permissions.get(permission_id)
            if chosen is None:
                raise PermissionInvalid(["There is no such permission."])
            ctx = replace(ctx, permission=chosen)
        grant = require(self.store, ctx, Action.DECLARE_PURPOSE, needs_purpose=False,
                        clock=self.clock)
        repo = self.store.purposes
        user_id = grant.account.id or 0
        try:
            purpose = validate_purpose(
                entry,
                case_formats=self.store.settings.case_formats(),
                others_narratives=(() if is_request_purpose(self.store, entry)
                                   else repo.narratives_of_others(user_id)),
            )
            _check_permission_case(grant.permission, purpose.case_number)
        except PurposeRejected as exc:
            self._log_rejected(grant, entry, exc.problems)
            raise
        with self.store.transaction():
            sessions.end_open_purpose(self.store, self.clock, grant.session, "changed")
            permission_id = grant.permission.id if grant.permission else None
            declared = repo.add(
                user_id, purpose, narrative_fingerprint(purpose.narrative),
                self.clock.now_ms(), permission_id,
            )
            detail: dict[str, object] = {"purpose_id": declared.id}
            log_purpose = dict(purpose.as_log_dict())
            if grant.permission is not None:
                detail["permission_reference"] = grant.permission.reference
                log_purpose["written_permission"] = grant.permission.reference
            log_event(
                self.store,
                LogEvent(
                    "purpose.declared", Outcome.OK, grant.account.username,
                    organization=grant.account.organization, agency=grant.account.organization,
                    purpose=log_purpose, detail=detail,
                ),
                self.clock,
            )
        return declared

    def end(self, ctx: AccessContext) -> ActivePurpose | None:
        """End the user's open purpose (the investigation is over); None if there was none."""
        state = sessions.live_state(self.store, self.clock, ctx.session)
        return sessions.end_open_purpose(self.store, self.clock, state.session, "ended_by_user")

    def active(self, ctx: AccessContext) -> ActivePurpose | None:
        """The user's open purpose, for the status bar."""
        state = sessions.live_state(self.store, self.clock, ctx.session)
        return self.store.purposes.open_for(state.session.user_id)

    def _log_rejected(
        self, grant: Grant, entry: PurposeInput, problems: tuple[PurposeProblem, ...]
    ) -> None:
        log_event(
            self.store,
            LogEvent(
                "purpose.rejected", Outcome.REFUSED, grant.account.username,
                organization=grant.account.organization, agency=grant.account.organization,
                purpose={
                    "category": str(entry.category),
                    "offense": str(entry.offense)[:200],
                    "case_number": str(entry.case_number)[:80],
                    "narrative": str(entry.narrative)[:2000],
                },
                detail={"problems": [p.code or p.field for p in problems]},
            ),
            self.clock,
        )


def _check_permission_case(permission: WrittenPermission | None, case_number: str) -> None:
    """A permission issued for one case covers purposes declared for that case only."""
    if permission is None or not permission.case_number:
        return
    if permission.case_number.strip().upper() != case_number.strip().upper():
        raise PurposeRejected([
            PurposeProblem(
                "case_number",
                f"Your written permission ({permission.reference}) covers case "
                f"{permission.case_number} only.",
                "case_number_not_permitted",
            )
        ])

