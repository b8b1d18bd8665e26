"""The contractor's maintenance log (policy §7): 30-day checks, problems and their downtime
windows, and the rule that makes the log OVERDUE.

A check records who checked, when, and a result for each item below; a problem records when
it was found, what, which cameras, when the system did not work (the downtime window an
analyst or a court needs: a camera could not have seen a car then) and what was done.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

CHECK_PERIOD_DAYS = 30
CHECK_PERIOD_MS = CHECK_PERIOD_DAYS * 24 * 3600 * 1000
MAX_TEXT = 4000
MIN_DESCRIPTION = 10
FUTURE_SLACK_MS = 5 * 60 * 1000  # a check or a discovery "in the future" beyond this is a typo


class CheckItem(StrEnum):
    CAMERAS_REPORTING = "cameras_reporting"
    CLOCK_DRIFT = "clock_drift"
    READ_RATE = "read_rate"
    IMAGE_QUALITY = "image_quality"
    STORAGE_FREE = "storage_free"
    PURGE_RUNNING = "purge_running"
    LOG_VERIFIED = "log_verified"

    @property
    def label(self) -> str:
        return _ITEM_LABELS[self]


_ITEM_LABELS = {
    CheckItem.CAMERAS_REPORTING: "Cameras reporting",
    CheckItem.CLOCK_DRIFT: "Clock drift",
    CheckItem.READ_RATE: "Read rate",
    CheckItem.IMAGE_QUALITY: "Image quality sample",
    CheckItem.STORAGE_FREE: "Storage free space",
    CheckItem.PURGE_RUNNING: "Purge running",
    CheckItem.LOG_VERIFIED: "Log verified",
}


class CheckResult(StrEnum):
    OK = "ok"
    PROBLEM = "problem"
    NOT_CHECKED = "not_checked"

    @property
    def label(self) -> str:
        return {"ok": "OK", "problem": "Problem", "not_checked": "Not checked"}[self.value]


@dataclass(frozen=True)
class ItemResult:
    item: CheckItem
    result: CheckResult
    note: str = ""


@dataclass(frozen=True)
class CheckInput:
    """A 30-day check as typed. ``checked_ms``: when it was done (UTC ms)."""

    checked_ms: int
    items: tuple[ItemResult, ...]
    notes: str = ""


@dataclass(frozen=True)
class MaintenanceCheck:
    id: int
    checked_ms: int
    checked_by: str
    items: tuple[ItemResult, ...]
    notes: str
    recorded_ms: int

    @property
    def problems(self) -> tuple[ItemResult, ...]:
        return tuple(i for i in self.items if i.result is CheckResult.PROBLEM)

    def result(self, item: CheckItem) -> CheckResult:
        for i in self.items:
            if i.item is item:
                return i.result
        return CheckResult.NOT_CHECKED


@dataclass(frozen=True)
class ProblemInput:
    """A problem as typed; times UTC ms. ``down_to_ms`` None: still not working."""

    discovered_ms: int
    description: str
    camera_ids: tuple[int, ...] = ()
    down_from_ms: int | None = None
    down_to_ms: int | None = None
    corrective_action: str = ""
    resolved_ms: int | None = None
    signal: str = ""  # the health signal it was opened from, if any


@dataclass(frozen=True)
class Problem:
    id: int
    discovered_ms: int
    description: str
    camera_ids: tuple[int, ...]
    camera_names: tuple[str, ...]
    down_from_ms: int | None
    down_to_ms: int | None
    corrective_action: str
    resolved_ms: int | None
    signal: str
    recorded_by: str
    recorded_ms: int
    updated_by: str | None = None
    updated_ms: int | None = None

    @property
    def resolved(self) -> bool:
        return self.resolved_ms is not None

    @property
    def has_downtime(self) -> bool:
        return self.down_from_ms is not None


@dataclass(frozen=True)
class MaintenanceStatus:
    """Where the log stands now: the last check and whether it is OVERDUE."""

    now_ms: int
    last_check: MaintenanceCheck | None
    open_problems: int = 0
    due_ms: int | None = field(default=None)

    @property
    def overdue(self) -> bool:
        return is_overdue(self.last_check.checked_ms if self.last_check else None, self.now_ms)

    def sentence(self) -> str:
        if self.last_check is None:
            return "OVERDUE: no 30-day check has been recorded."
        days = (self.now_ms - self.last_check.checked_ms) // (24 * 3600 * 1000)
        if self.overdue:
            return (f"OVERDUE: the last 30-day check was {days} days ago; the policy asks for "
                    "one at least every 30 days (§7).")
        if days == 0:
            return "The last 30-day check was today."
        return f"The last 30-day check was {days} day{'' if days == 1 else 's'} ago."


def is_overdue(last_check_ms: int | None, now_ms: int) -> bool:
    """OVERDUE when no check was recorded or the last is older than 30 days (policy §7)."""
    return last_check_ms is None or now_ms - last_check_ms > CHECK_PERIOD_MS


def _text_problem(label: str, text: str, *, required: bool, minimum: int = 1) -> str | None:
    t = text.strip()
    if required and len(t) < minimum:
        return f"Describe the {label} ({minimum} characters at least)."
    if len(t) > MAX_TEXT:
        return f"The {label} is longer than {MAX_TEXT} characters."
    return None


def check_check(c: CheckInput, now_ms: int) -> list[str]:
    """Why a check may not be recorded as it is; empty when it may."""
    problems: list[str] = []
    if c.checked_ms > now_ms + FUTURE_SLACK_MS:
        problems.append("The check's time is in the future.")
    seen = [i.item for i in c.items]
    if len(set(seen)) != len(seen):
        problems.append("Each item is recorded once per check.")
    missing = [i.label for i in CheckItem if i not in seen]
    if missing:
        problems.append("Give a result for every item: " + ", ".join(missing) + ".")
    for i in c.items:
        if i.result is CheckResult.PROBLEM and not i.note.strip():
            problems.append(f"Say what the problem with “{i.item.label}” is.")
        if len(i.note) > MAX_TEXT:
            problems.append(f"The note on “{i.item.label}” is too long.")
    p = _text_problem("notes", c.notes, required=False)
    if p:
        problems.append(p)
    return problems


def check_problem(p: ProblemInput, now_ms: int) -> list[str]:
    """Why a problem may not be recorded as it is; empty when it may."""
    problems: list[str] = []
    if p.discovered_ms > now_ms + FUTURE_SLACK_MS:
        problems.append("The discovery time is in the future.")
    d = _text_problem("problem", p.description, required=True, minimum=MIN_DESCRIPTION)
    if d:
        problems.append(d)
    a = _text_problem("corrective action", p.corrective_action, required=False)
    if a:
        problems.append(a)
    if p.down_to_ms is not None and p.down_from_ms is None:
        problems.append("A downtime window needs its start.")
    if p.down_from_ms is not None and p.down_to_ms is not None and p.down_to_ms < p.down_from_ms:
        problems.append("The downtime window ends before it starts.")
    if p.down_from_ms is not None and p.down_from_ms > now_ms + FUTURE_SLACK_MS:
        problems.append("The downtime window starts in the future.")
    if p.resolved_ms is not None:
        if p.resolved_ms > now_ms + FUTURE_SLACK_MS:
            problems.append("The resolution time is in the future.")
        if p.resolved_ms < p.discovered_ms:
            problems.append("The problem is resolved before it was found.")
        if not p.corrective_action.strip():
            problems.append("Say what was done before marking the problem resolved.")
        if p.down_from_ms is not None and p.down_to_ms is None:
            problems.append("Give the end of the downtime window before marking the problem "
                            "resolved.")
    if len(set(p.camera_ids)) != len(p.camera_ids):
        problems.append("A camera is named twice.")
    return problems


@dataclass(frozen=True)
class MaintenanceSummary:
    """What the audit report's maintenance section prints: the status, every check and every
    problem with its downtime window (newest first)."""

    status: MaintenanceStatus
    checks: tuple[MaintenanceCheck, ...]
    problems: tuple[Problem, ...]

    @property
    def downtime(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.has_downtime)
