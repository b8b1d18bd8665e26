"""The frame the travel analyses' windows (co-travel, locate, cloned plates) share: their
result buttons, status line and layout, closing on lock, sign-out or a new purpose, and how a
run starts and fails. Each window adds its own form, tables and result."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import QDialog, QLabel, QLayout, QPushButton, QVBoxLayout, QWidget

from alpr_desktop.gui import purge_hook
from alpr_desktop.gui.access_feedback import show_problem
from alpr_desktop.gui.accessibility import name_controls
from alpr_desktop.gui.analysis.cotravel_links import AnalysisLinks, result_buttons
from alpr_desktop.gui.controller import Controller


class TravelWindow(QDialog):
    runButton: QPushButton
    failed_words = "The analysis did not run."

    def __init__(self, controller: Controller, links: AnalysisLinks | None,
                 parent: QWidget | None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.links = links

    def finish_layout(self, top: Sequence[QWidget | QLayout], body: QWidget, status: str,
                      status_name: str) -> None:
        """Buttons (open images, map, case file, close) under ``body``, a status line last;
        named controls for the screen reader; closed with the session or the purpose."""
        self.openButton, self.mapButton, self.caseButton, buttons = result_buttons()
        self.openButton.clicked.connect(self.open_selected)
        self.mapButton.clicked.connect(self.open_map)
        self.caseButton.clicked.connect(self.case_file)
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        buttons.addWidget(close)
        self.statusLabel = QLabel(status)
        self.statusLabel.setObjectName(status_name)
        self.statusLabel.setWordWrap(True)
        layout = QVBoxLayout(self)
        for part in top:
            if isinstance(part, QLayout):
                layout.addLayout(part)
            else:
                layout.addWidget(part)
        layout.addWidget(body, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.statusLabel)
        self.resize(1000, 660)
        self.controller.locked.connect(self.close)
        self.controller.signed_out.connect(self.close)
        self.controller.purpose_changed.connect(lambda _p: self.close())
        purge_hook.listen(self.reads_purged, self.shown_read_ids)
        name_controls(self)

    def start(self, call: Callable[[Any, Any], Any], busy: str) -> None:
        """Run the gated ``call(services, ctx)`` on a worker; the result to show_result."""
        self.runButton.setEnabled(False)
        self.statusLabel.setText(busy)
        self.controller.run(call, self.show_result, self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.runButton.setEnabled(True)
        self.statusLabel.setText(self.failed_words)
        show_problem(self, exc)

    def shown_read_ids(self) -> list[int]:
        found = getattr(self, "found", None)
        return [r.read.id for r in found.rows] if found is not None else []

    def reads_purged(self, gone: frozenset[int]) -> int:
        """Reads a purge deleted leave the window at once (issue 14), said on the status
        line; the number removed."""
        n = self.drop_reads(gone)
        if n:
            self.statusLabel.setText(purge_hook.removed_words(n))
        return n

    def rows_left(self, gone: frozenset[int]) -> tuple[Any, tuple[Any, ...]] | None:
        """(the shown result, its rows a purge left), or None when none of them was purged."""
        found = getattr(self, "found", None)
        if found is None:
            return None
        rows = purge_hook.living(found.rows, gone)
        return None if len(rows) == len(found.rows) else (found, rows)

    # each window's own
    def drop_reads(self, gone: frozenset[int]) -> int:
        """Remove the reads in ``gone`` from the result and the tables; how many were shown."""
        raise NotImplementedError

    def show_result(self, result: Any) -> None:
        raise NotImplementedError

    def open_selected(self) -> None:
        raise NotImplementedError

    def open_map(self) -> None:
        raise NotImplementedError

    def case_file(self) -> None:
        raise NotImplementedError
