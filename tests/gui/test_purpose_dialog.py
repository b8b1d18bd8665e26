"""The purpose dialog: the core's rules run live, OK stays disabled while anything is missing,
agency fields only for an agency request, and the service's own refusal is shown."""

from __future__ import annotations

import pytest
from gui_access import CASE, GOOD_NARRATIVE, PASSWORDS, log_events, sign_in
from PySide6.QtCore import Qt

from alpr_desktop.core.accounts import Account
from alpr_desktop.core.purposes import DEFAULT_CASE_FORMATS, PurposeCategory, PurposeInput
from alpr_desktop.core.roles import Role
from alpr_desktop.gui.dialogs.purpose import PurposeDialog
from alpr_desktop.security import passwords
from alpr_desktop.services.auth import AuthService
from alpr_desktop.services.purposes import PurposeService
from alpr_desktop.storage.accounts import AccountRepo


@pytest.fixture
def dialog(qtbot, workspace, controller) -> PurposeDialog:
    sign_in(qtbot, workspace, "officer")
    d = PurposeDialog(workspace, controller, case_formats=DEFAULT_CASE_FORMATS)
    qtbot.addWidget(d)
    d.open()
    return d


def fill(d: PurposeDialog, *, category=PurposeCategory.CRIMINAL_INVESTIGATION,
         offense="Vehicle theft", case=CASE, narrative=GOOD_NARRATIVE, ack=True) -> None:
    d.ui.categoryCombo.setCurrentIndex(d.ui.categoryCombo.findData(category.value))
    d.ui.offenseCombo.setCurrentIndex(d.ui.offenseCombo.findData(offense))
    d.ui.caseEdit.setText(case)
    d.ui.narrativeEdit.setPlainText(narrative)
    d.ui.ackCheck.setChecked(ack)


def problems(d: PurposeDialog) -> list[str]:
    return [d.ui.problemsList.item(i).text() for i in range(d.ui.problemsList.count())]


def test_empty_dialog_lists_what_is_missing_and_ok_is_disabled(dialog):
    assert not dialog.ok_button.isEnabled()
    fields = {p.field for p in dialog.problems}
    assert {"category", "offense", "case_number", "narrative", "acknowledged"} <= fields
    assert len(problems(dialog)) == len(dialog.problems)


def test_vague_narrative_is_refused_with_a_message(dialog):
    fill(dialog, narrative="investigation")
    assert not dialog.ok_button.isEnabled()
    assert [p.field for p in dialog.problems] == ["narrative"]
    assert problems(dialog) and all(text.endswith(".") for text in problems(dialog))
    fill(dialog)
    assert dialog.problems == [] and dialog.ok_button.isEnabled()
    assert not dialog.ui.problemsList.isVisible()


def test_acknowledgment_is_required(dialog):
    fill(dialog, ack=False)
    assert not dialog.ok_button.isEnabled()
    assert [p.field for p in dialog.problems] == ["acknowledged"]
    qtbot_free = dialog.ui.ackCheck
    qtbot_free.click()
    assert dialog.ok_button.isEnabled()
    assert "personal" in dialog.ui.policyLabel.text()


def test_agency_fields_only_for_an_agency_request(dialog):
    fill(dialog)
    assert not dialog.ui.agencyEdit.isEnabled() and not dialog.ui.requesterEdit.isEnabled()
    fill(dialog, category=PurposeCategory.AGENCY_REQUEST)
    assert dialog.ui.agencyEdit.isEnabled() and dialog.ui.requesterEdit.isEnabled()
    assert {p.field for p in dialog.problems} >= {"requesting_agency"}
    assert not dialog.ok_button.isEnabled()
    dialog.ui.agencyEdit.setText("Torrance Police Department")
    dialog.ui.requesterEdit.setText("Det. Sam Ortiz")
    assert dialog.problems == [], problems(dialog)
    assert dialog.entry().requesting_agency == "Torrance Police Department"
    # back to an investigation: what was typed there is not sent
    fill(dialog)
    assert dialog.entry().requesting_agency == "" and dialog.entry().requester_name == ""


def test_bad_case_number_names_the_formats(dialog):
    fill(dialog, case="12345")
    assert [p.field for p in dialog.problems] == ["case_number"]
    assert "LASD URN" in dialog.ui.caseHint.text() and "123-45678-2026-001" in (
        dialog.ui.caseHint.text()
    )


def test_declare_stores_the_purpose(qtbot, dialog, controller, store):
    fill(dialog)
    declared: list[object] = []
    dialog.declared.connect(declared.append)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(declared), timeout=10_000)
    assert controller.purpose is not None and controller.purpose.purpose.case_number == CASE
    assert not dialog.isVisible()
    [entry] = log_events(store, "purpose.declared")
    assert entry.username == "officer" and entry.purpose["case_number"] == CASE


def test_service_refusal_is_shown_in_the_list(qtbot, dialog, store, clock):
    # Another analyst already used this narrative: the service (not the live check) refuses.
    repo = AccountRepo(store)
    with store.transaction():
        repo.add(Account(None, "second", "Sam Second", "LASD Carson Station", badge_number="5512",
                         sworn=True, roles=frozenset({Role.ANALYST})),
                 passwords.hash_password(PASSWORDS["officer"]), clock.now_ms())
    auth = AuthService(store, clock)
    other = auth.context(auth.sign_in("second", PASSWORDS["officer"]))
    PurposeService(store, clock).declare(
        other, PurposeInput("criminal_investigation", "Vehicle theft", CASE, GOOD_NARRATIVE, True)
    )
    # that sign-in ended the officer's session at this workstation; sign the officer back in
    dialog.controller.session = auth.sign_in("officer", PASSWORDS["officer"])
    fill(dialog)
    assert dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.ui.errorLabel.isVisible, timeout=10_000)
    assert "refused" in dialog.ui.errorLabel.text()
    assert any("copy" in text.lower() or "own words" in text.lower() for text in problems(dialog))
    assert not dialog.ok_button.isEnabled() and dialog.isVisible()
    assert log_events(store, "purpose.rejected")


def test_escape_cancels(qtbot, dialog, controller):
    fill(dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and controller.purpose is None
