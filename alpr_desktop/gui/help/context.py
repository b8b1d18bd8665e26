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
    "ContractorHome": "maintenance", "MaintenanceLogView": "maintenance",
    "CheckDialog": "maintenance", "ProblemDialog": "maintenance",
    "CorrectionDialog": "maintenance",
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
    "RetentionView": "retention", "PeriodDialog": "retention", "NoteDialog": "retention",
    "HoldRequestDialog": "retention",
    "HelpWindow": CONTENTS,
    "AgenciesView": "sharing", "RequestsView": "sharing", "AgencyDialog": "sharing",
    "RequestDialog": "sharing", "PrepareDialog": "sharing", "SharingNoteDialog": "sharing",
    "ReleaseDialog": "sharing", "PassphraseDialog": "sharing", "OwnPackageDialog": "sharing",
    "ReviewUnlockDialog": "review-extract", "ReviewSignInDialog": "review-extract",
    "ReviewWindow": "review-extract", "ImportedLogDialog": "review-extract",
    "PlateProfileWindow": "plate-profile", "MapWindow": "map", "MapView": "map",
    "CaseFileDialog": "case-file", "DescriptionSearchDialog": "description-search",
    "MySearchesDialog": "description-search",
    "AnalysisForm": "analysis", "AnalysisResultWindow": "analysis",
    "CoTravelWindow": "travel-analyses", "LocateWindow": "travel-analyses",
    "ClonedWindow": "travel-analyses",
}
# Topics that hold only inside a given screen: the search's filter panel, not the audit log's.
ONLY_INSIDE: dict[str, str] = {"filters": "SearchView"}


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
        if found and _inside(w, ONLY_INSIDE.get(found)):
            return found
        w = w.parentWidget()
    return CONTENTS


def _inside(widget: QWidget, class_name: str | None) -> bool:
    if class_name is None:
        return True
    w = widget.parentWidget()
    while w is not None:
        if any(c.__name__ == class_name for c in type(w).__mro__):
            return True
        w = w.parentWidget()
    return False


def _own_topic(w: QWidget) -> str:
    for cls in type(w).__mro__:
        key = TOPIC_BY_CLASS.get(cls.__name__)
        if key:
            return key
    return ""


def _is_f1(event: QEvent) -> bool:
    return (isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_F1
            and event.modifiers() == Qt.KeyboardModifier.NoModifier)


def _belongs_to(widget: QWidget | None, owner: QWidget) -> bool:
    """True when ``widget`` is ``owner`` or lies under it, across window boundaries (a
    dialog's parent chain leads to the main window)."""
    w = widget
    while w is not None:
        if w is owner:
            return True
        w = w.parentWidget()
    return False


class ContextHelp(QObject):
    """The F1 of one main window and every window it owns: ``show(topic_key)`` is called with
    the screen's tutorial. A child of the window, so it goes (and Qt drops the filter) with it;
    windows it does not own (another main window, a test's lone widget) keep their own F1."""

    def __init__(self, show: Callable[[str], object], owner: QWidget) -> None:
        super().__init__(owner)
        self._show = show
        self._owner = owner

    def _target(self, watched: QObject) -> QWidget | None:
        # The key event's receiver is the widget with the keyboard focus.
        focus = watched if isinstance(watched, QWidget) else QApplication.focusWidget()
        if focus is None:
            focus = QApplication.activeWindow()
        return focus if _belongs_to(focus, self._owner) else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) \
                or not _is_f1(event):
            return False
        target = self._target(watched)
        if target is None:
            return False
        if kind == QEvent.Type.ShortcutOverride:
            event.accept()  # F1 is ours: no shortcut fires, the key press comes to us
            return True
        self._show(topic_for(target))
        return True


def install(app: QApplication, show: Callable[[str], object], owner: QWidget) -> ContextHelp:
    """Give ``owner`` (the main window) and the windows it owns F1 context help."""
    helper = ContextHelp(show, owner)
    helper.setObjectName("contextHelp")
    app.installEventFilter(helper)
    return helper
