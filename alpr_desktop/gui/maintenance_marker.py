"""MAINTENANCE OVERDUE in the status bar of the contractor and the custodian (policy §7): the
last 30-day check is older than 30 days, or none was recorded. Asked of the maintenance
service on a worker when someone signs in and every ten minutes after.

Wired by ``install`` (app.py), beside the purge's RETENTION OVERDUE marker."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel

from alpr_desktop.core.roles import Role
from alpr_desktop.gui.controller import Controller
from alpr_desktop.gui.palette import BAD_BADGE, BADGE_TEXT

MARKER_ROLES = frozenset({Role.CONTRACTOR, Role.CUSTODIAN})
MARKER_TEXT = "MAINTENANCE OVERDUE"
MARKER_TIP = ("No 30-day maintenance check in the last 30 days (policy §7). The contractor "
              "records one on the Maintenance Log screen.")
CHECK_EVERY_MS = 10 * 60_000


class MaintenanceMarker(QLabel):
    def __init__(self, controller_of: Callable[[], Controller | None],
                 interval_ms: int = CHECK_EVERY_MS) -> None:
        super().__init__(MARKER_TEXT)
        self.controller_of = controller_of
        self.setObjectName("maintenanceOverdue")
        self.setToolTip(MARKER_TIP)
        self.setAccessibleName("Maintenance overdue")
        self.setStyleSheet(f"QLabel {{ background: {BAD_BADGE}; color: {BADGE_TEXT}; "
                           "font-weight: bold; padding: 0 6px; }")
        self.hide()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.update_shown)
        self.timer.start()

    def update_shown(self, *_: Any) -> None:
        controller = self.controller_of()
        session = controller.session if controller is not None else None
        if controller is None or session is None or not session.roles & MARKER_ROLES:
            self.hide()
            return
        controller.run(lambda s, ctx: s.maintenance.status(ctx).overdue,
                       lambda overdue: self.setVisible(bool(overdue)),
                       lambda _exc: self.hide())


def install(window: Any, shell: Any) -> MaintenanceMarker:
    """The marker in ``window``'s status bar, following the session of ``shell``'s store."""
    marker = MaintenanceMarker(lambda: window.controller)
    window.statusBar().insertPermanentWidget(0, marker)

    def opened(_info: object) -> None:
        if window.workspace is not None:
            window.workspace.status_changed.connect(marker.update_shown)

    shell.store_opened.connect(opened)
    shell.store_closed.connect(marker.hide)
    return marker
