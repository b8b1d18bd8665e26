"""Policy training and account hygiene rules (policy §3 "Training"; State Auditor 2019-118).

An analyst searches only with policy training that a custodian has confirmed and that is not
older than the period an administrator sets (two years by default). An account unused for the
set number of days (90 by default) is suspended. Pure rules: storage keeps the rows, services
apply the rules and log.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from alpr_desktop.core.access_errors import NotAuthorized

DAY_MS = 86_400_000
DEFAULT_TRAINING_MONTHS = 24
MIN_TRAINING_MONTHS, MAX_TRAINING_MONTHS = 1, 60
DEFAULT_UNUSED_DAYS = 90
MIN_UNUSED_DAYS, MAX_UNUSED_DAYS = 7, 365
# A month for the training period: a mean Gregorian month, so 24 months is two years.
MONTH_MS = int(30.436875 * DAY_MS)


class TrainingState(StrEnum):
    CURRENT = "current"
    MISSING = "missing"  # never trained, or only unconfirmed attestations
    EXPIRED = "expired"


@dataclass(frozen=True)
class TrainingAttestation:
    """One attested training day; it counts once ``confirmed_ms`` is set."""

    id: int
    user_id: int
    username: str
    trained_ms: int
    course: str
    recorded_by: str
    recorded_ms: int
    confirmed_by: str = ""
    confirmed_ms: int | None = None

    @property
    def confirmed(self) -> bool:
        return self.confirmed_ms is not None


@dataclass(frozen=True)
class TrainingStatus:
    username: str
    state: TrainingState
    trained_ms: int | None  # the newest confirmed training
    due_ms: int | None  # when it must be renewed
    pending: TrainingAttestation | None = None  # waiting for a custodian

    def sentence(self) -> str:
        if self.state is TrainingState.CURRENT:
            return "Policy training is current."
        if self.state is TrainingState.EXPIRED:
            return ("Your policy training has expired: you cannot search until it is renewed "
                    "and a custodian has confirmed it.")
        return ("No confirmed policy training is recorded for your account: you cannot search "
                "until your training is recorded and a custodian has confirmed it.")


def training_status(
    username: str, attestations: list[TrainingAttestation], now_ms: int, period_months: int
) -> TrainingStatus:
    """Current, missing or expired, from the account's attestations."""
    confirmed = [a for a in attestations if a.confirmed]
    pending = next((a for a in sorted(attestations, key=lambda a: -a.recorded_ms)
                    if not a.confirmed), None)
    newest = max((a.trained_ms for a in confirmed), default=None)
    return standing_status(username, newest, now_ms, period_months, pending)


def standing_status(
    username: str, newest_confirmed_ms: int | None, now_ms: int, period_months: int,
    pending: TrainingAttestation | None = None,
) -> TrainingStatus:
    """Current, missing or expired, from the newest confirmed training day alone (the gate's
    check, which needs no attestation list)."""
    if newest_confirmed_ms is None:
        return TrainingStatus(username, TrainingState.MISSING, None, None, pending)
    due = newest_confirmed_ms + period_months * MONTH_MS
    state = TrainingState.CURRENT if now_ms < due else TrainingState.EXPIRED
    return TrainingStatus(username, state, newest_confirmed_ms, due, pending)


class TrainingRequired(NotAuthorized):
    """The gate's refusal of an analyst without current, confirmed policy training."""

    def __init__(self, status: TrainingStatus) -> None:
        self.status = status
        super().__init__(status.sentence())


class AccountSuspended(NotAuthorized):
    """Told after a correct password: the account was unused too long and is suspended."""

    def __init__(self, days: int) -> None:
        super().__init__(
            f"This account was not used for more than {days} days and has been suspended "
            "(State Auditor recommendation). Ask an administrator to re-enable it; an "
            "analyst's account also needs the custodian's approval."
        )


class SuspensionKind(StrEnum):
    UNUSED = "unused"
    SEPARATED = "separated"


@dataclass(frozen=True)
class Suspension:
    id: int
    user_id: int
    username: str
    kind: SuspensionKind
    at_ms: int
    by: str  # "" when the program suspended it
    last_used_ms: int | None
    note: str = ""


@dataclass(frozen=True)
class HygieneSummary:
    """What the audit report says about training and account hygiene (issue 17): the
    settings, every analyst's training state now, and the suspensions and separations of the
    report's period."""

    training_months: int
    unused_days: int
    statuses: tuple[TrainingStatus, ...]
    suspensions: tuple[Suspension, ...]

    def count(self, state: TrainingState) -> int:
        return sum(1 for s in self.statuses if s.state is state)


def last_used_ms(
    last_sign_in_ms: int | None, created_ms: int, updated_ms: int,
    last_suspension_ms: int | None,
) -> int:
    """The start of an account's unused time: its last sign-in or creation, or its
    re-enabling after a suspension (the account row changed at or after the suspension; only
    active accounts are swept, so a suspended one is never judged by it)."""
    start = max(last_sign_in_ms or 0, created_ms)
    if last_suspension_ms is not None and updated_ms >= last_suspension_ms:
        start = max(start, updated_ms)
    return start


def is_unused(last_used: int, now_ms: int, days: int) -> bool:
    return now_ms - last_used > days * DAY_MS


def check_training_months(months: int) -> int:
    if not MIN_TRAINING_MONTHS <= int(months) <= MAX_TRAINING_MONTHS:
        raise ValueError(f"The training period must be between {MIN_TRAINING_MONTHS} and "
                         f"{MAX_TRAINING_MONTHS} months.")
    return int(months)


def check_unused_days(days: int) -> int:
    if not MIN_UNUSED_DAYS <= int(days) <= MAX_UNUSED_DAYS:
        raise ValueError(f"The unused-account limit must be between {MIN_UNUSED_DAYS} and "
                         f"{MAX_UNUSED_DAYS} days.")
    return int(days)
