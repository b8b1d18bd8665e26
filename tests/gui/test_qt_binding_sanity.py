"""Guards against a Qt binding that corrupts the interpreter (PySide6 6.12.0 on CPython 3.11
dropped a reference to None on every void call, aborting long sessions)."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel


def test_void_calls_do_not_leak_none_references(qtbot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("x")
    assert abs(sys.getrefcount(None) - before) < 100
