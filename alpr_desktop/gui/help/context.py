"""F1 context help: F1 on any screen or dialog opens the help window at that screen's tutorial.

One application-wide event filter, installed once by the main window, so no screen needs code
of its own: the topic comes from the class of the focused widget or its nearest ancestor that
names one (TOPIC_BY_CLASS, by class name so that this module imports no screen). The filter
takes F1 before any shortcut does (a ShortcutOverride it accepts), so a screen's own F1 binding
(the image viewer's shortcut list, still on "?") never swallows it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QTabWidget, QWidget

from alpr_desktop.gui.help.topics import CONTENTS

TOPIC_BY_CLASS: dict[str, str] = {
    "FirstRunDialog": "first-run", "NewStoreDialog": "first-run",
    "RecoveryNoticeDialog": "first-run", "UnlockDialog": "first-run",
    "FirstAccountsDialog": "first-run",
    "SignInDialog": "sign-in", "StorePanel": "sign-in", "LockScreen": "sign-in",
    "ChangePasswordDialog": "sign-in",
    "PurposeDialog": "purpose",
    "FilterPanel": "filters",
    "SearchView": "searching",
    "BatchSearchDialog": "batch-search",
    "ImageViewer": "image-viewer",
    "ExportDialog": "exporting", "DisclosureDialog": "exporting",
    "AuditView": "audit", "AuditReportDialog": "audit", "IssueCheckpointDialog": "audit",
    "PrintDialog": "audit",
    "ContractorHome": "maintenance",
    "ImportWizard": "import", "TableFileDialog": "import",
    "AccountsView": "accounts", "AccountEditDialog": "accounts",
    "ResetPasswordDialog": "accounts",
    "ApprovalsView": "approvals", "DecisionDialog": "approvals",
    "PermissionsView": "permissions", "PermissionDialog": "permissions",
    "RevokeDialog": "permissions",
    "SecuritySettingsView": "security-settings",
    "TrainingView": "training", "TrainingDialog": "training", "SeparateDialog": "training",
    "IncidentsView": "incidents", "IncidentDialog": "incidents",
    "TransparencyDialog": "transparency",
    "HelpWindow": CONTENTS,
}


def topic_for(widget: QWidget | None) -> str:
    """The tutorial for ``widget``: its own class or the nearest ancestor's that has one; a
    tab widget answers for its current page."""
    w = widget
    while w is not None:
        if isinstance(w, QTabWidget) and w.currentWidget() is not None \
                and w.currentWidget() is not widget:
            found = _own_topic(w.currentWidget())
            if found:
                return found
        found = _own_topic(w)
        if found:
            return found
        w = w.parentWidget()
    return CONTENTS


def _own_topic(w: QWidget) -> str:
    for cls in type(w).__mro__:
        key = TOPIC_BY_CLASS.get(cls.__name__)
        if key:
            return key
    return ""


def _is_f1(event: QEvent) -> bool:
    return (isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_F1
            and event.modifiers() == Qt.KeyboardModifier.NoModifier)


class ContextHelp(QObject):
    """The application's F1: ``show(topic_key)`` is called with the screen's tutorial."""

    def __init__(self, show: Callable[[str], object], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._show = show

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.ShortcutOverride and _is_f1(event):
            event.accept()  # F1 is ours: no shortcut fires, the key press comes to us
            return True
        if kind == QEvent.Type.KeyPress and _is_f1(event):
            focus = QApplication.focusWidget()
            if focus is None and isinstance(watched, QWidget):
                focus = watched
            if focus is None:
                focus = QApplication.activeWindow()
            self._show(topic_for(focus))
            return True
        return False


def install(app: QApplication, show: Callable[[str], object]) -> ContextHelp:
    """Install the F1 filter on the application once; later calls return the first one."""
    existing = app.findChild(ContextHelp, "contextHelp")
    if isinstance(existing, ContextHelp):
        existing._show = show
        return existing
    helper = ContextHelp(show, app)
    helper.setObjectName("contextHelp")
    app.installEventFilter(helper)
    return helper
