"""The Training and Incidents screens (issue 17) driven through their real dialogs: the
administrator records training, the custodian confirms it and the analyst may then declare a
purpose; separation is one dialog; the custodian records an incident, builds its notice and
the transparency report. Models go through qtmodeltester."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_access import PURPOSE, log_events, sign_in
from PySide6.QtCore import QDate

from alpr_desktop.core.training import TrainingState
from alpr_desktop.gui.views.workspace import INCIDENTS, TRAINING
from alpr_desktop.storage.accounts import AccountRepo

pytestmark = pytest.mark.hygiene_rules


def _idle(qtbot, workspace) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: not workspace.controller.busy, timeout=10_000)


def test_record_confirm_then_the_analyst_may_declare(qtbot, qtmodeltester, workspace,
                                                     store) -> None:
    sign_in(qtbot, workspace, "root")
    view = workspace.views[TRAINING]
    _idle(qtbot, workspace)
    qtmodeltester.check(view.model)
    assert [s.state for s in view.model.rows] == [TrainingState.MISSING]
    view.table.selectRow(0)
    dialog = view.record()
    dialog.dateEdit.setDate(QDate(2025, 12, 1))  # the fixed clock is 2026-01-01
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: view.model.rowCount() and view.model.rows[0].pending is not None,
                    timeout=10_000)
    assert not view.confirmButton.isVisible()  # an administrator does not confirm
    sign_in(qtbot, workspace, "keeper")
    view = workspace.views[TRAINING]
    _idle(qtbot, workspace)
    view.table.selectRow(0)
    assert view.confirmButton.isEnabled() and not view.recordButton.isVisible()
    view.confirm()
    qtbot.waitUntil(lambda: view.model.rowCount()
                    and view.model.rows[0].state is TrainingState.CURRENT, timeout=10_000)
    assert log_events(store, "training.confirmed")
    sign_in(qtbot, workspace, "officer")
    done: list[object] = []
    workspace.controller.declare_purpose(PURPOSE, None, done.append, done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)
    assert workspace.controller.purpose is not None, done


def test_untrained_analyst_is_told_why(qtbot, workspace) -> None:
    sign_in(qtbot, workspace, "officer")
    done: list[object] = []
    workspace.controller.declare_purpose(PURPOSE, None, done.append, done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)
    assert workspace.controller.purpose is None
    assert "policy training" in str(done[0])


def test_separation_is_one_dialog(qtbot, workspace, store) -> None:
    sign_in(qtbot, workspace, "root")
    view = workspace.views[TRAINING]
    _idle(qtbot, workspace)
    view.table.selectRow(0)
    dialog = view.separate()
    dialog.noteEdit.setText("Retired")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: not AccountRepo(store).get("officer").active, timeout=10_000)
    assert log_events(store, "account.separated")


def test_incident_notice_and_transparency_report(qtbot, qtmodeltester, workspace, store,
                                                 tmp_path: Path) -> None:
    sign_in(qtbot, workspace, "keeper")
    view = workspace.views[INCIDENTS]
    workspace.tabs.setCurrentWidget(view)
    _idle(qtbot, workspace)
    dialog = view.record()
    dialog.ok_button.click()  # empty: refused with sentences, nothing recorded
    qtbot.waitUntil(lambda: dialog.errorLabel.isVisible(), timeout=10_000)
    assert "Say more" in dialog.errorLabel.text() and view.model.rowCount() == 0
    dialog.whatEdit.setPlainText("A laptop with an exported case file was stolen from a car.")
    dialog.dataEdit.setPlainText("Plate reads and images exported for two investigations.")
    dialog.actionsEdit.setPlainText("Reported the theft; exports are encrypted from now on.")
    dialog.peopleSpin.setValue(900)
    dialog.residentsSpin.setValue(600)
    dialog.fromEdit.setDate(QDate(2025, 12, 10))  # before the fixed clock's 2026-01-01
    dialog.toEdit.setDate(QDate(2025, 12, 11))
    dialog.discoveredEdit.setDate(QDate(2025, 12, 20))
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=10_000)
    qtmodeltester.check(view.model)
    assert "sample required" in view.model.data(view.model.index(0, 5))
    view.ask_path = lambda _p, _s: str(tmp_path / "notice.pdf")
    view.table.selectRow(0)
    view.notice()
    qtbot.waitUntil(lambda: view.last_notice is not None, timeout=20_000)
    assert view.last_notice.path.is_file() and "Attorney General" in view.statusLabel.text()
    report = view.transparency()
    report.pathEdit.setText(str(tmp_path / "t.pdf"))
    report.ok_button.click()
    qtbot.waitUntil(lambda: view.last_report is not None, timeout=20_000)
    assert (tmp_path / "t.pdf").is_file() and (tmp_path / "t.csv").is_file()
    assert log_events(store, "incident.notice") and log_events(store, "transparency.report")
