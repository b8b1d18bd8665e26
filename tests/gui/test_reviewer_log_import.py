"""The custodian's Import Reviewer Log… on the audit screen: the signed log a reviewer sent
back is verified and imported on a worker, and the dialog shows who looked at what, where; a
tampered file is refused with a sentence and nothing is imported."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from gui_access import PASSWORDS, approve_agencies, sign_in
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox

from alpr_desktop.core.clock import FixedClock
from alpr_desktop.core.extract import ExtractOrder
from alpr_desktop.core.purposes import PurposeInput
from alpr_desktop.gui.review import import_log
from alpr_desktop.gui.review.import_log import ImportedLogDialog
from alpr_desktop.gui.views.audit_view import AuditView
from alpr_desktop.gui.views.workspace import AUDIT
from alpr_desktop.services.auth import AuthService
from alpr_desktop.services.purposes import PurposeService
from alpr_desktop.services.review_extract import ExtractReleaseService
from alpr_desktop.services.review_extract_mode import ReviewSession
from alpr_desktop.storage import Store
from alpr_desktop.storage.extract_releases import ExtractReleaseRepo

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
NAME, ORG = "Dana Prosecutor", "Los Angeles County District Attorney"
NARRATIVE = ("Preliminary hearing on the Carson Mall vehicle theft of 2025-12-19; checking "
             "when the suspect's silver Civic passed the Avalon cameras that night.")


@pytest.fixture
def returned_log(store: Store, clock: FixedClock, tmp_path: Path) -> Path:
    approve_agencies(store, clock, ORG)
    auth = AuthService(store, clock)
    ctx = auth.context(auth.sign_in("officer", PASSWORDS["officer"]))
    entry = PurposeInput("criminal_investigation", "Vehicle theft", "123-45678-2026-001",
                         NARRATIVE, True)
    PurposeService(store, clock).declare(ctx, entry)
    ids = [r[0] for r in store.query("SELECT id FROM reads ORDER BY id")]
    release = ExtractReleaseService(store, clock).release_extract(
        auth.context(ctx.session), ExtractOrder(tuple(ids[:3]), NAME, ORG, "Hearing review",
                                                "123-45678-2026-001", date(2026, 1, 31)),
        tmp_path / "case-7")
    session = ReviewSession.open(release.extract_path, release.passphrase, clock)
    try:
        who = session.sign_in(NAME, ORG, entry)
        session.reads(who)
        for rid in ids[:2]:
            session.open_read(who, rid)
        return session.export_log(who, tmp_path / "dana")
    finally:
        session.close()


def _open_audit(qtbot, workspace) -> AuditView:
    sign_in(qtbot, workspace, "keeper")
    view = workspace.views[AUDIT]
    assert isinstance(view, AuditView)
    workspace.tabs.setCurrentWidget(view)
    qtbot.waitUntil(lambda: not view.loading and view.total is not None, timeout=15_000)
    qtbot.waitUntil(lambda: workspace.controller.busy is False, timeout=15_000)
    return view


def test_the_custodian_imports_a_reviewer_log(
    qtbot, workspace, store: Store, returned_log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = _open_audit(qtbot, workspace)
    monkeypatch.setattr(import_log, "choose_reviewer_log", lambda _parent: str(returned_log))
    assert view.importLogButton.isVisible() and view.importLogButton.isEnabled()
    qtbot.mouseClick(view.importLogButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(view.property("reviewerLogDialog"), ImportedLogDialog),
                    timeout=15_000)
    dialog: ImportedLogDialog = view.property("reviewerLogDialog")
    rows = dialog.model.rows
    assert next(r.what for r in rows if r.event == "review.view").startswith("read 1")
    assert all(r.reviewer == NAME for r in rows if r.event.startswith("review."))
    assert "chain is intact" in dialog.findChild(QLabel, "importSummary").text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    workspace.resize(1024, 700)
    workspace.grab().save(str(SHOTS / "custodian-import-reviewer-log-button.png"))
    dialog.grab().save(str(SHOTS / "custodian-reviewer-log-imported.png"))
    assert len(ExtractReleaseRepo(store).entries()) == len(rows)
    dialog.close()


def test_a_tampered_log_is_refused_in_a_sentence(
    qtbot, workspace, store: Store, returned_log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    returned_log.write_text(returned_log.read_text().replace(NAME, "Someone Else"))
    view = _open_audit(qtbot, workspace)
    monkeypatch.setattr(import_log, "choose_reviewer_log", lambda _parent: str(returned_log))
    qtbot.mouseClick(view.importLogButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.findChild(QMessageBox, "errorBox") is not None,
                    timeout=15_000)
    box = view.findChild(QMessageBox, "errorBox")
    assert "not signed by its extract's key" in box.text()
    assert ExtractReleaseRepo(store).entries() == []
    box.close()
