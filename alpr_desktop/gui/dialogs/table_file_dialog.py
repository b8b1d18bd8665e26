"""A CSV file shown as a table inside the program: for the import's reject report when the
computer has no program for CSV files. It reads the file the program wrote itself (places and
reasons, no plate data) and changes nothing."""

from __future__ import annotations

import csv
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

MAX_ROWS = 50_000


def read_table(path: Path, limit: int = MAX_ROWS) -> tuple[list[str], list[list[str]], bool]:
    """(header, up to ``limit`` rows, whether rows were left out); OSError/ValueError when the
    file cannot be read."""
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.reader(fh)
        header = next(reader, [])
        rows: list[list[str]] = []
        for row in reader:
            if len(rows) >= limit:
                return header, rows, True
            rows.append(row)
    return header, rows, False


class TableFileDialog(QDialog):
    def __init__(self, parent: QWidget | None, path: Path, title: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("tableFileDialog")
        self.path = path
        header, rows, cut = read_table(path)
        self.table = QTableWidget(len(rows), len(header))
        self.table.setObjectName("tableFileTable")
        self.table.setAccessibleName(title)
        self.table.setHorizontalHeaderLabels(header)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        for r, row in enumerate(rows):
            for c, text in enumerate(row[: len(header)]):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.setSortingEnabled(True)
        note = f"{len(rows):,} rows of {path}"
        if cut:
            note = f"The first {len(rows):,} rows of {path} (open the file for the rest)"
        self.noteLabel = QLabel(note)
        self.noteLabel.setObjectName("tableFileNote")
        self.noteLabel.setTextFormat(Qt.TextFormat.PlainText)
        self.noteLabel.setWordWrap(True)
        self.noteLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.noteLabel)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(760, 480)
        self.table.setFocus()
