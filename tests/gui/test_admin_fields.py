"""Issue 12, the admin's screens: the idle box takes what is typed and says when it is out of
range (a typed 45 never becomes 4), password fields keep their text after a refusal, the reset
dialog shows all its text, and case-number formats are edited as examples with a live test."""

from __future__ import annotations

import pytest
from gui_access import sign_in
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from alpr_desktop.core.accounts import Account
from alpr_desktop.core.case_examples import pattern_from_example
from alpr_desktop.core.purposes import DEFAULT_CASE_FORMATS, CaseFormat
from alpr_desktop.gui.dialogs.account_edit import ResetPasswordDialog
from alpr_desktop.gui.views.accounts_view import AccountsView
from alpr_desktop.gui.views.security_settings_view import EXAMPLE, LABEL, SecuritySettingsView
from alpr_desktop.gui.views.workspace import ACCOUNTS, SECURITY
from alpr_desktop.storage import security_settings

WAIT = 10_000


@pytest.fixture
def settings_view(qtbot, workspace) -> SecuritySettingsView:
    sign_in(qtbot, workspace, "root")
    view = workspace.views[SECURITY]
    workspace.tabs.setCurrentWidget(view)
    qtbot.waitUntil(lambda: view.formatsTable.rowCount() == len(DEFAULT_CASE_FORMATS),
                    timeout=WAIT)
    return view


def type_minutes(qtbot, view: SecuritySettingsView, text: str) -> None:
    view.idleSpin.setFocus()
    view.idleSpin.lineEdit().selectAll()
    qtbot.keyClicks(view.idleSpin, text)


def test_typing_45_is_not_turned_into_4(qtbot, settings_view):
    type_minutes(qtbot, settings_view, "45")
    assert settings_view.idleSpin.value() == 45
    assert "between 1 and 30 minutes" in settings_view.idleProblem.text()
    assert not settings_view.idleProblem.isHidden()
    assert not settings_view.saveIdleButton.isEnabled()
    type_minutes(qtbot, settings_view, "25")
    assert settings_view.idleSpin.value() == 25
    assert settings_view.idleProblem.isHidden() and settings_view.saveIdleButton.isEnabled()
    # the arrow keys stay inside the rule
    settings_view.idleSpin.setValue(30)
    qtbot.keyClick(settings_view.idleSpin, Qt.Key.Key_Up)
    assert settings_view.idleSpin.value() == 30


def test_saved_idle_lock_reaches_the_store(qtbot, settings_view, store, controller):
    type_minutes(qtbot, settings_view, "12")
    qtbot.mouseClick(settings_view.saveIdleButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: security_settings.idle_lock_minutes(store) == 12, timeout=WAIT)


def test_case_formats_are_edited_as_examples_with_a_live_test(qtbot, settings_view, store):
    view = settings_view
    table = view.formatsTable
    # the shipped URN format is shown as its example; the agency pattern is kept as written
    assert table.item(0, EXAMPLE).text() == DEFAULT_CASE_FORMATS[0].examples[0]
    assert "###-#####-####-###" in table.item(0, 2).text()
    assert table.item(1, 2).text().startswith("kept from earlier; e.g. LAPD-2026-004512")
    assert "\\d" not in table.item(1, 2).text()  # no raw expression on screen
    view.add_format()
    row = table.rowCount() - 1
    table.item(row, LABEL).setText("Sheriff crime report")
    table.item(row, EXAMPLE).setText("CR24-001234")
    assert table.item(row, 2).text().startswith("CR##-######")
    view.testEdit.setText("cr25-004321")
    assert view.testResult.text() == "Accepted as: Sheriff crime report."
    view.testEdit.setText("CR25-00432")
    assert view.testResult.text() == "Not accepted by any format listed above."
    view.testEdit.setText("123-45678-1234-567")
    assert "LASD URN" in view.testResult.text()
    qtbot.mouseClick(view.saveFormatsButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(security_settings.case_formats(store)) == 3, timeout=WAIT)
    saved = security_settings.case_formats(store)
    assert saved[2] == CaseFormat("Sheriff crime report", r"^CR\d{2}-\d{6}$", ("CR24-001234",))
    assert saved[1] == DEFAULT_CASE_FORMATS[1]  # an older pattern survives the save


def test_a_bad_example_is_said_not_saved(qtbot, settings_view, store):
    view = settings_view
    view.add_format()
    row = view.formatsTable.rowCount() - 1
    view.formatsTable.item(row, LABEL).setText("No digits")
    view.formatsTable.item(row, EXAMPLE).setText("TEST")
    assert "at least one digit" in view.formatsProblem.text()
    qtbot.mouseClick(view.saveFormatsButton, Qt.MouseButton.LeftButton)
    assert "type an example" in view.formatsProblem.text()
    assert security_settings.case_formats(store) == DEFAULT_CASE_FORMATS


@pytest.mark.parametrize(("example", "pattern"), [
    ("123-45678-1234-567", r"^\d{3}-\d{5}-\d{4}-\d{3}$"),
    ("CR24-001234", r"^CR\d{2}-\d{6}$"),
    ("lb 2026 7", r"^LB\s\d{4}\s\d$"),
])
def test_pattern_from_example(example, pattern):
    assert pattern_from_example(example) == pattern


@pytest.fixture
def accounts_view(qtbot, workspace) -> AccountsView:
    sign_in(qtbot, workspace, "root")
    view = workspace.views[ACCOUNTS]
    qtbot.waitUntil(lambda: view.model.rowCount() == 4, timeout=WAIT)
    return view


def test_passwords_survive_a_mismatch_and_a_refusal(qtbot, accounts_view):
    view = accounts_view
    view.select("officer")
    dialog = view.reset_password()
    qtbot.waitUntil(dialog.isVisible)
    dialog.passwordEdit.setText("Lantern-Quarry-Violet-88")
    dialog.confirmEdit.setText("Lantern-Quarry-Violet-89")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "not the same" in dialog.errorLabel.text()
    assert dialog.passwordEdit.text() == "Lantern-Quarry-Violet-88"
    assert dialog.confirmEdit.text() == "Lantern-Quarry-Violet-89"
    dialog.passwordEdit.setText("short")
    dialog.confirmEdit.setText("short")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog._busy and bool(dialog.errorLabel.text())
                    and "not the same" not in dialog.errorLabel.text(), timeout=WAIT)
    assert dialog.isVisible()
    assert dialog.passwordEdit.text() == "short" and dialog.confirmEdit.text() == "short"


def _clipped(dialog) -> list[str]:
    return [label.text() for label in dialog.findChildren(QLabel)
            if label.isVisible() and label.wordWrap() and label.text()
            and label.height() < label.heightForWidth(label.width())]


def test_reset_dialog_lays_out_without_clipping(qtbot, controller):
    account = Account(None, "officer", "Olivia Officer-Montgomery-Vasquez",
                      "LASD Carson Station")
    dialog = ResetPasswordDialog(None, controller, account)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert _clipped(dialog) == []
    dialog.show_failure("The password must be at least 12 characters long, must not contain "
                        "the username and must not be a common password; choose another.")
    qtbot.waitUntil(lambda: _clipped(dialog) == [])
    assert dialog.width() <= 1024


def test_the_store_file_format_is_shown_with_how_to_convert_an_earlier_one(
        qtbot, settings_view, store, monkeypatch):
    """Issue 20: today's format in one line; an earlier one with the command that converts
    this file, signed in as this administrator, selectable for copying."""
    from alpr_desktop.core.store_format import StoreFileStatus
    from alpr_desktop.services.store_format import StoreFormatService

    label = settings_view.storeFormatLabel
    qtbot.waitUntil(lambda: not settings_view.storeFormatBox.isHidden(), timeout=WAIT)
    assert label.text() == "This store file has today's format (4 KiB pages, HMAC-SHA256)."
    old = StoreFileStatus(str(store.path), "16 KiB pages, HMAC-SHA512",
                          "4 KiB pages, HMAC-SHA256")
    monkeypatch.setattr(StoreFormatService, "file_status", lambda self: old)
    settings_view.refresh()
    qtbot.waitUntil(lambda: "earlier format" in label.text(), timeout=WAIT)
    assert f'store convert --path "{store.path}" --user root' in label.text()
    assert label.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByKeyboard
    settings_view.clear_data()
    assert settings_view.storeFormatBox.isHidden() and label.text() == ""
