"""The contractor's maintenance log and the health signals (policy §7).

The contractor records 30-day checks and problems (with their downtime windows); the
custodian and the administrator read them. Each write is logged in its own transaction; the
health signals, which are computed from the reads, are logged too (counts only: no plate or
image is ever returned here, so the contractor needs no written permission for them).
"""

from __future__ import annotations

from alpr_desktop.core.access_errors import AccountInvalid
from alpr_desktop.core.accounts import AccessContext
from alpr_desktop.core.audit_log import LogEvent, Outcome
from alpr_desktop.core.clock import Clock, SystemClock
from alpr_desktop.core.health import DAY, HealthReport, compute_signals
from alpr_desktop.core.maintenance import (
    CHECK_PERIOD_MS,
    CheckInput,
    MaintenanceCheck,
    MaintenanceStatus,
    MaintenanceSummary,
    Problem,
    ProblemInput,
    check_check,
    check_problem,
)
from alpr_desktop.core.roles import Action
from alpr_desktop.services.audit import log_event
from alpr_desktop.services.gate import Grant, require
from alpr_desktop.storage.unit_of_work import UnitOfWork

HEALTH_DAYS = 30
MAX_HEALTH_DAYS = 90


class UnknownProblem(LookupError):
    def __init__(self, problem_id: int) -> None:
        super().__init__(f"There is no problem #{problem_id} in the maintenance log.")


class MaintenanceService:
    def __init__(self, store: UnitOfWork, clock: Clock | None = None) -> None:
        self.store = store
        self.clock = clock or SystemClock()

    def _grant(self, ctx: AccessContext | None, action: Action) -> Grant:
        return require(self.store, ctx, action, needs_purpose=False, clock=self.clock)

    # -- checks ------------------------------------------------------------------------------
    def record_check(self, ctx: AccessContext, check: CheckInput) -> MaintenanceCheck:
        """Record a 30-day check (contractor). Bad input (AccountInvalid listing the
        problems) changes nothing."""
        grant = self._grant(ctx, Action.RECORD_MAINTENANCE)
        problems = check_check(check, self.clock.now_ms())
        if problems:
            raise AccountInvalid(problems)
        with self.store.transaction():
            saved = self.store.maintenance.add_check(check, grant.account.id or 0,
                                                     self.clock.now_ms())
            self._log(grant, "maintenance.check", {
                "check_id": saved.id, "checked_ms": saved.checked_ms,
                "results": {i.item.value: i.result.value for i in saved.items},
                "problems": len(saved.problems)})
        return saved

    def checks(self, ctx: AccessContext) -> list[MaintenanceCheck]:
        self._grant(ctx, Action.VIEW_MAINTENANCE)
        return self.store.maintenance.checks()

    def status(self, ctx: AccessContext) -> MaintenanceStatus:
        """The last check and whether the log is OVERDUE (more than 30 days)."""
        self._grant(ctx, Action.VIEW_MAINTENANCE)
        return self._status()

    def _status(self) -> MaintenanceStatus:
        last = self.store.maintenance.last_check()
        open_n = len(self.store.maintenance.problems(open_only=True))
        due = last.checked_ms + CHECK_PERIOD_MS if last is not None else None
        return MaintenanceStatus(self.clock.now_ms(), last, open_n, due)

    # -- problems ----------------------------------------------------------------------------
    def record_problem(self, ctx: AccessContext, problem: ProblemInput) -> Problem:
        grant = self._grant(ctx, Action.RECORD_MAINTENANCE)
        self._check_problem(problem)
        with self.store.transaction():
            saved = self.store.maintenance.add_problem(problem, grant.account.id or 0,
                                                       self.clock.now_ms())
            self._log(grant, "maintenance.problem", _problem_detail(saved))
        return saved

    def update_problem(self, ctx: AccessContext, problem_id: int,
                       problem: ProblemInput) -> Problem:
        """Change a problem (its window's end, the corrective action, resolved at); the
        entry logs the values before and after."""
        grant = self._grant(ctx, Action.RECORD_MAINTENANCE)
        before = self.store.maintenance.problem(problem_id)
        if before is None:
            raise UnknownProblem(problem_id)
        self._check_problem(problem)
        with self.store.transaction():
            saved = self.store.maintenance.update_problem(problem_id, problem,
                                                          grant.account.id or 0,
                                                          self.clock.now_ms())
            self._log(grant, "maintenance.problem_updated",
                      {**_problem_detail(saved), "before": _problem_detail(before)})
        return saved

    def _check_problem(self, problem: ProblemInput) -> None:
        problems = check_problem(problem, self.clock.now_ms())
        unknown = set(problem.camera_ids) - self.store.maintenance.camera_ids()
        if unknown:
            problems.append("A camera named is not in the store.")
        if problems:
            raise AccountInvalid(problems)

    def problems(self, ctx: AccessContext, *, open_only: bool = False) -> list[Problem]:
        self._grant(ctx, Action.VIEW_MAINTENANCE)
        return self.store.maintenance.problems(open_only=open_only)

    def cameras(self, ctx: AccessContext) -> dict[int, str]:
        """Camera names by id, for the problem form (configuration, not read data)."""
        self._grant(ctx, Action.VIEW_MAINTENANCE)
        return self.store.health.camera_names()

    # -- health ------------------------------------------------------------------------------
    def health(self, ctx: AccessContext, days: int = HEALTH_DAYS) -> HealthReport:
        """The health signals over the last ``days`` days, computed from the reads (counts
        per camera and hour; no plate leaves the store). Logged as "maintenance.health"."""
        grant = self._grant(ctx, Action.VIEW_MAINTENANCE)
        days = max(1, min(int(days), MAX_HEALTH_DAYS))
        until = self.clock.now_ms() // 1000
        since = until - days * DAY
        h = self.store.health
        buckets = h.hour_buckets(since, until)
        names = h.camera_names()
        # a camera with no read in the period is dated by its last read (kept by the import)
        quiet = names.keys() - {b.camera_id for b in buckets}
        report = compute_signals(buckets, h.future_reads(until + 300), names, since, until,
                                 h.last_reads() if quiet else None)
        with self.store.transaction():
            self._log(grant, "maintenance.health", {
                "days": days, "cameras": report.cameras, "reads": report.reads,
                "signals": [{"kind": s.kind.value, "camera_id": s.camera_id,
                             "from": s.start_s, "to": s.end_s} for s in report.signals]},
                result_count=len(report.signals))
        return report

    # -- the audit report --------------------------------------------------------------------
    def report_summary(self, ctx: AccessContext) -> MaintenanceSummary:
        """Every check and problem, for the audit report's maintenance section."""
        self._grant(ctx, Action.VIEW_MAINTENANCE)
        return self.summary()

    def summary(self) -> MaintenanceSummary:
        """The same without a check, for a report already granted (services.audit_service)."""
        m = self.store.maintenance
        return MaintenanceSummary(self._status(), tuple(m.checks()), tuple(m.problems()))

    def _log(self, grant: Grant, event: str, detail: dict[str, object],
             result_count: int | None = None) -> None:
        a = grant.account
        log_event(self.store, LogEvent(
            event, Outcome.OK, a.username, organization=a.organization, agency=a.organization,
            detail={"action": grant.action.value, **detail}, result_count=result_count),
            self.clock)


def _problem_detail(p: Problem) -> dict[str, object]:
    return {"problem_id": p.id, "discovered_ms": p.discovered_ms,
            "description": p.description[:500], "camera_ids": list(p.camera_ids),
            "down_from_ms": p.down_from_ms, "down_to_ms": p.down_to_ms,
            "corrective_action": p.corrective_action[:500], "resolved_ms": p.resolved_ms,
            "signal": p.signal}
