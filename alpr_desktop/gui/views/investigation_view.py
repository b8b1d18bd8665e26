"""A minimal investigation screen: the active purpose, always visible, and a plate search.

The full search view comes later; this one proves the purpose gate end to end. Search is
disabled without an active purpose (pressing Enter opens the purpose dialog instead), the
search itself runs on a worker through ReadService (which refuses without a purpose and logs
the access before returning), and the results are dropped when the purpose ends or the
session locks.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from alpr_desktop.core.accounts import ActivePurpose
from alpr_desktop.core.roles import Role
from alpr_desktop.gui.access_feedback import show_problem
from alpr_desktop.gui.dialogs.purpose import PurposeDialog
from alpr_desktop.gui.models.reads_model import ReadsModel
from alpr_desktop.gui.session_controller import SessionController, describe_purpose

ACTIVE_STYLE = "QFrame#purposeBanner { background: #e8f1fb; border: 1px solid #7aa7d6; }"
NONE_STYLE = "QFrame#purposeBanner { background: #fff4e5; border: 1px solid #e0a040; }"


class InvestigationView(QWidget):
    def __init__(self, controller: SessionController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.purpose_dialog: PurposeDialog | None = None
        self._searching = False
        self.banner = QFrame()
        self.banner.setObjectName("purposeBanner")
        self.purposeLabel = QLabel()
        self.purposeLabel.setObjectName("purposeLabel")
        self.purposeLabel.setWordWrap(True)
        self.purposeLabel.setTextFormat(Qt.TextFormat.PlainText)
        self.changeButton = QPushButton()
        self.endButton = QPushButton("&End Purpose")
        self.changeButton.clicked.connect(self.open_purpose_dialog)
        self.endButton.clicked.connect(self.end_purpose)
        banner_row = QHBoxLayout(self.banner)
        banner_row.addWidget(self.purposeLabel, 1)
        banner_row.addWidget(self.changeButton)
        banner_row.addWidget(self.endButton)

        plate_label = QLabel("&Plate:")
        self.plateEdit = QLineEdit()
        self.plateEdit.setMaxLength(16)
        self.plateEdit.setPlaceholderText("e.g. 7ABC123")
        plate_label.setBuddy(self.plateEdit)
        self.searchButton = QPushButton("&Search")
        self.searchButton.clicked.connect(self.search)
        self.plateEdit.returnPressed.connect(self.search)
        search_row = QHBoxLayout()
        search_row.addWidget(plate_label)
        search_row.addWidget(self.plateEdit, 1)
        search_row.addWidget(self.searchButton)

        self.statusLabel = QLabel()
        self.statusLabel.setObjectName("searchStatus")
        self.statusLabel.setTextFormat(Qt.TextFormat.PlainText)
        self.model = ReadsModel(self)
        self.resultsView = QTableView()
        self.resultsView.setModel(self.model)
        self.resultsView.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.resultsView.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.resultsView.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.resultsView.horizontalHeader().setStretchLastSection(True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(search_row)
        layout.addWidget(self.statusLabel)
        layout.addWidget(self.resultsView, 1)
        controller.purpose_changed.connect(self.show_purpose)
        self.show_purpose(controller.purpose)

    # -- the purpose ---------------------------------------------------------------------
    def show_purpose(self, purpose: ActivePurpose | None) -> None:
        active = purpose is not None
        self.banner.setStyleSheet(ACTIVE_STYLE if active else NONE_STYLE)
        if active:
            self.purposeLabel.setText(f"Active purpose: {describe_purpose(purpose)}")
            self.purposeLabel.setToolTip(purpose.purpose.narrative if purpose else "")
        else:
            self.purposeLabel.setText(
                "No active purpose. Declare the purpose of this investigation before any "
                "search (policy §3)."
            )
            self.purposeLabel.setToolTip("")
            self.clear_data()
        self.changeButton.setText("C&hange Purpose…" if active else "&Declare Purpose…")
        self.endButton.setEnabled(active)
        self.searchButton.setEnabled(active and not self._searching)

    def open_purpose_dialog(self) -> None:
        """Load the case formats (and a contractor's permissions) on a worker, then ask."""
        contractor = (
            self.controller.session is not None and Role.CONTRACTOR in self.controller.session.roles
        )

        def load(s: Any, ctx: Any) -> tuple[Any, Any]:
            perms = s.permissions.my_active_permissions(ctx) if contractor else []
            return s.settings.case_formats(), perms

        def loaded(result: tuple[Any, Any]) -> None:
            formats, perms = result
            current = self.controller.purpose.purpose if self.controller.purpose else None
            dialog = PurposeDialog(self, self.controller, case_formats=formats,
                                   permissions=perms, current=current)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.purpose_dialog = dialog
            dialog.open()

        self.controller.run(load, loaded, lambda exc: show_problem(self, exc))

    def end_purpose(self) -> None:
        self.controller.end_purpose(lambda _r: None, lambda exc: show_problem(self, exc))

    # -- search --------------------------------------------------------------------------
    def search(self) -> None:
        """Search the typed plate; without an active purpose, ask for one instead."""
        if self._searching:
            return
        if self.controller.purpose is None:
            self.open_purpose_dialog()
            return
        plate = self.plateEdit.text().strip()
        if not plate:
            self.statusLabel.setText("Type a plate to search.")
            return
        self._set_searching(True)
        self.statusLabel.setText(f"Searching {plate}…")
        self.controller.run(
            lambda s, ctx: s.reads.reads_for_plate(ctx, plate), self._found, self._failed
        )

    def _found(self, reads: list[Any]) -> None:
        self._set_searching(False)
        self.model.set_rows(reads)
        n = len(reads)
        self.statusLabel.setText(f"{n} read{'s' if n != 1 else ''} found. This search is logged.")

    def _failed(self, exc: BaseException) -> None:
        self._set_searching(False)
        self.statusLabel.setText("The search did not run.")
        show_problem(self, exc, title="Search Refused")

    def _set_searching(self, busy: bool) -> None:
        self._searching = busy
        self.searchButton.setEnabled(not busy and self.controller.purpose is not None)
        self.searchButton.setText("Searching…" if busy else "&Search")
        self.setCursor(Qt.CursorShape.BusyCursor if busy else Qt.CursorShape.ArrowCursor)

    def clear_data(self) -> None:
        """Drop every read from memory and screen (lock, sign-out, purpose ended)."""
        self.model.clear()
        self.statusLabel.clear()
