"""Issue 16: a camera with no read at all in the period looked at raised no signal (the
signals were computed per camera from its hours, and a silent camera has none). It now
raises a "silent camera" signal with its last read, or says it has none in the store; the
signal, its problem draft and the log entry hold times and counts, never a plate."""

from __future__ import annotations

import json

from access_helpers import World, log_entries
from health_data import DAY, Traffic

from alpr_desktop.core.clock import to_local
from alpr_desktop.core.health import SignalKind
from alpr_desktop.core.models import Camera, NewRead
from alpr_desktop.services.maintenance import MaintenanceService
from alpr_desktop.storage.reads import CameraRepo, ReadRepo


def test_a_camera_with_no_read_in_the_period_is_signalled_with_its_last_read(
        world: World) -> None:
    until = world.clock.now_ms() // 1000
    t = Traffic(until, days=10)
    dark = {}

    def go_dark(tr: Traffic) -> None:
        dark["cam"] = tr.camera_ids[2]
        tr.reads = [r for r in tr.reads if r.camera_id != tr.camera_ids[2]]
        tr.reads.append(NewRead("4OLD123", until - 40 * DAY, tr.camera_ids[2], confidence=0.9))

    t.build(world.store, go_dark)
    never = CameraRepo(world.store).add(Camera(None, "Cam New", "Carson"))
    report = MaintenanceService(world.store, world.clock).health(world.ctx("vendor"), 10)
    silent = {s.camera_name: s for s in report.signals if s.kind is SignalKind.SILENT_CAMERA}
    assert set(silent) == {"Cam 3", "Cam New"}
    s = silent["Cam 3"]
    assert s.camera_id == dark["cam"] and s.start_s == until - 40 * DAY and s.end_s is None
    assert to_local(until - 40 * DAY).strftime("%Y-%m-%d %H:%M") in s.summary
    assert "40.0 days ago" in s.summary and "4OLD123" not in s.summary
    assert "none in the store" in silent["Cam New"].summary
    assert silent["Cam New"].camera_id == never
    draft = s.problem_draft(world.clock.now_ms())
    assert draft.camera_ids == (dark["cam"],) and draft.down_from_ms == (until - 40 * DAY) * 1000
    assert draft.signal == "silent_camera" and draft.down_to_ms is None
    # the other cameras read as usual: nothing else is signalled
    assert {x.kind for x in report.signals} == {SignalKind.SILENT_CAMERA}
    [e] = log_entries(world.store, "maintenance.health")
    assert "4OLD123" not in json.dumps(e.detail)
    assert {d["kind"] for d in e.detail["signals"]} == {"silent_camera"}


def test_the_last_read_follows_reads_added_by_any_path(world: World) -> None:
    until = world.clock.now_ms() // 1000
    t = Traffic(until, days=5, cameras=2)
    t.build(world.store, lambda tr: setattr(tr, "reads", [
        r for r in tr.reads if r.camera_id != tr.camera_ids[1]]))
    svc = MaintenanceService(world.store, world.clock)
    [s] = svc.health(world.ctx("vendor"), 5).signals
    assert s.kind is SignalKind.SILENT_CAMERA and "none in the store" in s.summary
    ReadRepo(world.store).insert_many([NewRead("4LATE12", until - 9 * DAY, t.camera_ids[1])])
    [s] = svc.health(world.ctx("vendor"), 5).signals
    assert s.start_s == until - 9 * DAY and "9.0 days ago" in s.summary
