"""The signed-in part of the window: one page per state (signed out, working, locked) and,
while working, only the screens the user's roles allow.

Screens are built at sign-in and unlock and destroyed at lock and sign-out, so no data view
survives a lock, even hidden. Menus follow the same rule: the Screens menu lists only the
user's screens and is disabled while locked. The services check every right again; hiding a
screen is a convenience, not the control.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMenu,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from alpr_desktop.core.accounts import Session
from alpr_desktop.core.roles import Role
from alpr_desktop.gui.access_feedback import show_problem
from alpr_desktop.gui.analysis.menu import install_analysis_menu
from alpr_desktop.gui.dialogs.change_password import ChangePasswordDialog
from alpr_desktop.gui.dialogs.correction_dialog import (
    install_correction,
    install_viewer_correction,
)
from alpr_desktop.gui.dialogs.first_admin import FirstAccountsDialog
from alpr_desktop.gui.dialogs.import_wizard import ImportWizard
from alpr_desktop.gui.dialogs.sign_in import SignInDialog
from alpr_desktop.gui.layout import centre_column
from alpr_desktop.gui.search_upkeep import SearchUpkeep
from alpr_desktop.gui.session_controller import (
    SessionController,
    describe_purpose,
    describe_roles,
)
from alpr_desktop.gui.views.accounts_view import AccountsView
from alpr_desktop.gui.views.approvals_view import ApprovalsView
from alpr_desktop.gui.views.audit_view import AuditView
from alpr_desktop.gui.views.contractor_home import ContractorHome
from alpr_desktop.gui.views.hold_request import install_hold_request
from alpr_desktop.gui.views.image_viewer import ControllerImageSource, ImageViewer
from alpr_desktop.gui.views.incidents_view import IncidentsView
from alpr_desktop.gui.views.investigator_actions import install_investigator_views
from alpr_desktop.gui.views.lock_screen import LockScreen
from alpr_desktop.gui.views.maintenance_view import MaintenanceLogView
from alpr_desktop.gui.views.permissions_view import PermissionsView
from alpr_desktop.gui.views.retention_view import RetentionView
from alpr_desktop.gui.views.search_view import SearchView
from alpr_desktop.gui.views.security_settings_view import SecuritySettingsView
from alpr_desktop.gui.views.sharing_views import AgenciesView, RequestsView
from alpr_desktop.gui.views.training_view import TrainingView
from alpr_desktop.gui.widgets.idle_warning import IdleWarningBar
from alpr_desktop.gui.widgets.map_settings_box import install_map_settings

INVESTIGATION = "investigation"
PERMISSIONS = "permissions"
AUDIT = "audit"
MAINTENANCE = "maintenance"
ACCOUNTS = "accounts"
SECURITY = "security"
APPROVALS = "approvals"
RETENTION = "retention"
TRAINING = "training"
INCIDENTS = "incidents"
AGENCIES = "agencies"
REQUESTS = "requests"
MAINTENANCE_LOG = "maintenance_log"

TITLES = {
    INVESTIGATION: "&Investigation",
    PERMISSIONS: "Contractor &Permissions",
    AUDIT: "&Audit Log",
    MAINTENANCE: "&Maintenance",
    ACCOUNTS: "&Accounts",
    SECURITY: "&Security Settings",
    APPROVALS: "Account Appro&vals",
    RETENTION: "&Retention",
    TRAINING: "&Training",
    INCIDENTS: "I&ncidents and Reports",
    AGENCIES: "A&gencies",
    REQUESTS: "Agency Re&quests",
    MAINTENANCE_LOG: "Maintenance &Log",
}
PURPOSE_ROLES = frozenset({Role.ANALYST, Role.CONTRACTOR})
IMPORT_ROLES = frozenset({Role.CONTRACTOR, Role.ADMIN})  # File › Import Reads…


def screens_for(roles: frozenset[Role]) -> list[str]:
    """The screens a role set gets at once (a contractor's Investigation waits for the check
    of an active written permission)."""
    keys: list[str] = []
    if Role.ANALYST in roles:
        keys.append(INVESTIGATION)
    if Role.CUSTODIAN in roles:
        keys += [AUDIT, PERMISSIONS, APPROVALS, RETENTION, TRAINING, INCIDENTS]  # daily work first
    if Role.CONTRACTOR in roles:
        keys.append(MAINTENANCE)
    if Role.ADMIN in roles:
        keys += [ACCOUNTS, SECURITY, TRAINING]
    if Role.CUSTODIAN in roles:
        keys += [REQUESTS, AGENCIES]
    elif Role.ANALYST in roles:
        keys.append(REQUESTS)
    if roles & {Role.CONTRACTOR, Role.CUSTODIAN, Role.ADMIN}:
        keys.append(MAINTENANCE_LOG)  # issue 16: the contractor records, the others read
    return list(dict.fromkeys(keys))


@runtime_checkable
class KeepsForm(Protocol):
    """A screen whose form (not its results) survives a lock of the same user."""

    def form_state(self) -> dict[str, Any]: ...

    def restore_form(self, state: dict[str, Any]) -> None: ...


class Workspace(QStackedWidget):
    status_changed = Signal(str, str)  # who is signed in, the active purpose
    status_message = Signal(str)  # a passing message for the status bar (search timing)

    def __init__(
        self, controller: SessionController, parent: QWidget | None = None, *,
        store_label: str = "",
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.store_label = store_label
        self.dialog: QWidget | None = None
        self._viewer: ImageViewer | None = None
        self.views: dict[str, QWidget] = {}
        self.screen_actions: dict[str, QAction] = {}
        self._saved_forms: dict[str, Any] = {}  # search form kept across a lock (no reads)
        self.signedOutPage = self._signed_out_page()
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setAccessibleName("Screens")
        self.lockScreen = LockScreen(controller)
        self.lockScreen.other_user_requested.connect(self.show_sign_in)
        for page in (self.signedOutPage, self.tabs, self.lockScreen):
            self.addWidget(page)

        self.signInAction = self._action("&Sign In…", self.show_sign_in)
        self.lockAction = self._action("&Lock", lambda: controller.lock("manual"), "Ctrl+L")
        self.changePasswordAction = self._action("&Change Password…", self.change_password)
        self.signOutAction = self._action("Sign &Out", controller.sign_out)
        self.importAction = self._action("&Import Reads…", self.show_import, "Ctrl+I")
        self.session_actions = [self.signInAction, self.lockAction, self.changePasswordAction,
                                self.signOutAction]
        self.screensMenu = QMenu("S&creens", self)

        # Before the workspace's own: the search upkeep follows sign-in, lock and sign-out.
        self.search_upkeep = SearchUpkeep(controller, self)
        controller.signed_in.connect(self._signed_in)
        controller.session_changed.connect(lambda _s: self._update())
        controller.signed_out.connect(self._signed_out)
        controller.locked.connect(self._locked)
        controller.unlocked.connect(self._unlocked)
        controller.purpose_changed.connect(lambda _p: self._update())
        self.idleBar = IdleWarningBar(self)
        self.idleBar.stay_requested.connect(controller.user_active)
        controller.idle_warning.connect(self.idleBar.show_seconds)
        controller.idle_warning_cleared.connect(self.idleBar.hide)
        self.setCurrentWidget(self.signedOutPage)
        self._update()

    def _action(self, text: str, slot: Callable[[], Any], shortcut: str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _signed_out_page(self) -> QWidget:
        page = QWidget()
        heading = QLabel("<h2>Not signed in</h2>")
        text = QLabel("Sign in to work with this store. Every sign-in, search and image view is "
                      "written to the access log.")
        text.setWordWrap(True)
        self.signInButton = QPushButton("&Sign In…")
        self.signInButton.clicked.connect(self.show_sign_in)
        inner = QVBoxLayout()
        inner.addWidget(heading)
        inner.addWidget(text)
        inner.addWidget(self.signInButton, alignment=Qt.AlignmentFlag.AlignLeft)
        centre_column(page, inner, 520)
        return page

    # -- flows ---------------------------------------------------------------------------
    def start(self) -> QWidget:
        """After a store is unlocked: the first administrator and custodian if the store has
        no accounts, then sign-in."""
        if self.controller.needs_first_admin():
            dialog = FirstAccountsDialog(self, self.controller)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.created.connect(lambda _a: self.show_sign_in())
            return self._open(dialog)
        return self.show_sign_in()

    def show_sign_in(self) -> SignInDialog:
        context = f"Store: {self.store_label}" if self.store_label else ""
        dialog = SignInDialog(self, self.controller, context=context)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        return self._open(dialog)

    def show_import(self) -> ImportWizard | None:
        """The import wizard, for the roles that import (the service checks again)."""
        if not self.importAction.isEnabled():
            return None
        wizard = ImportWizard(self, self.controller)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        home = self.views.get(MAINTENANCE)
        if isinstance(home, ContractorHome):  # the history shows the new import at once
            wizard.finished_import.connect(lambda _r, h=home: h.refresh()
                                           if shiboken6.isValid(h) else None)
        # The new reads are prepared for broad searches (stopped or failed imports kept
        # their finished batches too).
        wizard.finished_import.connect(self._reads_imported)
        return self._open(wizard)

    def _reads_imported(self, _outcome: object) -> None:
        self.search_upkeep.start()

    def change_password(self, forced: bool = False) -> ChangePasswordDialog:
        dialog = ChangePasswordDialog(self, self.controller, forced=forced)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if forced:
            dialog.changed.connect(lambda _s: self._build_screens())
            dialog.rejected.connect(self._forced_change_refused)
        else:
            dialog.changed.connect(lambda _s: self._update())
        return self._open(dialog)

    def _forced_change_refused(self) -> None:
        session = self.controller.session
        if session is not None and session.must_change_password and not self.controller.is_locked:
            self.controller.sign_out()

    def _open(self, dialog: Any) -> Any:
        self.dialog = dialog
        dialog.open()
        return dialog

    # -- controller signals -----------------------------------------------------------------
    def _signed_in(self, session: Session) -> None:
        self._saved_forms = {}
        self._tear_down()
        if session.must_change_password:
            self.setCurrentWidget(self.signedOutPage)
            self._update()
            self.change_password(forced=True)
            return
        self._build_screens()

    def _locked(self) -> None:
        self._saved_forms = {
            key: view.form_state() for key, view in self.views.items()
            if isinstance(view, KeepsForm)
        }
        self._tear_down()
        self.status_message.emit("")  # a search's count must not stay in the status bar
        self.lockScreen.prepare()
        self.setCurrentWidget(self.lockScreen)
        self._update()

    def _unlocked(self) -> None:
        saved, self._saved_forms = self._saved_forms, {}
        self._build_screens()
        for key, state in saved.items():
            view = self.views.get(key)
            if isinstance(view, KeepsForm):
                view.restore_form(state)

    def _signed_out(self) -> None:
        self._saved_forms = {}
        self._tear_down()
        self.setCurrentWidget(self.signedOutPage)
        self._update()

    # -- screens -------------------------------------------------------------------------
    def _build_screens(self) -> None:
        self._tear_down()
        session = self.controller.session
        if session is None:
            return
        for key in screens_for(session.roles):
            self._add_screen(key)
        if Role.CONTRACTOR in session.roles:
            self.controller.run(lambda s, ctx: s.permissions.my_active_permissions(ctx),
                                self._contractor_permissions, lambda e: show_problem(self, e))
        self.setCurrentWidget(self.tabs)
        self._update()

    def _contractor_permissions(self, permissions: list[Any]) -> None:
        if permissions and INVESTIGATION not in self.views:
            self._add_screen(INVESTIGATION, index=0)
            self.tabs.setCurrentIndex(0)

    def _make(self, key: str) -> QWidget:
        c = self.controller
        if key == INVESTIGATION:
            view = SearchView(c)
            view.open_images_requested.connect(lambda rid, v=view: self.open_viewer(v, rid))
            view.open_rows_requested.connect(
                lambda rid, rows, v=view: self.open_viewer(v, rid, rows))
            view.status_message.connect(self.status_message)
            install_hold_request(view)
            install_correction(view)  # issue 16: Correct Read… (Ctrl+Shift+E)
            install_investigator_views(view, functools.partial(self.open_viewer, view))
            install_analysis_menu(view, functools.partial(self.open_viewer, view))  # issue 19
            return view
        if key == PERMISSIONS:
            return PermissionsView(c)
        if key == ACCOUNTS:
            return AccountsView(c)
        if key == SECURITY:
            security = SecuritySettingsView(c)
            install_map_settings(security, c)
            return security
        if key == AUDIT:
            return AuditView(c)
        if key == APPROVALS:
            return ApprovalsView(c)
        if key == RETENTION:
            return RetentionView(c)
        if key == TRAINING:
            return TrainingView(c)
        if key == INCIDENTS:
            return IncidentsView(c)
        if key == AGENCIES:
            return AgenciesView(c)
        if key == REQUESTS:
            return RequestsView(c)
        if key == MAINTENANCE_LOG:
            return MaintenanceLogView(c)
        home = ContractorHome(c)
        home.import_requested.connect(self.show_import)
        return home

    def open_viewer(self, view: SearchView, read_id: int,
                    rows: list[Any] | None = None) -> ImageViewer:
        """The image viewer on ``read_id``, stepping through ``rows`` (a batch's reads) or
        else the view's current results."""
        rows = view.model.rows if rows is None else list(rows)
        kinds = {
            r.read.id: (f"candidate ({r.matched_plate})" if r.kind.label == "candidate"
                        else r.kind.label)
            for r in rows
        }
        if self._viewer is not None and shiboken6.isValid(self._viewer):
            self._viewer.close()
        self._viewer = ImageViewer(
            ControllerImageSource(self.controller, view.run_kept), read_id,
            [r.read.id for r in rows],
            match_kinds=kinds, parent=self,
        )
        self._viewer.finished.connect(self._viewer.deleteLater)
        install_viewer_correction(self._viewer, self.controller)  # issue 16: from the image
        self._viewer.show()
        return self._viewer

    def _add_screen(self, key: str, index: int = -1) -> None:
        view = self._make(key)
        view.setObjectName(f"{key}Screen")
        self.views[key] = view
        title = TITLES[key]
        self.tabs.insertTab(index, view, title.replace("&", ""))
        self._rebuild_menu()
        refresh = getattr(view, "refresh", None)
        if callable(refresh):
            refresh()

    def _rebuild_menu(self) -> None:
        for action in self.screen_actions.values():
            self.screensMenu.removeAction(action)
            self.removeAction(action)
            action.deleteLater()
        self.screen_actions = {}
        for i in range(self.tabs.count()):
            view = self.tabs.widget(i)
            if view is None:
                continue
            key = next(k for k, v in self.views.items() if v is view)
            action = self._action(TITLES[key], functools.partial(self.tabs.setCurrentWidget, view),
                                  f"Ctrl+{i + 1}" if i < 9 else None)
            self.screensMenu.addAction(action)
            self.screen_actions[key] = action

    def _tear_down(self) -> None:
        """Drop every data view: clear its data, remove it, delete it."""
        for view in self.views.values():
            clear = getattr(view, "clear_data", None)
            if callable(clear):
                clear()
            view.hide()
            view.deleteLater()
        self.tabs.clear()
        self.views = {}
        self._rebuild_menu()

    # -- state of actions and status ---------------------------------------------------------
    def _update(self) -> None:
        c = self.controller
        signed_in = c.session is not None
        must_change = c.session is not None and c.session.must_change_password
        working = signed_in and not c.is_locked and not must_change
        self.signInAction.setEnabled(not signed_in or c.is_locked)
        self.lockAction.setEnabled(signed_in and not c.is_locked)
        self.changePasswordAction.setEnabled(signed_in and not c.is_locked)
        self.signOutAction.setEnabled(signed_in)
        self.screensMenu.setEnabled(working)
        can_import = working and c.session is not None and bool(c.session.roles & IMPORT_ROLES)
        self.importAction.setEnabled(can_import)
        self.importAction.setVisible(can_import)
        self.screensMenu.menuAction().setVisible(working)
        self.status_changed.emit(self.user_text(), self.purpose_text())

    def user_text(self) -> str:
        s = self.controller.session
        if s is None:
            return "not signed in"
        prefix = "Locked: " if self.controller.is_locked else ""
        roles = describe_roles(s.roles)
        return f"{prefix}{s.full_name} ({s.username}) · {s.organization} · {roles}"

    def purpose_text(self) -> str:
        s = self.controller.session
        if s is None or not (s.roles & PURPOSE_ROLES) or self.controller.is_locked:
            return ""
        return f"Purpose: {describe_purpose(self.controller.purpose)}"
