"""Import wizard (contractor and admin): choose files, map and preview delimited text, run with
progress and cancel, and read the summary with the reject report.

Import writes reads but shows none of the store's: the preview is the user's own file parsed
with the mapping (ingest.preview), and the summary holds counts. The import runs on a worker
with its own connection (SessionController.run); Stop or Esc asks it to stop after the batch in
hand, which leaves a checkpoint, so running the same files again finishes without duplicates.
File dialogs, the name prompt and the URL opener are parameters so tests can drive every step.
"""

from __future__ import annotations

import dataclasses
import html
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from zoneinfo import available_timezones

import shiboken6
from PySide6.QtCore import QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from alpr_desktop.core.clock import SITE_ZONE
from alpr_desktop.gui.access_feedback import show_problem
from alpr_desktop.gui.dialogs.table_file_dialog import TableFileDialog
from alpr_desktop.gui.models.import_preview_model import ImportPreviewModel
from alpr_desktop.gui.session_controller import Services, SessionController
from alpr_desktop.gui.workers import CancelToken, run_task
from alpr_desktop.ingest.delimited import DELIMITER_NAMES, FIELDS, Mapping, read_header
from alpr_desktop.ingest.preview import Preview, preview_rows
from alpr_desktop.ingest.records import REASON_TEXT, FileRefused, Reason
from alpr_desktop.ingest.runner import (
    DEFAULT_BATCH,
    ImportOptions,
    ImportSummary,
    Progress,
    detect_format,
)
from alpr_desktop.services.imports import ImportService
from alpr_desktop.services.progress import CancelFn, ProgressFn

FilePicker = Callable[[QWidget], Sequence[str]]
ImagesPicker = Callable[[QWidget, bool], str]  # (parent, folder?) -> path or ''
NamePrompt = Callable[[QWidget, str], str | None]
UrlOpener = Callable[[QUrl], Any]

PAGE_FILES, PAGE_MAPPING, PAGE_RUN, PAGE_SUMMARY = range(4)
FORMAT_NAMES = {"delimited": "Delimited text", "openalpr": "OpenALPR JSON",
                "genetec": "Genetec XML"}
NEW_MAPPING = "(new mapping)"
NOT_MAPPED = "—"
DATA_FILTER = (
    "Exports (*.csv *.tsv *.txt *.psv *.json *.jsonl *.ndjson *.xml);;All files (*)"
)

FIELD_LABELS: dict[str, str] = {
    "plate": "P&late:", "datetime": "Date and &time:", "date": "Date (own column):",
    "time": "Time (own column):", "camera": "Ca&mera:", "state": "State:",
    "direction": "Direction:", "make": "Make:", "model": "Model:", "color": "Color:",
    "body_type": "Body type:", "speed": "Speed:", "confidence": "Confidence:",
    "latitude": "Latitude:", "longitude": "Longitude:", "location": "Location:",
    "vendor_id": "Vendor read ID:", "crop_image": "Plate crop image:",
    "overview_image": "Overview image:",
}
# Header names contractors use for a field, compared case-folded without spaces or '_'.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "plate": ("plate", "licenseplate", "platenumber", "plateread", "tag", "lpr"),
    "datetime": ("datetime", "timestamp", "readtime", "readdatetime", "capturetime",
                 "dateandtime", "recordedat"),
    "date": ("date", "readdate"),
    "time": ("time", "readtimeofday"),
    "camera": ("camera", "cameraname", "device", "reader", "site"),
    "state": ("state", "platestate", "region"),
    "direction": ("direction", "heading"),
    "make": ("make", "vehiclemake"),
    "model": ("model", "vehiclemodel"),
    "color": ("color", "colour", "vehiclecolor"),
    "body_type": ("bodytype", "body", "vehicletype"),
    "speed": ("speed", "speedmph"),
    "confidence": ("confidence", "score"),
    "latitude": ("latitude", "lat"),
    "longitude": ("longitude", "lon", "lng", "long"),
    "location": ("location", "address"),
    "vendor_id": ("vendorid", "readid", "id", "uuid", "guid"),
    "crop_image": ("cropimage", "plateimage", "crop"),
    "overview_image": ("overviewimage", "contextimage", "sceneimage", "overview"),
}
# MM is the month and mm the minutes, here as in the parser and the README.
DATETIME_FORMATS = (
    "iso8601", "MM/DD/YYYY - HH:mm:SS", "MM/DD/YYYY HH:mm:SS", "MM/DD/YYYY hh:mm:SS AM/PM",
    "YYYY-MM-DD HH:mm:SS", "DD.MM.YYYY HH:mm:SS", "epoch_s", "epoch_ms",
)
# The site's zone first: it is the default of a new mapping.
TIME_ZONES = (
    SITE_ZONE.key, "UTC", "America/Phoenix", "America/Denver", "America/Chicago",
    "America/New_York",
)
DELIMITER_CHOICES = (("Detect", None), *((n.capitalize(), d) for n, d in
                                         DELIMITER_NAMES.items()))


def fitted_size(widget: QWidget, wanted: QSize) -> QSize:
    """``wanted``, made smaller to fit the screen's free area (a 1024 x 700 screen, or 200 %
    scaling of a small one, leaves less)."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return wanted
    free = screen.availableGeometry().size()
    return QSize(min(wanted.width(), free.width() - 24), min(wanted.height(), free.height() - 48))


def new_mapping() -> Mapping:
    """A new mapping's defaults: times without an offset are in the site's zone."""
    return Mapping(timezone=SITE_ZONE.key)


def import_service(services: Services) -> ImportService:
    """The import service on a worker's connection."""
    return services.imports


def _pick_files(parent: QWidget) -> Sequence[str]:
    files, _ = QFileDialog.getOpenFileNames(parent, "Choose Export Files", "", DATA_FILTER)
    return files


def _pick_images(parent: QWidget, folder: bool) -> str:
    if folder:
        return QFileDialog.getExistingDirectory(parent, "Choose the Image Folder")
    path, _ = QFileDialog.getOpenFileName(parent, "Choose the Image Archive", "",
                                          "ZIP archives (*.zip)")
    return path


def _ask_name(parent: QWidget, current: str) -> str | None:
    name, ok = QInputDialog.getText(parent, "Save Mapping As", "Name of the mapping:",
                                    text=current)
    return name if ok else None


def _fold(name: str) -> str:
    return "".join(ch for ch in name.casefold() if ch.isalnum())


def guess_columns(header: Sequence[str]) -> dict[str, str]:
    """A first mapping from header names alone; the user checks it in the preview."""
    folded = {_fold(h): h for h in header if h}
    out: dict[str, str] = {}
    for fld, names in SYNONYMS.items():
        hit = next((folded[n] for n in names if n in folded), None)
        if hit is not None and hit not in out.values():
            out[fld] = hit
    if "datetime" in out:
        out.pop("date", None)
        out.pop("time", None)
    return out


def count_lines(path: Path) -> int:
    """Physical lines (the run's progress estimate for delimited text; quoted newlines make it
    an upper bound)."""
    n = 0
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            n += chunk.count(b"\n")
    return n


def _label(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


def _wrap(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


# -- page 1: files ---------------------------------------------------------------------------
class FilesPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Choose the Files")
        self.setSubTitle("Delimited text (CSV, TSV, pipe), OpenALPR JSON or Genetec XML "
                         "exports. Importing the same file again adds nothing.")
        self.paths: list[Path] = []
        self.formats: dict[Path, str] = {}
        self.fileTable = QTableWidget(0, 3)
        self.fileTable.setObjectName("fileTable")
        self.fileTable.setAccessibleName("Files to import")
        self.fileTable.setTabKeyNavigation(False)
        self.fileTable.setHorizontalHeaderLabels(["File", "Detected format", "Size"])
        self.fileTable.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.fileTable.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.fileTable.verticalHeader().hide()
        head = self.fileTable.horizontalHeader()
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.addButton = QPushButton("&Add Files…")
        self.removeButton = QPushButton("&Remove")
        self.addButton.clicked.connect(self.add_files)
        self.removeButton.clicked.connect(self.remove_selected)
        buttons = QVBoxLayout()
        buttons.addWidget(self.addButton)
        buttons.addWidget(self.removeButton)
        buttons.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.fileTable, 1)
        row.addLayout(buttons)

        self.imagesEdit = QLineEdit()
        self.imagesEdit.setObjectName("imagesEdit")
        self.imagesEdit.setPlaceholderText("beside each data file (a ZIP of the same name, or "
                                           "its folder)")
        self.imagesEdit.textChanged.connect(lambda _t: self.completeChanged.emit())
        self.folderButton = QPushButton("Image &Folder…")
        self.zipButton = QPushButton("Image &ZIP…")
        self.folderButton.clicked.connect(lambda: self.choose_images(True))
        self.zipButton.clicked.connect(lambda: self.choose_images(False))
        images = QGroupBox("Images (optional)")
        grid = QHBoxLayout(images)
        grid.addWidget(_label("&Images from:", self.imagesEdit))
        grid.addWidget(self.imagesEdit, 1)
        grid.addWidget(self.folderButton)
        grid.addWidget(self.zipButton)
        self.problemLabel = _wrap("")
        self.problemLabel.setObjectName("filesProblem")

        layout = QVBoxLayout(self)
        layout.addLayout(row, 1)
        layout.addWidget(images)
        layout.addWidget(self.problemLabel)
        self._refresh()

    def add_files(self) -> None:
        for name in self.wiz.pick_files(self):
            self.add_path(Path(name))
        self._refresh()

    def add_path(self, path: Path) -> None:
        path = Path(path)
        if path in self.paths:
            return
        try:
            fmt = detect_format(path)
            size = path.stat().st_size
        except OSError as exc:
            show_problem(self, exc, title="Cannot Add the File")
            return
        self.paths.append(path)
        self.formats[path] = fmt
        r = self.fileTable.rowCount()
        self.fileTable.insertRow(r)
        name = QTableWidgetItem(path.name)
        name.setToolTip(str(path))
        self.fileTable.setItem(r, 0, name)
        self.fileTable.setItem(r, 1, QTableWidgetItem(FORMAT_NAMES.get(fmt, fmt)))
        size_item = QTableWidgetItem(f"{size / 1024:,.1f} KiB")
        size_item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.fileTable.setItem(r, 2, size_item)
        self._refresh()

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.fileTable.selectedIndexes()}, reverse=True)
        for r in rows:
            path = self.paths.pop(r)
            self.formats.pop(path, None)
            self.fileTable.removeRow(r)
        self._refresh()

    def choose_images(self, folder: bool) -> None:
        path = self.wiz.pick_images(self, folder)
        if path:
            self.imagesEdit.setText(path)

    def images(self) -> Path | None:
        text = self.imagesEdit.text().strip()
        return Path(text) if text else None

    def delimited(self) -> list[Path]:
        return [p for p in self.paths if self.formats.get(p) == "delimited"]

    def _refresh(self) -> None:
        self.removeButton.setEnabled(bool(self.paths))
        # With no delimited file the mapping page is skipped: this page starts the import.
        self.setCommitPage(bool(self.paths) and not self.delimited())
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        images = self.images()
        bad = images is not None and not images.exists()
        self.problemLabel.setText(f"There is no folder or file at {images}." if bad else "")
        return bool(self.paths) and not bad

    def nextId(self) -> int:
        return PAGE_MAPPING if self.delimited() else PAGE_RUN


# -- page 2: mapping and preview ---------------------------------------------------------------
class MappingPage(QWizardPage):
    previewed = Signal()  # a preview (or its error) is on screen

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Map the Columns")
        self.setSubTitle("Say which column holds each field, check the first rows below, and "
                         "save the mapping for the next export.")
        self.setCommitPage(True)
        self._filling = False
        self._generation = 0
        self._preview_ok = False
        self.preview_busy = False
        self.header: list[str] = []
        self.model = ImportPreviewModel(self)

        self.presetCombo = QComboBox()
        self.presetCombo.setObjectName("presetCombo")
        self.presetCombo.addItem(NEW_MAPPING)
        self.presetCombo.activated.connect(lambda _i: self.load_preset())
        self.saveButton = QPushButton("Sa&ve Mapping As…")
        self.saveButton.clicked.connect(self.save_mapping)
        self.fileCombo = QComboBox()
        self.fileCombo.currentIndexChanged.connect(lambda _i: self.read_file_header())
        self.headerCheck = QCheckBox("First line is a &header")
        self.headerCheck.setChecked(True)
        self.headerCheck.toggled.connect(lambda _c: self.read_file_header())
        top = QHBoxLayout()
        top.addWidget(_label("&Saved mapping:", self.presetCombo))
        top.addWidget(self.presetCombo, 1)
        top.addWidget(self.saveButton)
        top.addSpacing(16)
        self.fileLabel = _label("P&review file:", self.fileCombo)
        top.addWidget(self.fileLabel)
        top.addWidget(self.fileCombo, 1)
        top.addWidget(self.headerCheck)

        # one combo of the file's columns per read field, in two columns
        self.columnCombos: dict[str, QComboBox] = {}
        cols = QWidget()
        grid = QGridLayout(cols)
        grid.setContentsMargins(4, 4, 4, 4)
        half = (len(FIELDS) + 1) // 2
        for i, fld in enumerate(FIELDS):
            combo = QComboBox()
            combo.setObjectName(f"column_{fld}")
            combo.setMinimumContentsLength(9)
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.currentIndexChanged.connect(lambda _i: self.changed())
            self.columnCombos[fld] = combo
            r, c = (i, 0) if i < half else (i - half, 2)
            grid.addWidget(_label(FIELD_LABELS[fld], combo), r, c)
            grid.addWidget(combo, r, c + 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        scroll = QScrollArea()
        scroll.setWidget(cols)
        scroll.setWidgetResizable(True)
        columns_box = QGroupBox("Columns")
        QVBoxLayout(columns_box).addWidget(scroll)

        self.formatCombo = QComboBox()
        self.formatCombo.setEditable(True)
        self.formatCombo.addItems(DATETIME_FORMATS)
        self.formatCombo.setToolTip(
            "iso8601, epoch_s, epoch_ms, or tokens such as MM/DD/YYYY - HH:mm:SS (MM month, "
            "mm minutes; hh with AM/PM for a 12-hour clock), or a strptime format with %.")
        self.formatCombo.setAccessibleName("Date and time format")
        self.zoneCombo = QComboBox()
        self.zoneCombo.setEditable(True)
        self.zoneCombo.addItems(TIME_ZONES)
        self.zoneCombo.setToolTip("The zone of times the file writes without an offset "
                                  f"(the site's is {SITE_ZONE.key}). Type part of a name to "
                                  "pick from every zone.")
        self.zoneCombo.setAccessibleName("Time zone")
        zones = QCompleter(sorted(available_timezones()), self.zoneCombo)
        zones.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        zones.setFilterMode(Qt.MatchFlag.MatchContains)
        self.zoneCombo.setCompleter(zones)
        self.delimiterCombo = QComboBox()
        for text, value in DELIMITER_CHOICES:
            self.delimiterCombo.addItem(text, value)
        self.missingEdit = QLineEdit()
        self.missingEdit.setToolTip("Comma-separated values that mean 'no value'; an empty "
                                    "cell always does.")
        self.cameraEdit = QLineEdit()
        self.cameraEdit.setMaxLength(200)
        self.cameraEdit.setPlaceholderText("when the file has no camera column")
        for combo in (self.formatCombo, self.zoneCombo):
            combo.editTextChanged.connect(lambda _t: self.changed())
        self.delimiterCombo.currentIndexChanged.connect(lambda _i: self.read_file_header())
        self.missingEdit.textChanged.connect(lambda _t: self.changed())
        self.cameraEdit.textChanged.connect(lambda _t: self.changed())
        values_box = QGroupBox("Values")
        form = QFormLayout(values_box)
        form.addRow(_label("Date/time f&ormat:", self.formatCombo), self.formatCombo)
        form.addRow(_label("Time &zone:", self.zoneCombo), self.zoneCombo)
        form.addRow(_label("&Delimiter:", self.delimiterCombo), self.delimiterCombo)
        form.addRow(_label("Missing mar&kers:", self.missingEdit), self.missingEdit)
        form.addRow(_label("Fi&xed camera:", self.cameraEdit), self.cameraEdit)

        middle = QHBoxLayout()
        middle.addWidget(columns_box, 3)
        middle.addWidget(values_box, 2)

        self.problemLabel = _wrap("")
        self.problemLabel.setObjectName("mappingProblem")
        self.problemLabel.setStyleSheet("color: #b71c1c;")
        self.previewLabel = _wrap("")
        self.previewLabel.setObjectName("previewSummary")
        self.previewTable = QTableView()
        self.previewTable.setObjectName("previewTable")
        self.previewTable.setAccessibleName("Preview of the first rows")
        self.previewTable.setTabKeyNavigation(False)
        self.previewTable.setModel(self.model)
        self.previewTable.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.previewTable.verticalHeader().hide()
        self.previewTable.verticalHeader().setDefaultSectionSize(
            self.previewTable.fontMetrics().height() + 8)
        self.previewTable.horizontalHeader().setStretchLastSection(True)
        self.previewTable.setWordWrap(False)
        self.model.modelReset.connect(self._fit_columns)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(middle, 2)
        layout.addWidget(self.problemLabel)
        layout.addWidget(self.previewLabel)
        layout.addWidget(self.previewTable, 3)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(250)
        self.timer.timeout.connect(self.run_preview)
        self.set_mapping(new_mapping())

    # -- entering the page ---------------------------------------------------------------
    def initializePage(self) -> None:
        files = self.wiz.filesPage.delimited()
        self._filling = True
        current = self.fileCombo.currentData()
        self.fileCombo.clear()
        for p in files:
            self.fileCombo.addItem(p.name, str(p))
        if current in [str(p) for p in files]:
            self.fileCombo.setCurrentIndex([str(p) for p in files].index(current))
        self._filling = False
        several = len(files) > 1
        self.fileLabel.setVisible(several)
        self.fileCombo.setVisible(several)
        self.read_file_header(guess=not any(c.currentIndex() > 0
                                            for c in self.columnCombos.values()))
        self.wiz.load_preset_names()

    def preview_path(self) -> Path | None:
        data = self.fileCombo.currentData()
        return Path(data) if data else None

    def read_file_header(self, *, guess: bool = False) -> None:
        """Fill the column pickers from the preview file's first line (its own delimiter)."""
        if self._filling:
            return
        path = self.preview_path()
        if path is None:
            return
        try:
            _delim, first = read_header(path, Mapping(), self.delimiterCombo.currentData())
        except OSError as exc:
            show_problem(self, exc, title="Cannot Read the File")
            first = []
        header = first if self.headerCheck.isChecked() else [
            f"#{i + 1}" for i in range(len(first))]
        chosen = {f: c.currentData() for f, c in self.columnCombos.items()}
        if guess and self.headerCheck.isChecked():
            chosen = {f: None for f in FIELDS} | guess_columns(header)
        self.header = header
        self._filling = True
        for fld, combo in self.columnCombos.items():
            combo.clear()
            combo.addItem(NOT_MAPPED, None)
            for name in header:
                combo.addItem(name, name)
            self._select(combo, chosen.get(fld))
        self._filling = False
        self.changed()

    @staticmethod
    def _select(combo: QComboBox, column: str | None) -> None:
        if not column:
            combo.setCurrentIndex(0)
            return
        i = combo.findData(column)
        if i < 0:  # a preset's column this file lacks: keep it, the preview will say so
            combo.addItem(f"{column} (not in this file)", column)
            i = combo.count() - 1
        combo.setCurrentIndex(i)

    # -- mapping <-> editors ---------------------------------------------------------------
    def mapping(self) -> Mapping:
        columns = {f: c.currentData() for f, c in self.columnCombos.items() if c.currentData()}
        markers = [m.strip() for m in self.missingEdit.text().split(",") if m.strip()]
        name = self.presetCombo.currentText() if self.presetCombo.currentIndex() > 0 else ""
        return Mapping(
            name=name, columns=columns,
            datetime_format=self.formatCombo.currentText().strip(),
            timezone=self.zoneCombo.currentText().strip(),
            delimiter=self.delimiterCombo.currentData(),
            missing=("", *markers), encoding=self._encoding,
            has_header=self.headerCheck.isChecked(), camera=self.cameraEdit.text().strip(),
        )

    def set_mapping(self, mapping: Mapping) -> None:
        self._filling = True
        self._encoding = mapping.encoding
        self.formatCombo.setEditText(mapping.datetime_format)
        self.zoneCombo.setEditText(mapping.timezone)
        i = self.delimiterCombo.findData(mapping.delimiter)
        self.delimiterCombo.setCurrentIndex(max(i, 0))
        self.missingEdit.setText(", ".join(m for m in mapping.missing if m.strip()))
        self.cameraEdit.setText(mapping.camera)
        self.headerCheck.setChecked(mapping.has_header)
        for fld, combo in self.columnCombos.items():
            if combo.count() == 0:
                combo.addItem(NOT_MAPPED, None)
            self._select(combo, mapping.columns.get(fld))
        self._filling = False
        self.changed()

    def load_preset(self) -> None:
        if self.presetCombo.currentIndex() <= 0:
            return
        self.wiz.load_preset(self.presetCombo.currentText())

    def apply_preset(self, mapping: Mapping) -> None:
        """A saved mapping, applied to this file's columns."""
        self.set_mapping(mapping)
        self.read_file_header()

    def set_preset_names(self, names: Sequence[str], select: str = "") -> None:
        current = select or (self.presetCombo.currentText()
                             if self.presetCombo.currentIndex() > 0 else "")
        self.presetCombo.blockSignals(True)
        self.presetCombo.clear()
        self.presetCombo.addItem(NEW_MAPPING)
        self.presetCombo.addItems(list(names))
        i = self.presetCombo.findText(current) if current else 0
        self.presetCombo.setCurrentIndex(max(i, 0))
        self.presetCombo.blockSignals(False)

    def save_mapping(self) -> None:
        suggested = self.presetCombo.currentText() if self.presetCombo.currentIndex() > 0 \
            else ""
        name = self.wiz.ask_name(self, suggested)
        if name:
            self.wiz.save_mapping(dataclasses.replace(self.mapping(), name=name.strip()))

    # -- validation and preview ------------------------------------------------------------
    def changed(self) -> None:
        if self._filling:
            return
        self._preview_ok = False
        self._generation += 1  # a preview still running is for an older mapping
        problems = self.mapping().problems()
        self.problemLabel.setText(
            ("The mapping is not complete: " + "; ".join(problems) + ".") if problems else "")
        self.saveButton.setEnabled(not problems)
        if problems:
            self.model.clear()
            self.previewLabel.setText("")
            self.completeChanged.emit()
            self.previewed.emit()
            return
        self.previewLabel.setText("Reading the first rows…")
        self.completeChanged.emit()
        self.timer.start()

    def run_preview(self) -> None:
        path = self.preview_path()
        if path is None:
            return
        generation = self._generation
        mapping = self.mapping()
        clock = self.wiz.controller.clock
        images = self.wiz.filesPage.images()
        self.preview_busy = True

        def done(value: object) -> None:
            if generation == self._generation:
                self.preview_busy = False
                self.show_preview(value)

        run_task(lambda: preview_rows(path, mapping, clock, images=images),
                 on_result=done, on_error=done)

    def show_preview(self, value: object) -> None:
        if isinstance(value, Preview):
            self.model.set_rows(value.rows)
            self._preview_ok = True
            shown, bad = len(value.rows), value.rejected
            delim = next((n for n, d in DELIMITER_NAMES.items() if d == value.delimiter),
                         repr(value.delimiter))
            self.previewLabel.setText(
                f"First {shown} rows of {self.preview_path().name} ({delim}-separated): "
                f"{shown - bad} would be imported, {bad} rejected. Times are shown in the "
                f"site's zone ({SITE_ZONE.key}).")
        else:
            self.model.clear()
            self.previewLabel.setText("")
            if isinstance(value, FileRefused):
                self.problemLabel.setText(str(value))
            else:
                self.problemLabel.setText("The file cannot be previewed.")
                show_problem(self, value, title="Cannot Preview")  # type: ignore[arg-type]
        self.completeChanged.emit()
        self.previewed.emit()

    def _fit_columns(self) -> None:
        self.previewTable.resizeColumnsToContents()

    def isComplete(self) -> bool:
        return self._preview_ok and not self.preview_busy


# -- page 3: run ----------------------------------------------------------------------------
class RunPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Importing")
        self.setSubTitle("Good rows go in batch by batch; bad rows go to the reject report. "
                         "Stopping keeps every finished batch: run the same files again to "
                         "finish.")
        self.fileLabel = QLabel()
        self.fileLabel.setObjectName("runFile")
        self.progressBar = QProgressBar()
        self.progressBar.setObjectName("progressBar")
        self.progressBar.setTextVisible(True)
        self.countsLabel = QLabel()
        self.countsLabel.setObjectName("runCounts")
        self.stateLabel = _wrap("")
        self.stateLabel.setObjectName("runState")
        self.stopButton = QPushButton("S&top Import")
        self.stopButton.clicked.connect(self.wiz.stop_import)
        self.retryButton = QPushButton("&Run Again")
        self.retryButton.clicked.connect(self.wiz.start_import)
        buttons = QHBoxLayout()
        buttons.addWidget(self.stopButton)
        buttons.addWidget(self.retryButton)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.fileLabel)
        layout.addWidget(self.progressBar)
        layout.addWidget(self.countsLabel)
        layout.addSpacing(8)
        layout.addLayout(buttons)
        layout.addWidget(self.stateLabel)
        layout.addStretch(1)

    def initializePage(self) -> None:
        self.wiz.start_import()

    def isComplete(self) -> bool:
        return self.wiz.summary is not None and not self.wiz.running


# -- page 4: summary ------------------------------------------------------------------------
class SummaryPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Summary")
        self.setSubTitle("What was added and what was refused. The reject report names the "
                         "file, line, column and reason of each refused row, never its values.")
        self.headline = _wrap("")
        self.headline.setObjectName("summaryHeadline")
        self.table = QTableWidget(0, 6)
        self.table.setObjectName("summaryTable")
        self.table.setAccessibleName("Import summary by file")
        self.table.setTabKeyNavigation(False)
        self.table.setHorizontalHeaderLabels(
            ["File", "Result", "Accepted", "Already present", "Rejected", "Format"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.Stretch)
        self.reasonsLabel = _wrap("")
        self.reasonsLabel.setObjectName("summaryReasons")
        self.reasonsLabel.setTextFormat(Qt.TextFormat.RichText)
        self.camerasLabel = _wrap("")
        self.camerasLabel.setObjectName("summaryCameras")
        self.reportLabel = _wrap("")
        self.reportLabel.setObjectName("summaryReport")
        self.reportLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.openReportButton = QPushButton("&Open Reject Report")
        self.openReportButton.clicked.connect(self.wiz.open_report)
        self.resumeButton = QPushButton("&Resume Import")
        self.resumeButton.clicked.connect(self.wiz.resume_import)
        buttons = QHBoxLayout()
        buttons.addWidget(self.openReportButton)
        buttons.addWidget(self.resumeButton)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.table)
        layout.addWidget(self.reasonsLabel)
        layout.addWidget(self.camerasLabel)
        layout.addWidget(self.reportLabel)
        layout.addLayout(buttons)
        layout.addStretch(1)

    def initializePage(self) -> None:
        s = self.wiz.summary
        if s is None:
            return
        if s.cancelled:
            self.headline.setText(
                f"The import was stopped. {s.added:,} reads were added before it stopped; "
                "Resume Import (or importing the same files later) finishes it without "
                "adding any read twice.")
        else:
            self.headline.setText(
                f"Import finished in {s.seconds:.1f} s: {s.added:,} reads added, "
                f"{s.duplicates:,} already present, {s.rejected:,} rejected.")
        self.table.setRowCount(0)
        for f in s.files:
            r = self.table.rowCount()
            self.table.insertRow(r)
            if f.refused:
                status = f"Refused: {f.refused}"
            elif f.already_imported:
                status = "Imported earlier; nothing added"
            elif f.resumed:
                status = "Resumed and finished"
            else:
                status = "Done"
            cells = [f.name, status, f"{f.accepted:,}", f"{f.duplicates:,}",
                     f"{f.rejected_total:,}", FORMAT_NAMES.get(f.format, f.format)]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if c in (2, 3, 4):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        # as tall as its rows (up to eight), so the reasons below stay in view
        shown = min(max(self.table.rowCount(), 1), 8)
        self.table.setFixedHeight(self.table.horizontalHeader().height()
                                  + shown * self.table.verticalHeader().defaultSectionSize()
                                  + 2 * self.table.frameWidth() + 2)
        reasons = s.rejected_by_reason()
        if reasons:
            lines = []
            for code, n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])):
                try:
                    text = REASON_TEXT[Reason(code)]
                except ValueError:
                    text = code
                lines.append(f"{n:,} × {html.escape(text)} <small>({html.escape(code)})</small>")
            self.reasonsLabel.setText("<b>Rejected by reason</b><br>" + "<br>".join(lines))
        else:
            self.reasonsLabel.setText("No row was rejected.")
        cams = s.new_cameras
        self.camerasLabel.setText(
            f"New cameras ({len(cams)}): " + ", ".join(cams) if cams else "No new cameras.")
        self.reportLabel.setText(f"Reject report (file, line, column, reason; no values): "
                                 f"{s.report_path}" if s.report_path else "")
        self.openReportButton.setVisible(s.report_path is not None)
        self.resumeButton.setVisible(s.cancelled)
        (self.openReportButton if s.report_path else self.wiz.button(
            QWizard.WizardButton.FinishButton)).setFocus()


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
        controller: SessionController,
        *,
        pick_files: FilePicker = _pick_files,
        pick_images: ImagesPicker = _pick_images,
        ask_name: NamePrompt = _ask_name,
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
    def options(self) -> ImportOptions:
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
        options = self.options()
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
