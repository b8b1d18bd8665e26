"""Health signals (policy §7, issue 16): each fault planted in generated traffic is found, on
the right camera and at the right time, and clean traffic raises none. Through the service, as
the contractor's home screen asks for them; the answer and its log entry hold no plate."""

from __future__ import annotations

import json

import pytest
from access_helpers import World, log_entries
from health_data import DAY, HOUR, Traffic

from alpr_desktop.core.access_errors import NotAuthorized
from alpr_desktop.core.health import HealthReport, SignalKind
from alpr_desktop.services.maintenance import MaintenanceService


def _health(world: World, plant: object = None, days: int = 10) -> tuple[HealthReport, Traffic]:
    t = Traffic(world.clock.now_ms() // 1000, days=days)
    t.build(world.store, plant)
    report = MaintenanceService(world.store, world.clock).health(world.ctx("vendor"), days)
    return report, t


def _kinds(report: HealthReport) -> list[tuple[SignalKind, str]]:
    return [(s.kind, s.camera_name) for s in report.signals]


def test_clean_traffic_raises_no_signal(world: World) -> None:
    report, _ = _health(world)
    assert report.reads > 15_000 and report.cameras == 4
    assert report.signals == ()


def test_silent_camera(world: World) -> None:
    until = world.clock.now_ms() // 1000
    a, b = until - 3 * DAY + 9 * HOUR, until - 3 * DAY + 15 * HOUR
    report, t = _health(world, lambda t: t.silence(t.camera_ids[1], a, b))
    [s] = report.signals
    assert (s.kind, s.camera_name) == (SignalKind.SILENT, "Cam 2")
    assert a - HOUR < s.start_s <= a and b <= (s.end_s or 0) < b + HOUR
    draft = s.problem_draft(world.clock.now_ms())
    assert draft.camera_ids == (t.camera_ids[1],) and draft.down_from_ms == s.start_s * 1000
    assert draft.signal == "silent" and "no read from" in draft.description


def test_camera_still_silent_now(world: World) -> None:
    until = world.clock.now_ms() // 1000
    report, _ = _health(world, lambda t: t.silence(t.camera_ids[0], until - 5 * HOUR, until))
    [s] = report.signals
    assert s.kind is SignalKind.SILENT and s.end_s is None and "no read since" in s.summary


def test_read_rate_drop(world: World) -> None:
    until = world.clock.now_ms() // 1000
    a = until - 3 * DAY
    report, _ = _health(world, lambda t: t.thin(t.camera_ids[2], a, a + 2 * DAY, 0.3))
    assert _kinds(report) == [(SignalKind.RATE_DROP, "Cam 3")]
    [s] = report.signals
    assert s.start_s == a and s.end_s == a + 2 * DAY and s.observed < 0.4 * s.expected


def test_clock_ahead(world: World) -> None:
    until = world.clock.now_ms() // 1000
    report, _ = _health(world, lambda t: t.future(t.camera_ids[3], 12, until + 3 * HOUR))
    assert _kinds(report) == [(SignalKind.CLOCK_AHEAD, "Cam 4")]
    assert report.signals[0].observed == 12


def test_clock_stuck_at_one_second(world: World) -> None:
    until = world.clock.now_ms() // 1000
    a = until - 2 * DAY + 10 * HOUR
    report, _ = _health(world, lambda t: t.stuck(t.camera_ids[0], a, a + 2 * HOUR))
    assert _kinds(report) == [(SignalKind.CLOCK_STUCK, "Cam 1")]


def test_burst_of_unreadable_plates(world: World) -> None:
    until = world.clock.now_ms() // 1000
    a = until - DAY + 12 * HOUR
    report, _ = _health(world, lambda t: t.unreadable(t.camera_ids[1], a, a + HOUR))
    assert _kinds(report) == [(SignalKind.UNREADABLE, "Cam 2")]
    assert report.signals[0].start_s >= a and (report.signals[0].end_s or 0) < a + HOUR


def test_health_is_logged_without_plates_and_refused_to_an_analyst(world: World) -> None:
    until = world.clock.now_ms() // 1000
    _health(world, lambda t: t.future(t.camera_ids[3], 12, until + 3 * HOUR))
    [e] = log_entries(world.store, "maintenance.health")
    assert e.username == "vendor" and e.result_count == 1
    assert "5FUT" not in json.dumps(e.detail) and "5FUT" not in json.dumps(e.query)
    with pytest.raises(NotAuthorized):
        MaintenanceService(world.store, world.clock).health(world.ctx("officer"))


def test_kept_counts_follow_reads_added_later(world: World) -> None:
    """The hourly counts kept between runs are grouped again where reads arrive later (a
    vendor's late export filling the silent hours), and match a count from scratch."""
    from alpr_desktop.core.models import NewRead
    from alpr_desktop.storage.reads import ReadRepo

    until = world.clock.now_ms() // 1000
    a, b = until - 3 * DAY + 9 * HOUR, until - 3 * DAY + 15 * HOUR
    report, t = _health(world, lambda t: t.silence(t.camera_ids[1], a, b))
    assert [s.kind for s in report.signals] == [SignalKind.SILENT]
    late = [NewRead(f"6LAT{i:03d}", a + i * 60, t.camera_ids[1], confidence=0.9)
            for i in range(0, (b - a) // 60, 2)]
    ReadRepo(world.store).insert_many(late)
    svc = MaintenanceService(world.store, world.clock)
    assert svc.health(world.ctx("vendor"), 10).signals == ()
    kept = sorted(world.store.health.hour_buckets(until - 10 * DAY, until),
                  key=lambda x: (x.camera_id, x.hour))
    world.store.execute("DELETE FROM health_cover")
    world.store.execute("DELETE FROM health_hours")
    fresh = sorted(world.store.health.hour_buckets(until - 10 * DAY, until),
                   key=lambda x: (x.camera_id, x.hour))
    assert kept == fresh
