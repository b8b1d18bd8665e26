"""The custodian's incident register and breach notices (policy §10, Civil Code 1798.29).

Recording an incident and building its notice are logged in the transaction that does them.
The notice PDF holds what the custodian wrote about the incident, never reads or plates.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alpr_desktop.core.access_errors import AccountInvalid
from alpr_desktop.core.accounts import AccessContext
from alpr_desktop.core.audit_log import LogEvent, Outcome
from alpr_desktop.core.clock import Clock, SystemClock
from alpr_desktop.core.incidents import Incident, IncidentInput, check_incident
from alpr_desktop.core.roles import Action
from alpr_desktop.services.audit import log_event
from alpr_desktop.services.gate import Grant, require
from alpr_desktop.storage.unit_of_work import UnitOfWork


class UnknownIncident(LookupError):
    def __init__(self, incident_id: int) -> None:
        super().__init__(f"There is no incident #{incident_id}.")


@dataclass(frozen=True)
class NoticeResult:
    path: Path
    incident: Incident
    ag_sample_required: bool


class IncidentService:
    def __init__(self, store: UnitOfWork, clock: Clock | None = None) -> None:
        self.store = store
        self.clock = clock or SystemClock()
        self._repo = store.incidents

    def _grant(self, ctx: AccessContext) -> Grant:
        return require(self.store, ctx, Action.RECORD_INCIDENT, needs_purpose=False,
                       clock=self.clock)

    def list_incidents(self, ctx: AccessContext) -> list[Incident]:
        self._grant(ctx)
        return self._repo.all()

    def record(self, ctx: AccessContext, incident: IncidentInput) -> Incident:
        """Add an incident; bad input (AccountInvalid listing the problems) changes nothing."""
        grant = self._grant(ctx)
        problems = check_incident(incident, self.clock.now_ms())
        if problems:
            raise AccountInvalid(problems)
        with self.store.transaction():
            saved = self._repo.add(incident, grant.account.id or 0, self.clock.now_ms())
            self._log(grant, "incident.recorded", saved)
        return saved

    def build_notice(self, ctx: AccessContext, incident_id: int, out: Path | str,
                     organization: str = "City of Carson") -> NoticeResult:
        """Write the "Notice of Data Breach" PDF for an incident (owner-only, whole or not
        at all) and log it with the notice date."""
        from alpr_desktop.reports.breach_notice import build_breach_notice

        grant = self._grant(ctx)
        incident = self._repo.get(incident_id)
        if incident is None:
            raise UnknownIncident(incident_id)
        now = self.clock.now_ms()
        with self.store.transaction():
            self._repo.set_notice(incident.id, now)
            noticed = self._repo.get(incident.id)
            assert noticed is not None
            self._log(grant, "incident.notice", noticed, file_name=Path(out).name[:120])
            path = build_breach_notice(Path(out), noticed, now, organization)
        return NoticeResult(path, noticed, noticed.ag_sample_required)

    def _log(self, grant: Grant, event: str, inc: Incident, **detail: object) -> None:
        log_event(self.store, LogEvent(
            event, Outcome.OK, grant.account.username,
            organization=grant.account.organization, agency=grant.account.organization,
            detail={"incident_id": inc.id, "people_affected": inc.people_affected,
                    "california_residents": inc.california_residents,
                    "ag_sample_required": inc.ag_sample_required,
                    "notice_required": inc.notice_required, **detail}), self.clock)
