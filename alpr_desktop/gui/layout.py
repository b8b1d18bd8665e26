"""Small layout helpers shared by the full-window pages (store panel, sign-in, lock screen)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLayout, QVBoxLayout, QWidget


def centre_column(page: QWidget, inner: QLayout, width: int) -> None:
    """Lay ``inner`` out on ``page`` as a fixed-width column, centred by stretches (not by
    alignment: an aligned widget gets its size hint, and word-wrapped labels then squeeze the
    rows below them), a little above the middle."""
    box = QWidget()
    box.setLayout(inner)
    box.setFixedWidth(width)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(box)
    row.addStretch(1)
    outer = QVBoxLayout(page)
    outer.addStretch(1)
    outer.addLayout(row)
    outer.addStretch(2)
