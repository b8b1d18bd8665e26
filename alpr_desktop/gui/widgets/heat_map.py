"""The weekday-by-hour pattern of a plate's sightings, drawn as a heat-map (site time)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from alpr_desktop.core.plate_profile import WEEKDAYS
from alpr_desktop.gui import palette

LEFT, TOP = 34, 18


class HeatMap(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("heatMap")
        self.setAccessibleName("Sightings by weekday and hour of day")
        self.setMinimumSize(QSize(300, 150))
        self.cells: tuple[tuple[int, ...], ...] = tuple((0,) * 24 for _ in range(7))

    def set_cells(self, cells: tuple[tuple[int, ...], ...]) -> None:
        self.cells = cells
        busiest = max(((d, h, n) for d, row in enumerate(cells) for h, n in enumerate(row)),
                      key=lambda t: t[2], default=(0, 0, 0))
        total = sum(map(sum, cells))
        self.setToolTip(
            f"{total:,} sightings by weekday and hour (site time)"
            + (f"; most often {WEEKDAYS[busiest[0]]} {busiest[1]:02d}:00–{busiest[1]:02d}:59 "
               f"({busiest[2]:,})" if busiest[2] else ""))
        self.setAccessibleDescription(self.toolTip())
        self.update()

    def cell_rect(self, day: int, hour: int) -> QRectF:
        w = (self.width() - LEFT - 4) / 24
        h = (self.height() - TOP - 4) / 7
        return QRectF(LEFT + hour * w, TOP + day * h, w, h)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), palette.HEAT_BACKGROUND)
        top = max((max(r) for r in self.cells), default=0) or 1
        p.setPen(palette.HEAT_LABEL)
        for hour in range(0, 24, 3):
            r = self.cell_rect(0, hour)
            p.drawText(QRectF(r.left(), 0, r.width() * 3, TOP), Qt.AlignmentFlag.AlignLeft,
                       f"{hour:02d}")
        for day, row in enumerate(self.cells):
            r = self.cell_rect(day, 0)
            p.setPen(palette.HEAT_LABEL)
            p.drawText(QRectF(0, r.top(), LEFT - 4, r.height()),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       WEEKDAYS[day])
            for hour, n in enumerate(row):
                cell = self.cell_rect(day, hour).adjusted(1, 1, -1, -1)
                if n:
                    t = n / top
                    colour = QColor(int(255 - 200 * t), int(235 - 190 * t), int(200 - 150 * t))
                else:
                    colour = palette.HEAT_EMPTY
                p.fillRect(cell, colour)
                if n and cell.width() > 14:
                    p.setPen(palette.HEAT_BACKGROUND if n / top > 0.6 else palette.HEAT_TEXT)
                    p.drawText(cell, Qt.AlignmentFlag.AlignCenter, str(n))
        p.end()
