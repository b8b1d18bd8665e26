"""Page 2 of the import wizard: map delimited columns to fields and preview the result
(the user's own file, parsed with the mapping; nothing of the store is shown)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import available_timezones

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from alpr_desktop.core.clock import SITE_ZONE
from alpr_desktop.gui import palette
from alpr_desktop.gui.access_feedback import show_problem
from alpr_desktop.gui.dialogs.import_wizard.common import (
    DATETIME_FORMATS,
    DELIMITER_CHOICES,
    FIELD_LABELS,
    NEW_MAPPING,
    NOT_MAPPED,
    TIME_ZONES,
    buddy_label,
    new_mapping,
    wrapped_label,
)
from alpr_desktop.gui.models.import_preview_model import ImportPreviewModel
from alpr_desktop.gui.workers import run_task
from alpr_desktop.services.import_files import (
    DELIMITER_NAMES,
    FIELDS,
    FileRefused,
    Mapping,
    Preview,
    guess_columns,
    preview_rows,
    read_header,
)

if TYPE_CHECKING:
    from alpr_desktop.gui.dialogs.import_wizard.wizard import ImportWizard


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
        top.addWidget(buddy_label("&Saved mapping:", self.presetCombo))
        top.addWidget(self.presetCombo, 1)
        top.addWidget(self.saveButton)
        top.addSpacing(16)
        self.fileLabel = buddy_label("P&review file:", self.fileCombo)
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
            grid.addWidget(buddy_label(FIELD_LABELS[fld], combo), r, c)
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
        form.addRow(buddy_label("Date/time f&ormat:", self.formatCombo), self.formatCombo)
        form.addRow(buddy_label("Time &zone:", self.zoneCombo), self.zoneCombo)
        form.addRow(buddy_label("&Delimiter:", self.delimiterCombo), self.delimiterCombo)
        form.addRow(buddy_label("Missing mar&kers:", self.missingEdit), self.missingEdit)
        form.addRow(buddy_label("Fi&xed camera:", self.cameraEdit), self.cameraEdit)

        middle = QHBoxLayout()
        middle.addWidget(columns_box, 3)
        middle.addWidget(values_box, 2)

        self.problemLabel = wrapped_label("")
        self.problemLabel.setObjectName("mappingProblem")
        self.problemLabel.setStyleSheet(palette.text_style(palette.ERROR_TEXT))
        self.previewLabel = wrapped_label("")
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
            path = self.preview_path()
            self.previewLabel.setText(
                f"First {shown} rows of {path.name if path else 'the file'} "
                f"({delim}-separated): "
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
