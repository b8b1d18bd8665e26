""""My searches": the analyst's own searches under the current purpose (read from the log by
a gated call, "history.own"), to run one again without retyping it. A re-run is a new query
with its own log entry."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from alpr_desktop.core.past_searches import MySearches, PastSearch
from alpr_desktop.gui.access_feedback import show_problem
from alpr_desktop.gui.accessibility import name_controls
from alpr_desktop.gui.controller import Controller
from alpr_desktop.gui.models.view_rows import PastSearchesModel


class MySearchesDialog(QDialog):
    rerun_requested = Signal(object)  # PastSearch

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mySearches")
        self.setWindowTitle("My searches under this purpose")
        self.controller = controller
        self.model = PastSearchesModel(self)
        self.table = QTableView()
        self.table.setObjectName("mySearchesTable")
        self.table.setAccessibleName("Your searches under the current purpose, newest first")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _i: self.rerun())
        self.statusLabel = QLabel("Loading…")
        self.statusLabel.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.rerunButton = self.buttons.addButton("&Run Again",
                                                  QDialogButtonBox.ButtonRole.ActionRole)
        self.rerunButton.clicked.connect(self.rerun)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.statusLabel)
        layout.addWidget(self.buttons)
        self.resize(760, 420)
        controller.locked.connect(self.close)
        controller.signed_out.connect(self.close)
        name_controls(self)

    def load(self) -> None:
        def failed(exc: BaseException) -> None:
            self.statusLabel.setText("Your searches could not be listed.")
            show_problem(self, exc)

        self.controller.run(lambda s, ctx: s.views.my_searches(ctx), self.show_searches,
                            failed)

    def show_searches(self, mine: MySearches) -> None:
        self.model.set_rows(mine.searches)
        self.table.resizeColumnsToContents()
        n = len(mine.searches)
        self.statusLabel.setText(
            f"{n:,} search{'es' if n != 1 else ''} under this purpose. Running one again is a "
            "new search, logged like any other." if n else
            "No searches under this purpose yet.")
        if n:
            self.table.selectRow(0)

    def selected(self) -> PastSearch | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def rerun(self) -> None:
        p = self.selected()
        if p is None:
            return
        if p.rerun is None:
            self.statusLabel.setText("That entry holds too little to run it again.")
            return
        self.rerun_requested.emit(p)
        self.accept()
