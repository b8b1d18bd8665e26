"""Filters: time window (absolute and presets), time of day in the site zone (midnight, DST),
cameras, state, vehicle description, speed and confidence."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from search_helpers import DAY, HOUR, T0, Seeded

from alpr_desktop.core.models import NewRead
from alpr_desktop.core.search import (
    Filters,
    SearchInputError,
    TimeOfDay,
    TimePreset,
    local_minute_of_day,
    offset_segments,
)


def _plates(seeded: Seeded, text: str, mode: str = "auto", **f: object) -> list[str]:
    return [r.read.plate_norm for r in seeded.search(text, mode, Filters(**f)).rows]  # type: ignore[arg-type]


def test_absolute_time_window_is_inclusive(seeded: Seeded) -> None:
    assert len(_plates(seeded, "7ABC123", since=T0 - 30 * HOUR, until=T0)) == 2
    assert len(_plates(seeded, "7ABC123", since=T0 - 30 * HOUR, until=T0 - 30 * HOUR)) == 1
    assert len(_plates(seeded, "7ABC123", until=T0 - 3 * HOUR)) == 2


def test_presets_follow_the_clock(seeded: Seeded) -> None:
    assert len(_plates(seeded, "7ABC123", preset=TimePreset.LAST_24_HOURS)) == 1
    assert len(_plates(seeded, "7ABC123", preset=TimePreset.LAST_7_DAYS)) == 2
    assert len(_plates(seeded, "7ABC123", preset=TimePreset.LAST_30_DAYS)) == 3
    seeded.world.clock.advance(2 * DAY)
    seeded.ctx = seeded.world.with_purpose("officer")  # the idle lock ended the session
    assert len(_plates(seeded, "7ABC123", preset=TimePreset.LAST_24_HOURS)) == 0


def test_cameras_state_and_description(seeded: Seeded) -> None:
    north = seeded.cams["north"]
    assert len(_plates(seeded, "7ABC123", camera_ids=(north,))) == 2
    assert set(_plates(seeded, "7AB*", states=("nv",))) == {"7ABX123"}
    assert set(_plates(seeded, "7AB*", makes=("TOYOTA", "ford"))) == {"7ABC12", "7ABX123"}
    assert len(_plates(seeded, "7ABC123", models=("civic",))) == 2
    assert set(_plates(seeded, "7AB*", colors=("Red",))) == {"7ABC12"}
    assert len(_plates(seeded, "7ABC123", body_types=("SEDAN",))) == 2


def test_speed_range_and_confidence(seeded: Seeded) -> None:
    assert len(_plates(seeded, "7ABC123", speed_min=40.0)) == 2
    assert len(_plates(seeded, "7ABC123", speed_min=40.0, speed_max=45.0)) == 1
    assert len(_plates(seeded, "7ABC123", min_confidence=0.8)) == 2
    assert len(_plates(seeded, "7ABC123", min_confidence=0.81)) == 1


def test_filters_apply_to_every_match_kind(seeded: Seeded) -> None:
    page = seeded.search("7ABC123", "fuzzy", Filters(makes=("Honda",), colors=("silver",)))
    assert {r.read.plate_norm for r in page.rows} == {"7ABC123", "7A8C123", "7XYZ999"}
    assert page.total == 5


def _add_local(seeded: Seeded, plate: str, *stamps: str) -> None:
    """Reads of ``plate`` at the given site-local times (America/Los_Angeles)."""
    from zoneinfo import ZoneInfo

    la = ZoneInfo("America/Los_Angeles")
    seeded.world.store.reads.insert_many([
        NewRead(plate, int(datetime.fromisoformat(s).replace(tzinfo=la).timestamp()),
                seeded.cams["north"])
        for s in stamps
    ])


def _local_hours(seeded: Seeded, plate: str, tod: TimeOfDay) -> list[str]:
    from alpr_desktop.core.clock import to_local

    page = seeded.search(plate, "exact", Filters(time_of_day=tod))
    return sorted(to_local(r.read.recorded_at).strftime("%m-%d %H:%M") for r in page.rows)


def test_time_of_day_in_the_site_zone_across_dst(seeded: Seeded) -> None:
    # 08:30 local in winter (UTC-8) and in summer (UTC-7): both are 08:30 on the street.
    _add_local(seeded, "5TOD111", "2025-01-15T08:30", "2025-07-15T08:30", "2025-07-15T09:30",
               "2025-03-09T08:30", "2025-11-02T08:30")
    got = _local_hours(seeded, "5TOD111", TimeOfDay(8 * 60, 9 * 60))
    assert got == ["01-15 08:30", "03-09 08:30", "07-15 08:30", "11-02 08:30"]


def test_time_of_day_window_crossing_midnight(seeded: Seeded) -> None:
    _add_local(seeded, "5NGT222", "2025-06-01T21:59", "2025-06-01T22:00", "2025-06-01T23:59",
               "2025-06-02T00:00", "2025-06-02T03:59", "2025-06-02T04:00", "2025-12-01T23:30")
    got = _local_hours(seeded, "5NGT222", TimeOfDay(22 * 60, 4 * 60))
    assert got == ["06-01 22:00", "06-01 23:59", "06-02 00:00", "06-02 03:59", "12-01 23:30"]


def test_offset_segments_name_the_dst_changes() -> None:
    since = int(datetime(2025, 1, 1, tzinfo=UTC).timestamp())
    until = int(datetime(2025, 12, 31, tzinfo=UTC).timestamp())
    segs = offset_segments(since, until)
    assert [off for _, off in segs] == [-8 * 3600, -7 * 3600, -8 * 3600]
    spring = segs[1][0]
    assert local_minute_of_day(spring - 1) == 1 * 60 + 59 and local_minute_of_day(spring) == 180


@pytest.mark.parametrize(("kwargs", "says"), [
    ({"since": 10, "until": 5}, "ends before it starts"),
    ({"speed_min": 50.0, "speed_max": 10.0}, "lowest speed"),
    ({"min_confidence": float("nan")}, "must be a number"),
    ({"makes": ("x" * 41,)}, "not a valid make"),
    ({"colors": ("red\x00",)}, "not a valid color"),
    ({"states": tuple(str(i) for i in range(51))}, "at most 50"),
])
def test_bad_filters_are_refused_with_a_sentence(kwargs: dict, says: str) -> None:
    with pytest.raises(SearchInputError, match=says):
        Filters(**kwargs)


def test_time_of_day_refuses_nonsense() -> None:
    with pytest.raises(SearchInputError):
        TimeOfDay(60, 60)
    with pytest.raises(SearchInputError):
        TimeOfDay(0, 24 * 60)
    assert TimeOfDay(22 * 60, 4 * 60).contains(23 * 60)
    assert not TimeOfDay(22 * 60, 4 * 60).contains(4 * 60)


def test_filter_values_are_bound_not_spliced(seeded: Seeded) -> None:
    hostile = ("Honda' OR '1'='1",)
    assert _plates(seeded, "7ABC123", makes=hostile) == []
