"""Access-log entries in words a City official reads without a glossary: event types as
phrases ("Search", "Image viewed", "Signed in"), the query as sentences of its elements
("plate 7ABC123, exact match; state CA; 2026-01-05 10:00 to 12:00"), the result as a number
of reads, and the stored detail as labelled facts.

Shared by the custodian's audit view and the printed report, so screen and paper say the
same. Lists of read ids are never spelled out here: they are counted, and the report writes
them to its CSV appendix (``read_ids_of``). Tolerant like core.audit_format: an odd or
tampered entry shows what can be read of it, never fails.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from alpr_desktop.core.audit_format import COUNT_EVENT, category_label, load_obj, text_of
from alpr_desktop.core.audit_log import LogEntry
from alpr_desktop.core.clock import SITE_ZONE

EVENT_WORDS: dict[str, str] = {
    "search": "Search",
    "search.page": "Search, further results",
    "search.count": "Search, results counted",
    "search.batch": "Batch search",
    "read.view": "Read viewed",
    "image.view": "Image viewed",
    "image.thumbnails": "Plate thumbnails viewed",
    "export": "Export",
    "search.profile": "Plate profile (all sightings)",
    "search.description": "Description search (no plate)",
    "map.view": "Map viewed",
    "history.own": "Own searches listed",
    "export.case_file": "Case file exported",
    "disclosure": "Disclosure to an agency",
    "signin.ok": "Signed in",
    "signin.failed": "Sign-in failed",
    "signin.failure": "Sign-in failed",
    "account.locked": "Account locked",
    "account.lockout_released": "Lockout released",
    "session.locked": "Session locked",
    "session.unlocked": "Session unlocked",
    "session.unlock_failed": "Unlock failed",
    "session.ended": "Signed out",
    "purpose.declared": "Purpose declared",
    "purpose.rejected": "Purpose refused",
    "purpose.ended": "Purpose ended",
    "account.created": "Account created",
    "account.updated": "Account changed",
    "account.enabled": "Account enabled",
    "account.disabled": "Account disabled",
    "password.changed": "Password changed",
    "password.change_failed": "Password change failed",
    "password.reset": "Password reset",
    "permission.granted": "Written permission recorded",
    "permission.revoked": "Written permission revoked",
    "gate.refused": "Refused by the access rules",
    "audit.view": "Audit log listed",
    "audit.verify": "Audit log verified",
    "audit.report": "Audit report made",
    "audit.oversight": "Oversight findings listed",
    "oversight.reviewed": "Oversight finding marked reviewed",
    "settings.changed": "Security setting changed",
    "store.created": "Store created",
    "store.unlocked_with_passphrase": "Store opened with the recovery passphrase",
    "store.passphrase_changed": "Recovery passphrase changed",
    "store.format_conversion": "Store file format conversion",
    "import.started": "Import started",
    "import": "Import finished",
    "import.mapping_saved": "Import mapping saved",
    "account.suspended": "Account suspended: unused too long",
    "account.separated": "Account deactivated: left the agency",
    "training.recorded": "Policy training recorded",
    "training.confirmed": "Policy training confirmed",
    "training.confirm_refused": "Policy training confirmation refused",
    "incident.recorded": "Security incident recorded",
    "incident.notice": "Notice of Data Breach made",
    "transparency.report": "Transparency report made",
    "agency.added": "Agency registered",
    "agency.approved": "Agency approved as a recipient",
    "agency.approval_refused": "Agency refused as a recipient",
    "agency.withdrawn": "Agency's approval withdrawn",
    "agency.list": "Agency registry listed",
    "sharing.request.recorded": "Agency request recorded",
    "sharing.request.refused": "Agency request refused",
    "sharing.request.list": "Agency requests listed",
    "sharing.prepared": "Response to an agency request prepared",
    "sharing.approved": "Response to an agency request approved",
    "sharing.refused": "Response to an agency request refused",
    "sharing.disclosure": "Evidence package disclosed to an agency",
    "sharing.package.sealed": "Evidence package signed and sealed",
}
OUTCOME_WORDS = {"ok": "Done", "refused": "Refused", "failed": "Failed"}
ACTION_WORDS = {
    "search_reads": "search reads", "view_images": "view images",
    "export_evidence": "export evidence", "correct_reads": "correct reads",
    "declare_purpose": "declare a purpose", "read_audit_log": "read the audit log",
    "print_audit_report": "print the audit report",
    "record_permission": "record a written permission",
    "review_retention": "review retention", "record_incident": "record an incident",
    "record_maintenance": "record maintenance", "view_maintenance": "view maintenance",
    "import_data": "import data", "manage_accounts": "manage accounts",
    "manage_security_settings": "change security settings",
    "review_oversight": "review oversight findings",
    "manage_agencies": "manage the agency registry",
    "record_sharing_request": "record an agency request",
    "view_sharing_requests": "view agency requests",
    "approve_disclosure": "approve a disclosure",
}
_MODE_WORDS = {"exact": "exact match", "wildcard": "wildcard", "substring": "part of a plate",
               "fuzzy": "look-alike characters", "auto": "automatic"}
_FILTER_WORDS = {
    "camera_ids": "cameras", "states": "state", "makes": "make", "models": "model",
    "colors": "color", "body_types": "body type", "min_confidence": "confidence at least",
    "time_of_day": "time of day", "preset": "period",
    "result_plates": "plates found", "plates_found": "different plates found",
    "finding_key": "finding",
}
_HIDDEN_DETAIL = frozenset({
    "action", "purpose_id", "permission_id", "plan", "sha256", "after", "requested_mode",
    "page_size", "head_hash", "data_window", "mapping",
})
_HEX_RE = re.compile(r"^[0-9a-f]{32,}$")
_SETTING_WORDS = {"security.idle_lock_minutes": "idle lock (minutes)",
                  "security.case_formats": "case-number formats"}
READ_ID_KEYS = ("read_ids", "read_id")


def event_words(event: str) -> str:
    """The event type as a phrase; an unknown one made readable ("maintenance.check" →
    "Maintenance: check")."""
    known = EVENT_WORDS.get(event)
    if known is not None:
        return known
    head, _, rest = event.partition(".")
    head = head.replace("_", " ").strip().capitalize()
    return f"{head}: {rest.replace('_', ' ').replace('.', ', ')}" if rest else head or event


def outcome_words(outcome: str) -> str:
    return OUTCOME_WORDS.get(outcome, outcome.replace("_", " ").capitalize())


def _words(key: str) -> str:
    return _FILTER_WORDS.get(key, key.replace("_", " "))


def _local(ms: int, zone: ZoneInfo) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=UTC).astimezone(zone).strftime("%Y-%m-%d %H:%M")


def _window(value: Any, zone: ZoneInfo, *, unit_ms: bool) -> str:
    """A {"from", "to"} window in local time; seconds (search) or milliseconds (audit)."""
    if not isinstance(value, dict):
        return text_of(value)
    scale = 1 if unit_ms else 1000
    ends = []
    for key in ("from", "to"):
        v = value.get(key)
        ends.append(_local(int(v) * scale, zone) if isinstance(v, int | float) else "")
    if ends[0] and ends[1]:
        return f"{ends[0]} to {ends[1]}"
    if ends[0]:
        return f"from {ends[0]}"
    if ends[1]:
        return f"until {ends[1]}"
    return ""


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def read_ids_of(query: dict[str, Any], detail: dict[str, Any] | None = None) -> list[int]:
    """Every read id an entry names (its query, then its detail), for the CSV appendix."""
    out: list[int] = []
    for source in (query, detail) if detail else (query,):
        if "read_ids" not in source and "read_id" not in source:  # most entries: no ids
            continue
        for key in READ_ID_KEYS:
            value = source.get(key)
            if value is None:
                continue
            for v in value if isinstance(value, list) else (value,):
                if isinstance(v, int | float) and not isinstance(v, bool):
                    out.append(int(v))
    return list(dict.fromkeys(out)) if out else out


def _filters_words(filters: dict[str, Any], zone: ZoneInfo) -> list[str]:
    parts: list[str] = []
    for key, value in filters.items():
        if value in (None, "", [], {}):
            continue
        if key == "time_window":
            window = _window(value, zone, unit_ms=False)
            if window:
                parts.append(window)
        elif key == "speed" and isinstance(value, dict):
            lo, hi = value.get("min"), value.get("max")
            parts.append(f"speed {text_of(lo) or '?'} to {text_of(hi) or '?'} mph")
        elif key == "min_confidence":
            parts.append(f"confidence at least {text_of(value)}")
        elif key == "camera_ids" and isinstance(value, list):
            parts.append(f"{_count(len(value), 'camera')} ({text_of(value)})")
        else:
            parts.append(f"{_words(key)} {text_of(value)}")
    return parts


def _audit_filter_words(q: dict[str, Any], zone: ZoneInfo) -> list[str]:
    parts: list[str] = []
    if "period" in q:
        parts.append(f"period {text_of(q['period'])}")
    elif q.get("from_ms") is not None or q.get("to_ms") is not None:
        window = _window({"from": q.get("from_ms"), "to": q.get("to_ms")}, zone, unit_ms=True)
        parts.append(f"period {window}")
    labels = (("username", "user"), ("organization", "organization"),
              ("query_text", "query containing"), ("case_number", "case number containing"),
              ("purpose_category", "purpose"), ("outcome", "outcome"))
    for key, label in labels:
        if q.get(key):
            value = q[key]
            shown = category_label(value) if key == "purpose_category" else text_of(value)
            parts.append(f"{label} {shown}")
    events = q.get("events")
    if isinstance(events, list) and events:
        parts.append("events " + ", ".join(event_words(str(e)) for e in events))
    return parts or ["the whole log"]


def query_words(event: str, query: dict[str, Any], zone: ZoneInfo = SITE_ZONE) -> str:
    """The plate or other data elements used to query (policy §5 (3)) as words; read ids
    are counted, never listed."""
    q = query
    if not q:
        return ""
    parts: list[str] = []
    pattern = q.get("pattern", q.get("plate"))
    if isinstance(pattern, list):
        parts.append(f"{_count(len(pattern), 'plate')}: {text_of(pattern)}")
    elif pattern not in (None, ""):
        mode = _MODE_WORDS.get(str(q.get("mode", "")), text_of(q.get("mode", "")))
        parts.append(f"plate {text_of(pattern)}" + (f", {mode}" if mode else ""))
    if isinstance(q.get("plates"), list):
        parts.append(f"{_count(len(q['plates']), 'plate')}: {text_of(q['plates'])}")
    if "read_ids" in q or "read_id" in q:
        ids = read_ids_of(q)
        if isinstance(q.get("read_ids"), list):
            parts.append(f"{_count(len(ids), 'read')} (ids in the appendix)")
        elif ids:
            parts.append(f"read #{ids[0]}")
    if isinstance(q.get("filters"), dict):
        parts.extend(_filters_words(q["filters"], zone))
    if event == "search.description":  # the vehicle's description, every element
        for key, label in (("makes", "make"), ("models", "model"), ("colors", "color"),
                           ("body_types", "body type"), ("states", "state"),
                           ("directions", "direction"), ("camera_ids", "camera ids")):
            if isinstance(q.get(key), list) and q[key]:
                parts.append(f"{label} {' or '.join(text_of(v) for v in q[key])}")
    if "time_window" in q and not isinstance(q.get("filters"), dict):
        window = _window(q["time_window"], zone, unit_ms=False)
        if window:
            parts.append(window)
    if event.startswith("audit."):
        parts.extend(_audit_filter_words(q, zone))
    if event == "gate.refused" or (set(q) == {"action"}):
        action = text_of(q.get("action", ""))
        parts.append(f"tried to {ACTION_WORDS.get(action, action.replace('_', ' '))}")
    files = q.get("files")
    if isinstance(files, list):
        names = [text_of(f.get("name")) if isinstance(f, dict) else text_of(f) for f in files]
        parts.append(f"{_count(len(names), 'file')}: {', '.join(names)}")
    if q.get("mapping") and isinstance(q.get("mapping"), str):
        parts.append(f"mapping {q['mapping']}")
    if q.get("kind"):
        parts.append(f"{text_of(q['kind'])} images")
    if event == "search.page" and isinstance(q.get("after"), dict):
        parts.append("next page")
    return "; ".join(p for p in parts if p)


def result_words(event: str, count: int | None, detail: dict[str, Any]) -> str:
    """How many reads (or images, entries) the access returned, in words."""
    if count is None:
        return ""
    if event == COUNT_EVENT:  # a search's count: reads counted, none shown
        return _count(count, "read") + (" or more" if detail.get("total_capped") else "") \
            + " counted, none returned"
    if event.startswith(("search", "read.", "export", "disclosure")):
        text = _count(count, "read") + " returned"
        total = detail.get("total")
        if isinstance(total, int) and total != count:
            text += f" (of {total:,}{' or more' if detail.get('total_capped') else ''})"
        return text
    if event.startswith("image."):
        return _count(count, "image") + " shown"
    if event.startswith("audit."):
        return _count(count, "entry").replace("entrys", "entries")
    if event == "import":
        return _count(count, "read") + " added"
    return f"{count:,}"


def purpose_words(purpose: dict[str, Any]) -> str:
    """Category, case number and offense as one line ("Criminal investigation, case
    123-45678-2026-001, vehicle theft"), and who asked for another agency."""
    parts = []
    if purpose.get("category"):
        parts.append(category_label(purpose["category"]))
    if purpose.get("case_number"):
        parts.append(f"case {text_of(purpose['case_number'])}")
    if purpose.get("offense"):
        parts.append(text_of(purpose["offense"]))
    if purpose.get("requesting_agency"):
        who = text_of(purpose.get("requester_name", ""))
        agency = text_of(purpose["requesting_agency"])
        parts.append(f"requested by {who + ', ' if who else ''}{agency}")
    if purpose.get("written_permission"):
        parts.append(f"under written permission {text_of(purpose['written_permission'])}")
    return ", ".join(parts)


def _fact_value(value: Any) -> str | None:
    if isinstance(value, str) and _HEX_RE.match(value):
        return None
    if isinstance(value, list):
        if not value:
            return None
        if len(value) > 6:
            return f"{len(value):,} items"
        return ", ".join(v.replace("_", " ") if isinstance(v, str) else text_of(v)
                         for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{_words(k)} {text_of(v)}" for k, v in value.items()
                         if v not in (None, "", [], {})) or None
    if isinstance(value, str):
        if value in _SETTING_WORDS:
            return _SETTING_WORDS[value]
        return value.replace("_", " ") if re.fullmatch(r"[a-z_]+", value) else value
    return text_of(value)


def detail_facts(detail: dict[str, Any]) -> list[tuple[str, str]]:
    """The stored detail as (label, value) facts, without hashes, internal ids and lists of
    read ids."""
    out: list[tuple[str, str]] = []
    for key, value in detail.items():
        if key in _HIDDEN_DETAIL or key in READ_ID_KEYS:
            continue
        if key == "counted" and value is False:  # a first page without its counts
            out.append(("Counts", "in the next \"Search, results counted\" entry, if asked"))
            continue
        shown = _fact_value(value)
        if shown:
            out.append((_words(key).capitalize(), shown))
    return out


def detail_words(detail: dict[str, Any], limit: int = 300) -> str:
    text = "; ".join(f"{k.lower()}: {v}" for k, v in detail_facts(detail))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def entry_words(e: LogEntry, zone: ZoneInfo = SITE_ZONE) -> dict[str, str]:
    """One entry's words by field: event, outcome, query, result, purpose, narrative,
    detail."""
    p, q, d = load_obj(e.purpose_json), load_obj(e.query_json), load_obj(e.detail_json)
    return {
        "event": event_words(e.event),
        "outcome": outcome_words(e.outcome),
        "query": query_words(e.event, q, zone),
        "result": result_words(e.event, e.result_count, d),
        "purpose": purpose_words(p),
        "narrative": text_of(p.get("narrative", "")),
        "detail": detail_words(d),
    }
