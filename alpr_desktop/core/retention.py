"""When a read must be gone (policy §8): five calendar years from recordation, plus one minute.

Calendar arithmetic is done on UTC dates, so a change of daylight-saving time neither shortens
nor lengthens anybody's retention by an hour, and a read of 29 February expires on 1 March (a
day that does not exist in the target month becomes the start of the first of the next month:
the start, so that a later read never expires before an earlier one). The
custodian may shorten the period (never beyond five years); the period is kept in whole months.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

MAX_RETENTION_MONTHS = 60  # policy §8: five years
MIN_RETENTION_MONTHS = 1
GRACE_SECONDS = 60  # "permanently deleted one minute after" the retention period
OVERDUE_AFTER_SECONDS = 120  # a read this long past its deletion time: the purge is not running
HOLD_REVIEW_MONTHS = 24  # holds are reviewed every two years (LAPD Special Order 31)
HOLD_REMINDER_DAYS = 30  # the custodian is reminded this long before a review date
_SEARCH_SPAN_S = 400 * 86_400  # one month of retention never spans more than this


class RetentionError(ValueError):
    """A retention setting or hold that the policy does not allow, told as a sentence."""


def add_months(epoch_s: int, months: int) -> int:
    """``epoch_s`` moved ``months`` calendar months on (UTC). A day the target month lacks
    (29 February, 31 April) becomes 00:00:00 on the first day of the month after: at the same
    time of day, 29 February 12:00 would expire after 1 March 10:00 recorded a day later."""
    t = datetime.fromtimestamp(epoch_s, tz=UTC)
    index = t.year * 12 + (t.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    if t.day > calendar.monthrange(year, month)[1]:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        moved = t.replace(year=year, month=month, day=1, hour=0, minute=0, second=0)
    else:
        moved = t.replace(year=year, month=month)
    return int(moved.timestamp())


def deletion_time(recorded_at: int, months: int = MAX_RETENTION_MONTHS) -> int:
    """The first second at which a read recorded at ``recorded_at`` must be gone."""
    return add_months(recorded_at, months) + GRACE_SECONDS


def cutoff(now_s: int, months: int = MAX_RETENTION_MONTHS) -> int:
    """The latest ``recorded_at`` whose deletion time has come by ``now_s``: every read
    recorded at or before it is due. deletion_time is non-decreasing in recorded_at, so a
    binary search over whole seconds finds the exact boundary (leap days and month ends
    included) without an inverse formula to get wrong."""
    lo = now_s - GRACE_SECONDS - months * 31 * 86_400 - _SEARCH_SPAN_S  # surely due
    hi = now_s  # surely not due
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if deletion_time(mid, months) <= now_s:
            lo = mid
        else:
            hi = mid
    return lo


def check_period(months: int) -> int:
    """The retention period the custodian may set: whole months, 1 to 60."""
    if not isinstance(months, int) or isinstance(months, bool):
        raise RetentionError("The retention period is a whole number of months.")
    if months > MAX_RETENTION_MONTHS:
        raise RetentionError(
            "The retention period cannot be longer than five years (60 months): policy §8 "
            "keeps data five years from recordation and no longer."
        )
    if months < MIN_RETENTION_MONTHS:
        raise RetentionError("The retention period must be at least one month.")
    return months


def describe_period(months: int) -> str:
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append(f"{years} year{'s' if years != 1 else ''}")
    if rest:
        parts.append(f"{rest} month{'s' if rest != 1 else ''}")
    return " ".join(parts) or "0 months"


def age_text(seconds: int) -> str:
    """An age in words: '4 years 11 months', '3 days', '5 minutes'."""
    seconds = max(0, seconds)
    days = seconds // 86_400
    if days >= 365:
        years, rem = divmod(days, 365)
        months = rem // 30
        return f"{years} year{'s' if years != 1 else ''}" + (
            f" {months} month{'s' if months != 1 else ''}" if months else "")
    if days >= 1:
        return f"{days} day{'s' if days != 1 else ''}"
    hours, minutes = seconds // 3600, (seconds % 3600) // 60
    if hours:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


@dataclass(frozen=True)
class PurgeRecord:
    """One purge run, as the retention view and the audit report show it (no plate, no id)."""

    id: int
    started_ms: int
    finished_ms: int | None
    reads_deleted: int
    images_deleted: int
    plates_deleted: int
    oldest_recorded: int | None
    newest_recorded: int | None
    cutoff: int
    retention_months: int
    ran_by: str
    workstation: str

    @property
    def interrupted(self) -> bool:
        return self.finished_ms is None

    @property
    def duration_ms(self) -> int | None:
        return None if self.finished_ms is None else self.finished_ms - self.started_ms


@dataclass(frozen=True)
class PurgeResult:
    """What one purge run did; ``summary`` is the CLI's one line."""

    reads_deleted: int
    images_deleted: int
    plates_deleted: int
    oldest_recorded: int | None
    newest_recorded: int | None
    cutoff: int
    held_skipped: int
    duration_ms: int
    record_id: int | None
    pages_freed: int = 0
    # Ids only (never a plate), kept in memory for the open program: result tables and viewers
    # drop these rows (gui/purge_scheduler.py). Not stored, not printed.
    deleted_ids: frozenset[int] = field(default=frozenset(), repr=False, compare=False)

    @property
    def summary(self) -> str:
        if not self.reads_deleted:
            held = f"; {self.held_skipped:,} held" if self.held_skipped else ""
            return f"purge: nothing due{held}."
        return (
            f"purge: deleted {self.reads_deleted:,} reads and {self.images_deleted:,} images "
            f"recorded {_utc(self.oldest_recorded)} to {_utc(self.newest_recorded)} in "
            f"{self.duration_ms / 1000:.1f} s"
            + (f"; {self.held_skipped:,} held" if self.held_skipped else "") + "."
        )


def _utc(epoch_s: int | None) -> str:
    if epoch_s is None:
        return "-"
    return datetime.fromtimestamp(epoch_s, tz=UTC).strftime("%Y-%m-%d %H:%M:%SZ")


@dataclass(frozen=True)
class HoldRecord:
    id: int
    case_number: str
    reason: str
    requested_by: str
    requested_ms: int
    status: str  # requested, approved, refused, released
    decided_by: str | None
    decided_ms: int | None
    decision_note: str
    review_ms: int | None
    released_by: str | None
    released_ms: int | None
    release_note: str
    read_count: int
    reads_present: int  # how many of its reads are still in the store

    def lapsed(self, now_ms: int) -> bool:
        return self.status == "approved" and self.review_ms is not None and now_ms >= self.review_ms

    def in_force(self, now_ms: int) -> bool:
        return self.status == "approved" and not self.lapsed(now_ms)

    def review_due(self, now_ms: int) -> bool:
        """Within the reminder window before its review date, or past it."""
        return (self.status == "approved" and self.review_ms is not None
                and now_ms >= self.review_ms - HOLD_REMINDER_DAYS * 86_400_000)

    def state_text(self, now_ms: int) -> str:
        if self.status == "approved":
            if self.lapsed(now_ms):
                return "lapsed (review date passed)"
            return "in force, review due" if self.review_due(now_ms) else "in force"
        return {"requested": "waiting for the custodian", "refused": "refused",
                "released": "released"}.get(self.status, self.status)


@dataclass(frozen=True)
class RetentionStatus:
    """The custodian's retention view: no plate, no read id."""

    now_s: int
    retention_months: int
    oldest_recorded: int | None  # oldest read not under a hold
    next_deletion: int | None  # deletion time of that read
    overdue_reads: int  # reads past their deletion time by more than two minutes
    held_reads: int
    auto_vacuum: bool
    last_run_ms: int | None

    @property
    def overdue(self) -> bool:
        return self.overdue_reads > 0

    @property
    def oldest_age_s(self) -> int | None:
        return None if self.oldest_recorded is None else self.now_s - self.oldest_recorded


def overdue_cutoff(now_s: int, months: int) -> int:
    """Reads recorded at or before this are past their deletion time by over two minutes."""
    return cutoff(now_s - OVERDUE_AFTER_SECONDS - 1, months)


def next_review_ms(now_ms: int) -> int:
    return add_months(now_ms // 1000, HOLD_REVIEW_MONTHS) * 1000


@dataclass(frozen=True)
class RetentionSummary:
    """What the audit report says of retention: the state now, the purges of the period and
    every hold (issue 14). No plate, no read id."""

    status: RetentionStatus
    runs: tuple[PurgeRecord, ...]  # purge runs that started in the report's period
    holds: tuple[HoldRecord, ...]

    @property
    def reads_deleted(self) -> int:
        return sum(r.reads_deleted for r in self.runs)

    @property
    def images_deleted(self) -> int:
        return sum(r.images_deleted for r in self.runs)


def plan_batches(ids: Sequence[int], image_bytes: Mapping[int, int], max_reads: int,
                 max_image_bytes: int) -> list[list[int]]:
    """Cut ``ids`` (in order) into the purge's transactions: each holds at most ``max_reads``
    reads and at most ``max_image_bytes`` of their images (a read whose images alone exceed it
    goes alone). With secure_delete on, a deletion costs what overwriting its pages costs, so
    image bytes, not a stopwatch, bound how long a search waits for the write lock; the plan
    is the same on every machine, which is what makes it testable."""
    if max_reads < 1 or max_image_bytes < 1:
        raise ValueError("a purge batch holds at least one read and one byte")
    batches: list[list[int]] = []
    current: list[int] = []
    size = 0
    for rid in ids:
        cost = image_bytes.get(rid, 0)
        if current and (len(current) >= max_reads or size + cost > max_image_bytes):
            batches.append(current)
            current, size = [], 0
        current.append(rid)
        size += cost
    if current:
        batches.append(current)
    return batches


@dataclass(frozen=True)
class StoreConversion:
    """What converting an old store to incremental vacuum did (no plate, no read)."""

    converted: bool  # False: it already was, nothing ran
    pages_before: int
    pages_after: int
    free_before: int
    duration_ms: int

    @property
    def summary(self) -> str:
        if not self.converted:
            return "The store already hands freed pages back; nothing to convert."
        mib = 16384 / (1024 * 1024)
        return (f"Store converted: freed pages are now handed back after each purge. File "
                f"{self.pages_before * mib:,.1f} MiB before, {self.pages_after * mib:,.1f} MiB "
                f"after ({self.free_before:,} free pages removed) in "
                f"{self.duration_ms / 1000:.1f} s.")
