"""The admin's Accounts screen: create, edit, disable and re-enable accounts, reset passwords,
release lockouts. Every change is a service call on a worker; the service checks the admin's
right again and logs the change, so this screen is only a convenience."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from alpr_desktop.core.accounts import Account
from alpr_desktop.core.roles import duty_conflicts
from alpr_desktop.gui import palette
from alpr_desktop.gui.access_feedback import show_problem
from alpr_desktop.gui.controller import Controller
from alpr_desktop.gui.dialogs.account_edit import AccountEditDialog, ResetPasswordDialog
from alpr_desktop.gui.models.accounts_model import AccountsModel
from alpr_desktop.gui.views.table_screen import TableScreen

AWAITS = {
    "create": "The account becomes active when a custodian approves it.",
    "enable": "Re-enabling waits for a custodian's approval.",
    "roles": "The new roles take effect when a custodian approves them.",
}


class AccountsView(TableScreen):
    model: AccountsModel

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(controller, parent)
        self.newButton = QPushButton("&New Account…")
        self.editButton = QPushButton("&Edit…")
        self.toggleButton = QPushButton("&Disable")
        self.resetButton = QPushButton("&Reset Password…")
        self.releaseButton = QPushButton("Re&lease Lockout")
        self.newButton.clicked.connect(self.new_account)
        self.editButton.clicked.connect(self.edit_account)
        self.toggleButton.clicked.connect(self.toggle_active)
        self.resetButton.clicked.connect(self.reset_password)
        self.releaseButton.clicked.connect(self.release_lockout)
        self._build("<h3>Accounts</h3>", AccountsModel(controller.clock, self),
                    (self.newButton, self.editButton, self.toggleButton, self.resetButton,
                     self.releaseButton))
        self.table.doubleClicked.connect(lambda _i: self.edit_account())
        self.dutiesLabel = QLabel()
        self.dutiesLabel.setWordWrap(True)
        self.dutiesLabel.setTextFormat(Qt.TextFormat.PlainText)
        self.dutiesLabel.setStyleSheet(palette.text_style(palette.WARNING_TEXT, bold=True))
        self.dutiesLabel.hide()
        layout = self.screenLayout
        layout.insertWidget(layout.indexOf(self.table), self.dutiesLabel)
        self.needsResetLabel = QLabel()  # accounts with no key slot (keyslots)
        self.needsResetLabel.setWordWrap(True)
        self.needsResetLabel.hide()
        layout.insertWidget(layout.indexOf(self.table), self.needsResetLabel)

    # -- loading -------------------------------------------------------------------------
    def refresh(self, select: str | None = None) -> None:
        chosen = self.selected()
        current = select or (chosen.username if chosen is not None else None)

        def loaded(result: tuple[list[Account], list[str]]) -> None:
            accounts, needing_reset = result
            self.model.set_rows(accounts)
            self._show_conflicts(accounts)
            row = self.model.row_of(current) if current else -1
            if row >= 0:
                self.table.selectRow(row)
            self.needsResetLabel.setText(
                "Needs reset to sign in (no key slot; Reset Password writes one): "
                + ", ".join(needing_reset)
            )
            self.needsResetLabel.setVisible(bool(needing_reset))

        def work(s: Any, ctx: Any) -> tuple[list[Account], list[str]]:
            return s.accounts.list_accounts(ctx), s.keyslots.accounts_needing_reset(ctx)

        self.controller.run(work, loaded, lambda exc: show_problem(self, exc))

    def _show_conflicts(self, accounts: list[Account]) -> None:
        """Accounts kept from before separation of duties: say so until a role is removed."""
        names = [a.username for a in accounts if duty_conflicts(a.roles)]
        self.dutiesLabel.setVisible(bool(names))
        verb = "combines" if len(names) == 1 else "combine"
        self.dutiesLabel.setText(
            f"Separation of duties: {', '.join(names)} {verb} roles that one account may no "
            "longer hold together (see Note). Remove one of them; until then no role can be "
            "added and a disabled account cannot be re-enabled." if names else "")

    def selected(self) -> Account | None:
        return super().selected()

    def select(self, username: str) -> None:
        row = self.model.row_of(username)
        if row >= 0:
            self.table.selectRow(row)

    def _update_buttons(self) -> None:
        account = self.selected()
        for b in (self.editButton, self.toggleButton, self.resetButton, self.releaseButton):
            b.setEnabled(account is not None)
        if account is not None:
            self.toggleButton.setText("&Disable" if account.active else "En&able")
            self.releaseButton.setEnabled(account.failed_attempts > 0
                                          or account.locked_until_ms is not None)

    # -- actions -------------------------------------------------------------------------
    def _saved(self, value: object) -> None:
        name = value.username if isinstance(value, Account) else None
        text = f"Saved {name}." if name else "Saved."
        if isinstance(value, Account) and value.pending:
            text += f" {AWAITS[value.pending]}"
        self.statusLabel.setText(text)
        self.refresh(select=name)

    def new_account(self) -> AccountEditDialog:
        return self._open(AccountEditDialog(self, self.controller, None), self._saved)

    def edit_account(self) -> AccountEditDialog | None:
        account = self.selected()
        if account is None:
            return None
        return self._open(AccountEditDialog(self, self.controller, account), self._saved)

    def reset_password(self) -> ResetPasswordDialog | None:
        account = self.selected()
        if account is None:
            return None
        dialog = self._open(ResetPasswordDialog(self, self.controller, account), self._saved)
        dialog.saved.disconnect(self._saved)
        dialog.saved.connect(lambda _v, n=account.username: self._changed(
            f"The password of {n} was reset; they must change it at the next sign-in.", n))
        return dialog

    def toggle_active(self) -> None:
        account = self.selected()
        if account is None:
            return
        name, active = account.username, not account.active
        self.controller.run(
            lambda s, ctx: s.accounts.set_active(ctx, name, active),
            lambda a: self._changed(
                f"{name}: {AWAITS['enable']}" if a.pending == "enable"
                else f"{name} is {'enabled' if active else 'disabled'}.", name),
            lambda exc: show_problem(self, exc))

    def release_lockout(self) -> None:
        account = self.selected()
        if account is None:
            return
        name = account.username
        self._call(lambda s, ctx: s.accounts.release_lockout(ctx, name),
                   f"The lockout of {name} is released.", name)

    def _call(self, work: Callable[[Any, Any], Any], message: str, name: str) -> None:
        self.controller.run(work, lambda _v: self._changed(message, name),
                            lambda exc: show_problem(self, exc))

    def _changed(self, message: str, name: str) -> None:
        self.statusLabel.setText(message)
        self.refresh(select=name)
