"""The custodian's Contractor permissions screen: record and revoke written permissions."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QPushButton, QWidget

from alpr_desktop.core.accounts import WrittenPermission
from alpr_desktop.gui.access_feedback import show_problem
from alpr_desktop.gui.controller import Controller
from alpr_desktop.gui.dialogs.permission import PermissionDialog, RevokeDialog
from alpr_desktop.gui.models.permissions_model import PermissionsModel
from alpr_desktop.gui.views.table_screen import TableScreen


class PermissionsView(TableScreen):
    model: PermissionsModel

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(controller, parent)
        self.recordButton = QPushButton("&Record Permission…")
        self.revokeButton = QPushButton("Re&voke…")
        self.recordButton.clicked.connect(self.record)
        self.revokeButton.clicked.connect(self.revoke)
        self._build("<h3>Contractor written permissions</h3>",
                    PermissionsModel(controller.clock, self),
                    (self.recordButton, self.revokeButton))

    def refresh(self) -> None:
        self.controller.run(lambda s, ctx: s.permissions.list_permissions(ctx),
                            self.model.set_rows, lambda exc: show_problem(self, exc))

    def selected(self) -> WrittenPermission | None:
        return super().selected()

    def _update_buttons(self) -> None:
        p = self.selected()
        self.revokeButton.setEnabled(p is not None and p.revoked_ms is None)

    def _open_saying(self, dialog: Any, message: str) -> Any:
        return self._open(dialog, lambda p: self._saved(message.format(p=p)))

    def _saved(self, message: str) -> None:
        self.statusLabel.setText(message)
        self.refresh()

    def record(self) -> PermissionDialog:
        return self._open_saying(PermissionDialog(self, self.controller),
                                 "Recorded {p.reference} for {p.contractor_username}.")

    def revoke(self) -> RevokeDialog | None:
        p = self.selected()
        if p is None or p.revoked_ms is not None:
            return None
        return self._open_saying(RevokeDialog(self, self.controller, p), "Revoked {p.reference}.")
