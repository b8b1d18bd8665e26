"""The admin's Security settings: the idle lock (at most 30 minutes, CJIS 5.5.5) and the
accepted case-number formats. The service refuses values outside the rules and logs every
change; the spin box's bounds are only a convenience."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from alpr_desktop.core.purposes import CaseFormat
from alpr_desktop.gui.access_feedback import show_problem
from alpr_desktop.gui.session_controller import SessionController
from alpr_desktop.security import idle

FORMAT_HEADERS = ("Label", "Pattern (regular expression)", "Examples (comma-separated)")


class SecuritySettingsView(QWidget):
    def __init__(self, controller: SessionController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.idleSpin = QSpinBox()
        self.idleSpin.setRange(idle.MIN_MINUTES, idle.MAX_MINUTES)
        self.idleSpin.setSuffix(" minutes")
        self.idleSpin.setValue(idle.DEFAULT_MINUTES)
        self.saveIdleButton = QPushButton("Save &Idle Lock")
        self.saveIdleButton.clicked.connect(self.save_idle)
        idle_box = QGroupBox("Session lock")
        idle_form = QFormLayout(idle_box)
        idle_label = QLabel("&Lock after inactivity of:")
        idle_label.setBuddy(self.idleSpin)
        row = QHBoxLayout()
        row.addWidget(self.idleSpin)
        row.addWidget(self.saveIdleButton)
        row.addStretch(1)
        idle_form.addRow(idle_label, row)
        self.formatsTable = QTableWidget(0, len(FORMAT_HEADERS))
        self.formatsTable.setHorizontalHeaderLabels(list(FORMAT_HEADERS))
        self.formatsTable.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Stretch
        )
        self.formatsTable.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.addButton = QPushButton("&Add Format")
        self.removeButton = QPushButton("&Remove Format")
        self.saveFormatsButton = QPushButton("Save &Case Formats")
        self.addButton.clicked.connect(lambda: self._add_row(CaseFormat("", "")))
        self.removeButton.clicked.connect(self._remove_row)
        self.saveFormatsButton.clicked.connect(self.save_formats)
        formats_box = QGroupBox("Accepted case and incident number formats")
        formats_layout = QVBoxLayout(formats_box)
        formats_layout.addWidget(self.formatsTable)
        buttons = QHBoxLayout()
        buttons.addWidget(self.addButton)
        buttons.addWidget(self.removeButton)
        buttons.addStretch(1)
        buttons.addWidget(self.saveFormatsButton)
        formats_layout.addLayout(buttons)
        self.statusLabel = QLabel()
        self.statusLabel.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h3>Security settings</h3>"))
        layout.addWidget(idle_box)
        layout.addWidget(formats_box, 1)
        layout.addWidget(self.statusLabel)

    def refresh(self) -> None:
        def load(s: Any, _ctx: Any) -> tuple[int, tuple[CaseFormat, ...]]:
            return s.settings.idle_lock_minutes(), s.settings.case_formats()

        def loaded(result: tuple[int, tuple[CaseFormat, ...]]) -> None:
            minutes, formats = result
            self.idleSpin.setValue(minutes)
            self.formatsTable.setRowCount(0)
            for f in formats:
                self._add_row(f)

        self.controller.run(load, loaded, lambda exc: show_problem(self, exc))

    def clear_data(self) -> None:
        self.formatsTable.setRowCount(0)

    def _add_row(self, f: CaseFormat) -> None:
        row = self.formatsTable.rowCount()
        self.formatsTable.insertRow(row)
        for col, text in enumerate((f.label, f.pattern, ", ".join(f.examples))):
            self.formatsTable.setItem(row, col, QTableWidgetItem(text))

    def _remove_row(self) -> None:
        row = self.formatsTable.currentRow()
        if row >= 0:
            self.formatsTable.removeRow(row)

    def formats(self) -> list[CaseFormat]:
        out = []
        for row in range(self.formatsTable.rowCount()):
            cells = [self.formatsTable.item(row, c) for c in range(len(FORMAT_HEADERS))]
            label, pattern, examples = (c.text().strip() if c else "" for c in cells)
            if not (label or pattern):
                continue
            out.append(CaseFormat(label, pattern,
                                  tuple(e.strip() for e in examples.split(",") if e.strip())))
        return out

    def save_idle(self) -> None:
        minutes = self.idleSpin.value()
        self.controller.run(
            lambda s, ctx: s.settings.set_idle_lock_minutes(ctx, minutes),
            lambda _v: self.statusLabel.setText(f"The session now locks after {minutes} "
                                                "minutes of inactivity."),
            lambda exc: show_problem(self, exc),
        )

    def save_formats(self) -> None:
        formats = self.formats()
        self.controller.run(
            lambda s, ctx: s.settings.set_case_formats(ctx, formats),
            lambda _v: self.statusLabel.setText(f"Saved {len(formats)} case-number formats."),
            lambda exc: show_problem(self, exc),
        )
