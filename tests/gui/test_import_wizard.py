"""The import wizard as a contractor and an administrator meet it: choose files, map columns and
see the preview with a reject reason, save a preset, run with progress, read the summary and
open the reject report; Esc mid-run stops at a batch boundary and Resume finishes without
duplicates. Analysts and custodians get no Import action, and the service refuses them."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
import shiboken6
from gui_access import PASSWORDS, log_events, sign_in
from PySide6.QtCore import QModelIndex, Qt, QUrl
from PySide6.QtWidgets import QLabel, QTableWidget

from alpr_desktop.core.access_errors import NotAuthorized
from alpr_desktop.core.clock import FixedClock
from alpr_desktop.gui.dialogs.import_wizard import (
    PAGE_FILES,
    PAGE_MAPPING,
    PAGE_RUN,
    PAGE_SUMMARY,
    ImportWizard,
    guess_columns,
    import_service,
)
from alpr_desktop.gui.models.import_preview_model import ImportPreviewModel
from alpr_desktop.ingest.delimited import Mapping
from alpr_desktop.ingest.presets import PresetStore
from alpr_desktop.ingest.preview import PreviewRow, preview_rows
from alpr_desktop.ingest.records import FileRefused, Reason
from alpr_desktop.ingest.runner import ImportOptions, ImportSummary
from alpr_desktop.services.workstation import OpenStore
from alpr_desktop.storage.reads import CameraRepo, ReadRepo

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"
STORE_PLATES = ("7ABC123", "8XYZ999")  # the reads the store already holds: never shown
HEADER = ["LPN", "Seen", "Reader Name", "Make"]
ROWS = [
    ["6TRK501", "12/01/2025 08:00:00", "Main & Victoria EB", "Toyota"],
    ["5KLM220", "12/01/2025 08:05:10", "Main & Victoria EB", "Ford"],
    ["4BAD#!!", "12/01/2025 08:06:00", "Main & Victoria EB", "Kia"],  # bad plate
    ["3QRS777", "12/01/2025 09:15:00", "Avalon & 223rd NB", "Honda"],  # an existing camera
    ["2WXY314", "12/02/2025 17:45:30", "Wilmington & 220th SB", "Tesla"],
]


def write_export(path: Path, rows: list[list[str]] = ROWS) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        w.writerows(rows)
    return path


def write_generic(path: Path, n: int, bad_every: int = 0) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["plate", "datetime", "camera"])
        for i in range(n):
            plate = "BAD#" if bad_every and i % bad_every == 0 else f"7W{i:05d}"
            w.writerow([plate, f"2025-11-0{1 + i % 9}T0{i % 10}:{i % 60:02d}:00Z",
                        f"Gen {i % 4}"])
    return path


def wizard_texts(wizard: ImportWizard) -> str:
    """Every text the wizard shows: labels, table cells and the preview."""
    parts = [w.text() for w in wizard.findChildren(QLabel)]
    for table in wizard.findChildren(QTableWidget):
        parts += [table.item(r, c).text() for r in range(table.rowCount())
                  for c in range(table.columnCount()) if table.item(r, c)]
    m = wizard.mappingPage.model
    parts += [str(m.data(m.index(r, c))) for r in range(m.rowCount())
              for c in range(m.columnCount())]
    return "\n".join(parts)


def open_wizard(qtbot, workspace, files: list[Path], tmp_path: Path) -> tuple[ImportWizard,
                                                                                list[QUrl]]:
    opened: list[QUrl] = []
    wizard = workspace.show_import()
    assert isinstance(wizard, ImportWizard)
    qtbot.waitUntil(wizard.isVisible)
    wizard.pick_files = lambda _parent: [str(f) for f in files]
    wizard.open_url = opened.append
    wizard.report_dir = tmp_path / "reports"
    return wizard, opened


def wait_preview(qtbot, page) -> None:
    qtbot.waitUntil(lambda: page.isComplete() or (bool(page.problemLabel.text())
                    and not page.timer.isActive() and not page.preview_busy), timeout=10_000)


def set_column(page, field: str, column: str) -> None:
    combo = page.columnCombos[field]
    i = combo.findData(column)
    assert i >= 0, (field, column)
    combo.setCurrentIndex(i)


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_contractor_maps_previews_saves_runs_and_opens_the_report(
    qtbot, workspace, controller, store, tmp_path
) -> None:
    sign_in(qtbot, workspace, "vendor")
    assert workspace.importAction.isVisible() and workspace.importAction.isEnabled()
    assert workspace.importAction.shortcut().toString() == "Ctrl+I"
    export = write_export(tmp_path / "acme_dec.csv")
    wizard, opened = open_wizard(qtbot, workspace, [export], tmp_path)
    wizard.batch_size = 2  # several batches: several progress reports
    before = ReadRepo(store).count()

    # page 1: the file and its detected format
    assert wizard.currentId() == PAGE_FILES
    files = wizard.filesPage
    next_button = wizard.button(wizard.WizardButton.NextButton)
    assert not next_button.isEnabled()
    click(qtbot, files.addButton)
    assert files.fileTable.rowCount() == 1
    assert files.fileTable.item(0, 1).text() == "Delimited text"
    assert next_button.isEnabled()
    click(qtbot, next_button)

    # page 2: nothing guessed for plate, time, camera (the names are the vendor's own)
    assert wizard.currentId() == PAGE_MAPPING
    page = wizard.mappingPage
    qtbot.waitUntil(lambda: page.presetCombo.count() >= 2, timeout=10_000)  # + generic
    assert page.columnCombos["make"].currentData() == "Make"  # guessed by name
    assert page.columnCombos["plate"].currentData() is None
    assert "no column for the plate" in page.problemLabel.text()
    assert not page.isComplete()
    set_column(page, "plate", "LPN")
    set_column(page, "datetime", "Seen")
    set_column(page, "camera", "Reader Name")
    page.formatCombo.setEditText("MM/DD/YYYY HH:mm:SS")
    page.zoneCombo.setEditText("America/Los_Angeles")
    wait_preview(qtbot, page)
    assert page.isComplete(), page.problemLabel.text()
    model = page.model
    assert model.rowCount() == 5 and model.rejected == 1
    bad = model.row_at(2)
    assert bad.line == 4 and bad.reason == Reason.PLATE_CHARACTERS
    result = model.data(model.index(2, 1))
    assert "characters a plate cannot have" in result and "(LPN)" in result
    assert model.data(model.index(2, 1), Qt.ItemDataRole.BackgroundRole) is not None
    # the mapping applied: the wall-clock time in the file's zone, shown in the site's zone
    assert model.data(model.index(0, 3)) == "2025-12-01 08:00:00 PST"
    assert model.data(model.index(0, 2)) == "6TRK501"
    assert "4 would be imported, 1 rejected" in page.previewLabel.text()

    # a wrong format shows as rejects in the preview before anything is imported
    page.formatCombo.setEditText("YYYY-MM-DD HH:mm:SS")
    qtbot.waitUntil(lambda: page.isComplete() and model.rejected == 5, timeout=10_000)
    assert model.row_at(0).reason == Reason.TIME_UNPARSEABLE
    page.formatCombo.setEditText("MM/DD/YYYY HH:mm:SS")
    qtbot.waitUntil(lambda: page.isComplete() and model.rejected == 1, timeout=10_000)

    # save the mapping as a preset (logged); the combo now names it
    wizard.ask_name = lambda _parent, _current: "Acme LPN export"
    with qtbot.waitSignal(wizard.presets_loaded, timeout=10_000):
        click(qtbot, page.saveButton)
    assert page.presetCombo.currentText() == "Acme LPN export"
    assert [e.query["mapping"] for e in log_events(store, "import.mapping_saved")] == [
        "Acme LPN export"]
    saved = PresetStore(store).get("Acme LPN export")
    assert saved.columns["plate"] == "LPN" and saved.timezone == "America/Los_Angeles"

    # page 3: run (the commit button reads Import); progress arrives batch by batch
    seen: list[object] = []
    wizard.progressed.connect(seen.append)
    assert not wizard.button(wizard.WizardButton.NextButton).isVisible()
    commit = wizard.button(wizard.WizardButton.CommitButton)
    assert commit.isVisible() and commit.text() == "&Import"
    click(qtbot, commit)
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_SUMMARY, timeout=20_000)
    assert seen and seen[-1].records == 5
    assert wizard.runPage.progressBar.maximum() == 5  # lines after the header
    assert wizard.runPage.progressBar.value() == 5
    assert wizard.runPage.countsLabel.text() == (
        "5 records read · 4 added · 1 rejected · batch 3")  # batches of 2, 2 and 1

    # page 4: the summary's counts, reasons, new cameras, and the report
    s = wizard.summary
    assert isinstance(s, ImportSummary) and not s.cancelled
    assert (s.accepted, s.duplicates, s.rejected) == (4, 0, 1)
    table = wizard.summaryPage.table
    assert [table.item(0, c).text() for c in range(5)] == ["acme_dec.csv", "Done", "4", "0", "1"]
    assert table.item(0, 5).text() == "Delimited text"
    assert "plate_characters" in wizard.summaryPage.reasonsLabel.text()
    cams = wizard.summaryPage.camerasLabel.text()
    assert cams.startswith("New cameras (2):") and "Wilmington & 220th SB" in cams
    assert "Avalon & 223rd NB" not in cams
    assert not wizard.summaryPage.resumeButton.isVisible()
    assert ReadRepo(store).count() == before + 4
    assert {"Main & Victoria EB", "Wilmington & 220th SB"} <= {
        c.name for c in CameraRepo(store).all()}
    button = wizard.summaryPage.openReportButton
    assert button.isVisible()
    click(qtbot, button)
    assert opened == [QUrl.fromLocalFile(str(s.report_path))]
    rows = list(csv.reader(s.report_path.read_text(encoding="utf-8").splitlines()))
    assert rows[1][:4] == ["acme_dec.csv", "4", "LPN", "plate_characters"]
    assert "4BAD" not in s.report_path.read_text(encoding="utf-8")  # places, not values
    (entry,) = log_events(store, "import")
    assert entry.detail["accepted"] == 4 and entry.username == "vendor"

    # nothing of the store's own reads was ever on screen
    shown = wizard_texts(wizard)
    assert not any(p in shown for p in STORE_PLATES)
    finish = wizard.button(wizard.WizardButton.FinishButton)
    assert finish.isVisible()
    assert not wizard.button(wizard.WizardButton.BackButton).isVisible()
    click(qtbot, finish)
    qtbot.waitUntil(lambda: not shiboken6.isValid(wizard) or not wizard.isVisible())


def test_escape_mid_run_stops_cleanly_and_resume_finishes_without_duplicates(
    qtbot, workspace, controller, store, tmp_path
) -> None:
    sign_in(qtbot, workspace, "vendor")
    big = write_generic(tmp_path / "big.csv", 3000, bad_every=10)
    wizard, _opened = open_wizard(qtbot, workspace, [big], tmp_path)
    wizard.batch_size = 50
    before = ReadRepo(store).count()
    click(qtbot, wizard.filesPage.addButton)
    click(qtbot, wizard.button(wizard.WizardButton.NextButton))
    page = wizard.mappingPage
    wait_preview(qtbot, page)  # plate, datetime, camera: guessed from the header
    assert page.isComplete() and page.model.rowCount() == 20 and page.model.rejected == 2

    click(qtbot, wizard.button(wizard.WizardButton.CommitButton))
    assert wizard.currentId() == PAGE_RUN and wizard.running
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)  # Esc while running: stop, keep the wizard
    assert wizard.isVisible() and wizard.runPage.stateLabel.text().startswith("Stopping")
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_SUMMARY, timeout=30_000)
    first = wizard.summary
    assert first is not None and first.cancelled
    added = ReadRepo(store).count() - before
    assert 0 < added < 2700 and added == first.accepted
    assert wizard.summaryPage.resumeButton.isVisible()
    assert "stopped" in wizard.summaryPage.headline.text()
    cancelled_log = log_events(store, "import")[-1]
    assert cancelled_log.detail["cancelled"] is True

    click(qtbot, wizard.summaryPage.resumeButton)
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_SUMMARY and not wizard.running
                    and wizard.summary is not first, timeout=60_000)
    second = wizard.summary
    assert second is not None and not second.cancelled
    assert second.files[0].resumed
    assert ReadRepo(store).count() - before == 2700  # every good row once
    assert second.files[0].accepted == 2700 and second.rejected == 300
    assert wizard.summaryPage.table.item(0, 1).text() == "Resumed and finished"

    # a third run of the same file adds nothing
    wizard.back()
    wizard.start_import()
    qtbot.waitUntil(lambda: wizard.summary is not None and not wizard.running, timeout=30_000)
    assert wizard.summary.files[0].already_imported
    assert ReadRepo(store).count() - before == 2700


def test_admin_imports_vendor_json_without_a_mapping_page(
    qtbot, workspace, controller, store, tmp_path
) -> None:
    sign_in(qtbot, workspace, "root")
    assert workspace.importAction.isVisible()
    data = tmp_path / "openalpr_group.json"
    shutil.copy(FIXTURES / "openalpr_group.json", data)
    wizard, opened = open_wizard(qtbot, workspace, [data], tmp_path)
    click(qtbot, wizard.filesPage.addButton)
    assert wizard.filesPage.fileTable.item(0, 1).text() == "OpenALPR JSON"
    commit = wizard.button(wizard.WizardButton.CommitButton)
    assert commit.isVisible()  # no delimited file: this page starts the import
    click(qtbot, commit)
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_SUMMARY, timeout=20_000)
    assert wizard.summary.accepted == 1 and wizard.summary.rejected == 0
    assert not wizard.summaryPage.openReportButton.isVisible()  # no rejects, no report
    assert wizard.summaryPage.reasonsLabel.text() == "No row was rejected."
    # the store's read of the same plate is never shown: the summary holds counts only
    assert not any(p in wizard_texts(wizard) for p in STORE_PLATES)
    assert opened == []


def test_lock_during_import_stops_it_and_closes_the_wizard(
    qtbot, workspace, controller, store, tmp_path
) -> None:
    sign_in(qtbot, workspace, "vendor")
    big = write_generic(tmp_path / "big.csv", 2000)
    wizard, _opened = open_wizard(qtbot, workspace, [big], tmp_path)
    wizard.batch_size = 50
    click(qtbot, wizard.filesPage.addButton)
    click(qtbot, wizard.button(wizard.WizardButton.NextButton))
    wait_preview(qtbot, wizard.mappingPage)
    click(qtbot, wizard.button(wizard.WizardButton.CommitButton))
    token = wizard.token
    assert token is not None and not token.cancelled
    controller.lock()
    assert token.cancelled
    qtbot.waitUntil(lambda: not shiboken6.isValid(wizard) or not wizard.isVisible())
    qtbot.waitUntil(lambda: not controller.busy, timeout=30_000)
    # Whether the run stopped at a batch or (its context refused) never began, it is logged
    # as one outcome and its reads are whole batches.
    runs = log_events(store, "import")
    assert len(runs) <= 1 and (ReadRepo(store).count() - 4) % 50 == 0


@pytest.mark.parametrize("username", ["officer", "keeper"])
def test_analyst_and_custodian_get_no_import_and_the_service_refuses(
    qtbot, workspace, controller, store, tmp_path, username
) -> None:
    sign_in(qtbot, workspace, username)
    qtbot.waitUntil(lambda: not controller.busy, timeout=10_000)
    assert not workspace.importAction.isVisible() and not workspace.importAction.isEnabled()
    assert workspace.show_import() is None
    export = write_export(tmp_path / "x.csv")
    mapping = Mapping(columns={"plate": "LPN", "datetime": "Seen", "camera": "Reader Name"},
                      datetime_format="MM/DD/YYYY HH:mm:SS")
    before = ReadRepo(store).count()
    calls = [
        lambda s, ctx: import_service(s).run(ctx, [export], ImportOptions(mapping=mapping)),
        lambda s, ctx: import_service(s).mapping_names(ctx),
        lambda s, ctx: import_service(s).save_mapping(ctx, Mapping("x", mapping.columns)),
    ]
    for call in calls:
        outcome: list[object] = []
        controller.run(call, outcome.append, outcome.append)
        qtbot.waitUntil(lambda o=outcome: bool(o), timeout=10_000)
        assert isinstance(outcome[0], NotAuthorized), outcome
    assert ReadRepo(store).count() == before
    refused = [e for e in log_events(store, "gate.refused") if e.username == username]
    assert len(refused) >= len(calls)


def test_main_window_file_menu_offers_import_to_the_importing_roles(
    qtbot, store, clock, tmp_path
) -> None:
    from gui_access import try_credentials
    from PySide6.QtCore import QSettings

    from alpr_desktop.gui.main_window import MainWindow

    window = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    workspace = window.start_session(OpenStore.adopt(store), clock)
    action = workspace.importAction
    assert action in window.fileMenu.actions() and not action.isVisible()
    try_credentials(qtbot, workspace.dialog, "vendor", PASSWORDS["vendor"])
    qtbot.waitUntil(lambda: window.controller.session is not None, timeout=10_000)
    assert action.isVisible() and action.isEnabled()
    window.controller.lock()
    assert not action.isEnabled()
    window.end_session()
    assert action not in window.fileMenu.actions()


def test_preview_reads_only_the_first_rows_and_refuses_a_missing_column(tmp_path) -> None:
    path = write_generic(tmp_path / "g.csv", 100, bad_every=3)
    generic = Mapping(columns={"plate": "plate", "datetime": "datetime", "camera": "camera"})
    preview = preview_rows(path, generic, FixedClock(), limit=7)
    assert [r.line for r in preview.rows] == list(range(2, 9))
    assert preview.rejected == 3 and preview.delimiter == ","
    assert preview.rows[0].reason == Reason.PLATE_CHARACTERS and preview.rows[0].plate == "BAD#"
    assert preview.rows[1].accepted and preview.rows[1].recorded_at is not None
    with pytest.raises(FileRefused, match="no column 'LPN'"):
        preview_rows(path, Mapping(columns={**generic.columns, "plate": "LPN"}), FixedClock())


def test_guessed_columns_prefer_one_datetime_column() -> None:
    assert guess_columns(["License Plate", "Timestamp", "Date", "Camera Name", "Lat"]) == {
        "plate": "License Plate", "datetime": "Timestamp", "camera": "Camera Name",
        "latitude": "Lat"}
    assert guess_columns(["Tag", "Date", "Time", "Device"]) == {
        "plate": "Tag", "date": "Date", "time": "Time", "camera": "Device"}


def test_preview_model_passes_the_model_tester(qtmodeltester) -> None:
    model = ImportPreviewModel()
    qtmodeltester.check(model, force_py=True)
    model.set_rows([
        PreviewRow(2, plate="6TRK501", recorded_at=1_764_604_800, camera="Cam",
                   details={"make": "Toyota", "color": "red"}, speed=31.0, confidence=0.885),
        PreviewRow(3, plate="4BAD#", time_text="yesterday", reason=Reason.PLATE_CHARACTERS,
                   column="LPN"),
        PreviewRow(4, reason=Reason.MALFORMED),
    ])
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.data(model.index(0, 7)) == "red Toyota"
    assert model.data(model.index(1, 3)) == "yesterday"
    assert model.data(model.index(1, 1), Qt.ItemDataRole.ToolTipRole).startswith(
        "plate_characters")
    assert model.data(model.index(0, 1), Qt.ItemDataRole.BackgroundRole) is None
    assert model.data(QModelIndex()) is None
