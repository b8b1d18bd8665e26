"""A search cannot start until a valid purpose is entered: end to end through the window,
the worker and the service, and the same refusal from the service alone."""

from __future__ import annotations

import threading

import shiboken6
from gui_access import CASE, GOOD_NARRATIVE, declare, log_events, search, sign_in
from PySide6.QtCore import Qt

from alpr_desktop.core.access_errors import PurposeRequired
from alpr_desktop.core.patterns import Mode
from alpr_desktop.core.purposes import PurposeCategory
from alpr_desktop.core.search import SearchQuery
from alpr_desktop.gui.dialogs.purpose import PurposeDialog
from alpr_desktop.gui.models.read_results_model import ReadResultsModel
from alpr_desktop.gui.views.workspace import INVESTIGATION, MAINTENANCE, MAINTENANCE_LOG
from alpr_desktop.services.auth import AuthService
from alpr_desktop.services.permissions import PermissionService


def wait_purpose_dialog(qtbot, view) -> PurposeDialog:
    qtbot.waitUntil(lambda: view.purpose_dialog is not None
                    and shiboken6.isValid(view.purpose_dialog)
                    and view.purpose_dialog.isVisible(), timeout=10_000)
    return view.purpose_dialog


def test_search_needs_a_valid_purpose_first(qtbot, workspace, controller, store):
    sign_in(qtbot, workspace, "officer")
    view = workspace.views[INVESTIGATION]
    assert not view.searchButton.isEnabled()
    assert "No active purpose" in view.purposeLabel.text()
    view.plateEdit.setText("7ABC123")
    qtbot.keyClick(view.plateEdit, Qt.Key.Key_Return)  # Enter asks for the purpose instead
    dialog = wait_purpose_dialog(qtbot, view)
    assert not log_events(store, "search")

    ui = dialog.ui
    ui.categoryCombo.setCurrentIndex(
        ui.categoryCombo.findData(PurposeCategory.CRIMINAL_INVESTIGATION.value))
    ui.offenseCombo.setCurrentIndex(ui.offenseCombo.findData("Vehicle theft"))
    ui.caseEdit.setText(CASE)
    ui.narrativeEdit.setPlainText("bolo")
    ui.ackCheck.setChecked(True)
    assert not dialog.ok_button.isEnabled()
    assert ui.problemsList.count() == 1 and "narrative" in ui.problemsList.item(0).text().lower()
    qtbot.keyClick(ui.caseEdit, Qt.Key.Key_Return)  # the default button is disabled: nothing
    assert dialog.isVisible() and controller.purpose is None
    ui.narrativeEdit.setPlainText(GOOD_NARRATIVE)
    assert dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: controller.purpose is not None, timeout=10_000)
    assert view.searchButton.isEnabled()
    assert f"case {CASE}" in view.purposeLabel.text()
    assert "Vehicle theft" in view.purposeLabel.text()

    qtbot.mouseClick(view.searchButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.model.rowCount() == 3, timeout=10_000)
    assert {view.model.index(r, 1).data() for r in range(3)} == {"7ABC123"}
    assert "3 reads found" in view.statusLabel.text()
    [entry] = log_events(store, "search")
    assert entry.username == "officer" and entry.query["pattern"] == "7ABC123"
    assert entry.purpose["case_number"] == CASE and entry.result_count == 3

    # Ending the purpose drops the results and stops searching again.
    qtbot.mouseClick(view.endButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: controller.purpose is None, timeout=10_000)
    assert view.model.rowCount() == 0 and not view.searchButton.isEnabled()


def test_search_runs_on_a_worker_thread(qtbot, workspace, controller, monkeypatch):
    from alpr_desktop.services.search import SearchService

    threads: list[int] = []
    original = SearchService.search

    def spy(self, ctx, *args, **kwargs):
        threads.append(threading.get_ident())
        return original(self, ctx, *args, **kwargs)

    monkeypatch.setattr(SearchService, "search", spy)
    sign_in(qtbot, workspace, "officer")
    declare(qtbot, controller)
    search(qtbot, workspace)
    assert threads and threads[0] != threading.get_ident()


def test_the_service_refuses_a_search_without_purpose(qtbot, workspace, controller, store):
    sign_in(qtbot, workspace, "officer")
    errors: list[BaseException] = []
    controller.run(lambda s, ctx: s.search.search(ctx, SearchQuery("7ABC123", Mode.EXACT)),
                   errors.append, errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=10_000)
    assert isinstance(errors[0], PurposeRequired)
    assert [e.detail["reason"] for e in log_events(store, "gate.refused")] == ["no_purpose"]


def test_results_model_passes_the_model_tester(qtbot, workspace, controller, qtmodeltester):
    sign_in(qtbot, workspace, "officer")
    declare(qtbot, controller)
    search(qtbot, workspace)
    model = workspace.views[INVESTIGATION].model
    qtmodeltester.check(model, force_py=True)
    model.clear()  # the tester re-checks on the reset


def test_empty_results_model_passes_the_model_tester(qtmodeltester):
    qtmodeltester.check(ReadResultsModel(), force_py=True)


def test_contractor_searches_only_under_written_permission(qtbot, workspace, controller, store,
                                                           clock):
    sign_in(qtbot, workspace, "vendor")
    qtbot.waitUntil(lambda: not controller.busy, timeout=10_000)
    assert list(workspace.views) == [MAINTENANCE, MAINTENANCE_LOG]
    controller.sign_out()

    auth = AuthService(store, clock)
    keeper = auth.context(auth.sign_in("keeper", "Civic-Center-Ledger-5M"))
    PermissionService(store, clock).record(
        keeper, reference="CC-2026-001", contractor_username="vendor",
        purpose="Diagnose misreads at the Avalon camera for the vehicle theft case.",
        data_from=0, data_to=2_000_000_000, expires_ms=clock.now_ms() + 86_400_000,
    )
    auth.sign_out(keeper.session)
    sign_in(qtbot, workspace, "vendor")
    qtbot.waitUntil(lambda: INVESTIGATION in workspace.views, timeout=10_000)
    view = workspace.views[INVESTIGATION]
    view.open_purpose_dialog()
    dialog = wait_purpose_dialog(qtbot, view)
    assert dialog.ui.permissionCombo.isVisible() and dialog.ui.permissionCombo.count() == 1
    assert "CC-2026-001" in dialog.ui.permissionCombo.currentText()


def test_open_images_from_a_result_opens_the_viewer_on_it(qtbot, workspace, controller, store):
    sign_in(qtbot, workspace, "officer")
    declare(qtbot, controller)
    search(qtbot, workspace)
    view = workspace.views[INVESTIGATION]
    view.table.selectRow(1)
    qtbot.waitUntil(view.openImagesButton.isEnabled, timeout=5_000)
    chosen = view.model.rows[1].read.id
    qtbot.mouseClick(view.openImagesButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: workspace._viewer is not None and workspace._viewer.isVisible(),
                    timeout=10_000)
    viewer = workspace._viewer
    qtbot.waitUntil(lambda: any(e.detail.get("read_id") == chosen or
                                e.query.get("read_id") == chosen
                                for e in log_events(store, "image.view")), timeout=10_000)
    controller.lock()
    qtbot.waitUntil(lambda: not shiboken6.isValid(viewer) or not viewer.isVisible(),
                    timeout=5_000)
