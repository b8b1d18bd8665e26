"""Writing access-log entries from services: who is at which workstation, and when."""

from __future__ import annotations

import getpass
import socket
from functools import cache

from alpr_desktop.core.audit_log import LogEntry, LogEvent
from alpr_desktop.core.clock import Clock, SystemClock
from alpr_desktop.storage.access_log import AccessLogRepo
from alpr_desktop.storage.db import Store

SYSTEM_USER = "(system)"


@cache
def workstation_id() -> str:
    """Host name and OS account of this workstation, recorded on every entry."""
    try:
        user = getpass.getuser()
    except (OSError, KeyError):
        user = "?"
    return f"{socket.gethostname()}/{user}"


def log_event(store: Store, event: LogEvent, clock: Clock | None = None) -> LogEntry:
    """Append one entry, stamped with the clock and this workstation when not set."""
    if not event.workstation:
        event = LogEvent(**{**event.__dict__, "workstation": workstation_id()})
    return AccessLogRepo(store).append(event, (clock or SystemClock()).now_ms())
