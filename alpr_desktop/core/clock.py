"""Time source for services, so tests can move time (retention, lockout, idle lock)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

SITE_ZONE = ZoneInfo("America/Los_Angeles")


class Clock(Protocol):
    def now_ms(self) -> int:
        """Milliseconds since the Unix epoch, UTC."""
        ...


class SystemClock:
    def now_ms(self) -> int:
        return time.time_ns() // 1_000_000


@dataclass
class FixedClock:
    """A clock that only moves when told to."""

    ms: int = field(default=1_767_225_600_000)  # 2026-01-01T00:00:00Z

    def now_ms(self) -> int:
        return self.ms

    def advance(self, seconds: float) -> None:
        self.ms += int(seconds * 1000)


def to_local(epoch_s: float, zone: ZoneInfo = SITE_ZONE) -> datetime:
    return datetime.fromtimestamp(epoch_s, tz=UTC).astimezone(zone)


def format_local(epoch_s: float, zone: ZoneInfo = SITE_ZONE) -> str:
    return to_local(epoch_s, zone).strftime("%Y-%m-%d %H:%M:%S %Z")


def format_utc(epoch_s: float) -> str:
    return datetime.fromtimestamp(epoch_s, tz=UTC).strftime("%Y-%m-%d %H:%M:%SZ")
