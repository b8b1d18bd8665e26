"""The custodian's Account approvals screen: the administrator's requests for analyst and
custodian accounts wait here until a custodian approves or rejects them (separation of
duties). The service checks every right again and logs each decision."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from alpr_desktop.core.approvals import AccountRequest
from alpr_desktop.gui.access_feedback import show_problem
from alpr_desktop.gui.controller import Controller
from alpr_desktop.gui.dialogs.account_decision import DecisionDialog
from alpr_desktop.gui.models.account_requests_model import AccountRequestsModel
from alpr_desktop.gui.views.table_screen import TableScreen

TITLE = "<h3>Account approvals</h3>"
HINT = (
    "An administrator cannot give the analyst or custodian role alone: each new or re-enabled "
    "account and each role change adding them waits here. Check the person's authorization "
    "(sworn status, training, supervisor's approval) before approving. A request you made "
    "yourself, or one about your own account, needs another custodian."
)


class ApprovalsView(TableScreen):
    model: AccountRequestsModel

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(controller, parent)
        self.approveButton = QPushButton("&Approve…")
        self.rejectButton = QPushButton("Re&ject…")
        self.approveButton.clicked.connect(lambda: self.decide(approve=True))
        self.rejectButton.clicked.connect(lambda: self.decide(approve=False))
        self._build(TITLE, AccountRequestsModel(self), (self.approveButton, self.rejectButton))
        self.table.doubleClicked.connect(lambda _i: self.decide(approve=True))
        hint = QLabel(HINT)
        hint.setWordWrap(True)
        self.screenLayout.insertWidget(1, hint)
        self._message = ""

    def refresh(self) -> None:
        def loaded(requests: list[AccountRequest]) -> None:
            self.model.set_rows(requests)
            if requests:
                self.table.selectRow(0)
            waiting = (f"{len(requests)} waiting." if requests
                       else "No requests are waiting.")
            self.statusLabel.setText(f"{self._message} {waiting}".strip())
            self._message = ""

        self.controller.run(lambda s, ctx: s.approvals.list_requests(ctx), loaded,
                            lambda exc: show_problem(self, exc))

    def selected(self) -> AccountRequest | None:
        return super().selected()

    def _update_buttons(self) -> None:
        has = self.selected() is not None
        self.approveButton.setEnabled(has)
        self.rejectButton.setEnabled(has)

    def decide(self, *, approve: bool) -> DecisionDialog | None:
        request = self.selected()
        if request is None:
            return None
        dialog = DecisionDialog(self, self.controller, request, approve=approve)
        return self._open(dialog, self._decided)

    def _decided(self, request: object) -> None:
        if isinstance(request, AccountRequest):
            verb = "Approved" if request.decision == "approved" else "Rejected"
            self._message = f"{verb}: {request.kind.label.lower()} for {request.username}."
        self.refresh()
