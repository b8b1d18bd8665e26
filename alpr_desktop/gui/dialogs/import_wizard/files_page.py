"""Page 1 of the import wizard: the export files and their images."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizardPage,
)

from alpr_desktop.gui.access_feedback import show_problem
from alpr_desktop.gui.dialogs.import_wizard.common import (
    FORMAT_NAMES,
    PAGE_MAPPING,
    PAGE_RUN,
    buddy_label,
    wrapped_label,
)
from alpr_desktop.services.import_files import (
    detect_format,
)

if TYPE_CHECKING:
    from alpr_desktop.gui.dialogs.import_wizard.wizard import ImportWizard


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
        grid.addWidget(buddy_label("&Images from:", self.imagesEdit))
        grid.addWidget(self.imagesEdit, 1)
        grid.addWidget(self.folderButton)
        grid.addWidget(self.zipButton)
        self.problemLabel = wrapped_label("")
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
