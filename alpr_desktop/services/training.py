"""Policy training attestations and the two account-hygiene settings.

An administrator records the day an account holder was trained on the policy; a custodian
(not the one who recorded it, and not the trainee) confirms it, and only then does it count.
The gate (services/training_gate.py) refuses an analyst's searches without current training.
Every step is logged in the same transaction as its change.
"""

from __future__ import annotations

from dataclasses import dataclass

from alpr_desktop.core.access_errors import (
    AccountInvalid,
    ApprovalRefused,
    NotSignedIn,
    UnknownAccount,
)
from alpr_desktop.core.accounts import AccessContext, Account
from alpr_desktop.core.audit_log import LogEvent, Outcome
from alpr_desktop.core.clock import Clock, SystemClock
from alpr_desktop.core.roles import Action, Role
from alpr_desktop.core.training import (
    HygieneSummary,
    TrainingAttestation,
    TrainingStatus,
    check_training_months,
    check_unused_days,
    training_status,
)
from alpr_desktop.services.audit import log_event
from alpr_desktop.services.gate import Grant, require
from alpr_desktop.storage import training as settings
from alpr_desktop.storage.unit_of_work import UnitOfWork

MAX_COURSE = 200


@dataclass(frozen=True)
class HygieneSettings:
    training_months: int
    unused_days: int


class TrainingService:
    def __init__(self, store: UnitOfWork, clock: Clock | None = None) -> None:
        self.store = store
        self.clock = clock or SystemClock()
        self._repo = store.training
        self._accounts = store.accounts

    def _require(self, ctx: AccessContext, action: Action) -> Grant:
        return require(self.store, ctx, action, needs_purpose=False, clock=self.clock)

    def _reviewer(self, ctx: AccessContext) -> Grant:
        """Administrators and custodians both see who is trained."""
        roles = ctx.session.roles if ctx.session is not None else frozenset()
        action = Action.APPROVE_ACCOUNTS if Role.CUSTODIAN in roles else Action.MANAGE_ACCOUNTS
        return self._require(ctx, action)

    # -- reading -------------------------------------------------------------------------
    def statuses(self, ctx: AccessContext) -> list[TrainingStatus]:
        """Every analyst's training state, oldest training first (missing ones first)."""
        self._reviewer(ctx)
        return self._statuses()

    def _statuses(self) -> list[TrainingStatus]:
        now, months = self.clock.now_ms(), settings.training_months(self.store)
        out = [training_status(a.username, self._repo.for_user(a.id or 0), now, months)
               for a in self._accounts.all() if Role.ANALYST in a.roles]
        return sorted(out, key=lambda s: (s.trained_ms or 0, s.username.casefold()))

    def report_summary(self, since_ms: int | None, until_ms: int | None) -> HygieneSummary:
        """For the audit report (whose own gate and log entry cover it): training states now,
        and the suspensions and separations of its period."""
        end = until_ms if until_ms is not None else self.clock.now_ms() + 1
        return HygieneSummary(
            settings.training_months(self.store), settings.unused_days(self.store),
            tuple(self._statuses()),
            tuple(self.store.suspensions.between(since_ms or 0, end)))

    def pending(self, ctx: AccessContext) -> list[TrainingAttestation]:
        self._reviewer(ctx)
        return [a for a in self._repo.all() if not a.confirmed]

    def my_status(self, ctx: AccessContext) -> TrainingStatus:
        """The signed-in user's own training (for the banner that says why search waits)."""
        session = ctx.session
        if session is None:
            raise NotSignedIn()
        return training_status(session.username, self._repo.for_user(session.user_id),
                               self.clock.now_ms(), settings.training_months(self.store))

    # -- recording and confirming --------------------------------------------------------
    def record(self, ctx: AccessContext, username: str, trained_ms: int,
               course: str = "") -> TrainingAttestation:
        """Record a training day (admin); it counts once a custodian confirms it."""
        grant = self._require(ctx, Action.MANAGE_ACCOUNTS)
        account = self._accounts.get(username.strip())
        if account is None:
            raise UnknownAccount(username)
        course = " ".join(course.split())
        problems = []
        if trained_ms > self.clock.now_ms():
            problems.append("The training day cannot be in the future.")
        if len(course) > MAX_COURSE:
            problems.append(f"The course name is longer than {MAX_COURSE} characters.")
        if problems:
            raise AccountInvalid(problems)
        with self.store.transaction():
            att = self._repo.add(account.id or 0, trained_ms, course, grant.account.id or 0,
                                 self.clock.now_ms())
            self._log(grant.account, "training.recorded", account.username,
                      attestation_id=att.id, trained_ms=trained_ms, course=course)
        return att

    def confirm(self, ctx: AccessContext, attestation_id: int) -> TrainingAttestation:
        """A custodian confirms a recorded training (separation of duties: not their own
        training, not one they recorded)."""
        grant = self._require(ctx, Action.APPROVE_ACCOUNTS)
        att = self._repo.get(attestation_id)
        if att is None or att.confirmed:
            raise ApprovalRefused("This training record is already confirmed or no longer "
                                  "exists; refresh the list.")
        me = grant.account.id
        if me == att.user_id or att.recorded_by == grant.account.username:
            why = "own_training" if me == att.user_id else "own_record"
            with self.store.transaction():
                self._log(grant.account, "training.confirm_refused", att.username,
                          Outcome.REFUSED, attestation_id=att.id, why=why)
            raise ApprovalRefused("Another custodian must confirm this training record "
                                  "(separation of duties).")
        with self.store.transaction():
            if not self._repo.confirm(att.id, me or 0, self.clock.now_ms()):
                raise ApprovalRefused("This training record is already confirmed.")
            self._log(grant.account, "training.confirmed", att.username,
                      attestation_id=att.id, trained_ms=att.trained_ms)
        done = self._repo.get(att.id)
        assert done is not None
        return done

    # -- settings ------------------------------------------------------------------------
    def hygiene_settings(self, ctx: AccessContext) -> HygieneSettings:
        self._reviewer(ctx)
        return HygieneSettings(settings.training_months(self.store),
                               settings.unused_days(self.store))

    def set_hygiene_settings(self, ctx: AccessContext, training_months: int,
                             unused_days: int) -> HygieneSettings:
        grant = self._require(ctx, Action.MANAGE_SECURITY_SETTINGS)
        try:
            months, days = check_training_months(training_months), check_unused_days(unused_days)
        except ValueError as exc:
            raise AccountInvalid([str(exc)]) from None
        before = HygieneSettings(settings.training_months(self.store),
                                 settings.unused_days(self.store))
        with self.store.transaction():
            settings.set_training_months(self.store, months)
            settings.set_unused_days(self.store, days)
            log_event(self.store, LogEvent(
                "settings.changed", Outcome.OK, grant.account.username,
                organization=grant.account.organization, agency=grant.account.organization,
                detail={"training_months": {"from": before.training_months, "to": months},
                        "unused_days": {"from": before.unused_days, "to": days}}),
                self.clock)
        return HygieneSettings(months, days)

    def _log(self, actor: Account, event: str, target: str, outcome: str = Outcome.OK,
             **detail: object) -> None:
        log_event(self.store, LogEvent(
            event, outcome, actor.username, organization=actor.organization,
            agency=actor.organization, detail={"account": target, **detail}), self.clock)
