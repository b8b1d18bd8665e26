"""The admin's Security settings: the idle lock (at most 30 minutes, CJIS 5.5.5) and the
accepted case-number formats. The service refuses values outside the rules and logs every
change; the checks here only say so early.

The idle box accepts what is typed and says when it is out of range, rather than dropping a
keystroke (a range-limited spin box turns a typed "45" into "4"). Case-number formats are
edited as examples ("123-45678-1234-567": every digit stands for any digit), with a box to try
a number against them; formats saved earlier as regular expressions are kept as written."""

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
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from alpr_desktop.core.case_examples import (
    is_example_based,
    matching_labels,
    pattern_from_example,
    shape_of,
)
from alpr_desktop.core.purposes import CaseFormat
from alpr_desktop.core.store_format import StoreFileStatus
from alpr_desktop.gui import palette
from alpr_desktop.gui.access_feedback import show_problem
from alpr_desktop.gui.controller import Controller
from alpr_desktop.services.settings import (
    IDLE_DEFAULT_MINUTES,
    IDLE_MAX_MINUTES,
    IDLE_MIN_MINUTES,
    check_idle_minutes,
)

FORMAT_HEADERS = ("Label", "Example", "Accepts")
LABEL, EXAMPLE, SHAPE = range(3)
FormatRole = Qt.ItemDataRole.UserRole + 1
PROBLEM_STYLE = palette.text_style(palette.ERROR_TEXT)
TYPING_MAX = 999  # what the box accepts while typing; the rule is idle.MIN..MAX_MINUTES


class MinutesBox(QSpinBox):
    """Minutes as typed (up to three digits); the arrows stay within the allowed range."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(0, TYPING_MAX)
        self.setSuffix(" minutes")
        self.setAccelerated(True)

    def stepBy(self, steps: int) -> None:
        target = min(max(self.value() + steps, IDLE_MIN_MINUTES), IDLE_MAX_MINUTES)
        self.setValue(target)
        self.selectAll()

    def problem(self) -> str:
        try:
            check_idle_minutes(self.value())
        except ValueError as exc:
            return str(exc)
        return ""


class SecuritySettingsView(QWidget):
    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self._filling = False
        self.idleSpin = MinutesBox()
        self.idleSpin.setObjectName("idleSpin")
        self.idleSpin.setValue(IDLE_DEFAULT_MINUTES)
        self.idleSpin.setAccessibleName("Idle lock minutes")
        self.idleSpin.setToolTip(f"{IDLE_MIN_MINUTES} to {IDLE_MAX_MINUTES} minutes "
                                 "(CJIS 5.5.5 allows at most 30).")
        self.saveIdleButton = QPushButton("Save &Idle Lock")
        self.saveIdleButton.clicked.connect(self.save_idle)
        self.idleProblem = QLabel()
        self.idleProblem.setObjectName("idleProblem")
        self.idleProblem.setStyleSheet(PROBLEM_STYLE)
        self.idleProblem.setTextFormat(Qt.TextFormat.PlainText)
        self.idleProblem.setWordWrap(True)
        self.idleSpin.valueChanged.connect(lambda _v: self._check_idle())
        idle_box = QGroupBox("Session lock")
        idle_form = QFormLayout(idle_box)
        idle_label = QLabel("&Lock after inactivity of:")
        idle_label.setBuddy(self.idleSpin)
        row = QHBoxLayout()
        row.addWidget(self.idleSpin)
        row.addWidget(QLabel(f"({IDLE_MIN_MINUTES} to {IDLE_MAX_MINUTES})"))
        row.addWidget(self.saveIdleButton)
        row.addStretch(1)
        field = QVBoxLayout()
        field.addLayout(row)
        field.addWidget(self.idleProblem)
        idle_form.addRow(idle_label, field)
        self.idleProblem.hide()

        self.formatsTable = QTableWidget(0, len(FORMAT_HEADERS))
        self.formatsTable.setObjectName("formatsTable")
        self.formatsTable.setAccessibleName("Accepted case-number formats")
        self.formatsTable.setHorizontalHeaderLabels(list(FORMAT_HEADERS))
        header = self.formatsTable.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.formatsTable.verticalHeader().hide()
        self.formatsTable.setWordWrap(False)
        self.formatsTable.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.formatsTable.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.formatsTable.setTabKeyNavigation(False)
        self.formatsTable.itemChanged.connect(self._item_changed)
        self.addButton = QPushButton("&Add Format")
        self.removeButton = QPushButton("&Remove Format")
        self.saveFormatsButton = QPushButton("Save &Case Formats")
        self.addButton.clicked.connect(self.add_format)
        self.removeButton.clicked.connect(self._remove_row)
        self.saveFormatsButton.clicked.connect(self.save_formats)
        help_text = QLabel(
            "Type an example of each accepted form, e.g. 123-45678-1234-567 or CR24-001234. "
            "Every digit stands for any digit; letters and punctuation must appear as "
            "written. Formats saved earlier as patterns are kept as they are.")
        help_text.setWordWrap(True)
        self.testEdit = QLineEdit()
        self.testEdit.setObjectName("caseTestEdit")
        self.testEdit.setPlaceholderText("type a case number to try it")
        self.testEdit.setClearButtonEnabled(True)
        self.testEdit.setAccessibleName("Try a case number")
        self.testEdit.textChanged.connect(lambda _t: self._update_test())
        self.testResult = QLabel()
        self.testResult.setObjectName("caseTestResult")
        self.testResult.setTextFormat(Qt.TextFormat.PlainText)
        self.testResult.setWordWrap(True)
        self.formatsProblem = QLabel()
        self.formatsProblem.setObjectName("formatsProblem")
        self.formatsProblem.setStyleSheet(PROBLEM_STYLE)
        self.formatsProblem.setTextFormat(Qt.TextFormat.PlainText)
        self.formatsProblem.setWordWrap(True)
        formats_box = QGroupBox("Accepted case and incident number formats")
        formats_layout = QVBoxLayout(formats_box)
        formats_layout.addWidget(help_text)
        formats_layout.addWidget(self.formatsTable, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.addButton)
        buttons.addWidget(self.removeButton)
        buttons.addStretch(1)
        buttons.addWidget(self.saveFormatsButton)
        formats_layout.addLayout(buttons)
        formats_layout.addWidget(self.formatsProblem)
        test_row = QHBoxLayout()
        test_label = QLabel("&Try a number:")
        test_label.setBuddy(self.testEdit)
        test_row.addWidget(test_label)
        test_row.addWidget(self.testEdit, 1)
        formats_layout.addLayout(test_row)
        formats_layout.addWidget(self.testResult)
        self.statusLabel = QLabel()
        self.statusLabel.setTextFormat(Qt.TextFormat.PlainText)
        self.statusLabel.setWordWrap(True)
        # The store file's format (issue 20): an earlier one is converted from the terminal,
        # with the store closed everywhere, so this says how rather than offering a button.
        self.storeFormatLabel = QLabel()
        self.storeFormatLabel.setObjectName("storeFormatLabel")
        self.storeFormatLabel.setTextFormat(Qt.TextFormat.PlainText)
        self.storeFormatLabel.setWordWrap(True)
        self.storeFormatLabel.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.storeFormatBox = QGroupBox("Store file")
        QVBoxLayout(self.storeFormatBox).addWidget(self.storeFormatLabel)
        self.storeFormatBox.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h3>Security settings</h3>"))
        layout.addWidget(idle_box)
        layout.addWidget(formats_box, 1)
        layout.addWidget(self.storeFormatBox)
        layout.addWidget(self.statusLabel)
        self._update_test()

    # -- loading ------------------------------------------------------------------------------
    def refresh(self) -> None:
        def load(s: Any, _ctx: Any
                 ) -> tuple[int, tuple[CaseFormat, ...], StoreFileStatus | None]:
            return (s.settings.idle_lock_minutes(), s.settings.case_formats(),
                    s.store_format.file_status())

        def loaded(result: tuple[int, tuple[CaseFormat, ...], StoreFileStatus | None]) -> None:
            minutes, formats, status = result
            self.idleSpin.setValue(minutes)
            self.formatsTable.setRowCount(0)
            for f in formats:
                self._add_row(f)
            self._update_test()
            self._show_store_format(status)

        self.controller.run(load, loaded, lambda exc: show_problem(self, exc))

    def clear_data(self) -> None:
        self.formatsTable.setRowCount(0)
        self.storeFormatLabel.clear()
        self.storeFormatBox.hide()

    def _show_store_format(self, status: StoreFileStatus | None) -> None:
        """An earlier format is shown with the command that converts it; today's in one line
        (a store that is not a file shows nothing)."""
        session = self.controller.session
        if status is None or session is None:
            self.storeFormatBox.hide()
            return
        self.storeFormatLabel.setText(status.advice(session.username))
        self.storeFormatBox.setVisible(True)

    # -- the idle lock ------------------------------------------------------------------------
    def _check_idle(self) -> bool:
        problem = self.idleSpin.problem()
        self.idleProblem.setText(problem)
        self.idleProblem.setVisible(bool(problem))
        self.saveIdleButton.setEnabled(not problem)
        return not problem

    def save_idle(self) -> None:
        if not self._check_idle():
            return
        minutes = self.idleSpin.value()
        self.controller.run(
            lambda s, ctx: s.settings.set_idle_lock_minutes(ctx, minutes),
            lambda _v: self.statusLabel.setText(f"The session now locks after {minutes} "
                                                "minutes of inactivity."),
            lambda exc: show_problem(self, exc),
        )

    # -- case-number formats ------------------------------------------------------------------
    def add_format(self) -> None:
        self._add_row(CaseFormat("", "", ()))
        row = self.formatsTable.rowCount() - 1
        self.formatsTable.setCurrentCell(row, LABEL)
        item = self.formatsTable.item(row, LABEL)
        if item is not None:
            self.formatsTable.editItem(item)

    def _add_row(self, f: CaseFormat) -> None:
        self._filling = True
        row = self.formatsTable.rowCount()
        self.formatsTable.insertRow(row)
        example = f.examples[0] if f.examples else ""
        label = QTableWidgetItem(f.label)
        label.setData(FormatRole, f)
        self.formatsTable.setItem(row, LABEL, label)
        self.formatsTable.setItem(row, EXAMPLE, QTableWidgetItem(example))
        shape = QTableWidgetItem()
        shape.setFlags(shape.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.formatsTable.setItem(row, SHAPE, shape)
        self._filling = False
        self._describe(row)

    def _describe(self, row: int) -> None:
        """The Accepts cell: the example's shape, or the kept pattern of an older format."""
        f = self._format_at(row)
        item = self.formatsTable.item(row, SHAPE)
        if f is None or item is None:
            return
        self._filling = True
        if not f.pattern:
            item.setText("")
            item.setToolTip("")
        elif is_example_based(f):
            text = f"{shape_of(f.examples[0])}  (# = any digit)"
            item.setText(text)
            item.setToolTip(text)
        else:
            others = ", ".join(f.examples)
            item.setText(f"kept from earlier; e.g. {others}" if others
                         else "kept from earlier (a pattern)")
            item.setToolTip(f"A format saved as a pattern: {f.pattern}"
                            + (f"\nExamples: {others}" if others else "")
                            + "\nType a new example to replace it with the example's form.")
        self._filling = False

    def _format_at(self, row: int) -> CaseFormat | None:
        item = self.formatsTable.item(row, LABEL)
        value = item.data(FormatRole) if item is not None else None
        return value if isinstance(value, CaseFormat) else None

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling:
            return
        row, col = item.row(), item.column()
        old = self._format_at(row) or CaseFormat("", "", ())
        label_item = self.formatsTable.item(row, LABEL)
        example_item = self.formatsTable.item(row, EXAMPLE)
        label = label_item.text().strip() if label_item else ""
        example = example_item.text().strip() if example_item else ""
        if col == EXAMPLE:
            try:
                pattern = pattern_from_example(example) if example else ""
                problem = ""
            except ValueError as exc:
                pattern, problem = "", f"Row {row + 1}: {exc}"
            new = CaseFormat(label, pattern, (example,) if example else ())
            self.formatsProblem.setText(problem)
        else:
            new = CaseFormat(label, old.pattern, old.examples)
        self._filling = True
        if label_item is not None:
            label_item.setData(FormatRole, new)
        self._filling = False
        self._describe(row)
        self._update_test()

    def _remove_row(self) -> None:
        row = self.formatsTable.currentRow()
        if row >= 0:
            self.formatsTable.removeRow(row)
            self._update_test()

    def formats(self) -> list[CaseFormat]:
        """The formats as shown (rows with neither label nor example are left out)."""
        out = []
        for row in range(self.formatsTable.rowCount()):
            f = self._format_at(row)
            if f is None or not (f.label or f.pattern or f.examples):
                continue
            out.append(f)
        return out

    def _problems(self, formats: list[CaseFormat]) -> str:
        for n, f in enumerate(formats, 1):
            if not f.label:
                return f"Row {n}: give the format a label, e.g. \"LASD URN\"."
            if not f.pattern:
                return (f"Row {n} ({f.label}): type an example case number, e.g. "
                        "123-45678-1234-567.")
        return "" if formats else "Keep at least one case-number format."

    def _update_test(self) -> None:
        text = self.testEdit.text()
        if not text.strip():
            self.testResult.setText("Type a case number above to see which format accepts it.")
            self.testResult.setStyleSheet("")
            return
        labels = matching_labels(text, self.formats())
        if labels:
            self.testResult.setText("Accepted as: " + "; ".join(labels) + ".")
            self.testResult.setStyleSheet(palette.text_style(palette.GOOD_TEXT))
        else:
            self.testResult.setText("Not accepted by any format listed above.")
            self.testResult.setStyleSheet(PROBLEM_STYLE)

    def save_formats(self) -> None:
        formats = self.formats()
        problem = self._problems(formats)
        self.formatsProblem.setText(problem)
        if problem:
            return
        self.controller.run(
            lambda s, ctx: s.settings.set_case_formats(ctx, formats),
            lambda _v: self.statusLabel.setText(f"Saved {len(formats)} case-number formats."),
            lambda exc: show_problem(self, exc),
        )
