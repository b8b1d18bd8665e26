"""What the custodian filters the access log by: one value shared by the audit view, the
report, the CLI and the ``audit.view`` log entry, so all of them mean the same selection.

Pure Python. ``matches`` states the filter's meaning for one entry; storage/audit_queries
implements the same meaning in SQL, and a test holds the two together.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from alpr_desktop.core.audit_log import LogEntry
from alpr_desktop.core.clock import SITE_ZONE

# Event types the program writes, grouped for the filter's pick list. The log may hold others
# (older or newer programs); the view offers whatever it finds as well.
EVENT_GROUPS: dict[str, tuple[str, ...]] = {
    "Data access": ("search", "read.view", "image.view", "export", "disclosure"),
    "Sign-in": (
        "signin.ok", "signin.failed", "account.locked", "account.lockout_released",
        "session.locked", "session.unlocked", "session.unlock_failed", "session.ended",
    ),
    "Purposes": ("purpose.declared", "purpose.rejected", "purpose.ended"),
    "Accounts and permissions": (
        "account.created", "account.updated", "account.enabled", "account.disabled",
        "account.approval_requested", "account.approved", "account.rejected",
        "account.approval_withdrawn", "account.approval_refused",
        "password.changed", "password.change_failed", "password.reset",
        "permission.granted", "permission.revoked",
    ),
    "Gate": ("gate.refused",),
    "Audit": ("audit.view", "audit.view.page", "audit.count", "audit.choices", "audit.verify",
              "audit.report", "audit.oversight", "oversight.reviewed", "checkpoint.issued",
              "checkpoint.key_pinned", "checkpoint.issue",
              "log.witness_mismatch"),
    "System": (
        "settings.changed", "store.created", "store.unlocked_with_passphrase",
        "store.passphrase_changed", "store.format_conversion", "import.started",
        "import.batch", "import",
        "import.mapping_saved",
    ),
    "Sharing": (
        "agency.added", "agency.approved", "agency.approval_refused", "agency.withdrawn",
        "sharing.request.recorded", "sharing.request.refused", "sharing.prepared",
        "sharing.approved", "sharing.refused", "sharing.disclosure", "sharing.package.sealed",
    ),
}
KNOWN_EVENTS: tuple[str, ...] = tuple(e for group in EVENT_GROUPS.values() for e in group)
OUTCOMES: tuple[str, ...] = ("ok", "refused", "failed")


@dataclass(frozen=True)
class AuditFilter:
    """A selection of access-log entries. Empty fields do not filter.

    Times are UTC milliseconds, ``from_ms`` inclusive and ``to_ms`` exclusive, so consecutive
    periods never share or lose an entry. Text fields match case-insensitively: ``username`` and
    ``outcome`` exactly, ``organization`` (organization or agency), ``query_text`` (plate or any
    other query element) and ``case_number`` as substrings; ``purpose_category`` exactly.
    """

    from_ms: int | None = None
    to_ms: int | None = None
    username: str = ""
    organization: str = ""
    events: tuple[str, ...] = field(default_factory=tuple)
    query_text: str = ""
    case_number: str = ""
    purpose_category: str = ""
    outcome: str = ""
    # Fixes a selection to the entries that existed when it was made (the report reads the log
    # twice; entries appended meanwhile, such as its own audit entries, stay out of both passes).
    through_seq: int | None = None

    def __post_init__(self) -> None:
        if self.from_ms is not None and self.to_ms is not None and self.to_ms < self.from_ms:
            raise ValueError("the period ends before it starts")
        # Normalize so that equal selections compare equal (the service logs filter changes).
        object.__setattr__(self, "events", tuple(sorted({e.strip() for e in self.events} - {""})))
        for name in ("username", "organization", "query_text", "case_number",
                     "purpose_category", "outcome"):
            object.__setattr__(self, name, str(getattr(self, name) or "").strip())

    def is_empty(self) -> bool:
        return replace(self, through_seq=None) == AuditFilter()

    def with_period(self, from_ms: int | None, to_ms: int | None) -> AuditFilter:
        return replace(self, from_ms=from_ms, to_ms=to_ms)

    def as_log_dict(self) -> dict[str, Any]:
        """The non-empty fields, for the ``audit.view`` / ``audit.report`` entry."""
        out: dict[str, Any] = {}
        for name in ("from_ms", "to_ms", "username", "organization", "events", "query_text",
                     "case_number", "purpose_category", "outcome"):
            value = getattr(self, name)
            if value not in (None, "", ()):
                out[name] = list(value) if isinstance(value, tuple) else value
        return out

    def describe(self, zone: ZoneInfo = SITE_ZONE) -> str:
        """The filters in words, for the report's title block ("all entries" when none)."""
        parts: list[str] = []
        labels = (
            ("username", "user"), ("organization", "organization or agency"),
            ("query_text", "plate or query element containing"),
            ("case_number", "case number containing"),
            ("purpose_category", "purpose category"), ("outcome", "outcome"),
        )
        for name, label in labels:
            value = getattr(self, name)
            if value:
                parts.append(f"{label} {value!r}")
        if self.events:
            parts.append("event types " + ", ".join(self.events))
        return "; ".join(parts) if parts else "none (all entries of the period)"

    def describe_period(self, zone: ZoneInfo = SITE_ZONE) -> str:
        return describe_period(self.from_ms, self.to_ms, zone)

    def matches(self, e: LogEntry) -> bool:
        """Whether ``e`` is selected (the reference meaning of the SQL in storage)."""
        if self.through_seq is not None and e.seq > self.through_seq:
            return False
        if self.from_ms is not None and e.ts_ms < self.from_ms:
            return False
        if self.to_ms is not None and e.ts_ms >= self.to_ms:
            return False
        if self.username and e.username.casefold() != self.username.casefold():
            return False
        if self.outcome and e.outcome.casefold() != self.outcome.casefold():
            return False
        if self.events and e.event not in self.events:
            return False
        if self.organization:
            needle = self.organization.casefold()
            if needle not in e.organization.casefold() and needle not in e.agency.casefold():
                return False
        if self.query_text and self.query_text.casefold() not in e.query_json.casefold():
            return False
        purpose = _purpose_dict(e)
        if self.case_number and self.case_number.casefold() not in str(
            purpose.get("case_number") or ""
        ).casefold():
            return False
        return not (
            self.purpose_category
            and str(purpose.get("category") or "").casefold() != self.purpose_category.casefold()
        )


def _purpose_dict(e: LogEntry) -> dict[str, Any]:
    try:
        value = e.purpose
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def local_day_bounds(first: date, last: date, zone: ZoneInfo = SITE_ZONE) -> tuple[int, int]:
    """UTC ms from the start of ``first`` to the end of ``last`` (whole local days, so a
    period printed as "Jan 1 to Jan 31" holds what the custodian expects across DST)."""
    if last < first:
        raise ValueError("the period ends before it starts")
    start = datetime.combine(first, time.min, tzinfo=zone)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone)
    return int(start.timestamp() * 1000), int(end.timestamp() * 1000)


def describe_period(from_ms: int | None, to_ms: int | None, zone: ZoneInfo = SITE_ZONE) -> str:
    """The period in words, in the site's zone; the end is shown as the last instant included
    when it falls on a midnight (whole days)."""
    def fmt(ms: int) -> str:
        return datetime.fromtimestamp(ms / 1000, tz=UTC).astimezone(zone).strftime(
            "%Y-%m-%d %H:%M %Z"
        )

    if from_ms is None and to_ms is None:
        return "the whole log"
    if from_ms is None:
        return f"everything before {fmt(to_ms)}"  # type: ignore[arg-type]
    if to_ms is None:
        return f"from {fmt(from_ms)} on"
    start = datetime.fromtimestamp(from_ms / 1000, tz=UTC).astimezone(zone)
    end = datetime.fromtimestamp(to_ms / 1000, tz=UTC).astimezone(zone)
    if start.time() == time.min and end.time() == time.min:
        last = (end - timedelta(days=1)).date()
        return f"{start.date().isoformat()} to {last.isoformat()} (whole days, {zone.key})"
    return f"{fmt(from_ms)} to {fmt(to_ms)}"
