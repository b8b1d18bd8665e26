"""The shape of the admin and custodian list screens (Accounts, Contractor permissions): a
title, a row of action buttons with Refresh at the right, a single-selection table over a
RowsModel, and a status line. Subclasses make the model and the buttons, then call
``_build``; they say which buttons apply to the selection in ``_update_buttons``."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from alpr_desktop.gui.controller import Controller
from alpr_desktop.gui.models.table import RowsModel


class TableScreen(QWidget):
    model: RowsModel[Any]

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.dialog: QWidget | None = None

    def _build(self, title: str, model: RowsModel[Any], buttons: Sequence[QPushButton]) -> None:
        self.model = model
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(re.sub(r"<[^>]+>", "", title))
        self.table.setTabKeyNavigation(False)  # Tab leaves the table for the next control
        self.table.verticalHeader().hide()  # row numbers mean nothing on these screens
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.table.horizontalHeader().setStretchLastSection(True)
        self.refreshButton = QPushButton("Re&fresh")
        self.refreshButton.clicked.connect(self.refresh)
        row = QHBoxLayout()
        for b in buttons:
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(self.refreshButton)
        self.statusLabel = QLabel()
        self.statusLabel.setTextFormat(Qt.TextFormat.PlainText)
        layout = self.screenLayout = QVBoxLayout(self)
        layout.addWidget(QLabel(title))
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.statusLabel)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.model.modelReset.connect(self._update_buttons)
        self._update_buttons()

    def refresh(self) -> None:
        raise NotImplementedError

    def _update_buttons(self) -> None:
        raise NotImplementedError

    def clear_data(self) -> None:
        self.model.clear()

    def selected(self) -> Any | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _open(self, dialog: Any, on_saved: Callable[[Any], None]) -> Any:
        """Open ``dialog`` window-modal; ``on_saved`` gets what its ``saved`` signal carries."""
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(on_saved)
        self.dialog = dialog
        dialog.open()
        return dialog
