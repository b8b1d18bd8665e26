"""Make misuse visible: the audit report's summary counts, oversight flags and the ranking of
users to look at first (issue 21).

The misuse ALPR audits keep finding is an insider looking one person up again and again, often
at night and by any route but typing the plate; fishing with broad patterns; and purposes
recycled to cover unrelated searches. So the checks count what users *saw*, not only what they
typed: a search reached every plate of its results when they held only a few plates
(``result_plates`` in the entry), an image view reached its read's plate. Further pages of one
search are not further look-ups. Repeats of one plate under one case and one purpose within a
short span are explained and ranked below unexplained ones. Refused attempts count too.

One pass over the entries in seq order (``feed`` each, then ``finish``): memory is bounded by
the per-user, per-plate and per-purpose counters, never by the log. Pure Python; no Qt, no SQL.
The words are for a City official (core.audit_words style): "looked up plate 8ABC123 25 times
over 40 days", never an event code.
"""

from __future__ import annotations

import contextlib
import gc
import json
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from alpr_desktop.core.audit_format import (
    COUNT_EVENT,
    DATA_EVENTS,
    FAILED_SIGNIN_EVENTS,
    category_label,
    format_local,
    is_event,
    load_obj,
    local_day_and_second,
    permission_ref_of,
    plate_key,
    recipient_of,
    text_of,
)
from alpr_desktop.core.audit_log import LogEntry, Outcome
from alpr_desktop.core.narrative_similarity import group_similar
from alpr_desktop.core.oversight_config import DAY_SHORT, OversightConfig
from alpr_desktop.core.purpose_verdicts import judge

__all__ = [
    "AuditSummary", "EntryRow", "Finding", "Flag", "FlagItem", "OversightAnalyzer",
    "OversightConfig",
    "OversightResult", "Review", "UserRank", "VehicleWords", "analyze", "apply_reviews",
    "collector_paused",
]

_PURPOSE_CACHE = 4096
NOT_RECORDED = "(not recorded)"
_NO_DETAIL: dict[str, Any] = {}
_DIRECT = frozenset({"exact", "image"})
_FAILED, _SKIP, _LOOK = 0, 1, 2  # what feed does with an event: count it as a failed sign-in,
# skip it after the counts, or look at it
NOBODY = "(not signed in)"
LOOKUP_EVENTS = frozenset({"search", "search.batch", "search.profile", "image.view",
                           "read.view"})
_VEHICLE_FILTERS = ("makes", "models", "colors", "body_types")
_NOT_WORD = re.compile(r"[^A-Z0-9]+")
# Events that neither touch data nor record a refusal: skipped after the counts.
_QUIET = ("audit.", "signin.ok", "session.", "settings.", "account.created", "account.updated",
          "account.enabled", "account.disabled", "store.", "import", "checkpoint", "log.",
          "password.", "oversight.")

# How a plate was reached, in words (plural forms for the counts).
HOW_WORDS = {
    "exact": ("search typing the plate", "searches typing the plate"),
    "wildcard": ("wildcard search whose results held it",
                 "wildcard searches whose results held it"),
    "look-alike": ("look-alike search whose results held it",
                   "look-alike searches whose results held it"),
    "image": ("image view", "image views"),
}
REFUSAL_WORDS = {
    "too_broad": "too broad",
    "no_purpose": "without a purpose",
    "outside_permission_window": "outside the dates of the written permission",
    "no_written_permission": "without a written permission",
    "purpose_not_under_permission": "with a purpose not under the written permission",
    "role": "not allowed for the account's role",
    "not_signed_in": "not signed in",
    "purpose_rejected": "purpose refused as not specific enough",
    "locked": "locked out after failed sign-ins",
    "disclosure_refused": "disclosure refused",
    "account_disabled": "account disabled",
    "password_change_required": "password change pending",
}
# Reasons that matter when a finding is ranked (weights are relative, not a score to print).
W_REPEAT, W_NIGHT, W_CASE = 2.0, 2.0, 3.0
W_CONTRACTOR_OUTSIDE = 5.0
W_CAP = 60.0  # reasons that grow with a user's volume stop growing here

VehicleWords = Callable[[Collection[str]], Mapping[str, frozenset[str]]]
Verdicts = Mapping[str, tuple[str, ...]]  # logged purpose text -> today's rules' findings
# The access_log columns of an EntryRow, in order (storage selects them).
ROW_COLUMNS = "seq, ts_ms, event, outcome, username, organization, agency, purpose, query, detail"
_SLOT_S = 900  # every zone offset and transition in use is a multiple of 15 minutes
_PLANS = 50_000  # distinct entry contents remembered by a pass (then forgotten, and redone)
_VIEWS = frozenset({"image.view", "read.view"})
# An image or read view as the services log it (canonical JSON): the plate is all the checks
# read of it. Anything else (another shape, invalid JSON) keeps its whole text as the key.
_VIEW_QUERY = re.compile(r'\{(?:"plate":"([^"\\]*)",)?"read_id":-?(?:0|[1-9][0-9]*)\}')


class EntryRow(NamedTuple):
    """The columns of a log entry the checks read: storage's light row for a pass over the
    whole log. A LogEntry has the same attribute names and is fed the same way."""

    seq: int
    ts_ms: int
    event: str
    outcome: str
    username: str
    organization: str
    agency: str
    purpose_json: str
    query_json: str
    detail_json: str


Entry = LogEntry | EntryRow


@dataclass
class FlagItem:
    """One subject of a flag (a user, a user and plate, a purpose) with its entries."""

    subject: str
    note: str
    seqs: list[int] = field(default_factory=list)
    times: list[int] = field(default_factory=list)  # ts_ms per seq; empty: print seqs only
    key: str = ""  # the finding's key when the item is one (a review names it)
    reviewed: str = ""  # "Reviewed by ... on ...: note", when it was


@dataclass
class Flag:
    code: str
    title: str
    explanation: str
    items: list[FlagItem] = field(default_factory=list)

    @property
    def entry_count(self) -> int:
        return sum(len(i.seqs) for i in self.items)


@dataclass(frozen=True)
class Review:
    """A custodian's note that a finding was looked at, up to entry ``through_seq``."""

    key: str
    reviewed_by: str
    reviewed_ms: int
    note: str
    through_seq: int


@dataclass
class Finding:
    """One reason to look at one user, as a sentence, with its entries and its weight."""

    key: str  # stable across reports: "repeat|officer|8ABC123"
    kind: str
    username: str
    user: str  # with organization
    sentence: str  # "looked up plate 8ABC123 25 times over 40 days, ..."
    weight: float
    seqs: list[int] = field(default_factory=list)
    times: list[int] = field(default_factory=list)
    explained: bool = False  # context that lowers it (a repeat under one case and purpose)
    review: Review | None = None
    new_since_review: int = 0  # entries after the review's last entry

    @property
    def settled(self) -> bool:
        """Reviewed, and nothing new since: ranked after everything unreviewed."""
        return self.review is not None and self.new_since_review == 0


@dataclass
class UserRank:
    """A user to look at, with the reasons in order of weight."""

    username: str
    user: str
    findings: list[Finding]
    section: str = ""  # the report's detail section ("2.1.3"), set when drawn

    @property
    def score(self) -> float:
        """The weightiest open reason, plus a tenth of the others: one plate looked up 25
        times must outrank a busy user's many small reasons."""
        weights = sorted((f.weight for f in self.findings if not f.settled), reverse=True)
        return weights[0] + 0.1 * sum(weights[1:]) if weights else 0.0

    @property
    def line(self) -> str:
        """One line saying why, in plain words: the two weightiest reasons."""
        open_ = [f for f in self.findings if not f.settled] or self.findings
        text = "; ".join(f.sentence for f in open_[:2])
        more = len(open_) - 2
        if more > 0:
            text += f"; and {more} more reason{'' if more == 1 else 's'}"
        return text


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
    ranking: list[UserRank] = field(default_factory=list)  # users to look at, first first
    explained: list[Finding] = field(default_factory=list)  # repeats with their context
    last_seq: int = 0

    def findings(self) -> list[Finding]:
        return [f for r in self.ranking for f in r.findings] + list(self.explained)


def _user_label(username: str, organization: str) -> str:
    return f"{username} ({organization})" if organization else username


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def _accesses(n: int) -> str:
    return _plural(n, "access", "accesses")


def _times(n: int) -> str:
    return "once" if n == 1 else "twice" if n == 2 else f"{n:,} times"


def _compact(text: str) -> str:
    return _NOT_WORD.sub("", text.upper())


class _Lookups:
    """Look-ups of one plate by one user."""

    __slots__ = ("cases", "days", "hows", "night_secs", "purposes", "seqs", "times")

    def __init__(self) -> None:
        self.seqs: list[int] = []
        self.times: list[int] = []
        self.hows: dict[str, int] = {}
        self.cases: set[str] = set()
        self.purposes: set[tuple[str, str]] = set()
        self.days: set[int] = set()
        self.night_secs: list[int] = []


class _Plan:
    """What every entry of one content (event, outcome, user, purpose, query, detail) adds to
    the counters, and the counters it adds to: worked out on the first such entry."""

    __slots__ = ("broad", "broad_kind", "broad_pattern", "category", "checked", "contractor",
                 "event", "lockout", "lookups", "ok", "org", "outcome", "queries", "recipient",
                 "refusal", "refusals", "time", "timed", "use", "user", "vague")

    def __init__(self, event: str, outcome: str) -> None:
        self.event = event
        self.outcome = outcome
        self.lockout = False
        self.refusals: tuple[tuple[list[tuple[int, int, str]], str], ...] = ()
        self.refusal: str | None = None  # the summary's "user: what was refused"
        self.checked = False  # data, or a declared purpose: go on past the refusals
        self.vague: FlagItem | None = None
        self.contractor: FlagItem | None = None
        self.timed = False  # counted in the user's times (data, not a further page)
        self.time: _UserTime | None = None
        self.ok = False
        self.recipient: str | None = None
        self.queries: list[int] | None = None  # the user's searches, for a search
        self.user = self.org = self.category = ""
        self.broad: list[tuple[int, int, str, str]] | None = None
        self.broad_kind = self.broad_pattern = ""
        self.lookups: tuple[tuple[_Lookups, str], ...] = ()
        self.use: _Use | None = None  # set when the entry reached a plate


_UNUSED, _WHOLE, _VIEW = 0, 1, 2  # what of an entry's query its plan depends on
_ALL = (_WHOLE, True)  # the whole content is the key


def _key_shape(event: str) -> tuple[int, bool]:
    """What of an entry's query and detail the checks read (``_plan``), so that what they do
    not read (a viewed read's id, a disclosure's read, image hashes) does not make a content
    new: (_UNUSED, _WHOLE or _VIEW for the query; whether the whole detail is read, where
    False means only a detail naming a permission is)."""
    if event in _VIEWS:  # the plate; the detail only for a permission
        return _VIEW, False
    if event in LOOKUP_EVENTS or event == COUNT_EVENT:  # the pattern, mode, plates found
        return _ALL
    # the detail for what was refused, the recipient of a disclosure or export; the query not
    return _UNUSED, event == "gate.refused" or event.startswith(("export", "disclosure"))


def _parse_once(text: str) -> dict[str, Any]:
    """``load_obj`` without keeping the result, for a query or detail read once (its plan is
    kept instead): keeping it would push the purposes that do come back out of that cache."""
    if text == "{}" or not text:
        return _NO_DETAIL
    try:
        value = json.loads(text)
    except (ValueError, TypeError):
        return {}
    return value if isinstance(value, dict) else {}


def _view_query(text: str) -> str | tuple[str | None]:
    """The memo key of a view's query: its plate alone when it has the services' shape."""
    m = _VIEW_QUERY.fullmatch(text)
    return text if m is None else (m.group(1),)


class _Use:
    """What one user did under one case number, narrative or purpose."""

    __slots__ = ("cameras", "cases", "days", "direct", "plates", "seqs", "text", "times")

    def __init__(self, text: str = "") -> None:
        self.text = text
        self.plates: set[str] = set()
        self.direct: set[str] = set()  # typed or viewed, not only among a search's results
        self.days: set[int] = set()
        self.cases: set[str] = set()
        self.cameras: set[int] = set()
        self.seqs: list[int] = []
        self.times: list[int] = []


@dataclass
class _UserTime:
    total: int = 0
    weekend: list[tuple[int, int]] = field(default_factory=list)  # (seq, ts)
    night: list[tuple[int, int]] = field(default_factory=list)
    other: list[tuple[int, int]] = field(default_factory=list)
    weekend_days: set[int] = field(default_factory=set)


class OversightAnalyzer:
    """Feed entries in seq order, then ``finish()``."""

    def __init__(self, config: OversightConfig | None = None,
                 verdicts: Verdicts | None = None) -> None:
        """``verdicts`` are kept verdicts of today's purpose rules (purpose_verdicts); the
        purposes judged here that they lack are left in ``new_verdicts`` to be kept."""
        self.config = config or OversightConfig()
        self.summary = AuditSummary()
        c = self.config
        self._start_s = _secs(c.work_start)
        self._end_s = _secs(c.work_end)
        self._night_a = _secs(c.night_start)
        self._night_b = _secs(c.night_end)
        self._kept: Verdicts = verdicts or {}
        self._used: dict[str, tuple[str, ...]] = {}  # the verdicts the checks used, by purpose
        self.new_verdicts: dict[str, tuple[str, ...]] = {}
        self._slots: dict[int, tuple[int, int]] = {}  # 15-minute slot -> its local day, second
        self._compacts: dict[str, str] = {}
        self._kinds: dict[str, int] = {}  # event -> _FAILED, _SKIP or _LOOK
        self._keys_cache: dict[str, tuple[str, str, str, tuple[str, str]]] = {}
        self._case_shown: dict[str, str] = {}  # comparable case number -> as first logged
        self._data: dict[str, bool] = {}  # event -> touches data
        self._vague: dict[tuple[str, str, tuple[str, ...]], FlagItem] = {}
        self._plates: dict[tuple[str, str], _Lookups] = {}
        self._labels: dict[str, str] = {}
        self._time: defaultdict[str, _UserTime] = defaultdict(_UserTime)
        self._user_queries: defaultdict[str, list[int]] = defaultdict(list)
        self._contractor: dict[tuple[str, str], FlagItem] = {}
        self._by_purpose: dict[tuple[str, str, str], _Use] = {}
        self._broad: defaultdict[str, list[tuple[int, int, str, str]]] = defaultdict(list)
        self._refused: defaultdict[str, list[tuple[int, int, str]]] = defaultdict(list)
        self._plans: dict[tuple[Any, ...], _Plan] = {}  # entry content -> what it adds
        self._shapes: dict[str, tuple[int, bool]] = {}  # event -> _key_shape
        self._work_days = self.config.work_days

    # -- one entry -------------------------------------------------------------------------
    def feed(self, e: Entry) -> None:
        """Count one entry; entries come in seq order."""
        self.feed_rows(((e.seq, e.ts_ms, e.event, e.outcome, e.username, e.organization,
                         e.agency, e.purpose_json, e.query_json, e.detail_json),))

    def feed_rows(self, rows: Iterable[tuple[Any, ...]]) -> int:
        """Count entries given as tuples of the ROW_COLUMNS (storage's light rows), in seq
        order; returns how many. What an entry means is worked out once per distinct content
        (``_plan``, kept in ``_plans``); what each entry adds (its seq, time, local day, a
        count) is added here, in one loop with the counters at hand: a pass over a million
        entries spends most of its time here."""
        s = self.summary
        by_event, by_outcome = s.by_event, s.by_outcome
        kinds, shapes, plans, slots = self._kinds, self._shapes, self._plans, self._slots
        night_a, night_b = self._night_a, self._night_b
        start_s, end_s, work_days = self._start_s, self._end_s, self._work_days
        first = s.first_seq is None
        n = 0
        seq = ts_ms = 0
        for row in rows:
            seq, ts_ms, event, outcome, username = row[:5]
            n += 1
            if first:
                s.first_seq, s.first_ms = seq, ts_ms
                first = False
            by_event[event] += 1
            by_outcome[outcome] += 1
            kind = kinds.get(event)
            if kind is None:
                kind = kinds[event] = (
                    _FAILED if event in FAILED_SIGNIN_EVENTS
                    else _SKIP if event.startswith(_QUIET) else _LOOK)
            if kind != _LOOK:
                if kind == _FAILED:
                    s.failed_signins_by_user[username] += 1
                continue  # nothing else here touches data or is refused
            shape = shapes.get(event)
            if shape is None:
                shape = shapes[event] = _key_shape(event)
            if shape is _ALL:
                key = row[2:]
            else:
                query_json, detail_json = row[8], row[9]
                key = (*row[2:8],
                       query_json if shape[0] == _WHOLE else
                       _view_query(query_json) if shape[0] == _VIEW else "",
                       detail_json if shape[1] or "permission" in detail_json else "")
            plan = plans.get(key)
            if plan is None:
                if len(plans) >= _PLANS:
                    plans.clear()
                plan = plans[key] = self._plan(*row[2:])
            for into, reason in plan.refusals:
                into.append((seq, ts_ms, reason))
            if plan.lockout:
                s.lockouts_by_user[username] += 1
                continue
            if plan.refusal is not None:
                s.refusals[plan.refusal] += 1
            if not plan.checked:
                continue
            item = plan.vague
            if item is not None:
                item.seqs.append(seq)
                item.times.append(ts_ms)
            item = plan.contractor
            if item is not None:
                item.seqs.append(seq)
                item.times.append(ts_ms)
            if not (plan.timed or plan.ok):
                continue  # a further page of a search is not a further look-up
            sec = ts_ms // 1000
            slot = sec // _SLOT_S
            local = slots.get(slot)
            if local is None:
                day, second = self._local(ts_ms)
            else:
                day, second = local[0], local[1] + sec - slot * _SLOT_S
            night = (night_a <= second or second < night_b) if night_a > night_b \
                else (night_a <= second < night_b)
            t = plan.time
            if t is not None:
                t.total += 1
                if (day + 3) % 7 not in work_days:  # 1970-01-01 was a Thursday
                    t.weekend.append((seq, ts_ms))
                    t.weekend_days.add(day)
                elif night:
                    t.night.append((seq, ts_ms))
                elif not start_s <= second < end_s:
                    t.other.append((seq, ts_ms))
            if not plan.ok:
                continue
            if plan.recipient is not None:
                s.disclosures_by_agency[plan.recipient] += 1
            queries = plan.queries
            if queries is not None:
                s.queries += 1
                s.queries_by_user[plan.user] += 1
                s.queries_by_org[plan.org] += 1
                s.queries_by_category[plan.category] += 1
                queries.append(seq)
            broad = plan.broad
            if broad is not None:
                broad.append((seq, ts_ms, plan.broad_kind, plan.broad_pattern))
            use = plan.use
            if use is None:
                continue
            for lk, how in plan.lookups:
                lk.seqs.append(seq)
                lk.times.append(ts_ms)
                hows = lk.hows
                hows[how] = hows.get(how, 0) + 1
                lk.days.add(day)
                if night:
                    lk.night_secs.append(second)
            use.days.add(day)
            use.seqs.append(seq)
            use.times.append(ts_ms)
        if n:
            s.total += n
            s.last_seq, s.last_ms = seq, ts_ms
        return n

    def _plan(self, event: str, outcome: str, username: str, organization: str, agency: str,
              purpose_json: str, query_json: str, detail_json: str) -> _Plan:
        """What an entry of this content adds, with the counters it adds to (made here when
        it is the first entry to need them, as feeding it one by one would). Everything done
        here is the same for every entry of this content, so it is done once per content."""
        plan = _Plan(event, outcome)
        p = load_obj(purpose_json)
        user = self._labels.get(username)
        if user is None:
            user = self._labels[username] = _user_label(username, organization)
        if event == "account.locked":
            plan.lockout = True
            plan.refusals = ((self._refused[username], "locked"),)
            return plan
        refusals = []
        if event == "purpose.rejected":
            refusals.append((self._refused[username], "purpose_rejected"))
        data = self._data.get(event)
        if data is None:
            data = self._data[event] = is_event(event, DATA_EVENTS)
        d: dict[str, Any] | None = None
        if event == "gate.refused" or (outcome == Outcome.REFUSED and data):
            what = event
            reason = "disclosure_refused" if event == "disclosure" else "refused"
            if event == "gate.refused":
                d = _parse_once(detail_json)
                what = text_of(d.get("action") or d.get("reason") or "") or event
                reason = text_of(d.get("reason", "")) or "refused"
            plan.refusal = f"{username}: {what}"
            if username != NOBODY:
                refusals.append((self._refused[username], reason))
        plan.refusals = tuple(refusals)
        if not data and event != "purpose.declared":
            return plan
        plan.checked = True
        if event == COUNT_EVENT:
            return self._count_plan(plan, username, outcome, purpose_json, p, query_json,
                                    detail_json)
        if p:
            plan.vague = self._vague_item(p, purpose_json, user)
        if data and ("permission" in detail_json or "written_permission" in p):
            d = _parse_once(detail_json) if d is None else d
            ref = permission_ref_of(d, p)
            if ref:
                item = self._contractor.get((username, ref))
                if item is None:
                    item = self._contractor[(username, ref)] = FlagItem(
                        f"{user}, written permission {ref}", "")
                plan.contractor = item
        if not data or event == "search.page":
            return plan  # a further page of a search is not a further look-up
        plan.timed = True
        if username != NOBODY:
            plan.time = self._time[username]
        if outcome != Outcome.OK:
            return plan
        plan.ok = True
        if event in ("export", "disclosure") or event.startswith(("export.", "disclosure.")):
            d = _parse_once(detail_json) if d is None else d
            plan.recipient = recipient_of(d, p) or NOT_RECORDED
        q = _parse_once(query_json)
        if event in ("search", "search.batch"):
            plan.queries = self._user_queries[username]
            plan.user = user
            plan.org = organization or agency or NOT_RECORDED
            plan.category = category_label(p.get("category", "")) or NOT_RECORDED
        if event == "search.description":  # no plate at all: broad by nature (issue 13)
            plan.broad = self._broad[username]
            plan.broad_kind, plan.broad_pattern = "no_plate", ""
        if event not in LOOKUP_EVENTS:
            return plan
        if event == "search":
            d = _parse_once(detail_json) if d is None else d
        reached = self._reached(event, q, d or _NO_DETAIL)
        if event == "search":
            broad = self._broad_kind(q, d or _NO_DETAIL)
            if broad is not None:
                plan.broad = self._broad[username]
                plan.broad_kind, plan.broad_pattern = broad
        if reached:
            self._reach(plan, username, purpose_json, p, q, reached)
        return plan

    def _count_plan(self, plan: _Plan, username: str, outcome: str, purpose_json: str,
                    p: dict[str, Any], query_json: str, detail_json: str) -> _Plan:
        """A search's count (COUNT_EVENT): the broad-search check and the plates its results
        held, as its first page's entry counted them before the count had an entry of its
        own. Not timed, not a search, not a look-up of the plate typed, and not listed again
        under the purpose or permission: the first page's entry stands for the search."""
        if outcome != Outcome.OK:
            return plan
        plan.ok = True
        q, d = _parse_once(query_json), _parse_once(detail_json)
        broad = self._broad_kind(q, d)
        if broad is not None:
            plan.broad = self._broad[username]
            plan.broad_kind, plan.broad_pattern = broad
        reached = self._reached("search", q, d)
        typed = plate_key(q)
        if q.get("mode") == "exact" and typed:
            reached.pop(typed, None)  # the first page's entry looked it up
        if reached:
            self._reach(plan, username, purpose_json, p, q, reached)
        return plan

    def _reach(self, plan: _Plan, username: str, purpose_json: str, p: dict[str, Any],
               q: dict[str, Any], reached: dict[str, str]) -> None:
        """The look-ups of the plates an entry reached, under its case and purpose."""
        keys = self._keys(purpose_json, p)
        case, purpose_key = keys[0], keys[3]
        plates = self._plates
        lookups = []
        for plate, how in reached.items():
            lk = plates.get((username, plate))
            if lk is None:
                lk = plates[(username, plate)] = _Lookups()
            lk.cases.add(case)
            lk.purposes.add(purpose_key)
            lookups.append((lk, how))
        plan.lookups = tuple(lookups)
        ukey = (username, *purpose_key)
        use = self._by_purpose.get(ukey)
        if use is None:
            use = self._by_purpose[ukey] = _Use(purpose_key[1])
            use.cases.add(case)
        use.plates.update(reached)
        for plate, how in reached.items():
            if how in _DIRECT:
                use.direct.add(plate)
        filters = q.get("filters")
        cameras = filters.get("camera_ids") if isinstance(filters, dict) else None
        if isinstance(cameras, list):
            use.cameras.update(c for c in cameras if isinstance(c, int))
        plan.use = use

    def _reached(self, event: str, q: dict[str, Any], d: dict[str, Any]) -> dict[str, str]:
        """The plates this entry showed the user, and how: the plate typed, the plates of a
        search's results when they were few, the plate of an image or read viewed."""
        out: dict[str, str] = {}
        if event in ("image.view", "read.view"):
            plate = q.get("plate")
            if isinstance(plate, str) and plate:
                out[self._plate(plate)] = "image"
            return out
        if event == "search.batch":
            plates = q.get("plates")
            if isinstance(plates, list):
                for plate in plates:
                    if isinstance(plate, str) and plate:
                        out[self._plate(plate)] = "exact"
            return out
        mode = q.get("mode")
        typed = plate_key(q)
        if mode == "exact" and typed:
            out[typed] = "exact"
        shown = d.get("result_plates")
        if isinstance(shown, list) and 0 < len(shown) <= self.config.focus_plates:
            how = "look-alike" if mode == "fuzzy" else "wildcard"
            for plate in shown:
                if isinstance(plate, str) and plate:
                    norm = self._plate(plate)
                    out.setdefault(norm, "exact" if norm == typed else how)
        return out

    def _broad_kind(self, q: dict[str, Any], d: dict[str, Any]) -> tuple[str, str] | None:
        """(kind, pattern) of a search that found more than a few plates by pattern; None
        for any other search."""
        mode = q.get("mode")
        if mode not in ("wildcard", "substring", "fuzzy"):
            return None
        found = d.get("plates_found")
        if not (isinstance(found, int) and found > self.config.focus_plates):
            return None
        pattern = text_of(q.get("pattern", ""))
        filters = q.get("filters") if isinstance(q.get("filters"), dict) else {}
        assert isinstance(filters, dict)
        if any(filters.get(k) for k in _VEHICLE_FILTERS):
            return "description", pattern
        if filters.get("camera_ids"):
            return "location", pattern
        return "pattern", pattern

    def _keys(self, purpose_json: str,
              p: dict[str, Any]) -> tuple[str, str, str, tuple[str, str]]:
        """(case number, narrative, category, (case number, narrative)) in comparable form,
        cached per purpose."""
        found = self._keys_cache.get(purpose_json)
        if found is None:
            if len(self._keys_cache) > _PURPOSE_CACHE:
                self._keys_cache.clear()
            shown = " ".join(text_of(p.get("case_number", "")).split())
            case = _compact(shown)
            if case and case not in self._case_shown and len(self._case_shown) < 100_000:
                self._case_shown[case] = shown
            narrative = " ".join(text_of(p.get("narrative", "")).split())
            found = self._keys_cache[purpose_json] = (
                case, narrative, text_of(p.get("category", "")), (case, narrative))
        return found

    def _problems(self, p: dict[str, Any], purpose_json: str) -> tuple[str, ...]:
        """Today's rules' verdict on a logged purpose: kept, or judged once and kept."""
        found = self._used.get(purpose_json)
        if found is None:
            found = self._kept.get(purpose_json)
            if found is None:
                found = self.new_verdicts[purpose_json] = judge(p)
            self._used[purpose_json] = found
        return found

    def _local(self, ms: int) -> tuple[int, int]:
        """local_day_and_second, worked out once per 15 minutes of the log."""
        sec = ms // 1000
        slot = sec // _SLOT_S
        start = self._slots.get(slot)
        if start is None:
            start = local_day_and_second(slot * _SLOT_S * 1000, self.config.zone)
            if start[1] % _SLOT_S:  # an offset of odd minutes: no shortcut
                return local_day_and_second(ms, self.config.zone)
            self._slots[slot] = start
        return start[0], start[1] + sec - slot * _SLOT_S

    def _plate(self, text: str) -> str:
        """_compact of a plate, remembered (the same plates come back on every entry)."""
        if text.isupper() and text.isalnum() and text.isascii():
            return text  # already in that form: upper-case letters and digits
        found = self._compacts.get(text)
        if found is None:
            if len(self._compacts) > 100_000:
                self._compacts.clear()
            found = self._compacts[text] = _compact(text)
        return found

    def _vague_item(self, p: dict[str, Any], purpose_json: str, user: str) -> FlagItem | None:
        """The flag item of ``user``'s entries under this purpose if today's rules would
        reject it, else None."""
        problems = self._problems(p, purpose_json)
        if not problems:
            return None
        narrative = text_of(p.get("narrative", ""))
        key = (user, narrative, problems)
        item = self._vague.get(key)
        if item is None:
            shown = f'"{narrative}"' if narrative else "no narrative"
            item = self._vague[key] = FlagItem(f"{user}: {shown}", " ".join(problems))
        return item

    # -- the result ------------------------------------------------------------------------
    def finish(self, vehicles: VehicleWords | None = None,
               reviews: Mapping[str, Review] | None = None) -> OversightResult:
        """The flags and the ranking. ``vehicles`` gives the words that describe each plate's
        vehicle (make, model), for the check that purposes name or describe what was looked
        up; without it that check is not run. ``reviews`` are the custodian's earlier reviews
        by finding key."""
        c = self.config
        findings: list[Finding] = []
        explained: list[Finding] = []
        repeated: defaultdict[str, list[tuple[str, _Lookups]]] = defaultdict(list)
        for (username, plate), lk in self._plates.items():
            if len(lk.seqs) >= c.repeat_threshold:
                repeated[username].append((plate, lk))
        for username, items in repeated.items():
            for plate, lk in _unshadowed(items):
                f = self._repeat_finding(username, plate, lk)
                (explained if f.explained else findings).append(f)
        findings += self._reuse_findings()
        findings += self._unspecific_findings(vehicles)
        findings += self._broad_findings()
        findings += self._refused_findings()
        findings += self._time_findings()
        findings += self._volume_findings()
        result = OversightResult(self.summary, [], c, [], [], self.summary.last_seq or 0)
        result.flags = self._flags(findings, explained)
        result.explained = sorted(explained, key=lambda f: (-len(f.seqs), f.key))
        result.ranking = _rank(findings)
        if reviews:
            apply_reviews(result, reviews)
        return result

    def _label(self, username: str) -> str:
        return self._labels.get(username, username)

    def _case(self, case: str) -> str:
        return self._case_shown.get(case, case)

    def _repeat_finding(self, username: str, plate: str, lk: _Lookups) -> Finding:
        c = self.config
        n = len(lk.seqs)
        first, last = min(lk.days), max(lk.days)
        span = last - first + 1
        explained = (len(lk.purposes) == 1 and len(lk.cases) == 1
                     and span <= max(1, c.legit_span_days))
        typed_only = set(lk.hows) == {"exact"}
        verb = "searched" if typed_only else "looked up"
        when = f"on one day, {_day(first)}" if span == 1 else \
            f"over {span} days, {_day(first)} to {_day(last)}"
        text = f"{verb} plate {plate} {_times(n)} {when}"
        if not typed_only:
            text += " (" + ", ".join(
                _plural(k, *HOW_WORDS[how]) for how, k in
                sorted(lk.hows.items(), key=lambda kv: (-kv[1], kv[0]))) + ")"
            if "exact" not in lk.hows:
                text += ", never typing the plate itself"
        nights = len(lk.night_secs)
        if nights:
            text += f", {nights:,} of them {_night_span(lk.night_secs, self._night_b)}"
        cases = sorted(x for x in lk.cases if x)
        if explained:
            case = cases[0] if cases else "none"
            text += (f", all under case {self._case(case)} and one purpose: a repeat with its "
                     "context")
        elif len(cases) > 1:
            text += f", under {len(cases)} different case numbers"
        elif cases:
            text += f", under case {self._case(cases[0])}"
        weight = (W_REPEAT * n + W_NIGHT * nights + W_CASE * max(0, len(cases) - 1)
                  + (n - lk.hows.get("exact", 0)) * 0.5)
        return Finding(f"repeat|{username}|{plate}", "repeat", username, self._label(username),
                       text, 0.5 if explained else weight, list(lk.seqs), list(lk.times),
                       explained)

    def _merged(self, by_case: bool) -> dict[tuple[str, str], _Use]:
        """What each user did under each case number (or each narrative): the purposes'
        uses joined."""
        out: dict[tuple[str, str], _Use] = {}
        joined: set[tuple[str, str]] = set()  # of more than one purpose: seqs to be sorted
        for (username, case, narrative), use in self._by_purpose.items():
            key = (username, case if by_case else narrative)
            if not key[1]:
                continue
            into = out.get(key)
            if into is None:
                into = out[key] = _Use(key[1])
            else:
                joined.add(key)
            into.plates |= use.plates
            into.days |= use.days
            into.cases |= use.cases
            into.cameras |= use.cameras
            into.seqs += use.seqs
            into.times += use.times
        for key in joined:  # one purpose's entries are in seq order already (fed so)
            use = out[key]
            order = sorted(range(len(use.seqs)), key=use.seqs.__getitem__)
            use.seqs = [use.seqs[i] for i in order]
            use.times = [use.times[i] for i in order]
        return out

    def _reuse_findings(self) -> list[Finding]:
        c = self.config
        out: list[Finding] = []
        covered: set[tuple[str, int]] = set()
        by_narrative = self._merged(by_case=False)
        for (username, case), use in self._merged(by_case=True).items():
            if len(use.plates) < c.reuse_plates or len(use.days) < c.reuse_days:
                continue
            narratives = {n for (u, cs, n) in self._by_purpose if u == username and cs == case}
            text = (f"used case number {self._case(case)} for {len(use.plates)} different "
                    f"plates on {len(use.days)} days from {_day(min(use.days))} to "
                    f"{_day(max(use.days))}")
            if len(narratives) > 1:
                text += f", with {len(narratives)} different narratives"
            if use.cameras:
                text += f" and {_plural(len(use.cameras), 'camera')}"
            covered.update((username, s) for s in use.seqs)
            out.append(Finding(f"case_reuse|{username}|{case}", "case_reuse", username,
                               self._label(username), text,
                               min(W_CAP, len(use.plates) + len(use.days) / 2),
                               list(use.seqs),
                               list(use.times)))
        by_user: defaultdict[str, list[str]] = defaultdict(list)
        for (username, narrative) in by_narrative:
            by_user[username].append(narrative)
        for username, texts in by_user.items():
            for group in group_similar(texts, c.narrative_similarity):
                uses = [by_narrative[(username, t)] for t in group]
                cases = set().union(*(u.cases for u in uses)) - {""}
                if len(cases) < 2:
                    continue  # most narratives: one case, nothing reused
                plates = set().union(*(u.plates for u in uses))
                days = set().union(*(u.days for u in uses))
                if len(plates) < c.reuse_plates or len(days) < c.reuse_days:
                    continue
                seqs = sorted(s for u in uses for s in u.seqs)
                if all((username, s) in covered for s in seqs):
                    continue
                times = sorted(t for u in uses for t in u.times)
                sample = _short(max(group, key=len))
                alike = "the same narrative" if len(group) == 1 else "near-identical narratives"
                text = (f'gave {alike} ("{sample}") under {len(cases)} different case numbers '
                        f"for {len(plates)} different plates on {len(days)} days")
                key = f"narrative_reuse|{username}|{_compact(sample)[:40]}"
                out.append(Finding(key, "narrative_reuse", username, self._label(username),
                                   text, min(W_CAP, len(plates) + len(days) / 2), seqs,
                                   times))
        return out

    def _unspecific_findings(self, vehicles: VehicleWords | None) -> list[Finding]:
        c = self.config
        if vehicles is None:
            return []
        # The plates searched under a purpose: typed or opened, not every plate a partial
        # plate's results held.
        candidates = {k: u for k, u in self._by_purpose.items()
                      if k[2] and len(u.direct) >= c.unspecific_plates}
        wanted = set().union(*(u.direct for u in candidates.values())) if candidates else set()
        described = vehicles(wanted) if wanted else {}
        per_user: defaultdict[str, list[tuple[tuple[str, str, str], _Use, set[str]]]] = \
            defaultdict(list)
        for key, use in candidates.items():
            words = set(_NOT_WORD.split(use.text.upper()))
            compact = _compact(use.text)
            unnamed = {
                plate for plate in use.direct
                if plate not in compact and not (described.get(plate, frozenset()) & words)
            }
            if len(unnamed) >= c.unspecific_plates and 2 * len(unnamed) > len(use.direct):
                per_user[key[0]].append((key, use, unnamed))
        out: list[Finding] = []
        for username, items in per_user.items():
            plates = set().union(*(x[2] for x in items))
            seqs = sorted(s for x in items for s in x[1].seqs)
            times = sorted(t for x in items for t in x[1].times)
            case = items[0][0][1]
            sample = _short(items[0][1].text)
            text = (f"looked up {len(plates)} plates under "
                    f"{_plural(len(items), 'purpose')} that neither name nor describe them "
                    f'(such as case {self._case(case) or "none"}: "{sample}")')
            out.append(Finding(f"unspecific|{username}", "unspecific", username,
                               self._label(username), text, min(W_CAP, float(len(plates))),
                               seqs, times))
        return out

    def _broad_findings(self) -> list[Finding]:
        c = self.config
        out: list[Finding] = []
        for username, items in self._broad.items():
            kinds = Counter(k for _, _, k, _ in items)
            if len(items) < c.broad_threshold and not kinds["no_plate"]:
                continue
            parts = []
            if kinds["pattern"]:
                samples = list(dict.fromkeys(p for _, _, k, p in items if k == "pattern"))[:3]
                parts.append(f"{_plural(kinds['pattern'], 'broad pattern')} such as "
                             + ", ".join(samples))
            if kinds["description"]:
                parts.append(f"{kinds['description']:,} by vehicle description")
            if kinds["location"]:
                parts.append(f"{kinds['location']:,} by camera location")
            if kinds["no_plate"]:
                parts.append(f"{kinds['no_plate']:,} by vehicle description without a plate")
            plated = len(items) - kinds["no_plate"]
            tail = "" if not plated else (
                f", each finding more than {c.focus_plates} plates" if not kinds["no_plate"]
                else f", those by plate each finding more than {c.focus_plates} plates")
            text = (f"ran {_plural(len(items), 'broad search', 'broad searches')} "
                    f"({'; '.join(parts)}){tail}")
            out.append(Finding(f"broad|{username}", "broad", username, self._label(username),
                               text, min(W_CAP, float(len(items))), [i[0] for i in items],
                               [i[1] for i in items]))
        return out

    def _refused_findings(self) -> list[Finding]:
        c = self.config
        out: list[Finding] = []
        for username, items in self._refused.items():
            outside = [i for i in items if i[2] == "outside_permission_window"]
            if outside:
                text = (f"tried {_times(len(outside))} to reach data outside the dates its "
                        "written permission covers (refused)")
                out.append(Finding(f"outside_window|{username}", "contractor_outside",
                                   username, self._label(username), text,
                                   W_CONTRACTOR_OUTSIDE * len(outside),
                                   [i[0] for i in outside], [i[1] for i in outside]))
            if len(items) < c.refused_threshold:
                continue
            kinds = Counter(i[2] for i in items)
            said = ", ".join(f"{n:,} {REFUSAL_WORDS.get(k, k.replace('_', ' '))}"
                             for k, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))
            text = f"was refused {_times(len(items))} ({said})"
            out.append(Finding(f"refused|{username}", "refused", username,
                               self._label(username), text, min(W_CAP, float(len(items))),
                               [i[0] for i in items], [i[1] for i in items]))
        return out

    def _time_findings(self) -> list[Finding]:
        c = self.config
        out: list[Finding] = []
        for username, t in self._time.items():
            label = self._label(username)
            if len(t.weekend) >= c.off_hours_threshold:
                days = sorted(t.weekend_days)
                names = {DAY_SHORT[(d + 3) % 7] for d in days}
                listed = ", ".join(f"{DAY_SHORT[(d + 3) % 7]} {_day(d)}" for d in days[:4])
                if len(days) > 4:
                    listed += f" and {len(days) - 4} more days"
                off_days = "Saturdays and Sundays" if names <= {"Sat", "Sun"} else \
                    "days off"
                if len(t.weekend) == t.total:
                    text = (f"used the system only on weekends: {_accesses(t.total)}"
                            f", all on {off_days} ({listed})")
                    weight = min(W_CAP, 5 + len(t.weekend) / 2)
                else:
                    text = (f"made {len(t.weekend):,} of {_accesses(t.total)} on "
                            f"{off_days} ({listed})")
                    weight = min(W_CAP, len(t.weekend) / 2)
                out.append(Finding(f"weekend|{username}", "weekend", username, label, text,
                                   weight, [s for s, _ in t.weekend], [m for _, m in t.weekend]))
            if len(t.night) >= c.off_hours_threshold:
                text = (f"made {len(t.night):,} of {_accesses(t.total)} at night "
                        f"({c.describe_night()}) on working days")
                out.append(Finding(f"night|{username}", "night", username, label, text,
                                   min(W_CAP, len(t.night) / 2), [s for s, _ in t.night],
                                   [m for _, m in t.night]))
            if len(t.other) >= c.off_hours_threshold:
                text = (f"made {len(t.other):,} of {_accesses(t.total)} outside "
                        f"working hours ({c.work_start:%H:%M}-{c.work_end:%H:%M}) on working "
                        "days, in the evening or early morning")
                out.append(Finding(f"off_hours|{username}", "off_hours", username, label, text,
                                   min(W_CAP, len(t.other) / 4), [s for s, _ in t.other],
                                   [m for _, m in t.other]))
        return out

    def _volume_findings(self) -> list[Finding]:
        c = self.config
        counts = {u: len(seqs) for u, seqs in self._user_queries.items()}
        median = statistics.median(counts.values()) if counts else 0
        self._median = (median, len(counts))
        out: list[Finding] = []
        for username, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            if n > c.volume_factor * median and n >= c.volume_minimum:
                text = f"ran {n:,} searches, {n / median:.1f} times the median user's"
                out.append(Finding(f"volume|{username}", "volume", username,
                                   self._label(username), text, 10.0,
                                   list(self._user_queries[username])))
        return out

    def _flags(self, findings: list[Finding], explained: list[Finding]) -> list[Flag]:
        c = self.config
        by_kind: defaultdict[str, list[Finding]] = defaultdict(list)
        for f in findings:
            by_kind[f.kind].append(f)

        def items(*kinds: str) -> list[FlagItem]:
            chosen = [f for k in kinds for f in by_kind.get(k, [])]
            chosen.sort(key=lambda f: (-f.weight, f.key))
            return [FlagItem(f.user, f.sentence[0].upper() + f.sentence[1:] + ".", f.seqs,
                             f.times, f.key) for f in chosen]

        median, users = getattr(self, "_median", (0, 0))
        return [
            Flag("repeated_lookup", "One user looking up the same plate repeatedly",
                 f"A user reached the same plate at least {c.repeat_threshold} times, whatever "
                 "the pattern: searches typing it, searches whose results held it among at "
                 f"most {c.focus_plates} plates, and image views. Further pages of one search "
                 "are not further look-ups. Repeats under one case and one purpose within "
                 f"{c.legit_span_days} days are listed apart, as explained.",
                 items("repeat")),
            Flag("purpose_reuse", "One case number or narrative covering unrelated searches",
                 f"One case number, or near-identical narratives under different case numbers "
                 f"(at least {c.narrative_similarity:.0%} of their words shared), used for at "
                 f"least {c.reuse_plates} different plates on at least {c.reuse_days} days.",
                 items("case_reuse", "narrative_reuse")),
            Flag("unspecific_purpose", "Purposes that do not name what was looked up",
                 f"Purposes under which at least {c.unspecific_plates} plates were looked up "
                 "that the narrative neither names nor describes (make or model of the "
                 "vehicle), more than half of those it covered.",
                 items("unspecific")),
            Flag("vague_purpose", "Purposes the current rules would reject",
                 "Logged purposes whose narrative, case number or category the purpose rules "
                 "in force today would refuse.",
                 sorted(self._vague.values(), key=lambda i: i.seqs[0])),
            Flag("broad_search", "Broad, description and location searches",
                 f"Users with at least {c.broad_threshold} searches that found more than "
                 f"{c.focus_plates} different plates: broad patterns, searches by vehicle "
                 "description, searches by camera location.",
                 items("broad")),
            Flag("refused", "Refused attempts",
                 f"Users refused at least {c.refused_threshold} times: searches too broad, "
                 "without a purpose, outside a written permission, purposes refused, "
                 "lockouts after failed sign-ins; and any contractor access outside its "
                 "permission's dates.",
                 items("contractor_outside", "refused")),
            Flag("off_hours", "Use at night, on weekends and outside working hours",
                 f"Data access (searches, views, exports, disclosures) outside "
                 f"{c.describe_hours()}, split into weekends, night ({c.describe_night()}) "
                 f"and other hours; at least {c.off_hours_threshold} per user.",
                 items("weekend", "night", "off_hours")),
            Flag("high_volume", "Users far above the median volume",
                 f"Users with more than {c.volume_factor:g} times the median user's searches "
                 f"(median {median:g} searches over {users} users) and at least "
                 f"{c.volume_minimum} searches.",
                 items("volume")),
            Flag("contractor_access", "Contractor access under written permission",
                 "Data access by the maintenance contractor, allowed only under the City's "
                 "written permission (policy section 2); each is listed with its permission.",
                 sorted(self._contractor.values(), key=lambda i: i.seqs[0])),
        ]


def _unshadowed(items: list[tuple[str, _Lookups]]) -> list[tuple[str, _Lookups]]:
    """Leave out a plate reached only by entries that also reached a plate reached more often
    (the neighbour a wildcard for the stalked plate also found): the same look-ups, told once,
    under the plate they were after. A plate that covers all of another's entries was reached
    at its first entry, so only those are compared (linear, not quadratic, in the plates)."""
    sets = {plate: set(lk.seqs) for plate, lk in items}
    firsts = {lk.seqs[0] for _, lk in items}
    at: defaultdict[int, list[set[int]]] = defaultdict(list)  # first entry -> sets holding it
    for s in sets.values():
        for seq in s.intersection(firsts):
            at[seq].append(s)
    kept = []
    for plate, lk in items:
        mine = sets[plate]
        if not any(len(other) > len(mine) and mine <= other for other in at[lk.seqs[0]]):
            kept.append((plate, lk))
    return kept


def _rank(findings: list[Finding]) -> list[UserRank]:
    by_user: dict[str, UserRank] = {}
    for f in findings:
        rank = by_user.get(f.username)
        if rank is None:
            rank = by_user[f.username] = UserRank(f.username, f.user, [])
        rank.findings.append(f)
    for rank in by_user.values():
        rank.findings.sort(key=lambda f: (f.settled, -f.weight, f.key))
    return sorted(by_user.values(), key=lambda r: (-r.score, r.username))


def apply_reviews(result: OversightResult, reviews: Mapping[str, Review]) -> None:
    """Mark the findings a custodian reviewed, count what came after each review, and rank
    users whose every finding is settled after the rest."""
    flag_items = {i.key: i for f in result.flags for i in f.items if i.key}
    for f in result.findings():
        review = reviews.get(f.key)
        if review is None:
            continue
        f.review = review
        f.new_since_review = sum(1 for s in f.seqs if s > review.through_seq)
        item = flag_items.get(f.key)
        if item is not None:
            item.reviewed = review_words(f)
    result.ranking = _rank([f for r in result.ranking for f in r.findings])


def review_words(f: Finding) -> str:
    r = f.review
    if r is None:
        return ""
    text = f"Reviewed by {r.reviewed_by} on {format_local(r.reviewed_ms)[:16]}"
    text += f": {r.note.rstrip('.')}" if r.note else ""
    if f.new_since_review:
        text += f". {_plural(f.new_since_review, 'entry', 'entries')} since the review."
    else:
        text += ". Nothing new since."
    return text


def _secs(t: Any) -> int:
    return int(t.hour * 3600 + t.minute * 60 + t.second)


def _day(day: int) -> str:
    from datetime import date, timedelta

    return (date(1970, 1, 1) + timedelta(days=day)).isoformat()


def _night_span(seconds: list[int], night_end: int) -> str:
    """"between 22:00 and 02:00": the hours the night look-ups fell in (seconds after
    midnight, before the night's end, count as the night before)."""
    shifted = [s + 86_400 if s < night_end else s for s in seconds]
    lo, hi = min(shifted) // 3600, -(-(max(shifted) + 1) // 3600)
    return f"between {lo % 24:02d}:00 and {hi % 24:02d}:00"


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while a pass builds its counters: they hold no
    cycles, and the collector's repeated scans of a growing heap cost a third of the pass."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def analyze(entries: Iterable[LogEntry], config: OversightConfig | None = None,
            vehicles: VehicleWords | None = None) -> OversightResult:
    """Convenience: feed every entry of an iterable and finish."""
    a = OversightAnalyzer(config)
    with collector_paused():
        for e in entries:
            a.feed(e)
    return a.finish(vehicles)
