"""The audit view's filter panel: period, users, organizations, events (a menu of check boxes
that stays open), outcome and query text, read into an AuditFilter."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QToolButton,
    QWidget,
)

from alpr_desktop.core.audit_filters import EVENT_GROUPS, KNOWN_EVENTS, OUTCOMES, AuditFilter
from alpr_desktop.core.audit_words import event_words
from alpr_desktop.core.purposes import PurposeCategory
from alpr_desktop.gui.dialogs.audit_report_dialog import (
    PeriodEdit,
)


class _StayOpenMenu(QMenu):
    """A menu of check boxes that stays open while several are ticked."""

    def _toggle(self) -> bool:
        action = self.activeAction()
        if action is not None and action.isCheckable() and action.isEnabled():
            action.trigger()
            return True
        return False

    def mouseReleaseEvent(self, event: Any) -> None:
        if not self._toggle():
            super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) \
                and self._toggle():
            return
        super().keyPressEvent(event)


class EventPicker(QToolButton):
    """Event types to list, grouped as core.audit_filters.EVENT_GROUPS, plus any other event
    the log holds (older or newer programs). None ticked means every event."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.actions_by_event: dict[str, QAction] = {}
        self._menu = _StayOpenMenu(self)
        clear = self._menu.addAction("Every event type")
        clear.triggered.connect(lambda: self.set_selected(()))
        for group, events in EVENT_GROUPS.items():
            self._add_group(group, events)
        self._other: QMenu | None = None
        self.setMenu(self._menu)
        # room for the longest summary text and the menu arrow drawn beside it
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("Every event type") + 36)
        self._update_text()

    def _add_group(self, title: str, events: Iterable[str]) -> QMenu:
        sub = _StayOpenMenu(title, self._menu)
        whole = sub.addAction("Whole group")
        group = list(events)
        whole.triggered.connect(lambda _c=False, g=group: self._toggle_group(g))
        sub.addSeparator()
        for event in group:
            action = sub.addAction(event_words(event))
            action.setToolTip(event)
            action.setCheckable(True)
            action.toggled.connect(self._toggled)
            self.actions_by_event[event] = action
        self._menu.addMenu(sub)
        return sub

    def add_events(self, events: Iterable[str]) -> None:
        """Offer events found in the log that the groups do not list."""
        extra = sorted(set(events) - set(self.actions_by_event))
        if not extra:
            return
        if self._other is None:
            self._other = _StayOpenMenu("Other events in the log", self._menu)
            self._menu.addMenu(self._other)
        for event in extra:
            action = self._other.addAction(event_words(event))
            action.setToolTip(event)
            action.setCheckable(True)
            action.toggled.connect(self._toggled)
            self.actions_by_event[event] = action

    def _toggle_group(self, group: list[str]) -> None:
        on = not all(self.actions_by_event[e].isChecked() for e in group)
        self._set(lambda e: on if e in group else self.actions_by_event[e].isChecked())

    def selected(self) -> tuple[str, ...]:
        return tuple(e for e, a in self.actions_by_event.items() if a.isChecked())

    def set_selected(self, events: Iterable[str]) -> None:
        wanted = set(events)
        self.add_events(wanted - set(KNOWN_EVENTS))
        self._set(lambda e: e in wanted)

    def _set(self, checked: Callable[[str], bool]) -> None:
        for event, action in self.actions_by_event.items():
            action.blockSignals(True)
            action.setChecked(checked(event))
            action.blockSignals(False)
        self._toggled()

    def _toggled(self, *_: object) -> None:
        self._update_text()
        self.changed.emit()

    def _update_text(self) -> None:
        chosen = self.selected()
        if not chosen:
            text = "Every event type"
        elif len(chosen) <= 2:
            text = ", ".join(event_words(e) for e in chosen)
        else:
            text = f"{len(chosen)} event types"
        self.setText(text)
        self.setToolTip("\n".join(event_words(e) for e in chosen) if chosen
                        else "No event type filter")


class FilterPanel(QGroupBox):
    """The filters of the issue: period, user, organization or agency, event type, plate or
    other query element, case number, purpose category, outcome. Enter anywhere applies."""

    apply_requested = Signal()

    def __init__(self, today: Callable[[], date], parent: QWidget | None = None) -> None:
        super().__init__("Filters", parent)
        self.period = PeriodEdit(today)
        self.userCombo = self._combo("userCombo", editable=True)
        self.orgCombo = self._combo("orgCombo", editable=True)
        self.eventPicker = EventPicker()
        self.eventPicker.setObjectName("eventPicker")
        self.queryEdit = QLineEdit()
        self.queryEdit.setObjectName("queryEdit")
        self.queryEdit.setPlaceholderText("e.g. 7ABC123 (Ctrl+F)")
        self.queryEdit.setClearButtonEnabled(True)
        self.caseEdit = QLineEdit()
        self.caseEdit.setObjectName("caseEdit")
        self.caseEdit.setPlaceholderText("all or part of it")
        self.caseEdit.setClearButtonEnabled(True)
        self.purposeCombo = self._combo("purposeCombo")
        self.purposeCombo.addItem("Any category", "")
        for cat in PurposeCategory:
            self.purposeCombo.addItem(cat.label, cat.value)
        self.outcomeCombo = self._combo("outcomeCombo")
        self.outcomeCombo.addItem("Any outcome", "")
        for outcome in OUTCOMES:
            self.outcomeCombo.addItem(outcome, outcome)
        self.applyButton = QPushButton("&Apply")
        self.applyButton.setObjectName("applyButton")
        self.applyButton.setToolTip("List the entries that match (Enter). Listing is logged.")
        self.clearButton = QPushButton("C&lear")
        self.clearButton.setObjectName("clearButton")
        self.applyButton.clicked.connect(self.apply_requested)
        self.set_choices([], [])

        grid = QGridLayout(self)
        grid.setHorizontalSpacing(8)
        cells: list[tuple[str, QWidget, int, int, int]] = [
            ("Perio&d:", self.period, 0, 0, 3),
            ("&User:", self.userCombo, 0, 4, 1),
            ("Or&ganization:", self.orgCombo, 0, 6, 1),
            ("Event t&ypes:", self.eventPicker, 1, 0, 1),
            ("Plate or &query:", self.queryEdit, 1, 2, 1),
            ("Case &number:", self.caseEdit, 1, 4, 1),
            ("&Purpose:", self.purposeCombo, 1, 6, 1),
            ("Ou&tcome:", self.outcomeCombo, 2, 0, 1),
        ]
        # Short labels, whole meaning in the tooltips and accessible names: the panel fits a
        # 1024-pixel window.
        meanings = {
            self.orgCombo: "Organization or agency (part of its name)",
            self.queryEdit: "Plate or other query element (part of it)",
            self.caseEdit: "Case number (all or part of it)",
            self.purposeCombo: "Purpose category",
            self.userCombo: "User", self.outcomeCombo: "Outcome",
            self.eventPicker: "Event types",
        }
        for widget, meaning in meanings.items():
            widget.setAccessibleName(meaning)
            if not widget.toolTip():
                widget.setToolTip(meaning)
        self.period.presetCombo.setAccessibleName("Period")
        self.period.fromEdit.setAccessibleName("Period from")
        self.period.toEdit.setAccessibleName("Period to")
        for text, widget, row, col, span in cells:
            label = QLabel(text)
            label.setBuddy(widget.presetCombo if isinstance(widget, PeriodEdit) else widget)
            if widget in meanings:
                label.setToolTip(meanings[widget])
            grid.addWidget(label, row, col)
            grid.addWidget(widget, row, col + 1, 1, span)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.applyButton)
        buttons.addWidget(self.clearButton)
        grid.addLayout(buttons, 2, 2, 1, 6)
        for col in (1, 3, 5, 7):
            grid.setColumnStretch(col, 1)

    @staticmethod
    def _combo(name: str, *, editable: bool = False) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.setEditable(editable)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(9)
        return combo

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Line edits, date edits and closed combo boxes pass Enter on to their parent.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.apply_requested.emit()
            return
        super().keyPressEvent(event)

    def set_choices(self, users: list[str], organizations: list[str]) -> None:
        """Fill the pick lists (what the log holds), keeping what is typed or chosen."""
        for combo, values, anything in ((self.userCombo, users, "Any user"),
                                        (self.orgCombo, organizations, "Any organization")):
            current = combo.currentText()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem("")
            for v in values:
                combo.addItem(v)
            combo.setCurrentIndex(0)
            combo.setEditText(current)
            line = combo.lineEdit()
            if line is not None:
                line.setPlaceholderText(anything)
            combo.blockSignals(False)

    def current_filter(self) -> AuditFilter:
        """The panel as a filter; ValueError (a sentence) for an impossible period."""
        from_ms, to_ms = self.period.bounds()
        return AuditFilter(
            from_ms=from_ms, to_ms=to_ms,
            username=self.userCombo.currentText(),
            organization=self.orgCombo.currentText(),
            events=self.eventPicker.selected(),
            query_text=self.queryEdit.text(),
            case_number=self.caseEdit.text(),
            purpose_category=str(self.purposeCombo.currentData() or ""),
            outcome=str(self.outcomeCombo.currentData() or ""),
        )

    def clear(self) -> None:
        self.period.set_preset("any")
        for combo in (self.userCombo, self.orgCombo):
            combo.setCurrentIndex(0)
            combo.setEditText("")
        self.eventPicker.set_selected(())
        self.queryEdit.clear()
        self.caseEdit.clear()
        self.purposeCombo.setCurrentIndex(0)
        self.outcomeCombo.setCurrentIndex(0)
