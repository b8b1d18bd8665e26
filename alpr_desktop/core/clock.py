"""Time source for services, so tests can move time (retention, lockout, idle lock)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
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


def format_utc(epoch_s: float) -> str:
    return datetime.fromtimestamp(epoch_s, tz=UTC).strftime("%Y-%m-%d %H:%M:%SZ")


# Formatting a time through datetime and strftime costs microseconds, twice per entry of a
# 100,000-entry report; days and zone offsets are cached instead. Offsets are looked up per
# quarter hour of UTC, which every zone's transitions fall on.
_EPOCH = date(1970, 1, 1)
_SLOT_S = 900
_CACHE_MAX = 200_000
_days: dict[int, str] = {}
_offsets: dict[tuple[str, int], tuple[int, str]] = {}


def _day_text(day: int) -> str:
    text = _days.get(day)
    if text is None:
        if len(_days) > _CACHE_MAX:
            _days.clear()
        text = _days[day] = (_EPOCH + timedelta(days=day)).isoformat()
    return text


def _offset(sec: int, zone: ZoneInfo) -> tuple[int, str]:
    key = (zone.key, sec // _SLOT_S)
    found = _offsets.get(key)
    if found is None:
        if len(_offsets) > _CACHE_MAX:
            _offsets.clear()
        local = datetime.fromtimestamp(key[1] * _SLOT_S, tz=UTC).astimezone(zone)
        delta = local.utcoffset()
        found = _offsets[key] = (
            int(delta.total_seconds()) if delta is not None else 0, local.tzname() or ""
        )
    return found


def local_day_and_second(ms: int, zone: ZoneInfo = SITE_ZONE) -> tuple[int, int]:
    """(local days since 1970-01-01, local seconds into that day) of a UTC ms time."""
    sec = ms // 1000
    return divmod(sec + _offset(sec, zone)[0], 86400)


def _hms(s: int) -> str:
    h, r = divmod(s, 3600)
    m, s = divmod(r, 60)
    return f"{h:02d}:{m:02d}:{s:02d}"


def format_local(ms: int, zone: ZoneInfo = SITE_ZONE) -> str:
    """``YYYY-MM-DD HH:MM:SS PST`` in ``zone``, of a UTC time in **milliseconds** (the one
    unit of every caller: a read's ``recorded_at`` in seconds is passed as ``* 1000``)."""
    sec = ms // 1000
    off, name = _offset(sec, zone)
    day, s = divmod(sec + off, 86400)
    return f"{_day_text(day)} {_hms(s)} {name}"
