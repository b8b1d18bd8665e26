"""Import wizard (contractor and admin): choose files, map and preview delimited text, run with
progress and cancel, and read the summary with the reject report.

Import writes reads but shows none of the store's: the preview is the user's own file parsed
with the mapping (ingest.preview), and the summary holds counts. The import runs on a worker
with its own connection (SessionController.run); Stop or Esc asks it to stop after the batch in
hand, which leaves a checkpoint, so running the same files again finishes without duplicates.
File dialogs, the name prompt and the URL opener are parameters so tests can drive every step."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QSize, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QMessageBox,
    QWidget,
    QWizard,
)

from alpr_desktop.gui.access_feedback import show_problem
from alpr_desktop.gui.controller import Controller
from alpr_desktop.gui.dialogs.import_wizard.common import (
    PAGE_FILES,
    PAGE_MAPPING,
    PAGE_RUN,
    PAGE_SUMMARY,
    FilePicker,
    ImagesPicker,
    NamePrompt,
    UrlOpener,
    ask_files,
    ask_images,
    ask_mapping_name,
    count_lines,
    fitted_size,
    import_service,
)
from alpr_desktop.gui.dialogs.import_wizard.files_page import FilesPage
from alpr_desktop.gui.dialogs.import_wizard.mapping_page import MappingPage
from alpr_desktop.gui.dialogs.import_wizard.run_page import RunPage
from alpr_desktop.gui.dialogs.import_wizard.summary_page import SummaryPage
from alpr_desktop.gui.dialogs.table_file_dialog import TableFileDialog
from alpr_desktop.gui.workers import CancelToken
from alpr_desktop.services.import_files import (
    DEFAULT_BATCH,
    ImportOptions,
    ImportSummary,
    Mapping,
    Progress,
)
from alpr_desktop.services.progress import CancelFn, ProgressFn
from alpr_desktop.services.workstation import ServiceSet as Services


class RunState:
    """Progress of one run, written by the import's threads; each batch also pings the GUI
    through the worker's progress signal, which then shows the latest state."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._latest: Progress | None = None
        self._batches = 0
        self._estimates: list[int] = []

    def plan(self, estimates: list[int]) -> None:
        with self._lock:
            self._estimates = [max(0, n) for n in estimates]

    def report(self, progress: Progress) -> None:  # after each committed batch
        with self._lock:
            self._latest = progress
            self._batches += 1

    def take(self) -> tuple[Progress | None, int, list[int]]:
        """The progress not yet shown (None when nothing new), batches so far, estimates."""
        with self._lock:
            p, self._latest = self._latest, None
            return p, self._batches, list(self._estimates)


# -- the wizard -----------------------------------------------------------------------------
class ImportWizard(QWizard):
    progressed = Signal(object)  # Progress, on the GUI thread (the poll found a new one)
    finished_import = Signal(object)  # ImportSummary | BaseException
    presets_loaded = Signal()

    def __init__(
        self,
        parent: QWidget | None,
        controller: Controller,
        *,
        pick_files: FilePicker = ask_files,
        pick_images: ImagesPicker = ask_images,
        ask_name: NamePrompt = ask_mapping_name,
        open_url: UrlOpener = QDesktopServices.openUrl,
        batch_size: int = DEFAULT_BATCH,
        report_dir: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.pick_files = pick_files
        self.pick_images = pick_images
        self.ask_name = ask_name
        self.open_url = open_url
        self.batch_size = batch_size
        self.report_dir = report_dir
        self.summary: ImportSummary | None = None
        self.report_offer: QMessageBox | None = None
        self.report_view: TableFileDialog | None = None
        self.running = False
        self.token: CancelToken | None = None
        self._state = RunState()
        # The worker never touches this wizard (a lock may delete it mid-run): it writes its
        # progress to a RunState and pings; the ping shows the latest on the GUI thread.
        self.setObjectName("importWizard")
        self.setWindowTitle("Import Reads")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Import")
        self.filesPage = FilesPage(self)
        self.mappingPage = MappingPage(self)
        self.runPage = RunPage(self)
        self.summaryPage = SummaryPage(self)
        for pid, page in ((PAGE_FILES, self.filesPage), (PAGE_MAPPING, self.mappingPage),
                          (PAGE_RUN, self.runPage), (PAGE_SUMMARY, self.summaryPage)):
            self.setPage(pid, page)
        self.setStartId(PAGE_FILES)
        self.resize(fitted_size(self, QSize(1100, 760)))

    # -- presets (on workers: the service checks the role and logs saves) --------------------
    def load_preset_names(self, select: str = "") -> None:
        def done(names: list[str]) -> None:
            self.mappingPage.set_preset_names(names, select)
            self.presets_loaded.emit()

        self.controller.run(lambda s, ctx: import_service(s).mapping_names(ctx), done,
                            self._problem)

    def load_preset(self, name: str) -> None:
        self.controller.run(lambda s, ctx: import_service(s).mapping(ctx, name),
                            self.mappingPage.apply_preset, self._problem)

    def save_mapping(self, mapping: Mapping) -> None:
        self.controller.run(lambda s, ctx: import_service(s).save_mapping(ctx, mapping),
                            lambda saved: self.load_preset_names(saved.name), self._problem)

    def _problem(self, exc: BaseException) -> None:
        show_problem(self, exc)

    # -- the run ---------------------------------------------------------------------------
    def import_options(self) -> ImportOptions:
        report = None
        if self.report_dir is not None:
            stamp = self.controller.clock.now_ms()
            report = self.report_dir / f"import-{stamp}-rejects.csv"
        mapping = self.mappingPage.mapping() if self.filesPage.delimited() else None
        return ImportOptions(mapping=mapping, images=self.filesPage.images(),
                             batch_size=self.batch_size, report_path=report)

    def start_import(self) -> None:
        if self.running:
            return
        files = list(self.filesPage.paths)
        formats = [self.filesPage.formats[p] for p in files]
        options = self.import_options()
        self.summary = None
        self.running = True
        page = self.runPage
        page.progressBar.setRange(0, 0)
        page.fileLabel.setText("Starting…")
        page.countsLabel.setText("")
        page.stateLabel.setText("")
        page.stopButton.setEnabled(True)
        page.stopButton.setVisible(True)
        page.retryButton.setVisible(False)
        page.completeChanged.emit()

        state = self._state = RunState()

        def work(s: Services, ctx: Any, ping: ProgressFn, cancel: CancelFn) -> ImportSummary:
            try:
                state.plan([count_lines(p) - 1 if f == "delimited" else 0
                            for p, f in zip(files, formats, strict=True)])
            except OSError:
                pass

            def report(p: Progress) -> None:
                state.report(p)
                ping(p.records, 0)

            return import_service(s).run(ctx, files, options, progress=report, cancel=cancel)

        handle = self.controller.run_with_progress(
            work, self._import_done, self._import_failed,
            lambda _done, _total: self._show_progress() if shiboken6.isValid(self) else None)
        self.token = handle.token

    def stop_import(self) -> None:
        if self.running and self.token is not None:
            self.token.cancel()
            self.runPage.stopButton.setEnabled(False)
            self.runPage.stateLabel.setText(
                "Stopping after the batch in hand; every finished batch is kept…")

    def resume_import(self) -> None:
        """From the summary of a stopped run: back to the progress page and run again (the
        checkpoints skip what is done)."""
        self.back()
        self.start_import()

    def _show_progress(self) -> None:
        p, batches, estimates = self._state.take()
        if p is None:
            return
        page = self.runPage
        total = estimates[p.file_index] if p.file_index < len(estimates) else 0
        if total > 0:
            page.progressBar.setRange(0, total)
            page.progressBar.setValue(min(p.records, total))
        else:
            page.progressBar.setRange(0, 0)
        page.fileLabel.setText(f"File {p.file_index + 1} of {p.file_count}: {p.file_name}")
        page.countsLabel.setText(
            f"{p.records:,} records read · {p.accepted:,} added · {p.rejected:,} rejected "
            f"· batch {batches:,}")
        self.progressed.emit(p)

    def _finish_run(self) -> None:
        self._show_progress()
        self.running = False
        self.token = None
        self.runPage.stopButton.setEnabled(False)

    def _import_done(self, summary: ImportSummary) -> None:
        self._finish_run()
        self.summary = summary
        self.runPage.completeChanged.emit()
        self.finished_import.emit(summary)
        if self.currentId() == PAGE_RUN:
            self.next()

    def _import_failed(self, exc: BaseException) -> None:
        self._finish_run()
        page = self.runPage
        page.progressBar.setRange(0, 1)
        page.progressBar.setValue(0)
        page.stateLabel.setText("The import stopped. Every batch finished before the problem "
                                "is kept; Run Again continues from there.")
        page.stopButton.setVisible(False)
        page.retryButton.setVisible(True)
        page.retryButton.setFocus()
        self.finished_import.emit(exc)
        show_problem(self, exc, title="Import Stopped")

    def open_report(self) -> None:
        """The reject report in the desktop's program for CSV files; when there is none,
        offer to show it here."""
        if self.summary is None or self.summary.report_path is None:
            return
        path = self.summary.report_path
        if self.open_url(QUrl.fromLocalFile(str(path))) is not False:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question, "Reject Report",
            "No program to open CSV files was found on this computer. Show the reject "
            "report here?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setInformativeText(f"The report is saved at {path}.")
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        yes = box.button(QMessageBox.StandardButton.Yes)
        yes.setText("&Show Here")
        box.finished.connect(lambda _r: self.show_report_here(path)
                             if box.clickedButton() is yes else None)
        self.report_offer = box
        box.open()

    def show_report_here(self, path: Path) -> TableFileDialog | None:
        try:
            dialog = TableFileDialog(self, path, "Reject Report")
        except (OSError, ValueError) as exc:
            show_problem(self, exc, title="Cannot Show the Report")
            return None
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.report_view = dialog
        dialog.open()
        return dialog

    # -- closing -----------------------------------------------------------------------------
    def done(self, result: int) -> None:
        """Cancel or Esc while importing stops the import (the wizard stays, to show what was
        kept); a lock or sign-out stops it and closes at once."""
        if self.running:
            self.stop_import()
            c = self.controller
            if c.session is not None and not c.is_locked:
                return
        super().done(result)
