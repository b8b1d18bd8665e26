"""Issue 12, other roles' screens: the custodian lands on the audit log and reads it in words
(event types as phrases, purposes as category, case number and narrative, never codes and
JSON), the report's default folder exists, and the main window's status bar shortens a long
user and purpose instead of widening the window."""

from __future__ import annotations

import sys
from pathlib import Path

from gui_access import PASSWORDS, declare, sign_in, try_credentials
from PySide6.QtCore import QSettings, QStandardPaths

from alpr_desktop.services.workstation import OpenStore

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit" / "audit"))
from audit_helpers import known_events

from alpr_desktop.core.audit_filters import AuditFilter
from alpr_desktop.gui.dialogs import audit_report_dialog
from alpr_desktop.gui.dialogs.audit_report_dialog import AuditReportDialog
from alpr_desktop.gui.main_window import MainWindow
from alpr_desktop.gui.models.audit_log_model import ELEMENTS, EVENT, OUTCOME, PURPOSE
from alpr_desktop.gui.views.audit_view import AuditView
from alpr_desktop.gui.views.workspace import AUDIT
from alpr_desktop.storage import Store
from alpr_desktop.storage.access_log import AccessLogRepo

WAIT = 15_000


def _fill(store: Store) -> None:
    repo = AccessLogRepo(store)
    with store.transaction():
        for ev, ts in known_events():
            repo.append(ev, ts)


def _open(qtbot, workspace) -> AuditView:
    sign_in(qtbot, workspace, "keeper")
    view = workspace.views[AUDIT]
    qtbot.waitUntil(lambda: not view.loading and view.total is not None, timeout=WAIT)
    qtbot.waitUntil(lambda: not workspace.controller.busy, timeout=WAIT)
    return view


def _row_of(view: AuditView, event: str, username: str, plate: str = "") -> int:
    return next(r for r in range(view.model.rowCount())
                if view.model.entry_at(r).event == event
                and view.model.entry_at(r).username == username
                and plate in view.model.entry_at(r).query_json)


def test_custodian_lands_on_the_audit_log(qtbot, workspace, store):
    view = _open(qtbot, workspace)
    assert workspace.tabs.currentWidget() is view
    assert workspace.tabs.indexOf(view) == 0


def test_table_shows_events_outcomes_and_queries_in_words(qtbot, workspace, store):
    _fill(store)
    view = _open(qtbot, workspace)
    m = view.model
    cell = lambda r, c: m.data(m.index(r, c))  # noqa: E731
    signin = _row_of(view, "signin.ok", "officer")
    assert cell(signin, EVENT) == "Signed in"
    assert cell(signin, OUTCOME) == "Done"
    image = _row_of(view, "image.view", "officer")
    assert cell(image, EVENT) == "Image viewed"
    search = _row_of(view, "search", "officer2", "8XYZ999")
    assert cell(search, EVENT) == "Search"
    assert cell(search, ELEMENTS) == "plate 8XYZ999, exact match; state CA"
    assert "Criminal investigation" in cell(search, PURPOSE)
    assert "case 123-45678-2026-002" in cell(search, PURPOSE)
    refused = _row_of(view, "gate.refused", "vendor")
    assert cell(refused, EVENT) == "Refused by the access rules"
    assert cell(refused, ELEMENTS) == "tried to search reads"
    disclosure = _row_of(view, "disclosure", "officer")
    assert "[" not in cell(disclosure, ELEMENTS) and "2 reads" in cell(disclosure, ELEMENTS)
    for r in range(m.rowCount()):
        for c in (EVENT, ELEMENTS, PURPOSE, OUTCOME):
            text = str(cell(r, c) or "")
            assert "{" not in text and "_" not in text.replace("100%_literal", ""), (r, c, text)
    # the event picker lists words too, the code only as a tooltip
    action = view.filters.eventPicker.actions_by_event["signin.failed"]
    assert action.text() == "Sign-in failed" and action.toolTip() == "signin.failed"


def test_detail_pane_reads_as_words_not_json(qtbot, workspace, store):
    _fill(store)
    view = _open(qtbot, workspace)
    seq = view.model.entry_at(_row_of(view, "search", "officer2", "8XYZ999")).seq
    view.show_entry(seq)
    text = view.detail.toPlainText()
    assert "Entry #" in text and "Search" in text
    assert "Criminal investigation, case 123-45678-2026-002, Vehicle theft" in text
    assert "Narrative" in text and "investigation" in text
    assert "plate 8XYZ999, exact match" in text
    assert "3 reads returned" in text
    assert '"case_number"' not in text and "{" not in text
    # the stored record stays one click away for a technical check
    view.storedCheck.setChecked(True)
    assert '"case_number": "123-45678-2026-002"' in view.detail.toPlainText()


def test_report_default_folder_exists(qtbot, workspace, store, tmp_path, monkeypatch):
    documents = tmp_path / "fresh-home" / "Documents"
    monkeypatch.setattr(
        audit_report_dialog.QStandardPaths, "writableLocation",
        lambda kind: str(documents) if kind == QStandardPaths.StandardLocation.DocumentsLocation
        else "")
    view = _open(qtbot, workspace)
    dialog = AuditReportDialog(view, workspace.controller, AuditFilter())
    qtbot.addWidget(dialog)
    folder = Path(dialog.pathEdit.text()).parent
    assert folder == documents and folder.is_dir()
    dialog.out_path()  # no "folder does not exist"


def test_status_bar_elides_user_and_purpose(qtbot, store, clock, tmp_path):
    window = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    workspace = window.start_session(OpenStore.adopt(store), clock)
    try_credentials(qtbot, workspace.dialog, "officer", PASSWORDS["officer"])
    qtbot.waitUntil(lambda: window.controller.session is not None, timeout=10_000)
    declare(qtbot, window.controller)
    long_user = "Olivia Officer-Montgomery-Vasquez (officer) · " * 4
    window.show_user(long_user, "Purpose: " + "a very long narrative " * 20)
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.width() <= 1024)
    assert window.minimumSizeHint().width() <= 1024
    assert window.statusBar().sizeHint().width() <= 1024 or \
        window.statusBar().minimumSizeHint().width() <= 1024
    qtbot.waitUntil(lambda: window.userLabel.is_elided() and window.purposeLabel.is_elided())
    assert window.userLabel.toolTip() == f"User: {long_user}"
    assert window.purposeLabel.toolTip().startswith("Purpose: a very long")
    assert window.userLabel.shown_text().endswith("…")
    assert window.userLabel.accessibleName() == "Signed-in user"
    assert window.purposeLabel.accessibleName() == "Active purpose"
    window.signOutAction.trigger()
    qtbot.waitUntil(lambda: not window.controller.busy, timeout=10_000)
