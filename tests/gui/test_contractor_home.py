"""Issue 12: the contractor's home screen replaces "comes in a later version": import (opens
the wizard), the import history and the cameras, each loaded through the import service,
which refuses the roles that do not import."""

from __future__ import annotations

import pytest
from gui_access import PASSWORDS, log_events, sign_in
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from test_import_wizard import click, open_wizard, write_generic

from alpr_desktop.core.access_errors import NotAuthorized
from alpr_desktop.gui.dialogs.import_wizard import PAGE_SUMMARY, ImportWizard
from alpr_desktop.gui.views.contractor_home import ContractorHome
from alpr_desktop.gui.views.workspace import MAINTENANCE
from alpr_desktop.services.auth import AuthService
from alpr_desktop.services.imports import ImportService

WAIT = 20_000


def home_of(qtbot, workspace) -> ContractorHome:
    sign_in(qtbot, workspace, "vendor")
    home = workspace.views[MAINTENANCE]
    assert isinstance(home, ContractorHome)
    qtbot.waitUntil(lambda: home.camerasModel.rowCount() == 1, timeout=WAIT)
    return home


def test_home_lists_cameras_and_says_nothing_is_imported(qtbot, workspace, qtmodeltester):
    home = home_of(qtbot, workspace)
    texts = " ".join(label.text() for label in home.findChildren(QLabel))
    assert "later version" not in texts
    m = home.camerasModel
    assert m.data(m.index(0, 0)) == "Avalon & 223rd NB"
    assert m.data(m.index(0, 1)) == "4"  # reads counted, none shown
    assert home.historyModel.rowCount() == 0
    assert "Nothing imported yet" in home.historyLabel.text()
    qtmodeltester.check(home.camerasModel, force_py=True)


def test_import_from_home_then_history_shows_it(qtbot, workspace, store, tmp_path,
                                                qtmodeltester):
    home = home_of(qtbot, workspace)
    data = write_generic(tmp_path / "gen.csv", 30, bad_every=10)
    click(qtbot, home.importButton)
    wizard = workspace.dialog
    assert isinstance(wizard, ImportWizard) and wizard.isVisible()
    wizard.close()
    wizard, _opened = open_wizard(qtbot, workspace, [data], tmp_path)
    click(qtbot, wizard.filesPage.addButton)
    click(qtbot, wizard.button(wizard.WizardButton.NextButton))
    qtbot.waitUntil(lambda: wizard.mappingPage.isComplete(), timeout=WAIT)
    click(qtbot, wizard.button(wizard.WizardButton.CommitButton))
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_SUMMARY, timeout=WAIT)
    qtbot.waitUntil(lambda: home.historyModel.rowCount() == 1, timeout=WAIT)
    m = home.historyModel
    row = [m.data(m.index(0, c)) for c in range(m.columnCount())]
    assert row[1:6] == ["gen.csv", "Delimited text", "27", "0", "3"]
    assert row[6].startswith("Finished")
    assert "27 reads added" in home.historyLabel.text()
    qtmodeltester.check(home.historyModel, force_py=True)
    qtbot.waitUntil(lambda: home.camerasModel.rowCount() == 5, timeout=WAIT)  # + Gen 0..3
    assert log_events(store, "import")


def test_keyboard_reaches_every_part(qtbot, workspace):
    home = home_of(qtbot, workspace)
    assert home.importButton.text() == "&Import Reads…"
    assert home.historyTable.accessibleName() == "Import history"
    assert home.camerasTable.accessibleName() == "Cameras"
    home.importButton.setFocus()
    order = []
    widget = home.importButton
    for _ in range(6):  # the health signals' table and Open Problem… come first (issue 16)
        widget = widget.nextInFocusChain()
        while not widget.focusPolicy() & Qt.FocusPolicy.TabFocus or not widget.isVisible():
            widget = widget.nextInFocusChain()
        order.append(widget)
    assert home.historyTable in order and home.camerasTable in order
    assert home.healthPanel.table in order


@pytest.mark.parametrize(("username", "refused"), [
    ("keeper", ("history",)), ("officer", ("history", "cameras")), ("root", ())])
def test_service_refuses_roles_that_do_not_import(store, clock, username, refused):
    auth = AuthService(store, clock)
    ctx = auth.context(auth.sign_in(username, PASSWORDS[username]))
    service = ImportService(store, clock)
    for name in ("history", "cameras"):
        call = getattr(service, name)
        if name in refused:
            with pytest.raises(NotAuthorized):
                call(ctx)
        else:
            assert isinstance(call(ctx), list)
