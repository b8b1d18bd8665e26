"""The main window: menus, the status bar (store, user, purpose, DEMO), the open store's
identity while nobody is signed in, and the signed-in user's workspace (gui/views/workspace.py)
once someone is. The session controller and its workspace live as long as the open store: a
store change or quit signs the user out first, so the sign-out is logged in that store."""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QFrame,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from alpr_desktop import APP_NAME
from alpr_desktop.core.accounts import Session
from alpr_desktop.core.clock import Clock, format_local
from alpr_desktop.gui import palette
from alpr_desktop.gui.dialogs.about import AboutDialog, PolicyDialog
from alpr_desktop.gui.help import context as context_help
from alpr_desktop.gui.help.help_window import HelpWindow
from alpr_desktop.gui.help.topics import CONTENTS
from alpr_desktop.gui.layout import centre_column
from alpr_desktop.gui.session_controller import SessionController
from alpr_desktop.gui.views.workspace import Workspace
from alpr_desktop.gui.widgets.elided_label import ElidedLabel
from alpr_desktop.services.workstation import OpenStore, StoreDescription

StoreInfo = StoreDescription  # what the window may show about an open store


DEMO_STYLE = palette.badge_style(palette.BAD_BADGE, padding="2px 10px", radius=3,
                                 selector="QLabel")


class StorePanel(QWidget):
    """Central widget for now: which store is open and what to do next."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.identity = QFrame()
        self.identity.setFrameShape(QFrame.Shape.StyledPanel)
        form = QFormLayout(self.identity)
        self.fileValue = QLabel()
        self.folderValue = QLabel()
        self.idValue = QLabel()
        self.schemaValue = QLabel()
        self.createdValue = QLabel()
        for label, value in (
            ("Store file:", self.fileValue),
            ("Folder:", self.folderValue),
            ("Store ID:", self.idValue),
            ("Schema version:", self.schemaValue),
            ("Created:", self.createdValue),
        ):
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setTextFormat(Qt.TextFormat.PlainText)
            form.addRow(label, value)
        self.signInButton = QPushButton("&Sign In…")
        self.signInButton.setEnabled(False)  # until the window has a session controller
        inner = QVBoxLayout()
        inner.addWidget(self.heading)
        inner.addWidget(self.message)
        inner.addSpacing(8)
        inner.addWidget(self.identity)
        inner.addSpacing(8)
        inner.addWidget(self.signInButton, alignment=Qt.AlignmentFlag.AlignLeft)
        centre_column(self, inner, 640)
        self.set_info(None)

    def set_info(self, info: StoreInfo | None) -> None:
        if info is None:
            self.heading.setText("<h2>No store is open</h2>")
            self.message.setText(
                "Open a store with File › Open Store… (Ctrl+O), or create one with "
                "File › New Store… (Ctrl+N)."
            )
            self.identity.hide()
            self.signInButton.hide()
            return
        self.heading.setText("<h2>Sign in to continue</h2>")
        demo = (
            " This is the DEMO store: every plate, read and image in it is synthetic."
            if info.is_demo
            else ""
        )
        self.message.setText(
            "The store is unlocked. Searching reads and viewing images require signing in "
            "and stating the purpose of each search; every access is written to the access "
            f"log.{demo}"
        )
        self.fileValue.setText(info.path.name)
        self.folderValue.setText(str(info.path.parent))
        self.idValue.setText(info.store_id)
        self.schemaValue.setText(str(info.schema_version))
        self.createdValue.setText(
            format_local(info.created_ms) if info.created_ms else "unknown"
        )
        self.identity.show()
        self.signInButton.show()


class MainWindow(QMainWindow):
    """Menus and status bar; asks the shell (via signals) to open, create or close stores."""

    open_requested = Signal()
    new_requested = Signal()
    close_requested = Signal()

    def __init__(self, settings: QSettings | None = None) -> None:
        super().__init__()
        self._settings = settings
        self.controller: SessionController | None = None
        self.workspace: Workspace | None = None
        self.setWindowTitle(APP_NAME)
        self.panel = StorePanel(self)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.panel)
        self.setCentralWidget(self.stack)
        self._build_menus()
        self._build_status_bar()
        self.resize(1100, 720)
        if settings is not None:
            geometry = settings.value("window/geometry")
            if isinstance(geometry, QByteArray) and not geometry.isEmpty():
                self.restoreGeometry(geometry)
        self.show_store(None)

    # -- construction --------------------------------------------------------------------
    def _action(
        self, text: str, slot: object = None,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if slot is not None:
            action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        # Leaving the store signs the user out first, while the store can still log it.
        self.openAction = self._action(
            "&Open Store…", lambda: self._leave(self.open_requested.emit),
            QKeySequence.StandardKey.Open,
        )
        self.newAction = self._action(
            "&New Store…", lambda: self._leave(self.new_requested.emit),
            QKeySequence.StandardKey.New,
        )
        self.closeStoreAction = self._action(
            "&Close Store", lambda: self._leave(self.close_requested.emit)
        )
        self.quitAction = self._action("&Quit", self.close, "Ctrl+Q")
        self.quitAction.setMenuRole(QAction.MenuRole.QuitRole)
        file_menu.addActions([self.openAction, self.newAction, self.closeStoreAction])
        self.fileMenu = file_menu
        self.importSeparator = file_menu.addSeparator()  # the workspace's Import goes here
        file_menu.addAction(self.quitAction)

        self.sessionMenu = bar.addMenu("&Session")
        self._placeholder_session_actions()

        help_menu = bar.addMenu("&Help")
        self.helpMenu = help_menu
        self.helpAction = self._action("&Help Contents…", lambda: self.show_help(), "F1")
        self.policyAction = self._action("&Policy Text", self.show_policy)
        self.aboutAction = self._action("&About…", self.show_about)
        self.aboutAction.setMenuRole(QAction.MenuRole.AboutRole)
        help_menu.addActions([self.helpAction, self.policyAction, self.aboutAction])
        self.helpWindow: HelpWindow | None = None
        app = QApplication.instance()
        if isinstance(app, QApplication):  # F1 on every screen opens its tutorial
            self.contextHelp = context_help.install(app, self.show_help, self)

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.demoLabel = QLabel("DEMO — synthetic data")
        self.demoLabel.setObjectName("demoMarker")
        self.demoLabel.setStyleSheet(DEMO_STYLE)
        self.demoLabel.setToolTip("The demo store holds synthetic reads for training only.")
        # Store, user and purpose shorten with "…" (whole text in the tooltip) so a long name
        # or purpose never widens the window past a 1024-pixel screen.
        self.storeLabel = ElidedLabel(min_chars=6)
        self.storeLabel.setObjectName("storeLabel")
        self.storeLabel.setAccessibleName("Open store")
        self.userLabel = ElidedLabel(min_chars=10)
        self.userLabel.setObjectName("userLabel")
        self.userLabel.setAccessibleName("Signed-in user")
        self.purposeLabel = ElidedLabel(min_chars=10)
        self.purposeLabel.setObjectName("purposeLabel")
        self.purposeLabel.setAccessibleName("Active purpose")
        # Issue 20: "Preparing recent reads for search… 40 %" while the search upkeep runs
        # (gui/search_upkeep.py); quiet, on the left, hidden when there is nothing to say.
        self.upkeepLabel = ElidedLabel(min_chars=12)
        self.upkeepLabel.setObjectName("searchUpkeep")
        self.upkeepLabel.setAccessibleName("Search preparation")
        self.upkeepLabel.hide()
        status.addWidget(self.upkeepLabel, 1)
        status.addPermanentWidget(self.demoLabel)
        status.addPermanentWidget(self.storeLabel)
        status.addPermanentWidget(self.userLabel)
        status.addPermanentWidget(self.purposeLabel)

    # -- state ---------------------------------------------------------------------------
    def show_store(self, info: StoreInfo | None) -> None:
        self.panel.set_info(info)
        self.closeStoreAction.setEnabled(info is not None)
        if self.controller is None:
            self.show_user("not signed in", "")
        if info is None:
            self.setWindowTitle(APP_NAME)
            self.storeLabel.setText("No store open")
            self.demoLabel.hide()
            return
        demo = " [DEMO]" if info.is_demo else ""
        self.setWindowTitle(f"{info.path.name}{demo} — {APP_NAME}")
        self.storeLabel.setText(f"Store: {info.path.name}")
        self.storeLabel.setToolTip(str(info.path))
        self.demoLabel.setVisible(info.is_demo)

    def show_user(self, user: str, purpose: str) -> None:
        self.userLabel.setText(f"User: {user}")
        self.purposeLabel.setText(purpose)
        self.purposeLabel.setVisible(bool(purpose))

    # -- the session ---------------------------------------------------------------------
    def start_session(
        self, store: OpenStore, clock: Clock | None = None, session: Session | None = None
    ) -> Workspace:
        """Attach a session controller and workspace to the open ``store``. With ``session``
        (signing in opened the store) the user is in at once; without, the flow starts: the
        first administrator if the store has none, then the sign-in banner."""
        self.end_session()
        controller = SessionController(store, clock, self)
        workspace = Workspace(controller, store_label=store.description.path.name)
        self.controller, self.workspace = controller, workspace
        self.stack.addWidget(workspace)
        self.sessionMenu.clear()
        self.sessionMenu.addActions(workspace.session_actions)
        self.signInAction, self.lockAction = workspace.signInAction, workspace.lockAction
        self.signOutAction = workspace.signOutAction
        self.changePasswordAction = workspace.changePasswordAction
        self.menuBar().insertMenu(self.helpMenu.menuAction(), workspace.screensMenu)
        self.fileMenu.insertAction(self.importSeparator, workspace.importAction)
        workspace.status_changed.connect(self.show_user)
        workspace.status_message.connect(lambda text: self.statusBar().showMessage(text, 10_000))
        workspace.search_upkeep.status_changed.connect(self.show_upkeep)
        workspace.search_upkeep.problem.connect(self.upkeepLabel.setToolTip)
        shown = lambda *_: self.stack.setCurrentWidget(workspace)  # noqa: E731
        controller.signed_in.connect(shown)
        controller.locked.connect(shown)
        controller.signed_out.connect(lambda: self.stack.setCurrentWidget(self.panel))
        self.panel.signInButton.setEnabled(True)
        self.panel.signInButton.clicked.connect(workspace.show_sign_in)
        if session is not None:
            controller.adopt_session(session)
        else:
            workspace.start()
        return workspace

    def end_session(self) -> None:
        """Sign out (logged) and drop the workspace; before the store closes."""
        controller, workspace = self.controller, self.workspace
        if controller is None or workspace is None:
            return
        self.controller = self.workspace = None
        controller.shutdown()
        self.panel.signInButton.clicked.disconnect(workspace.show_sign_in)
        self.panel.signInButton.setEnabled(False)
        self.menuBar().removeAction(workspace.screensMenu.menuAction())
        self.fileMenu.removeAction(workspace.importAction)
        self.stack.setCurrentWidget(self.panel)
        self.stack.removeWidget(workspace)
        workspace.deleteLater()
        controller.deleteLater()
        self._placeholder_session_actions()
        self.show_user("not signed in", "")
        self.show_upkeep("")

    def show_upkeep(self, text: str) -> None:
        """The search upkeep's line in the status bar ("" hides it)."""
        self.upkeepLabel.setText(text)
        self.upkeepLabel.setVisible(bool(text))

    def _placeholder_session_actions(self) -> None:
        """Session actions while no store is open: shown, disabled."""
        for action in self.sessionMenu.actions():
            if action.parent() is self:
                action.deleteLater()
        self.sessionMenu.clear()
        self.signInAction = self._action("&Sign In…")
        self.lockAction = self._action("&Lock", shortcut="Ctrl+L")
        self.changePasswordAction = self._action("&Change Password…")
        self.signOutAction = self._action("Sign &Out")
        for action in (self.signInAction, self.lockAction, self.changePasswordAction,
                       self.signOutAction):
            action.setEnabled(False)
            self.sessionMenu.addAction(action)

    def _leave(self, then: Callable[[], object]) -> None:
        self.end_session()
        then()

    # -- help ----------------------------------------------------------------------------
    def show_about(self) -> AboutDialog:
        dialog = AboutDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_help(self, topic: str = CONTENTS) -> HelpWindow:
        """The help window (one per main window) at ``topic``: F1 and Help › Help Contents."""
        if self.helpWindow is None or not shiboken6.isValid(self.helpWindow):
            self.helpWindow = HelpWindow()
        self.helpWindow.show_topic(topic)
        return self.helpWindow

    def show_policy(self) -> PolicyDialog:
        dialog = PolicyDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def closeEvent(self, event: QCloseEvent) -> None:
        self.end_session()
        if self.helpWindow is not None and shiboken6.isValid(self.helpWindow):
            self.helpWindow.close()
        if self._settings is not None:
            self._settings.setValue("window/geometry", self.saveGeometry())
        super().closeEvent(event)
