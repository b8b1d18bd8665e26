"""Issue 12, the import wizard: the site's zone by default, the README's date format in the
list (minutes as mm, distinct from the month's MM), a half-typed zone name refused in words
rather than raised, and a reject report shown inside the program when no CSV viewer exists."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_access import sign_in
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from test_import_wizard import click, open_wizard, set_column, wait_preview, write_export

from alpr_desktop.core.clock import SITE_ZONE
from alpr_desktop.gui.dialogs.import_wizard import DATETIME_FORMATS, PAGE_SUMMARY
from alpr_desktop.gui.dialogs.table_file_dialog import TableFileDialog
from alpr_desktop.ingest.timeparse import FormatError, make_parser, upgrade_minutes

README = Path(__file__).resolve().parents[2] / "README.md"


def to_mapping(qtbot, workspace, tmp_path):
    sign_in(qtbot, workspace, "vendor")
    export = write_export(tmp_path / "acme_dec.csv")
    wizard, opened = open_wizard(qtbot, workspace, [export], tmp_path)
    click(qtbot, wizard.filesPage.addButton)
    click(qtbot, wizard.button(wizard.WizardButton.NextButton))
    return wizard, opened, wizard.mappingPage


def test_new_mapping_uses_the_site_zone_and_lists_the_readme_format(qtbot, workspace,
                                                                     tmp_path):
    _wizard, _opened, page = to_mapping(qtbot, workspace, tmp_path)
    assert page.zoneCombo.currentText() == SITE_ZONE.key
    assert page.mapping().timezone == SITE_ZONE.key
    listed = [page.formatCombo.itemText(i) for i in range(page.formatCombo.count())]
    assert "MM/DD/YYYY - HH:mm:SS" in listed
    # minutes are mm everywhere the program writes a token format, the README included
    assert not any("HH:MM" in f or "hh:MM" in f for f in DATETIME_FORMATS)
    readme = README.read_text(encoding="utf-8")
    assert "MM/DD/YYYY - HH:mm:SS" in readme and "HH:MM" not in readme
    assert "read as minutes" not in readme  # MM is never the minutes (issue 16)


def test_readme_format_parses_minutes_and_months_apart():
    parse = make_parser("MM/DD/YYYY - HH:mm:SS", "UTC")
    assert parse("12/01/2025 - 08:07:06") == 1_764_576_426  # 2025-12-01T08:07:06Z
    # MM after the hour is refused with a sentence (issue 16); a mapping saved before mm
    # existed is written with mm when it is loaded
    with pytest.raises(FormatError, match="MM is the month; write the minutes as mm"):
        make_parser("MM/DD/YYYY - HH:" + "MM:SS", "UTC")
    assert upgrade_minutes("MM/DD/YYYY - HH:" + "MM:SS") == "MM/DD/YYYY - HH:mm:SS"


@pytest.mark.parametrize("typed", ["A", "America", "America/", "America/Los", "Europe",
                                   "../etc", "America//Los_Angeles"])
def test_typing_a_partial_zone_name_does_not_raise(qtbot, workspace, tmp_path, typed):
    _wizard, _opened, page = to_mapping(qtbot, workspace, tmp_path)
    set_column(page, "plate", "LPN")
    set_column(page, "datetime", "Seen")
    set_column(page, "camera", "Reader Name")
    page.formatCombo.setEditText("MM/DD/YYYY HH:mm:SS")
    for i in range(1, len(typed) + 1):  # as typed, one key at a time
        page.zoneCombo.setEditText(typed[:i])
    assert "unknown time zone" in page.problemLabel.text()
    assert not page.isComplete()
    page.zoneCombo.setEditText("America/Los_Angeles")
    wait_preview(qtbot, page)
    assert page.isComplete(), page.problemLabel.text()


def test_reject_report_is_shown_inside_without_a_viewer(qtbot, workspace, tmp_path):
    wizard, _opened, page = to_mapping(qtbot, workspace, tmp_path)
    set_column(page, "plate", "LPN")
    set_column(page, "datetime", "Seen")
    set_column(page, "camera", "Reader Name")
    page.formatCombo.setEditText("MM/DD/YYYY HH:mm:SS")
    wait_preview(qtbot, page)
    click(qtbot, wizard.button(wizard.WizardButton.CommitButton))
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_SUMMARY, timeout=20_000)
    wizard.open_url = lambda _url: False  # the desktop has no program for CSV files
    click(qtbot, wizard.summaryPage.openReportButton)
    offer = wizard.report_offer
    assert isinstance(offer, QMessageBox) and offer.isVisible()
    assert "No program to open CSV files" in offer.text()
    click(qtbot, offer.button(QMessageBox.StandardButton.Yes))
    qtbot.waitUntil(lambda: wizard.report_view is not None and wizard.report_view.isVisible())
    view = wizard.report_view
    assert isinstance(view, TableFileDialog)
    table = view.table
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers[:4] == ["file", "line", "column", "reason"]
    assert table.rowCount() == 1
    assert [table.item(0, c).text() for c in range(4)] == [
        "acme_dec.csv", "4", "LPN", "plate_characters"]
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not view.isVisible())
