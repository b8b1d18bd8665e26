"""Help (issue 17): F1 on every screen and dialog opens the help window at that screen's
tutorial; the window lists the contents, searches every page, shows the policy with its
resolution number; every page's pictures exist. None of this existed before the issue (F1
did nothing outside the image viewer)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import shiboken6
from gui_access import PASSWORDS, declare
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QWidget

from alpr_desktop.gui.help import topics
from alpr_desktop.gui.help.context import TOPIC_BY_CLASS
from alpr_desktop.gui.help.help_window import POLICY_TITLE, HelpWindow
from alpr_desktop.gui.main_window import MainWindow
from alpr_desktop.gui.views import workspace as ws
from alpr_desktop.services.workstation import OpenStore

SCREENS = {
    "officer": {ws.INVESTIGATION: "searching", ws.REQUESTS: "sharing"},
    "keeper": {ws.AUDIT: "audit", ws.PERMISSIONS: "permissions", ws.APPROVALS: "approvals",
               ws.RETENTION: "retention", ws.TRAINING: "training", ws.INCIDENTS: "incidents",
               ws.REQUESTS: "sharing", ws.AGENCIES: "sharing",
               ws.MAINTENANCE_LOG: "maintenance"},
    "vendor": {ws.MAINTENANCE: "maintenance", ws.MAINTENANCE_LOG: "maintenance"},
    "root": {ws.ACCOUNTS: "accounts", ws.SECURITY: "security-settings",
             ws.TRAINING: "training", ws.MAINTENANCE_LOG: "maintenance"},
}


@pytest.fixture
def window(qtbot, store, clock, tmp_path):  # type: ignore[no-untyped-def]
    w = MainWindow(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.resize(1024, 700)
    w.show()
    w.start_session(OpenStore.adopt(store), clock)
    yield w
    if w.helpWindow is not None and shiboken6.isValid(w.helpWindow):
        w.helpWindow.close()
    w.end_session()
    qtbot.waitUntil(lambda: w.controller is None or not w.controller.busy, timeout=5000)


def _sign_in(qtbot, window: MainWindow, user: str) -> None:  # type: ignore[no-untyped-def]
    dialog = window.workspace.dialog
    qtbot.waitUntil(dialog.isVisible)
    if not dialog.acknowledged:
        dialog.ui.acknowledgeButton.click()
    dialog.ui.usernameEdit.setText(user)
    dialog.ui.passwordEdit.setText(PASSWORDS[user])
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: window.controller.session is not None, timeout=10_000)
    qtbot.waitUntil(lambda: not window.controller.busy, timeout=10_000)


def _focusable(widget: QWidget) -> QWidget:
    for child in widget.findChildren(QWidget):
        if child.isVisible() and child.isEnabled() \
                and child.focusPolicy() & Qt.FocusPolicy.TabFocus:
            return child
    return widget


def _press_f1(qtbot, window: MainWindow, widget: QWidget) -> str:  # type: ignore[no-untyped-def]
    if window.helpWindow is not None and shiboken6.isValid(window.helpWindow):
        window.helpWindow.current = ""
    target = _focusable(widget)
    target.setFocus()
    qtbot.keyClick(target, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: window.helpWindow is not None and window.helpWindow.current != "")
    assert window.helpWindow.isVisible()
    return window.helpWindow.current


@pytest.mark.parametrize("user", sorted(SCREENS))
def test_f1_on_every_screen_opens_its_tutorial(qtbot, window, user) -> None:
    _sign_in(qtbot, window, user)
    views = window.workspace.views
    assert set(views) == set(SCREENS[user])
    for key, topic in SCREENS[user].items():
        window.workspace.tabs.setCurrentWidget(views[key])
        assert _press_f1(qtbot, window, views[key]) == topic, key
        shown = " ".join(window.helpWindow.page_text().split())
        assert shown.startswith(topics.topic(topic).title)


def test_f1_in_dialogs_and_the_viewer_opens_their_tutorials(qtbot, window) -> None:
    assert _press_f1(qtbot, window, window.workspace.dialog) == "sign-in"
    _sign_in(qtbot, window, "officer")
    view = window.workspace.views[ws.INVESTIGATION]
    view.open_purpose_dialog()
    qtbot.waitUntil(lambda: view.purpose_dialog is not None and view.purpose_dialog.isVisible())
    assert _press_f1(qtbot, window, view.purpose_dialog) == "purpose"
    view.purpose_dialog.reject()
    declare(qtbot, window.controller)
    view.filters.setChecked(True)
    assert _press_f1(qtbot, window, view.filters) == "filters"
    view.plateEdit.setText("7ABC123")
    view.searchButton.click()
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=10_000)
    viewer = window.workspace.open_viewer(view, view.model.rows[0].read.id)
    qtbot.waitUntil(lambda: viewer.panels[0].opened is not None, timeout=10_000)
    assert _press_f1(qtbot, window, viewer) == "image-viewer"
    assert not viewer.helpOverlay.isVisible()  # F1 is the tutorial; "?" lists the keys
    viewer.close()
    batch = view.open_batch()
    assert _press_f1(qtbot, window, batch) == "batch-search"
    batch.close()


def test_every_context_topic_is_a_page_and_every_picture_exists() -> None:
    keys = {t.key for t in topics.load_topics()}
    assert set(TOPIC_BY_CLASS.values()) <= keys | {topics.CONTENTS}
    folder = topics.help_dir()
    for t in topics.load_topics():
        for name in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", t.text):
            assert (folder / name).is_file(), f"{t.key}: {name}"
        for link in re.findall(r"\]\(([\w-]+)\.md\)", t.text):
            assert link in keys, f"{t.key} links to a missing page {link}"


def test_search_contents_and_policy(qtbot) -> None:
    w = HelpWindow()
    qtbot.addWidget(w)
    contents = [w.list.item(i).text().strip() for i in range(w.list.count())]
    assert "Declaring a purpose" in contents and POLICY_TITLE in contents
    qtbot.keyClicks(w.searchEdit, "enhanced court")
    found = [w.list.item(i).text() for i in range(w.list.count())]
    assert found and found[0] == "The image viewer and enhancement"
    qtbot.keyClick(w.searchEdit, Qt.Key.Key_Return)  # Enter opens the best page
    assert w.current == "image-viewer" and "means in court" in w.page_text()
    w.searchEdit.setText("zzzznothing")
    assert w.list.count() == 0 and "No page" in w.status.text()
    w.searchEdit.clear()
    w.policyButton.click()
    text = w.page_text()
    assert "Resolution No. 22-253" in text and "RESOLUTION NO. 22-253" in text
    assert w.printButton.isEnabled()


def test_help_menu_opens_the_contents(qtbot, window) -> None:
    assert window.helpAction.text() == "&Help Contents…"
    window.helpAction.trigger()
    qtbot.waitUntil(lambda: window.helpWindow is not None and window.helpWindow.isVisible())
    assert window.helpWindow.current == topics.CONTENTS
    assert QApplication.instance() is not None
    assert Path(topics.help_dir(), "contents.md").is_file()
