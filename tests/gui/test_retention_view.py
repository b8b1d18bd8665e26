"""Issue 14 in the GUI: the custodian's Retention screen (oldest read, next deletion, OVERDUE,
purge runs, holds and their decisions), the analyst's hold request from the results table, the
purge every minute on a worker, and the OVERDUE marker for custodian and admin only. None of
this existed on today's code."""

from __future__ import annotations

import pytest
from gui_access import CASE, PASSWORDS, declare, log_events, search, sign_in
from PySide6.QtCore import Qt

from alpr_desktop.core.models import NewRead
from alpr_desktop.core.roles import Role
from alpr_desktop.gui.dialogs.retention_dialogs import HoldRequestDialog, NoteDialog, PeriodDialog
from alpr_desktop.gui.models.retention_models import HoldsModel, PurgeHistoryModel
from alpr_desktop.gui.purge_scheduler import OverdueMarker, PurgeScheduler
from alpr_desktop.gui.views.retention_view import RetentionView
from alpr_desktop.gui.views.workspace import INVESTIGATION, RETENTION
from alpr_desktop.services.auth import AuthService
from alpr_desktop.services.holds import HoldService
from alpr_desktop.services.purposes import PurposeService
from alpr_desktop.services.retention import RetentionService
from alpr_desktop.services.workstation import OpenStore
from alpr_desktop.storage.reads import CameraRepo, ReadRepo

SIX_YEARS = 6 * 365 * 86_400
REASON = "Trial set for March 2027 in Compton Superior Court; the reads place the vehicle."


def _old_read(store, clock) -> int:
    cam = CameraRepo(store).all()[0].id
    [rid] = ReadRepo(store).insert_many(
        [NewRead("6OLD999", clock.now_ms() // 1000 - SIX_YEARS, cam)])
    return rid


def _request_hold(store, clock) -> None:
    from gui_access import PURPOSE

    auth = AuthService(store, clock)
    ctx = auth.context(auth.sign_in("officer", PASSWORDS["officer"]))
    PurposeService(store, clock).declare(ctx, PURPOSE)
    ctx = auth.context(ctx.session)
    HoldService(store, clock).request(ctx, [1, 2], CASE, REASON)
    auth.sign_out(ctx.session)


@pytest.fixture
def view(qtbot, workspace, store, clock) -> RetentionView:
    _old_read(store, clock)  # six years old: overdue until a purge runs
    _request_hold(store, clock)
    RetentionService(store, clock).purge("(scheduled purge)")  # one run in the history
    _old_read(store, clock)  # another, overdue again
    sign_in(qtbot, workspace, "keeper")
    v = workspace.views[RETENTION]
    workspace.screen_actions[RETENTION].trigger()  # Screens › Retention
    assert workspace.tabs.currentWidget() is v
    qtbot.waitUntil(lambda: v.status is not None, timeout=10_000)
    return v


def test_the_custodian_sees_overdue_oldest_runs_and_holds(qtbot, view, workspace, store,
                                                          tmp_path):
    assert view.overdueLabel.isVisible() and "OVERDUE: 1 read" in view.overdueLabel.text()
    text = view.summary.text()
    assert "6 years" in text and "Next deletion" in text and "6OLD999" not in text
    assert view.model.rowCount() == 1 and view.history.rowCount() == 1
    assert view.history.index(0, 1).data() == "1"
    assert "1 hold request waiting" in view.statusLabel.text()
    assert [e.event for e in log_events(store, "retention.view")] == ["retention.view"]
    workspace.resize(1024, 700)
    qtbot.waitUntil(lambda: workspace.width() == 1024)
    # docs/screenshots/retention-custodian.png was taken this way
    assert workspace.grab().save(str(tmp_path / "retention-custodian.png"))


@pytest.mark.parametrize("which", ["holds", "history"])
def test_models_pass_the_model_tester(view, qtmodeltester, which):
    qtmodeltester.check(view.model if which == "holds" else view.history, force_py=True)


@pytest.mark.parametrize("make", [lambda: HoldsModel(lambda: 0), PurgeHistoryModel])
def test_empty_models_pass_the_model_tester(qtmodeltester, make):
    qtmodeltester.check(make(), force_py=True)


def test_approve_and_release_through_the_dialogs(qtbot, view, store):
    view.table.selectRow(0)
    assert view.approveButton.isEnabled() and not view.releaseButton.isEnabled()
    qtbot.mouseClick(view.approveButton, Qt.MouseButton.LeftButton)
    dialog = view.dialog
    assert isinstance(dialog, NoteDialog)
    dialog.note.setPlainText("Checked with the DA.")
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: "Hold approved" in view.statusLabel.text(), timeout=10_000)
    assert view.model.row_at(0).status == "approved"
    view.table.selectRow(0)
    qtbot.mouseClick(view.releaseButton, Qt.MouseButton.LeftButton)
    dialog = view.dialog
    dialog.buttons.accepted.emit()  # no reason: refused in the dialog, nothing sent
    assert dialog.problem.isVisible() and dialog.isVisible()
    dialog.note.setPlainText("Verdict entered; no longer needed.")
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: "Hold released" in view.statusLabel.text(), timeout=10_000)
    events = [e.event for e in log_events(store) if e.event.startswith("hold.")]
    assert events == ["hold.requested", "hold.approved", "hold.released"]


def test_a_longer_period_is_refused_in_words_and_changes_nothing(qtbot, view, store):
    qtbot.mouseClick(view.periodButton, Qt.MouseButton.LeftButton)
    dialog = view.dialog
    assert isinstance(dialog, PeriodDialog)
    assert dialog.months.maximum() == 60  # the spin box cannot go past five years
    dialog.months.setValue(24)
    dialog.reason.setPlainText("short")
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: dialog.problem.isVisible(), timeout=10_000)
    assert "reason" in dialog.problem.text()
    assert RetentionService(store).repo.retention_months() == 60
    dialog.reason.setPlainText("Council resolution 26-101 shortened retention to two years.")
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: "Retention set to 2 years" in view.statusLabel.text(),
                    timeout=10_000)


def test_the_analyst_requests_a_hold_from_the_results(qtbot, workspace, controller, store):
    sign_in(qtbot, workspace, "officer")
    declare(qtbot, controller)
    search(qtbot, workspace)
    view = workspace.views[INVESTIGATION]
    view.table.selectRow(0)
    one, every = view.table.actions()[:2]  # the hold actions first; then Correct Read… and Views
    assert "This Read" in one.text() and one.shortcut().toString() == "Ctrl+Shift+H"
    every.trigger()
    dialog = view.hold_dialog
    assert isinstance(dialog, HoldRequestDialog) and dialog.case.text() == CASE
    assert "3 reads" in dialog.intro.text()
    dialog.reason.setPlainText("too short")
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: dialog.problem.isVisible(), timeout=10_000)
    dialog.reason.setPlainText(REASON)
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: "Hold requested for 3 reads" in view.statusLabel.text(),
                    timeout=10_000)
    [entry] = log_events(store, "hold.requested")
    assert entry.username == "officer" and len(entry.query["read_ids"]) == 3


def test_the_scheduler_purges_on_a_worker_and_the_marker_follows_roles(qtbot, store, clock):
    rid = _old_read(store, clock)
    scheduler = PurgeScheduler(interval_ms=60_000, clock=clock)

    class Window:  # what the marker reads of the main window
        controller = None

    win = Window()
    marker = OverdueMarker(win, scheduler)  # type: ignore[arg-type]
    scheduler.overdue = True
    marker.update_shown()
    assert marker.isHidden()  # nobody signed in: nothing shown
    for role, shown in ((Role.CUSTODIAN, True), (Role.ADMIN, True), (Role.ANALYST, False)):
        win.controller = type("C", (), {"session": type("S", (), {"roles": frozenset({role})})})
        marker.update_shown()
        assert marker.isVisible() is shown or (not shown and marker.isHidden())
    with qtbot.waitSignal(scheduler.ran, timeout=20_000) as ran:
        scheduler.attach(OpenStore.adopt(store.reopen()))
    assert ran.args == [False] and scheduler.timer.isActive()
    assert store.query_one("SELECT 1 FROM reads WHERE id = ?", (rid,)) is None
    [rec] = RetentionService(store, clock).repo.history()
    assert rec.ran_by == "(program, while open)"
    marker.update_shown()
    assert marker.isHidden()
    scheduler.shutdown()
    assert not scheduler.timer.isActive()


def test_the_open_program_deletes_within_one_interval(qtbot, store, clock):
    """Present one second before the deletion time; gone at the program's next minutely run."""
    from alpr_desktop.core.retention import deletion_time

    rid = _old_read(store, clock)
    recorded = store.query_one("SELECT recorded_at FROM reads WHERE id = ?", (rid,))[0]
    scheduler = PurgeScheduler(clock=clock)
    clock.ms = (deletion_time(recorded) - 1) * 1000
    with qtbot.waitSignal(scheduler.ran, timeout=20_000):
        scheduler.attach(OpenStore.adopt(store.reopen()))
    assert store.query_one("SELECT 1 FROM reads WHERE id = ?", (rid,)) is not None
    clock.ms += 60_000  # the timer's next tick, a minute later
    with qtbot.waitSignal(scheduler.ran, timeout=20_000):
        scheduler.timer.timeout.emit()
    assert store.query_one("SELECT 1 FROM reads WHERE id = ?", (rid,)) is None
    scheduler.shutdown()
