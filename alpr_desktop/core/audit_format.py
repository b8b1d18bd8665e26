"""Access-log entries as plain text: the policy's five elements (§5) in the words the audit
view's columns and the printed report both use, so screen and paper never disagree.

Tolerant by design: an entry written by an older or newer program, or tampered with, may lack
keys or hold odd JSON; every field then shows blank instead of failing the report.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from alpr_desktop.core.audit_log import LogEntry
from alpr_desktop.core.clock import (  # noqa: F401  (format_local: one function, in clock)
    SITE_ZONE,
    _day_text,
    _hms,
    format_local,
    local_day_and_second,
)
from alpr_desktop.core.purposes import PurposeCategory

DATA_EVENTS = ("search", "read.view", "image.view", "export", "disclosure")
FAILED_SIGNIN_EVENTS = ("signin.failed", "signin.failure", "session.unlock_failed")
QUERY_EVENTS = ("search",)
# A search's counts, logged after its first page when that page came without them (issue 20):
# it carries what the first page's entry carried before (the counts, the plates found), and
# is neither a further search nor a further look-up of the plate typed.
COUNT_EVENT = "search.count"
DISCLOSURE_EVENTS = ("export", "disclosure")
_RECIPIENT_KEYS = ("recipient_agency", "receiving_agency", "recipient", "to_agency")
_PERMISSION_KEYS = ("permission_ref", "permission_reference", "written_permission")
MAX_DETAIL_CHARS = 300


@lru_cache(maxsize=1024)
def is_event(event: str, kinds: tuple[str, ...]) -> bool:
    """``event`` is one of ``kinds`` or a sub-event of one (``search.fuzzy``)."""
    return any(event == k or event.startswith(k + ".") for k in kinds)


_EMPTY: dict[str, Any] = {}
_parsed: dict[str, dict[str, Any]] = {}
_PARSED_MAX = 4096


def load_obj(text: str) -> dict[str, Any]:
    """The JSON object in ``text``, or {} for anything else. The result may be shared between
    calls (one purpose is logged on many searches): never change it."""
    if text == "{}" or not text:
        return _EMPTY
    found = _parsed.get(text)
    if found is not None:
        return found
    value = _parse(text)
    if len(text) < 4096:
        if len(_parsed) >= _PARSED_MAX:
            _parsed.clear()
        _parsed[text] = value
    return value


def _parse(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text) if text else {}
    except (ValueError, TypeError):
        return {}
    return value if isinstance(value, dict) else {}


def text_of(value: Any) -> str:
    """A JSON value as compact text: strings as is, lists comma-joined, objects as k=v."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list | tuple):
        return ", ".join(text_of(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}={text_of(v)}" for k, v in value.items())
    return str(value)


def query_elements(query: dict[str, Any]) -> str:
    """The plate or other data elements used to query (policy §5 (3)), complete: the pattern
    and match mode first, then every filter."""
    parts: list[str] = []
    pattern = query.get("pattern", query.get("plate"))
    if pattern not in (None, ""):
        mode = query.get("mode")
        parts.append(f"{text_of(pattern)} ({text_of(mode)})" if mode else text_of(pattern))
    for key, value in query.items():
        if key in ("pattern", "mode") or (key == "plate" and "pattern" not in query):
            continue
        if value in (None, "", [], {}):
            continue
        if isinstance(value, dict):
            parts.extend(f"{k}={text_of(v)}" for k, v in value.items() if v not in (None, ""))
        else:
            parts.append(f"{key}={text_of(value)}")
    return "; ".join(parts)


_PLATE_SEPARATORS = str.maketrans("", "", " -.\t")


def plate_key(query: dict[str, Any]) -> str:
    """The looked-up plate in comparable form (upper case, no spaces or dashes), or ""."""
    raw = query.get("pattern", query.get("plate", ""))
    if not isinstance(raw, str):
        return ""
    return raw.upper().translate(_PLATE_SEPARATORS)


_CATEGORY_LABELS: dict[str, str] = {}


def category_label(value: Any) -> str:
    """The category's label for a known category, else the value as text."""
    if isinstance(value, str):
        label = _CATEGORY_LABELS.get(value)
        if label is None:
            cat = PurposeCategory.parse(value)
            label = cat.label if cat is not None else value
            if len(_CATEGORY_LABELS) < 1000:
                _CATEGORY_LABELS[value] = label
        return label
    return text_of(value)


def recipient_of(detail: dict[str, Any], purpose: dict[str, Any]) -> str:
    for key in _RECIPIENT_KEYS:
        if detail.get(key):
            return text_of(detail[key])
    return text_of(purpose.get("requesting_agency", ""))


def permission_ref_of(detail: dict[str, Any], purpose: dict[str, Any]) -> str:
    for source in (detail, purpose):
        for key in _PERMISSION_KEYS:
            if source.get(key):
                return text_of(source[key])
    return ""


def format_utc(ms: int) -> str:
    day, s = divmod(ms // 1000, 86400)
    return f"{_day_text(day)} {_hms(s)} UTC"


@dataclass(frozen=True, slots=True)
class AuditRow:
    """One entry as text. ``agency`` is the agency that accessed the data, followed by the
    receiving agency for a disclosure (policy §5 (2))."""

    seq: int
    ts_ms: int
    local_time: str
    utc_time: str
    event: str
    outcome: str
    agency: str
    elements: str
    username: str
    organization: str
    category: str
    case_number: str
    offense: str
    narrative: str
    requesting_agency: str
    requester_name: str
    result_count: str
    detail: str
    workstation: str


def audit_row(
    e: LogEntry,
    zone: ZoneInfo = SITE_ZONE,
    *,
    purpose: dict[str, Any] | None = None,
    query: dict[str, Any] | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditRow:
    """``e`` as text; pass already-parsed dicts to avoid parsing twice."""
    p = load_obj(e.purpose_json) if purpose is None else purpose
    q = load_obj(e.query_json) if query is None else query
    d = load_obj(e.detail_json) if detail is None else detail
    agency = e.agency
    if is_event(e.event, DISCLOSURE_EVENTS):
        to = recipient_of(d, p)
        if to:
            agency = f"{agency} to {to}" if agency else f"to {to}"
    detail_text = text_of({k: v for k, v in d.items() if k not in _RECIPIENT_KEYS})
    if len(detail_text) > MAX_DETAIL_CHARS:
        detail_text = detail_text[: MAX_DETAIL_CHARS - 1] + "…"
    return AuditRow(
        seq=e.seq,
        ts_ms=e.ts_ms,
        local_time=format_local(e.ts_ms, zone),
        utc_time=format_utc(e.ts_ms),
        event=e.event,
        outcome=e.outcome,
        agency=agency,
        elements=query_elements(q),
        username=e.username,
        organization=e.organization,
        category=category_label(p.get("category", "")),
        case_number=text_of(p.get("case_number", "")),
        offense=text_of(p.get("offense", "")),
        narrative=text_of(p.get("narrative", "")),
        requesting_agency=text_of(p.get("requesting_agency", "")),
        requester_name=text_of(p.get("requester_name", "")),
        result_count="" if e.result_count is None else str(e.result_count),
        detail=detail_text,
        workstation=e.workstation,
    )
