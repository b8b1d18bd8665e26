"""Issue 21 in the audit view: the custodian opens the oversight window, sees the users to look
at first ranked as the report's page 1 ranks them, marks a finding reviewed with a note
(logged, shown at once), and edits the oversight settings (logged)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from gui_access import log_events
from PySide6.QtWidgets import QDialog

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_audit_view import audit_store, open_view  # noqa: F401 - the fixture is used

from alpr_desktop.gui.dialogs.oversight_dialog import OversightDialog, OversightSettingsDialog

WAIT = 15_000


@pytest.fixture
def dialog(qtbot, workspace, audit_store) -> OversightDialog:  # noqa: F811
    view = open_view(qtbot, workspace)
    view.oversightButton.click()
    found = view.oversight_dialog
    assert isinstance(found, OversightDialog)
    qtbot.waitUntil(lambda: found.findings is not None, timeout=WAIT)
    return found


def _officer(dialog: OversightDialog):  # type: ignore[no-untyped-def]
    items = [dialog.tree.topLevelItem(i) for i in range(dialog.tree.topLevelItemCount())]
    return next(i for i in items if "officer (LASD Carson Station)" in i.text(0))


def test_the_ranking_is_shown_and_its_reading_logged(qtbot, dialog: OversightDialog,
                                                     audit_store) -> None:  # noqa: F811
    # "bulk" viewed 620 reads one a minute into the night: ranked first
    assert dialog.tree.topLevelItem(0).text(0) == "1. bulk (LASD Carson Station)"
    officer = _officer(dialog)
    assert officer.text(0) == "2. officer (LASD Carson Station)"
    reasons = [officer.child(i).text(0) for i in range(officer.childCount())]
    assert reasons[0].startswith("Looked up plate 7ABC123 4 times")
    assert log_events(audit_store, "audit.oversight")[-1].username == "keeper"
    shots = os.environ.get("ALPR_SHOTS")
    if shots:
        dialog.resize(1024, 700)
        dialog.grab().save(str(Path(shots) / "oversight.png"))


def test_a_finding_marked_reviewed_is_logged_and_shown(qtbot, dialog: OversightDialog,
                                                       audit_store) -> None:  # noqa: F811
    asked: list[str] = []
    dialog.ask = lambda _parent, text: asked.append(text) or "Checked with the case officer."
    finding = _officer(dialog).child(0)
    dialog.tree.setCurrentItem(finding)
    assert dialog.reviewButton.isEnabled()
    assert "under 2 different case numbers" in dialog.detail.text()  # the whole reason
    shots = os.environ.get("ALPR_SHOTS")
    if shots:
        dialog.resize(1024, 700)
        dialog.grab().save(str(Path(shots) / "oversight-selected.png"))
    dialog.reviewButton.click()
    qtbot.waitUntil(lambda: bool(log_events(audit_store, "oversight.reviewed")), timeout=WAIT)
    qtbot.waitUntil(lambda: "Reviewed by keeper" in _officer(dialog).child(
        _officer(dialog).childCount() - 1).text(2), timeout=WAIT)
    [entry] = log_events(audit_store, "oversight.reviewed")
    assert entry.query["finding_key"] == "repeat|officer|7ABC123"
    assert asked and asked[0].startswith("Looked up plate 7ABC123")


def test_settings_are_edited_and_logged(qtbot, dialog: OversightDialog,
                                        audit_store) -> None:  # noqa: F811
    dialog.settingsButton.click()
    qtbot.waitUntil(lambda: dialog.settings_dialog is not None, timeout=WAIT)
    settings = dialog.settings_dialog
    assert isinstance(settings, OversightSettingsDialog)
    settings.repeat.setValue(9)
    settings.done(QDialog.DialogCode.Accepted)
    qtbot.waitUntil(lambda: any(e.detail.get("key") == "oversight.config"
                                for e in log_events(audit_store, "settings.changed")),
                    timeout=WAIT)
    qtbot.waitUntil(lambda: dialog.findings is not None
                    and dialog.findings.config.repeat_threshold == 9, timeout=WAIT)
    # officer's 4 look-ups no longer reach 9: no reason about a plate is left
    reasons = [item.child(i).text(0)
               for item in (dialog.tree.topLevelItem(k)
                            for k in range(dialog.tree.topLevelItemCount()))
               for i in range(item.childCount())]
    assert not any(r.startswith("Looked up plate 7ABC123") for r in reasons)
