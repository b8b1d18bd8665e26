"""Writing access-log entries from services: who is at which workstation, and when."""

from __future__ import annotations

import getpass
import socket
from functools import cache

from alpr_desktop.core.audit_log import LogEntry, LogEvent
from alpr_desktop.core.clock import Clock, SystemClock
from alpr_desktop.storage.errors import LogUnavailable, StoreError
from alpr_desktop.storage.unit_of_work import UnitOfWork

SYSTEM_USER = "(system)"


@cache
def workstation_id() -> str:
    """Host name and OS account of this workstation, recorded on every entry."""
    try:
        user = getpass.getuser()
    except (OSError, KeyError):
        user = "?"
    return f"{socket.gethostname()}/{user}"


def log_event(store: UnitOfWork, event: LogEvent, clock: Clock | None = None) -> LogEntry:
    """Append one entry, stamped with the clock and this workstation when not set.

    A failure raises LogUnavailable, which callers let through: the entry is written in the
    action's transaction (or before the action), so the action rolls back or never starts."""
    if not event.workstation:
        event = LogEvent(**{**event.__dict__, "workstation": workstation_id()})
    try:
        return store.access_log.append(event, (clock or SystemClock()).now_ms())
    except LogUnavailable:
        raise
    except StoreError as exc:
        raise LogUnavailable(exc) from exc
