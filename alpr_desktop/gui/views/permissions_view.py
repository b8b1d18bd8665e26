"""The custodian's Contractor permissions screen: record and revoke written permissions."""

from __future__ import annotations

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

from alpr_desktop.core.accounts import WrittenPermission
from alpr_desktop.gui.access_feedback import show_problem
from alpr_desktop.gui.dialogs.permission import PermissionDialog, RevokeDialog
from alpr_desktop.gui.models.permissions_model import PermissionsModel
from alpr_desktop.gui.session_controller import SessionController


class PermissionsView(QWidget):
    def __init__(self, controller: SessionController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.dialog: QWidget | None = None
        self.model = PermissionsModel(controller.clock, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.table.horizontalHeader().setStretchLastSection(True)
        self.recordButton = QPushButton("&Record Permission…")
        self.revokeButton = QPushButton("Re&voke…")
        self.refreshButton = QPushButton("Re&fresh")
        self.recordButton.clicked.connect(self.record)
        self.revokeButton.clicked.connect(self.revoke)
        self.refreshButton.clicked.connect(self.refresh)
        buttons = QHBoxLayout()
        buttons.addWidget(self.recordButton)
        buttons.addWidget(self.revokeButton)
        buttons.addStretch(1)
        buttons.addWidget(self.refreshButton)
        self.statusLabel = QLabel()
        self.statusLabel.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h3>Contractor written permissions</h3>"))
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.statusLabel)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.model.modelReset.connect(self._update_buttons)
        self._update_buttons()

    def refresh(self) -> None:
        self.controller.run(lambda s, ctx: s.permissions.list_permissions(ctx),
                            self.model.set_rows, lambda exc: show_problem(self, exc))

    def clear_data(self) -> None:
        self.model.clear()

    def selected(self) -> WrittenPermission | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        p = self.selected()
        self.revokeButton.setEnabled(p is not None and p.revoked_ms is None)

    def _open(self, dialog: Any, message: str) -> Any:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(lambda p: self._saved(message.format(p=p)))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _saved(self, message: str) -> None:
        self.statusLabel.setText(message)
        self.refresh()

    def record(self) -> PermissionDialog:
        return self._open(PermissionDialog(self, self.controller),
                          "Recorded {p.reference} for {p.contractor_username}.")

    def revoke(self) -> RevokeDialog | None:
        p = self.selected()
        if p is None or p.revoked_ms is not None:
            return None
        return self._open(RevokeDialog(self, self.controller, p), "Revoked {p.reference}.")
