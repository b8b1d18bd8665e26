"""Issue 14: reads a purge deletes leave the plate profile and the analysis windows (location
search, common plates, co-travel, locate, cloned plates) at once, through the same hook as the
results table; and a purge run by another process (the scheduled task, on a connection of its
own) is noticed and announced the same way. On main before this change these windows kept
showing purged reads, and a purge by another process was announced to no window."""

from __future__ import annotations

import os
from pathlib import Path

from alpr_desktop.core.analysis_places import PlateAtPlace
from alpr_desktop.core.cloned import ClonedLimits, ClonedResult, Fix, ImpossiblePair
from alpr_desktop.core.cotravel import CoTraveller, CoTravelRequest, CoTravelResult, Meeting
from alpr_desktop.core.locate import LocateRequest, LocateResult, PlaceFigure
from alpr_desktop.core.models import NewRead, Read
from alpr_desktop.core.plate_profile import build_profile
from alpr_desktop.core.search import MatchKind, SearchRow
from alpr_desktop.gui import purged_reads
from alpr_desktop.gui.analysis.cloned import ClonedWindow
from alpr_desktop.gui.analysis.cotravel import CoTravelWindow
from alpr_desktop.gui.analysis.host import AnalysisHost
from alpr_desktop.gui.analysis.locate import LocateWindow
from alpr_desktop.gui.analysis.models import PlaceSightingsModel
from alpr_desktop.gui.analysis.result_view import AnalysisResultWindow
from alpr_desktop.gui.purge_watch import PurgeWatch
from alpr_desktop.gui.views.plate_profile import PlateProfileWindow
from alpr_desktop.services.retention import RetentionService
from alpr_desktop.services.workstation import OpenStore
from alpr_desktop.storage.reads import CameraRepo, ReadRepo

T0 = 1_767_225_600
SIX_YEARS = 6 * 365 * 86_400


def _row(i: int, plate: str = "7ABC123", camera: int = 1, at: int | None = None) -> SearchRow:
    read = Read(i, plate, plate, "CA", T0 + i * 3600 if at is None else at, camera,
                f"Camera {camera}", "Carson", "N", "Honda", "Civic", "Silver", "Sedan", None,
                0.9)
    return SearchRow(read, MatchKind.EXACT, plate)


def _ids(model) -> list[int]:  # type: ignore[no-untyped-def]
    return [r.read.id for r in model.rows]


def _shot(widget, name: str) -> None:  # type: ignore[no-untyped-def]
    out = os.environ.get("ALPR_SHOTS")  # to look at the window: ALPR_SHOTS=/some/folder
    if out:
        widget.resize(1024, 700)
        widget.grab().save(str(Path(out) / f"{name}.png"))


def test_the_plate_profile_drops_purged_reads(qtbot, controller, qtmodeltester):
    rows = [_row(1), _row(2), _row(3, camera=2)]
    w = PlateProfileWindow(controller, "7ABC123")
    qtbot.addWidget(w)
    w.show_profile(build_profile("7ABC123", rows, gap_hours=4, lookalikes=False,
                                 truncated=False, log_seq=9))
    w.table.selectRow(2)
    assert w.strip.count() == 3 and "3 reads" in w.summary.text()
    purged_reads.announce({1, 2, 99})  # what a purge run announces
    assert _ids(w.model) == [3]
    assert [int(w.strip.item(i).data(256)) for i in range(w.strip.count())] == [3]
    assert w.summary.text().startswith("7ABC123: 1 read.")
    assert [n for n, _c in w.profile.per_camera] == ["Camera 2"]  # figures of what is left
    assert w.selected_row() is not None and w.selected_row().read.id == 3
    assert "2 reads deleted under retention" in w.statusLabel.text()
    qtmodeltester.check(w.model, force_py=True)
    w.show()
    _shot(w, "purged-profile")


def test_the_location_search_result_drops_purged_reads(qtbot, controller, qtmodeltester):
    rows = [_row(1, "6AAA111"), _row(2, "6AAA111"), _row(3, "7BBB222")]
    by_plate = {"6AAA111": [1, 2], "7BBB222": [3]}
    summary = [PlateAtPlace(0, "Place A", p, T0, T0 + 60, len(ids), ids[0], ids[-1],
                            tuple(ids)) for p, ids in by_plate.items()]
    host = AnalysisHost(None, controller, lambda *_a: None)  # type: ignore[arg-type]
    w = AnalysisResultWindow(host, "Location search", PlaceSightingsModel(), summary, rows,
                             lambda s: list(s.read_ids), "3 reads.", "words",
                             summary_name="Plates at each place")
    qtbot.addWidget(w)
    w.allCheck.setChecked(True)
    assert _ids(w.model) == [1, 2, 3]
    purged_reads.announce({3})
    assert _ids(w.model) == [1, 2]
    assert [s.plate for s in w.summaryModel.rows] == ["6AAA111"]  # none of its reads left
    w.allCheck.setChecked(False)
    w.summaryTable.selectRow(0)
    purged_reads.announce({1})
    assert _ids(w.model) == [2]
    assert "1 read deleted under retention" in w.statusLabel.text()
    assert w.shown_read_ids() == [2]
    qtmodeltester.check(w.model, force_py=True)
    qtmodeltester.check(w.summaryModel, force_py=True)


def test_co_travel_locate_and_cloned_drop_purged_reads(qtbot, controller, qtmodeltester):
    rows = (_row(1, "7TGT001"), _row(2, "5OTH002"), _row(3, "7TGT001"), _row(4, "5OTH002"))
    req = CoTravelRequest("7TGT001", T0, T0 + 86_400)
    trav = CoTraveller("5OTH002", 2, 2, 3.0, 1.0, 2, False,
                       (Meeting(1, 2, 1, 10, 1.0), Meeting(3, 4, 1, 10, 1.0)))
    co = CoTravelWindow(controller)
    qtbot.addWidget(co)
    co.show_result(CoTravelResult("7TGT001", req, 2, 2, 1, 0, (trav,), rows, log_seq=5))
    assert _ids(co.evidence) == [1, 2, 3, 4]
    purged_reads.announce({1, 2})
    assert _ids(co.evidence) == [3, 4] and co.shown_read_ids() == [3, 4]
    assert "2 reads deleted under retention" in co.statusLabel.text()
    purged_reads.announce({3, 4})
    assert co.model.rowCount() == 0 and not co.mapButton.isEnabled()
    qtmodeltester.check(co.evidence, force_py=True)

    heat = tuple((0,) * 24 for _ in range(7))
    place = PlaceFigure(1, "Camera 1", "Carson", 2, 2, 1.0, heat, (0, 0, 2))
    lo = LocateWindow(controller)
    qtbot.addWidget(lo)
    lo.show_result(LocateResult("7ABC123", LocateRequest("7ABC123", T0, T0 + 86_400), 2, 2,
                                (place,), (), heat, (_row(5), _row(6)), False, log_seq=6))
    assert _ids(lo.model) == [5, 6]
    purged_reads.announce({5})
    assert _ids(lo.model) == [6] and "1 read deleted" in lo.statusLabel.text()
    qtmodeltester.check(lo.model, force_py=True)

    fa, fb = Fix(7, 1, T0, 33.8, -118.2, 1), Fix(8, 1, T0 + 60, 34.2, -118.6, 2)
    pair = ImpossiblePair("7CLN007", fa, fb, 50.0, 60, 3000.0, "Camera 1", "Camera 2")
    cl = ClonedWindow(controller)
    qtbot.addWidget(cl)
    cl.show_result(ClonedResult("store", ClonedLimits(), 2, 0, (pair,), 1,
                                (_row(7, "7CLN007"), _row(8, "7CLN007", camera=2)), log_seq=7))
    assert _ids(cl.model) == [7, 8]
    purged_reads.announce({8})
    assert cl.pairsModel.rowCount() == 0 and cl.model.rowCount() == 0  # no pair any more
    assert "1 read deleted" in cl.statusLabel.text() and cl.shown_read_ids() == [7]
    qtmodeltester.check(cl.pairsModel, force_py=True)
    cl.show()
    _shot(cl, "purged-cloned")


def test_a_purge_by_another_process_is_announced(qtbot, controller, store, clock):
    """The scheduled task purges on a connection of its own while windows are open: the
    watcher notices it from the purge records and the windows drop the reads."""
    cam = CameraRepo(store).all()[0].id
    now_s = clock.now_ms() // 1000
    old, living = ReadRepo(store).insert_many([
        NewRead("6OLD999", now_s - SIX_YEARS, cam), NewRead("6OLD999", now_s - 86_400, cam)])
    rows = [_row(old, "6OLD999", at=now_s - SIX_YEARS), _row(living, "6OLD999", at=now_s)]
    w = PlateProfileWindow(controller, "6OLD999")
    qtbot.addWidget(w)
    w.show_profile(build_profile("6OLD999", rows, gap_hours=4, lookalikes=False,
                                 truncated=False))
    heard: list[frozenset[int]] = []
    purged_reads.hub().purged.connect(heard.append)
    watch = PurgeWatch(clock=clock)
    watch.attach(OpenStore.adopt(store.reopen()))
    try:
        with qtbot.waitSignal(watch.checked, timeout=10_000) as first:
            watch.poll()
        assert not {old, living} & first.args[0] and _ids(w.model) == [old, living]
        other = store.reopen()  # the scheduled task's own connection
        try:
            done = RetentionService(other, clock).purge("(scheduled task)")
        finally:
            other.close()
        assert old in done.deleted_ids
        with qtbot.waitSignal(watch.checked, timeout=10_000) as second:
            watch.poll()
        assert second.args == [frozenset({old})]
        assert heard[-1] == frozenset({old})
        count = len(heard)
        assert _ids(w.model) == [living]
        assert "1 read deleted under retention" in w.statusLabel.text()
        with qtbot.waitSignal(watch.checked, timeout=10_000) as third:
            watch.poll()  # nothing new: nothing announced
        assert third.args == [frozenset()] and len(heard) == count
    finally:
        purged_reads.hub().purged.disconnect(heard.append)
        watch.shutdown()


def test_the_audit_screen_says_a_checkpoint_entry_was_archived(qtbot):
    """Verify Against Checkpoint… with a checkpoint older than the log's archive: INTACT with
    the entry archived, said in words, not "rewritten"."""
    from alpr_desktop.core.audit_log import VerifyResult
    from alpr_desktop.core.log_anchors import ArchivedEntry, Checkpoint, judge
    from alpr_desktop.gui.views.audit_view import VerifyPanel

    chain = VerifyResult(True, 40, "ab" * 32, 900, archived_to=800)
    cp = Checkpoint("store", 120, "cd" * 32, T0 * 1000, "keeper (Kim Keeper)", "AB12")
    segment = "entries 1–800 archived in log-archive-store-1-800.alprlog"
    archived = judge(chain, cp, None, ArchivedEntry(segment, None, "the archive anchor"))
    rewritten = judge(chain, cp, None, ArchivedEntry(segment, "ef" * 32,
                                                     "the archive file log-archive-store-1-800"
                                                     ".alprlog"))
    panel = VerifyPanel()
    qtbot.addWidget(panel)
    panel.anchored(archived, T0 * 1000)
    assert panel.stateLabel.text() == "INTACT (ENTRY ARCHIVED)"
    assert "Archived: entry #120" in panel.summaryLabel.text()
    assert "rewritten" not in panel.summaryLabel.text()
    _shot(panel, "archived-checkpoint")
    panel.anchored(rewritten, T0 * 1000)
    assert panel.stateLabel.text() == "NOT INTACT"
    assert "rewritten at or before entry #120" in panel.brokenLabel.text()
