"""Issue 13's profile figure (2,000 reads in <= 150 ms): the weekday-by-hour pattern asks the
zone for an offset once per day, not once per read, and still puts every read in its site-time
cell, the days the clocks change included."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from alpr_desktop.core import plate_profile
from alpr_desktop.core.clock import SITE_ZONE
from alpr_desktop.core.models import Read
from alpr_desktop.core.patterns import MatchKind
from alpr_desktop.core.plate_profile import build_profile
from alpr_desktop.core.search import SearchRow

SPRING = int(datetime(2026, 3, 8, 0, 0, tzinfo=UTC).timestamp())  # clocks go forward at 10:00Z
FALL = int(datetime(2026, 11, 1, 0, 0, tzinfo=UTC).timestamp())  # and back at 09:00Z


def _rows(times: list[int]) -> list[SearchRow]:
    return [SearchRow(Read(n, "7ABC123", "7ABC123", "CA", t, 1, "CAM-1", "", "", "", "", "",
                           "", None, 0.9), MatchKind.EXACT, "7ABC123")
            for n, t in enumerate(times, start=1)]


def _naive(times: list[int]) -> list[list[int]]:
    heat = [[0] * 24 for _ in range(7)]
    for t in times:
        local = datetime.fromtimestamp(t, tz=UTC).astimezone(SITE_ZONE)
        heat[local.weekday()][local.hour] += 1
    return heat


def test_the_pattern_puts_each_read_in_its_site_time_cell_across_clock_changes() -> None:
    times = [start + k * 1800 + 7 for start in (SPRING, FALL) for k in range(96)]
    times += [SPRING - 86_400 * 40 + k * 4_999 for k in range(2000)]
    profile = build_profile("7ABC123", _rows(times), gap_hours=72, lookalikes=False,
                            truncated=False)
    assert [list(r) for r in profile.heatmap] == _naive(times)


def test_the_zone_is_asked_once_a_day_not_once_a_read(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[float] = []
    real = plate_profile.to_local

    def counting(t: float, *a: object) -> datetime:
        calls.append(t)
        return real(t, *a)  # type: ignore[arg-type]

    monkeypatch.setattr(plate_profile, "to_local", counting)
    times = [SPRING - 86_400 * 50 + k * 3_607 for k in range(2000)]  # 2,000 distinct hours
    days = len({t // 86_400 for t in times})
    build_profile("7ABC123", _rows(times), gap_hours=72, lookalikes=False, truncated=False)
    assert len(calls) <= 2 * days + 24, (len(calls), days)  # 2,000 calls before
