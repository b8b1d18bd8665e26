"""The custodian approves or rejects one account request, with a reason.

A rejection needs a reason (it is logged and the administrator reads it); an approval may carry
a note. The service checks again that the custodian is not the administrator who asked and
that the change still keeps every invariant, and the dialog stays open with its sentence when
it refuses.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QLabel, QPlainTextEdit, QWidget

from alpr_desktop.core.approvals import MAX_REASON, AccountRequest, RequestKind
from alpr_desktop.gui.controller import Controller
from alpr_desktop.gui.dialogs.account_edit import _ServiceDialog, labelled_form

_CONSEQUENCE = {
    (True, RequestKind.CREATE): "The account becomes active; its user signs in and must "
                                "choose a new password.",
    (True, RequestKind.ENABLE): "The account becomes active again.",
    (True, RequestKind.ROLES): "The account gets the new roles at once.",
    (False, RequestKind.CREATE): "The account stays disabled.",
    (False, RequestKind.ENABLE): "The account stays disabled.",
    (False, RequestKind.ROLES): "The account keeps its present roles.",
}


class DecisionDialog(_ServiceDialog):
    """Approve (``approve`` True) or reject ``request``."""

    def __init__(
        self, parent: QWidget | None, controller: Controller, request: AccountRequest,
        *, approve: bool,
    ) -> None:
        super().__init__(parent, controller)
        self.request = request
        self.approve = approve
        verb = "Approve" if approve else "Reject"
        self.setWindowTitle(f"{verb} {request.kind.label}: {request.username}")
        badge = f", badge {request.badge_number}" if request.badge_number else ""
        summary = QLabel(
            f"<b>{request.kind.label}</b> for <b>{_html(request.username)}</b> — "
            f"{_html(request.full_name)}, {_html(request.organization)}{_html(badge)}"
            f"{' (sworn)' if request.sworn else ''}.<br>Roles: {_html(request.change_text())}"
            f"<br>Asked by {_html(request.requested_by)}."
        )
        summary.setWordWrap(True)
        consequence = QLabel(_CONSEQUENCE[(approve, request.kind)])
        consequence.setWordWrap(True)
        self.reasonEdit = QPlainTextEdit()
        self.reasonEdit.setTabChangesFocus(True)
        self.reasonEdit.setFixedHeight(80)
        label = "Rea&son (required):" if not approve else "&Note (optional):"
        self._lay_out(summary, consequence, labelled_form(((label, self.reasonEdit),)),
                      ok_text=f"&{verb}")
        self.resize(480, self.sizeHint().height())
        self.reasonEdit.setFocus()

    def work(self) -> Callable[[Any, Any], Any] | None:
        reason = self.reasonEdit.toPlainText()
        if len(reason.strip()) > MAX_REASON:
            self.show_failure(f"The reason is longer than {MAX_REASON} characters.")
            return None
        if not self.approve and not reason.strip():
            self.show_failure("Give the reason for the rejection; the administrator reads it "
                              "and it is written to the access log.")
            return None
        request_id = self.request.id
        if self.approve:
            return lambda s, ctx: s.approvals.approve(ctx, request_id, reason)
        return lambda s, ctx: s.approvals.reject(ctx, request_id, reason)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
