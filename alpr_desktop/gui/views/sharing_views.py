"""The sharing screens (issue 15): the custodian's agency registry, and the requests from
other agencies, where the custodian records and decides and the analyst prepares a response
and releases an approved one (an evidence package, an offline review extract, or both, each
once). Every right is checked again by the
services, which log each step; a refusal comes back as a sentence."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QWidget
from shiboken6 import isValid

from alpr_desktop.core.agencies import Agency, AgencyInput, AgencyInvalid
from alpr_desktop.core.agencies_requests import RequestInput, RequestStatus, SharingRequest
from alpr_desktop.core.clock import SITE_ZONE
from alpr_desktop.core.roles import Role
from alpr_desktop.gui.access_feedback import show_problem
from alpr_desktop.gui.controller import Controller, ProgressWork
from alpr_desktop.gui.dialogs.release_dialogs import (
    PACKAGE,
    PassphraseDialog,
    ReleaseChoice,
    ReleaseDialog,
)
from alpr_desktop.gui.dialogs.sharing_dialogs import (
    AgencyDialog,
    PrepareDialog,
    RequestDialog,
    SharingNoteDialog,
)
from alpr_desktop.gui.models.sharing_models import AgenciesModel, RequestsModel
from alpr_desktop.gui.views.table_screen import TableScreen

AGENCIES_HINT = (
    "Only approved California state or local law-enforcement and prosecutorial agencies "
    "receive ALPR data (policy §1; AG bulletin 2023-DLE-06). The program refuses to approve a "
    "federal, out-of-state, private or other recipient, and says why."
)
REQUESTS_HINT = (
    "A request is recorded as the agency made it; an analyst prepares the response under the "
    "request's purpose; the custodian approves it; only then can the analyst release it, once "
    "as an evidence package (folder or ZIP) and once as an offline review extract. Every step "
    "is in the access log with the receiving agency."
)
def _problem_into(dialog: Any, view: QWidget) -> Callable[[BaseException], None]:
    """A refusal of input goes into the open dialog; anything else to a message box."""
    def err(exc: BaseException) -> None:
        if isinstance(exc, (AgencyInvalid, ValueError)) or type(exc).__name__ in (
                "SharingRefused", "RequestInvalid"):
            dialog.show_problem(str(exc))
        else:
            dialog.close()
            show_problem(view, exc)
    return err


class AgenciesView(TableScreen):
    model: AgenciesModel

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(controller, parent)
        self.addButton = QPushButton("&Register Agency…")
        self.approveButton = QPushButton("Approve as Re&cipient")
        self.withdrawButton = QPushButton("&Withdraw Approval…")
        self.addButton.clicked.connect(self.register)
        self.approveButton.clicked.connect(self.approve)
        self.withdrawButton.clicked.connect(self.withdraw)
        self._build("<h3>Agencies</h3>", AgenciesModel(self),
                    (self.addButton, self.approveButton, self.withdrawButton))
        hint = QLabel(AGENCIES_HINT)
        hint.setWordWrap(True)
        self.screenLayout.insertWidget(1, hint)

    def refresh(self) -> None:
        self.controller.run(lambda s, ctx: s.sharing.agencies(ctx), self.model.set_rows,
                            lambda exc: show_problem(self, exc))

    def selected(self) -> Agency | None:
        return super().selected()

    def _update_buttons(self) -> None:
        a = self.selected()
        self.approveButton.setEnabled(a is not None and not a.approved)
        self.withdrawButton.setEnabled(a is not None and a.approved)

    def _done(self, message: str) -> None:
        self.statusLabel.setText(message)
        self.refresh()

    def register(self) -> AgencyDialog:
        dialog = AgencyDialog(self)

        def save(entry: AgencyInput) -> None:
            def ok(a: Agency) -> None:
                dialog.accept()
                self._done(f"Registered {a.name}; approve it as a recipient when its right "
                           "and need to know are checked.")
            self.controller.run(lambda s, ctx: s.sharing.add_agency(ctx, entry), ok,
                                _problem_into(dialog, self))

        return self._open(dialog, save)

    def approve(self) -> None:
        a = self.selected()
        if a is None:
            return
        self.controller.run(lambda s, ctx: s.sharing.approve_agency(ctx, a.id),
                            lambda got: self._done(f"{got.name} may now receive data."),
                            self._refused)

    def _refused(self, exc: BaseException) -> None:
        self.statusLabel.setText(str(exc))
        show_problem(self, exc)
        self.refresh()

    def withdraw(self) -> SharingNoteDialog | None:
        a = self.selected()
        if a is None:
            return None
        dialog = SharingNoteDialog(
            "Withdraw Approval",
            f"{a.name} will receive nothing more, and its approved responses cannot leave.",
            "&Reason", self)

        def save(reason: str) -> None:
            def ok(got: Agency) -> None:
                dialog.accept()
                self._done(f"Withdrew {got.name}'s approval.")
            self.controller.run(lambda s, ctx: s.sharing.withdraw_agency(ctx, a.id, reason),
                                ok, _problem_into(dialog, self))

        return self._open(dialog, save)


class RequestsView(TableScreen):
    model: RequestsModel

    def __init__(self, controller: Controller, parent: QWidget | None = None, *,
                 release_folder: Path | None = None) -> None:
        super().__init__(controller, parent)
        self.release_folder = release_folder or Path.home()
        self.passphrase_dialog: PassphraseDialog | None = None
        session = controller.session
        roles = session.roles if session is not None else frozenset()
        self.custodian = Role.CUSTODIAN in roles
        self.analyst = Role.ANALYST in roles
        self.recordButton = QPushButton("&Record Request…")
        self.prepareButton = QPushButton("&Prepare Response…")
        self.approveButton = QPushButton("&Approve…")
        self.refuseButton = QPushButton("Re&fuse…")
        self.releaseButton = QPushButton("Re&lease Response…")
        self.recordButton.clicked.connect(self.record)
        self.prepareButton.clicked.connect(self.prepare)
        self.approveButton.clicked.connect(lambda: self.decide(approve=True))
        self.refuseButton.clicked.connect(lambda: self.decide(approve=False))
        self.releaseButton.clicked.connect(self.release)
        buttons = [self.recordButton]
        buttons += [self.prepareButton, self.releaseButton] if self.analyst else []
        buttons += [self.approveButton, self.refuseButton] if self.custodian else []
        self._build("<h3>Requests from agencies</h3>", RequestsModel(self), buttons)
        self.refreshButton.setText("Refres&h")
        hint = QLabel(REQUESTS_HINT)
        hint.setWordWrap(True)
        self.screenLayout.insertWidget(1, hint)
        self.agencies: list[Agency] = []
        self._message = ""

    def refresh(self) -> None:
        self.controller.run(lambda s, ctx: (s.sharing.requests(ctx), s.sharing.agencies(ctx)),
                            self._loaded, lambda exc: show_problem(self, exc))

    def _loaded(self, got: tuple[list[SharingRequest], list[Agency]]) -> None:
        requests, agencies = got
        self.agencies = [a for a in agencies if a.approved]
        self.model.set_rows(requests)
        waiting = sum(r.status is RequestStatus.PREPARED for r in requests)
        count = f"{len(requests)} request{'s' if len(requests) != 1 else ''}"
        self.statusLabel.setText(
            f"{self._message} {count}; {waiting} waiting for approval.".strip())
        self._message = ""

    def selected(self) -> SharingRequest | None:
        return super().selected()

    def _update_buttons(self) -> None:
        r = self.selected()
        status = r.status if r is not None else None
        self.prepareButton.setEnabled(status in (RequestStatus.RECEIVED, RequestStatus.PREPARED,
                                                 RequestStatus.REFUSED))
        self.approveButton.setEnabled(status is RequestStatus.PREPARED)
        self.refuseButton.setEnabled(status is RequestStatus.PREPARED)
        self.releaseButton.setEnabled(status in (RequestStatus.APPROVED,
                                                 RequestStatus.DISCLOSED))

    def _done(self, message: str) -> None:
        self._message = message
        self.statusLabel.setText(message)
        self.refresh()

    def record(self) -> RequestDialog:
        dialog = RequestDialog(self.agencies, self.controller.clock.now_ms(), self)

        def save(entry: RequestInput) -> None:
            def ok(r: SharingRequest) -> None:
                dialog.accept()
                self._done(f"Recorded request #{r.id} from {r.agency_name}.")
            self.controller.run(lambda s, ctx: s.sharing.record_request(ctx, entry), ok,
                                _problem_into(dialog, self))

        return self._open(dialog, save)

    def _with_request_purpose(self, request: SharingRequest,
                              then: Callable[[], object]) -> None:
        """Make the request's purpose the analyst's (policy §3: the purpose before the data)."""
        def declared(_purpose: object) -> None:
            then()

        self.controller.declare_purpose(request.purpose_input(), None, declared,
                                        lambda exc: show_problem(self, exc))

    def prepare(self) -> None:
        request = self.selected()
        if request is None:
            return

        def open_dialog() -> None:
            dialog = PrepareDialog(request, self)

            def save(ids: list[int], note: str) -> None:
                def ok(r: SharingRequest) -> None:
                    dialog.accept()
                    self._done(f"Response to request #{r.id} prepared ({len(r.read_ids)} "
                               "reads); it waits for the custodian's approval.")
                self.controller.run(
                    lambda s, ctx: s.sharing.prepare_response(ctx, request.id, ids, note), ok,
                    _problem_into(dialog, self))

            dialog.saved.connect(save)
            self._open(dialog, lambda *_: None)

        self._with_request_purpose(request, open_dialog)

    def decide(self, *, approve: bool) -> SharingNoteDialog | None:
        request = self.selected()
        if request is None:
            return None
        verb = "Approve" if approve else "Refuse"
        dialog = SharingNoteDialog(
            f"{verb} Response",
            f"Request #{request.id} from {request.agency_name} (their case "
            f"{request.case_number}): {len(request.read_ids)} reads prepared by "
            f"{request.prepared_by}. Purpose: {request.purpose}",
            "&Note" if approve else "&Reason", self, required=not approve)

        def save(note: str) -> None:
            def ok(r: SharingRequest) -> None:
                dialog.accept()
                self._done(f"Request #{r.id} {r.status.value}.")
            self.controller.run(
                (lambda s, ctx: s.sharing.approve(ctx, request.id, note)) if approve else
                (lambda s, ctx: s.sharing.refuse(ctx, request.id, note)), ok,
                _problem_into(dialog, self))

        return self._open(dialog, save)

    def release(self) -> None:
        """Release the approved response: under the request's purpose, ask what has left,
        then the dialog (package or extract, where, until when)."""
        request = self.selected()
        if request is None or request.status not in (RequestStatus.APPROVED,
                                                     RequestStatus.DISCLOSED):
            return

        def fetch() -> None:
            self.controller.run(lambda s, ctx: s.sharing.releases(ctx, request.id),
                                lambda found: self._release_dialog(request, found),
                                lambda exc: show_problem(self, exc))

        self._with_request_purpose(request, fetch)

    def _release_dialog(self, request: SharingRequest, found: list[Any]) -> ReleaseDialog:
        now = self.controller.clock.now_ms()
        today = dt.datetime.fromtimestamp(now / 1000, dt.UTC).astimezone(SITE_ZONE).date()
        dialog = ReleaseDialog(request, {r.kind for r in found}, today, self.release_folder,
                               self)

        def go(choice: ReleaseChoice) -> None:
            from alpr_desktop.services.evidence_package import suggested_folder_name
            from alpr_desktop.services.sharing_release import suggested_extract_name

            self.release_folder = choice.folder
            stamp = self.controller.clock.now_ms()
            if choice.kind == PACKAGE:
                target = choice.folder / suggested_folder_name(request.id, stamp)
                work: ProgressWork = lambda s, ctx, progress, _cancel: (  # noqa: E731
                    s.evidence_packages.build(ctx, request.id, target, progress,
                                              as_zip=choice.as_zip))
            else:
                target = choice.folder / suggested_extract_name(request.id, stamp)
                expires = choice.expires_on or today
                work = lambda s, ctx, progress, _cancel: (  # noqa: E731
                    s.sharing_releases.release_extract(ctx, request.id, target, expires,
                                                       progress))
            self.statusLabel.setText("Releasing the response…")
            handle = self.controller.run_with_progress(
                work, lambda result: self._released(dialog, result),
                lambda exc: self._release_failed(dialog, exc), dialog.set_progress)
            dialog.cancelRequested.connect(handle.cancel)

        return self._open(dialog, go)

    def _released(self, dialog: ReleaseDialog, result: Any) -> None:
        if isValid(dialog):
            dialog.running = False
            dialog.accept()
        if hasattr(result, "passphrase"):
            m = result.manifest
            summary = (f"Extract for request #{m.request_ref or ''} written to "
                       f"{result.extract_path} with its key file {result.key_path.name}: "
                       f"{result.read_count} reads for {m.recipient_name} ({m.organization}), "
                       f"opens until {m.expires_on.isoformat()}.").replace("#request #", "#")
            self._show_passphrase(summary, result)
            self._done(summary)
        else:
            self._done(result.summary())

    def _show_passphrase(self, summary: str, release: Any) -> PassphraseDialog:
        record = release.extract_path.with_name(
            release.extract_path.name.removesuffix(".alprext") + "-release-record.pdf")
        dialog = PassphraseDialog(summary, release.passphrase, record, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def save(path: Path) -> None:
            from alpr_desktop.services.review_extract import write_release_record

            self.controller.run(lambda _s, _ctx: write_release_record(release, path),
                                lambda got: dialog.record_saved(got) if isValid(dialog)
                                else None, lambda exc: show_problem(dialog, exc))

        dialog.saveRecord.connect(save)
        self.passphrase_dialog = dialog
        dialog.open()
        return dialog

    def _release_failed(self, dialog: ReleaseDialog, exc: BaseException) -> None:
        self.refresh()
        text = str(exc) if str(exc) else "The release failed; nothing was released."
        self.statusLabel.setText(text)
        if isValid(dialog) and dialog.isVisible():
            dialog.failed(text)
        else:
            show_problem(self, exc)
