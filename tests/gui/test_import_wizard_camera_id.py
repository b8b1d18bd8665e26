"""Issue 16: the import wizard offers the vendor's camera id as a column to map (guessed from
a "Camera ID" header), and the import keeps it on the camera."""

from __future__ import annotations

from pathlib import Path

from gui_access import sign_in
from test_import_wizard import click, open_wizard, wait_preview

from alpr_desktop.gui.dialogs.import_wizard import PAGE_MAPPING

SHOTS = Path("/tmp/maint-shots")


def test_the_mapping_page_guesses_and_keeps_the_camera_id(qtbot, workspace, store,
                                                         tmp_path) -> None:
    sign_in(qtbot, workspace, "vendor")
    export = tmp_path / "ids.csv"
    export.write_text("plate,datetime,camera,Camera ID\n"
                      "7CID001,2025-11-02T10:00:00Z,Avalon NB,C-7\n"
                      "7CID002,2025-11-02T10:05:00Z,Main SB,C-8\n")
    wizard, _opened = open_wizard(qtbot, workspace, [export], tmp_path)
    click(qtbot, wizard.filesPage.addButton)
    click(qtbot, wizard.button(wizard.WizardButton.NextButton))
    assert wizard.currentId() == PAGE_MAPPING
    page = wizard.mappingPage
    qtbot.waitUntil(lambda: page.columnCombos["camera_id"].currentData() == "Camera ID",
                    timeout=10_000)
    wait_preview(qtbot, page)
    assert page.isComplete(), page.problemLabel.text()
    wizard.resize(1024, 700)
    from PySide6.QtWidgets import QScrollArea

    combo = page.columnCombos["camera_id"]
    [area] = [a for a in page.findChildren(QScrollArea) if a.widget().isAncestorOf(combo)]
    area.ensureWidgetVisible(combo)
    SHOTS.mkdir(exist_ok=True)
    wizard.grab().save(str(SHOTS / "wizard_mapping_camera_id.png"))
    assert page.mapping().columns["camera_id"] == "Camera ID"
