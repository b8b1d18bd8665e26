"""A plate's profile: every sighting in time order, first and last seen, reads per camera,
the weekday-by-hour pattern, the long gaps and a film strip of plate crops.

The profile is one gated query ("search.profile", logged like a search); the film strip's
crops are one gated thumbnail request ("image.thumbnails"). Each row opens the viewer; the
map and the case file start from here too. Read data lives only while the window is open and
the session unlocked.
"""

from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtCore import QItemSelection, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from alpr_desktop.core.clock import format_local
from alpr_desktop.core.plate_profile import (
    DEFAULT_GAP_HOURS,
    PlateProfile,
    ProfileRequest,
    build_profile,
    duration_words,
)
from alpr_desktop.core.search import SearchRow
from alpr_desktop.gui import purge_hook
from alpr_desktop.gui.access_feedback import show_problem
from alpr_desktop.gui.accessibility import name_controls
from alpr_desktop.gui.controller import Controller, RunWork
from alpr_desktop.gui.models.view_rows import ReadRowsModel
from alpr_desktop.gui.views.search_view import THUMB_SIZE, decode_off_the_connection
from alpr_desktop.gui.widgets.heat_map import HeatMap
from alpr_desktop.gui.widgets.read_table import read_table

FILM_STRIP_MAX = 300  # crops loaded for the strip (newest); each load is one logged request


class PlateProfileWindow(QDialog):
    open_read_requested = Signal(int, list)  # read id, the SearchRows to step through
    map_requested = Signal(object)  # PlateProfile
    case_file_requested = Signal(object)  # PlateProfile
    loaded = Signal()

    def __init__(self, controller: Controller, plate: str, *, lookalikes: bool = False,
                 parent: QWidget | None = None, run: RunWork | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("plateProfile")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint)
        self.controller = controller
        self._run = controller.run if run is None else run  # the search screen's: run_kept
        self.plate = plate
        self.profile: PlateProfile | None = None
        self.setWindowTitle(f"All sightings of {plate}")

        self.summary = QLabel("Loading…")
        self.summary.setObjectName("profileSummary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        f = self.summary.font()
        f.setPointSizeF(f.pointSizeF() * 1.1)
        self.summary.setFont(f)
        self.lookalikeCheck = QCheckBox("Include &look-alikes and candidates (marked)")
        self.lookalikeCheck.setChecked(lookalikes)
        self.gapSpin = QDoubleSpinBox()
        self.gapSpin.setRange(1, 24 * 365)
        self.gapSpin.setDecimals(0)
        self.gapSpin.setSuffix(" h")
        self.gapSpin.setValue(DEFAULT_GAP_HOURS)
        self.gapSpin.setAccessibleName("Gaps longer than, in hours")
        gap_label = QLabel("&Gaps longer than:")
        gap_label.setBuddy(self.gapSpin)
        self.refreshButton = QPushButton("&Refresh")
        self.refreshButton.clicked.connect(self.load)
        opts = QHBoxLayout()
        opts.addWidget(self.lookalikeCheck)
        opts.addStretch(1)
        opts.addWidget(gap_label)
        opts.addWidget(self.gapSpin)
        opts.addWidget(self.refreshButton)

        self.model = ReadRowsModel(self)
        self.table = read_table(self.model, "profileTable", "Every sighting, oldest first",
                                self.open_selected)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            sc = QShortcut(QKeySequence(key), self.table)
            sc.setContext(Qt.ShortcutContext.WidgetShortcut)
            sc.activated.connect(self.open_selected)

        self.heat = HeatMap()
        self.cameraList = QListWidget()
        self.cameraList.setObjectName("perCamera")
        self.cameraList.setAccessibleName("Reads per camera")
        self.gapList = QListWidget()
        self.gapList.setObjectName("gapList")
        self.gapList.setAccessibleName("Gaps between sightings")
        self.gapList.itemActivated.connect(self._gap_activated)
        tabs = QTabWidget()
        tabs.addTab(self.heat, "&Pattern")
        tabs.addTab(self.cameraList, "&Cameras")
        tabs.addTab(self.gapList, "Ga&ps")
        self.tabs = tabs

        self.strip = QListWidget()
        self.strip.setObjectName("filmStrip")
        self.strip.setAccessibleName("Film strip of plate crops, oldest first")
        self.strip.setViewMode(QListWidget.ViewMode.IconMode)
        self.strip.setFlow(QListWidget.Flow.LeftToRight)
        self.strip.setWrapping(False)
        self.strip.setIconSize(THUMB_SIZE * 1.4)
        # the crop, two lines of caption (time, camera), the scroll bar and the frame
        self.strip.setFixedHeight(
            int(THUMB_SIZE.height() * 1.4) + 2 * self.strip.fontMetrics().lineSpacing()
            + self.strip.horizontalScrollBar().sizeHint().height()
            + 2 * self.strip.frameWidth() + 16)
        self.strip.setMovement(QListWidget.Movement.Static)
        self.strip.itemActivated.connect(self._strip_activated)
        self.strip.currentItemChanged.connect(self._strip_current)

        self.openButton = QPushButton("Open &Images…")
        self.openButton.clicked.connect(self.open_selected)
        self.mapButton = QPushButton("&Map and Route…")
        self.mapButton.clicked.connect(lambda: self.profile and self.map_requested.emit(
            self.profile))
        self.caseButton = QPushButton("Case &File…")
        self.caseButton.clicked.connect(lambda: self.profile and self.case_file_requested.emit(
            self.profile))
        self.closeButton = QPushButton("Close")
        self.closeButton.clicked.connect(self.close)
        buttons = QHBoxLayout()
        for b in (self.openButton, self.mapButton, self.caseButton):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.closeButton)
        self.statusLabel = QLabel()
        self.statusLabel.setObjectName("profileStatus")

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(tabs)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(opts)
        layout.addWidget(split, 1)
        layout.addWidget(QLabel("Film strip (plate crops, oldest first; Enter opens):"))
        layout.addWidget(self.strip)
        layout.addLayout(buttons)
        layout.addWidget(self.statusLabel)
        self._set_enabled(False)
        self.resize(1000, 680)
        controller.locked.connect(self.close)
        controller.signed_out.connect(self.close)
        controller.purpose_changed.connect(self._purpose_changed)
        purge_hook.listen(self.drop_reads, self.shown_read_ids)
        name_controls(self)

    # -- loading -----------------------------------------------------------------------------
    def _purpose_changed(self, _purpose: object) -> None:
        self.close()  # the reads belong to the purpose that ended

    def request(self) -> ProfileRequest:
        return ProfileRequest(self.plate, self.lookalikeCheck.isChecked(), self.gapSpin.value())

    def load(self) -> None:
        req = self.request()
        self._set_enabled(False)
        self.statusLabel.setText("Loading every sighting…")
        self._run(lambda s, ctx: s.views.plate_profile(ctx, req), self.show_profile,
                  self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.statusLabel.setText("The profile did not open.")
        show_problem(self, exc)

    def shown_read_ids(self) -> list[int]:
        return [r.read.id for r in self.profile.rows] if self.profile else []

    def drop_reads(self, gone: frozenset[int]) -> int:
        """Reads a purge deleted leave the profile at once (issue 14): its table, figures,
        pattern, gaps and film strip are those of the reads that are left, without a new
        query. The number removed."""
        p = self.profile
        if p is None:
            return 0
        rows = purge_hook.living(p.rows, gone)
        n = len(p.rows) - len(rows)
        if not n:
            return 0
        for i in reversed(range(self.strip.count())):
            if int(self.strip.item(i).data(Qt.ItemDataRole.UserRole)) in gone:
                self.strip.takeItem(i)
        self._show(build_profile(p.plate, rows, gap_hours=p.gap_hours, lookalikes=p.lookalikes,
                                 truncated=p.truncated, log_seq=p.log_seq), strip=False)
        self.statusLabel.setText(purge_hook.removed_words(n))
        return n

    def show_profile(self, profile: PlateProfile) -> None:
        self._show(profile, strip=True)

    def _show(self, profile: PlateProfile, *, strip: bool) -> None:
        self.profile = profile
        purge_hook.refresh(self.table, self.model, profile.rows, lambda r: r.read.id)
        self.table.resizeColumnsToContents()
        n = len(profile.rows)
        others = n - profile.exact_count
        if n and profile.first_seen is not None and profile.last_seen is not None:
            text = (f"{profile.plate}: {profile.exact_count:,} read"
                    f"{'s' if profile.exact_count != 1 else ''}"
                    + (f" and {others:,} look-alike or candidate read"
                       f"{'s' if others != 1 else ''} (marked)" if others else "")
                    + f". First seen {format_local(profile.first_seen * 1000)}, last seen "
                      f"{format_local(profile.last_seen * 1000)}.")
        else:
            text = f"{profile.plate}: no reads."
        if profile.truncated:
            text += " Only the newest reads are shown (too many to list)."
        self.summary.setText(text)
        self.heat.set_cells(profile.heatmap)
        self.cameraList.clear()
        for name, count in profile.per_camera:
            self.cameraList.addItem(f"{count:>6,}  {name}")
        self.gapList.clear()
        for g in profile.gaps:
            item = QListWidgetItem(
                f"{duration_words(g.seconds)}: {format_local(g.start * 1000)} to "
                f"{format_local(g.end * 1000)}")
            item.setData(Qt.ItemDataRole.UserRole, g.end)
            self.gapList.addItem(item)
        if not profile.gaps:
            self.gapList.addItem(f"No gap longer than {profile.gap_hours:g} h.")
        if strip:
            self._fill_strip(profile.rows)
        self.statusLabel.setText(f"{n:,} sightings, oldest first (logged as entry "
                                 f"#{profile.log_seq}). Enter or a double-click opens the "
                                 "images.")
        self._set_enabled(True)
        if n and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)
        self.loaded.emit()

    def _fill_strip(self, rows: tuple[SearchRow, ...]) -> None:
        self.strip.clear()
        shown = rows[-FILM_STRIP_MAX:]
        for r in shown:
            item = QListWidgetItem(f"{format_local(r.read.recorded_at * 1000)[:16]}\n"
                                   f"{r.read.camera_name[:22]}")
            item.setData(Qt.ItemDataRole.UserRole, r.read.id)
            item.setToolTip(f"{r.read.plate_norm} ({r.kind.label}) at {r.read.camera_name}")
            item.setSizeHint(QSize(int(THUMB_SIZE.width() * 1.4) + 30,
                                   int(THUMB_SIZE.height() * 1.4) + 40))
            self.strip.addItem(item)
        ids = [r.read.id for r in shown]
        if not ids:
            return

        def work(s: Any, ctx: Any) -> dict[int, Any]:
            return s.search.plate_crops(ctx, ids)

        def decode(crops: dict[int, tuple[str, bytes]]) -> None:
            decode_off_the_connection(
                crops, lambda imgs: self._show_crops(imgs) if shiboken6.isValid(self) else None)

        self._run(work, decode, lambda _e: None)

    def _show_crops(self, images: dict[int, Any]) -> None:
        for i in range(self.strip.count()):
            item = self.strip.item(i)
            img = images.get(int(item.data(Qt.ItemDataRole.UserRole)))
            if img is not None:
                item.setIcon(QIcon(QPixmap.fromImage(img)))

    # -- selection and opening ----------------------------------------------------------------
    def _set_enabled(self, on: bool) -> None:
        for w in (self.openButton, self.mapButton, self.caseButton, self.refreshButton):
            w.setEnabled(on)
        self.refreshButton.setEnabled(True)

    def selected_row(self) -> SearchRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def select_read(self, read_id: int) -> None:
        row = self.model.index_of_read(read_id)
        if row >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    def _selected(self, _s: QItemSelection, _d: QItemSelection) -> None:
        r = self.selected_row()
        if r is None:
            return
        for i in range(self.strip.count()):
            if self.strip.item(i).data(Qt.ItemDataRole.UserRole) == r.read.id:
                self.strip.blockSignals(True)
                self.strip.setCurrentRow(i)
                self.strip.blockSignals(False)
                break

    def _strip_current(self, item: QListWidgetItem | None, _prev: Any) -> None:
        if item is not None:
            self.select_read(int(item.data(Qt.ItemDataRole.UserRole)))

    def _strip_activated(self, item: QListWidgetItem) -> None:
        self.select_read(int(item.data(Qt.ItemDataRole.UserRole)))
        self.open_selected()

    def _gap_activated(self, item: QListWidgetItem) -> None:
        end = item.data(Qt.ItemDataRole.UserRole)
        if end is None:
            return
        row = next((i for i, r in enumerate(self.model.rows)
                    if r.read.recorded_at == int(end)), -1)
        if row >= 0:
            self.table.selectRow(row)

    def open_selected(self) -> None:
        r = self.selected_row()
        if r is not None:
            self.open_read_requested.emit(r.read.id, self.model.rows)
