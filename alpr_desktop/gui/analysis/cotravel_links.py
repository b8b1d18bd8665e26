"""What the travel analyses' windows (co-travel, locate, cloned plates) share: the links to
the investigator's table, map, viewer and case file, and the time-window fields.

A window never opens the viewer, the map or the case file itself: it hands the reads to the
links its opener gave it (the Investigation screen's, whose windows log their own access).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
)

from alpr_desktop.core.search import SearchRow

DEFAULT_DAYS = 28


@dataclass(frozen=True)
class AnalysisLinks:
    """Where results go: ``open_viewer(read_id, rows)``, ``open_map(rows, title,
    route_plate)``, ``case_file(rows, words)``."""

    open_viewer: Callable[[int, list[SearchRow]], Any]
    open_map: Callable[[list[SearchRow], str, str | None], Any]
    case_file: Callable[[list[SearchRow], str], Any]


def window_edits(days: int = DEFAULT_DAYS) -> tuple[QDateTimeEdit, QDateTimeEdit, QHBoxLayout]:
    """From and to (the workstation's time, which is the site's), the last ``days``."""
    now = QDateTime.currentDateTime()
    since, until = QDateTimeEdit(now.addDays(-days)), QDateTimeEdit(now)
    since.setAccessibleName("From (site time)")
    until.setAccessibleName("To (site time)")
    row = QHBoxLayout()
    for i, e in enumerate((since, until)):
        e.setCalendarPopup(True)
        e.setDisplayFormat("yyyy-MM-dd HH:mm")
        row.addWidget(e)
        if i == 0:
            row.addWidget(QLabel("to"))
    row.addStretch(1)
    return since, until, row


def seconds(edit: QDateTimeEdit) -> int:
    return int(edit.dateTime().toSecsSinceEpoch())


def set_seconds(edit: QDateTimeEdit, value: int) -> None:
    edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(value)))


def result_buttons() -> tuple[QPushButton, QPushButton, QPushButton, QHBoxLayout]:
    """Open Images, Map, Add to Case File (disabled until there is something to show)."""
    open_b = QPushButton("Open &Images…")
    map_b = QPushButton("&Map…")
    case_b = QPushButton("Add to Case &File…")
    row = QHBoxLayout()
    for b in (open_b, map_b, case_b):
        b.setEnabled(False)
        row.addWidget(b)
    row.addStretch(1)
    return open_b, map_b, case_b, row


def enter_opens(table: QTableView, slot: Callable[[], object]) -> None:
    """Return or Enter on the table does what a double-click does."""
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
        sc = QShortcut(QKeySequence(key), table)
        sc.setContext(Qt.ShortcutContext.WidgetShortcut)
        sc.activated.connect(slot)
