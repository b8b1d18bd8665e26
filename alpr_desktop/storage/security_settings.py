"""Security settings kept in the store's settings table (DESIGN rule 9): read and written here
so the keys and their encoding live in one place."""

from __future__ import annotations

import json

from alpr_desktop.core.purposes import DEFAULT_CASE_FORMATS, CaseFormat
from alpr_desktop.security import idle
from alpr_desktop.storage.db import Store

IDLE_LOCK_MINUTES = "security.idle_lock_minutes"
CASE_FORMATS = "security.case_formats"


def idle_lock_minutes(store: Store) -> int:
    return idle.parse_stored(store.get_setting(IDLE_LOCK_MINUTES))


def set_idle_lock_minutes(store: Store, minutes: int) -> None:
    store.set_setting(IDLE_LOCK_MINUTES, str(idle.check_minutes(minutes)))


def case_formats(store: Store) -> tuple[CaseFormat, ...]:
    """The configured case-number formats, or the defaults when none (or garbage) is stored."""
    raw = store.get_setting(CASE_FORMATS)
    if not raw:
        return DEFAULT_CASE_FORMATS
    try:
        items = json.loads(raw)
        formats = tuple(
            CaseFormat(str(i["label"]), str(i["pattern"]), tuple(map(str, i.get("examples", ()))))
            for i in items
        )
    except (ValueError, TypeError, KeyError):
        return DEFAULT_CASE_FORMATS
    return formats or DEFAULT_CASE_FORMATS


def set_case_formats(store: Store, formats: tuple[CaseFormat, ...]) -> None:
    store.set_setting(
        CASE_FORMATS,
        json.dumps(
            [{"label": f.label, "pattern": f.pattern, "examples": list(f.examples)}
             for f in formats]
        ),
    )
