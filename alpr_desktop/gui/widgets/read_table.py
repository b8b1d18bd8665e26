"""The table of reads the investigator's windows share (plate profile, description search,
map): read-only, one row at a time, a double-click opens the images."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QAbstractItemView, QTableView


def read_table(model: QAbstractItemModel, object_name: str, accessible_name: str,
               open_selected: Callable[[], object]) -> QTableView:
    table = QTableView()
    table.setObjectName(object_name)
    table.setAccessibleName(accessible_name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setStretchLastSection(True)
    table.doubleClicked.connect(lambda _i: open_selected())
    return table
