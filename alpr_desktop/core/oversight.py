"""Make misuse visible: the audit report's summary counts and oversight flags.

The State Auditor (report 2019-118) found agencies that never audited their ALPR searches; the
flags here are the patterns it named: vague purposes, one plate looked up again and again,
off-hours use, users far above their peers' volume, and contractor access (policy §2).

One pass over the entries in seq order (``feed`` each, then ``finish``): memory is bounded by
the per-user and per-(user, plate) counters and the flagged entries, never by the log.
Pure Python; no Qt, no SQL.
"""

from __future__ import annotations

import statistics
from collections import Counter, OrderedDict, defaultdict
from dataclasses import dataclass, field
from datetime import time as dtime
from typing import Any
from zoneinfo import ZoneInfo

from alpr_desktop.core.audit_format import (
    DATA_EVENTS,
    DISCLOSURE_EVENTS,
    FAILED_SIGNIN_EVENTS,
    QUERY_EVENTS,
    category_label,
    is_event,
    load_obj,
    local_day_and_second,
    permission_ref_of,
    plate_key,
    recipient_of,
    text_of,
)
from alpr_desktop.core.audit_log import LogEntry, Outcome
from alpr_desktop.core.clock import SITE_ZONE
from alpr_desktop.core.purpose_rules import check_purpose
from alpr_desktop.core.purposes import PurposeInput

# Problems that make a logged purpose no purpose at all. The offense list, acknowledgment and
# case-number formats have changed over time and are checked when the purpose is declared;
# re-judging them against today's settings would flag honest old entries.
_VAGUE_FIELDS = frozenset({"narrative"})
_VAGUE_CODES = frozenset({"case_number_missing", "category_missing"})
_PURPOSE_CACHE = 4096
NOT_RECORDED = "(not recorded)"


@dataclass(frozen=True)
class OversightConfig:
    """Thresholds of the flags; the report prints them so a reader knows what was tested."""

    repeat_threshold: int = 3  # same user, same plate, at least this many look-ups
    work_start: dtime = dtime(7, 0)
    work_end: dtime = dtime(19, 0)
    work_days: frozenset[int] = frozenset(range(5))  # Monday = 0
    zone: ZoneInfo = SITE_ZONE
    volume_factor: float = 3.0  # flagged above factor × the median user's queries …
    volume_minimum: int = 50  # … and at least this many queries

    def describe_hours(self) -> str:
        days = ", ".join(
            name for i, name in enumerate(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"))
            if i in self.work_days
        )
        return (
            f"{self.work_start:%H:%M}-{self.work_end:%H:%M} {self.zone.key}, {days or 'no days'}"
        )


@dataclass
class FlagItem:
    """One subject of a flag (a user, a user and plate, a purpose) with its entries."""

    subject: str
    note: str
    seqs: list[int] = field(default_factory=list)
    times: list[int] = field(default_factory=list)  # ts_ms per seq; empty: print seqs only


@dataclass
class Flag:
    code: str
    title: str
    explanation: str
    items: list[FlagItem] = field(default_factory=list)

    @property
    def entry_count(self) -> int:
        return sum(len(i.seqs) for i in self.items)


@dataclass
class AuditSummary:
    """Counts for the report's summary section. Keys are display text."""

    total: int = 0
    first_seq: int | None = None
    last_seq: int | None = None
    first_ms: int | None = None
    last_ms: int | None = None
    by_event: Counter[str] = field(default_factory=Counter)
    by_outcome: Counter[str] = field(default_factory=Counter)
    queries: int = 0
    queries_by_user: Counter[str] = field(default_factory=Counter)
    queries_by_org: Counter[str] = field(default_factory=Counter)
    queries_by_category: Counter[str] = field(default_factory=Counter)
    disclosures_by_agency: Counter[str] = field(default_factory=Counter)
    failed_signins_by_user: Counter[str] = field(default_factory=Counter)
    lockouts_by_user: Counter[str] = field(default_factory=Counter)
    refusals: Counter[str] = field(default_factory=Counter)  # "user: what was refused"


@dataclass
class OversightResult:
    summary: AuditSummary
    flags: list[Flag]
    config: OversightConfig


def _user_label(username: str, organization: str) -> str:
    return f"{username} ({organization})" if organization else username


class OversightAnalyzer:
    """Feed entries in seq order, then ``finish()``."""

    def __init__(self, config: OversightConfig | None = None) -> None:
        self.config = config or OversightConfig()
        self.summary = AuditSummary()
        c = self.config
        self._start_s = c.work_start.hour * 3600 + c.work_start.minute * 60 + c.work_start.second
        self._end_s = c.work_end.hour * 3600 + c.work_end.minute * 60 + c.work_end.second
        self._purpose_cache: OrderedDict[str, tuple[str, ...]] = OrderedDict()
        self._vague: dict[tuple[str, str, tuple[str, ...]], FlagItem] = {}
        self._plates: defaultdict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
        self._off_hours: dict[str, FlagItem] = {}
        self._user_queries: defaultdict[str, list[int]] = defaultdict(list)
        self._contractor: dict[tuple[str, str], FlagItem] = {}

    # -- one entry -------------------------------------------------------------------------
    def feed(
        self,
        e: LogEntry,
        *,
        purpose: dict[str, Any] | None = None,
        query: dict[str, Any] | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        s = self.summary
        p = load_obj(e.purpose_json) if purpose is None else purpose
        d = load_obj(e.detail_json) if detail is None else detail
        s.total += 1
        if s.first_seq is None:
            s.first_seq, s.first_ms = e.seq, e.ts_ms
        s.last_seq, s.last_ms = e.seq, e.ts_ms
        s.by_event[e.event] += 1
        s.by_outcome[e.outcome] += 1
        user = _user_label(e.username, e.organization)
        event = e.event

        if event in FAILED_SIGNIN_EVENTS:
            s.failed_signins_by_user[e.username] += 1
        elif event == "account.locked":
            s.lockouts_by_user[e.username] += 1
        if event == "gate.refused" or (
            e.outcome == Outcome.REFUSED and is_event(event, DATA_EVENTS)
        ):
            what = event
            if event == "gate.refused":
                what = text_of(d.get("action") or d.get("reason") or "") or event
            s.refusals[f"{e.username}: {what}"] += 1

        if not is_event(event, DATA_EVENTS) and event != "purpose.declared":
            return
        if p:
            self._check_purpose(e, p, user)
        ref = permission_ref_of(d, p)
        if ref and is_event(event, DATA_EVENTS):
            key = (e.username, ref)
            item = self._contractor.get(key)
            if item is None:
                item = self._contractor[key] = FlagItem(
                    f"{user}, written permission {ref}", ""
                )
            item.seqs.append(e.seq)
            item.times.append(e.ts_ms)
        if not is_event(event, DATA_EVENTS):
            return
        if self._off_hours_at(e.ts_ms):
            item = self._off_hours.get(user)
            if item is None:
                item = self._off_hours[user] = FlagItem(user, "")
            item.seqs.append(e.seq)
            item.times.append(e.ts_ms)
        if is_event(event, DISCLOSURE_EVENTS) and e.outcome == Outcome.OK:
            s.disclosures_by_agency[recipient_of(d, p) or NOT_RECORDED] += 1
        if not is_event(event, QUERY_EVENTS):
            return
        s.queries += 1
        s.queries_by_user[user] += 1
        s.queries_by_org[e.organization or e.agency or NOT_RECORDED] += 1
        s.queries_by_category[category_label(p.get("category", "")) or NOT_RECORDED] += 1
        self._user_queries[user].append(e.seq)
        q = load_obj(e.query_json) if query is None else query
        plate = plate_key(q)
        if plate:
            self._plates[(user, plate)].append((e.seq, e.ts_ms))

    def _off_hours_at(self, ts_ms: int) -> bool:
        c = self.config
        day, second = local_day_and_second(ts_ms, c.zone)
        if (day + 3) % 7 not in c.work_days:  # 1970-01-01 was a Thursday (Monday = 0)
            return True
        return not (self._start_s <= second < self._end_s)

    def _problems(self, p: dict[str, Any], purpose_json: str) -> tuple[str, ...]:
        cached = self._purpose_cache.get(purpose_json)
        if cached is not None:
            self._purpose_cache.move_to_end(purpose_json)
            return cached
        candidate = PurposeInput(
            category=text_of(p.get("category", "")),
            offense=text_of(p.get("offense", "")),
            case_number=text_of(p.get("case_number", "")),
            narrative=text_of(p.get("narrative", "")),
            acknowledged=True,
            requesting_agency=text_of(p.get("requesting_agency", "")),
            requester_name=text_of(p.get("requester_name", "")),
        )
        try:
            found = check_purpose(candidate)
        except ValueError:  # a misconfigured rule must not stop the audit
            found = []
        result = tuple(
            dict.fromkeys(
                # the finding alone: the dialog's advice and example are for the user
                pr.finding or pr.message
                for pr in found if pr.field in _VAGUE_FIELDS or pr.code in _VAGUE_CODES
            )
        )
        self._purpose_cache[purpose_json] = result
        if len(self._purpose_cache) > _PURPOSE_CACHE:
            self._purpose_cache.popitem(last=False)
        return result

    def _check_purpose(self, e: LogEntry, p: dict[str, Any], user: str) -> None:
        problems = self._problems(p, e.purpose_json)
        if not problems:
            return
        narrative = text_of(p.get("narrative", ""))
        key = (user, narrative, problems)
        item = self._vague.get(key)
        if item is None:
            shown = f'"{narrative}"' if narrative else "no narrative"
            item = self._vague[key] = FlagItem(f"{user}: {shown}", " ".join(problems))
        item.seqs.append(e.seq)
        item.times.append(e.ts_ms)

    # -- the result ------------------------------------------------------------------------
    def finish(self) -> OversightResult:
        c = self.config
        repeated = Flag(
            "repeated_lookup",
            "One user looking up the same plate repeatedly",
            f"The same user searched the same plate at least {c.repeat_threshold} times in "
            "the period.",
        )
        for (user, plate), hits in self._plates.items():
            if len(hits) >= c.repeat_threshold:
                repeated.items.append(FlagItem(
                    f"{user}, plate {plate}", f"{len(hits)} look-ups",
                    [h[0] for h in hits], [h[1] for h in hits],
                ))
        repeated.items.sort(key=lambda i: (-len(i.seqs), i.subject))

        volume = Flag(
            "high_volume",
            "Users far above the median volume",
            "",
        )
        counts = {u: len(seqs) for u, seqs in self._user_queries.items()}
        median = statistics.median(counts.values()) if counts else 0
        volume.explanation = (
            f"Users with more than {c.volume_factor:g} times the median user's searches "
            f"(median {median:g} searches over {len(counts)} users) and at least "
            f"{c.volume_minimum} searches."
        )
        for user, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            if n > c.volume_factor * median and n >= c.volume_minimum:
                volume.items.append(FlagItem(
                    user, f"{n} searches, {n / median:.1f} times the median",
                    list(self._user_queries[user]),
                ))

        flags = [
            Flag(
                "vague_purpose",
                "Purposes the current rules would reject",
                "Logged purposes whose narrative, case number or category the purpose rules "
                "in force today would refuse.",
                sorted(self._vague.values(), key=lambda i: i.seqs[0]),
            ),
            repeated,
            Flag(
                "off_hours",
                "Data access outside working hours",
                f"Searches, read and image views, exports and disclosures outside "
                f"{c.describe_hours()}.",
                sorted(self._off_hours.values(), key=lambda i: (-len(i.seqs), i.subject)),
            ),
            volume,
            Flag(
                "contractor_access",
                "Contractor access under written permission",
                "Data access by the maintenance contractor, allowed only under the City's "
                "written permission (policy section 2); each is listed with its permission.",
                sorted(self._contractor.values(), key=lambda i: i.seqs[0]),
            ),
        ]
        return OversightResult(self.summary, flags, c)


def analyze(entries: Any, config: OversightConfig | None = None) -> OversightResult:
    """Convenience: feed every entry of an iterable and finish."""
    a = OversightAnalyzer(config)
    for e in entries:
        a.feed(e)
    return a.finish()
