"""The sharing screens driven as a user would: the custodian registers and approves an agency
(and is refused a federal one), records a request; the analyst prepares the response; the
custodian approves; the analyst releases a ZIP package and then an extract (and no more);
each step through the services and the
log. Screenshots at 1024x700 are saved for review."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_access import log_events, sign_in
from PySide6.QtCore import Qt
from shiboken6 import isValid

from alpr_desktop.core.agencies_requests import RequestStatus
from alpr_desktop.gui.models.sharing_models import AgenciesModel, RequestsModel
from alpr_desktop.gui.views.workspace import AGENCIES, REQUESTS
from alpr_desktop.services.evidence_package_verify import verify_package

NARRATIVE = (
    "Long Beach PD case of a grey Toyota Camry stolen from Pine Ave on 12/16/2025 at 22:40; "
    "they ask for reads of plate 7ABC123 from 12/10/2025 to 12/20/2025 to trace its route."
)


def _ok(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)


def _release_dialog(qtbot, requests):
    requests.dialog = None
    qtbot.mouseClick(requests.releaseButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: requests.dialog is not None and requests.dialog.isVisible(),
                    timeout=10_000)
    return requests.dialog


def _shot(workspace, name: str, tmp_path: Path) -> Path:
    workspace.resize(1024, 700)
    path = tmp_path / name
    workspace.grab().save(str(path))
    return path


def test_models_pass_the_model_tester(qtmodeltester, sharing_rows) -> None:
    agencies, requests = sharing_rows
    a = AgenciesModel()
    a.set_rows(agencies)
    qtmodeltester.check(a)
    r = RequestsModel()
    r.set_rows(requests)
    qtmodeltester.check(r)


@pytest.fixture
def sharing_rows(store, clock):
    from alpr_desktop.core.agencies import AgencyKind, Jurisdiction

    with store.transaction():
        a = store.agencies.add("Long Beach Police Department", AgencyKind.LAW_ENFORCEMENT,
                               Jurisdiction.CALIFORNIA_LOCAL, "555-0100", "", "keeper",
                               clock.now_ms())
        b = store.agencies.add("FBI Los Angeles", AgencyKind.LAW_ENFORCEMENT,
                               Jurisdiction.FEDERAL, "555-0101", "", "keeper", clock.now_ms())
    return [a, b], []


def test_custodian_and_analyst_take_a_request_to_a_package(qtbot, workspace, controller,
                                                          store, tmp_path) -> None:
    sign_in(qtbot, workspace, "keeper")
    qtbot.waitUntil(lambda: not controller.busy, timeout=10_000)
    agencies = workspace.views[AGENCIES]
    workspace.tabs.setCurrentWidget(agencies)
    for name, jurisdiction in (("Long Beach Police Department", 1), ("FBI Los Angeles", 3)):
        dialog = agencies.register()
        dialog.name.setText(name)
        dialog.jurisdiction.setCurrentIndex(jurisdiction)
        dialog.contact.setText("Records Unit, 555-0100")
        _ok(qtbot, dialog)
        # closed, or already deleted (WA_DeleteOnClose) by the time we look
        qtbot.waitUntil(lambda d=dialog: not isValid(d) or not d.isVisible(), timeout=10_000)
    qtbot.waitUntil(lambda: agencies.model.rowCount() == 2, timeout=10_000)
    names = [agencies.model.row_at(i).name for i in range(2)]
    federal = names.index("FBI Los Angeles")
    agencies.table.selectRow(federal)
    agencies.approve()
    qtbot.waitUntil(lambda: "2023-DLE-06" in agencies.statusLabel.text(), timeout=10_000)
    agencies.table.selectRow(1 - federal)
    agencies.approve()
    qtbot.waitUntil(lambda: "may now receive" in agencies.statusLabel.text(), timeout=10_000)
    qtbot.waitUntil(lambda: controller.busy is False, timeout=10_000)
    shot = _shot(workspace, "agencies.png", tmp_path)
    assert shot.stat().st_size > 0

    requests = workspace.views[REQUESTS]
    workspace.tabs.setCurrentWidget(requests)
    requests.refresh()
    qtbot.waitUntil(lambda: len(requests.agencies) == 1, timeout=10_000)
    dialog = requests.record()
    dialog.requester.setText("Dana Reyes")
    dialog.badge.setText("LB-3321")
    dialog.contact.setText("dreyes@longbeach.example")
    dialog.case.setText("LBPD-2025-004512")
    dialog.offense.setCurrentText("Vehicle theft")
    dialog.purpose.setPlainText(NARRATIVE)
    dialog.asked.setPlainText("Reads of 7ABC123 from 12/10/2025 to 12/20/2025")
    dialog.grab().save(str(tmp_path / "request-dialog.png"))
    _ok(qtbot, dialog)
    qtbot.waitUntil(lambda: requests.model.rowCount() == 1, timeout=10_000)

    sign_in(qtbot, workspace, "officer")
    qtbot.waitUntil(lambda: not controller.busy, timeout=10_000)
    requests = workspace.views[REQUESTS]
    workspace.tabs.setCurrentWidget(requests)
    qtbot.waitUntil(lambda: requests.model.rowCount() == 1, timeout=10_000)
    requests.table.selectRow(0)
    assert requests.prepareButton.isEnabled() and not requests.releaseButton.isEnabled()
    qtbot.mouseClick(requests.prepareButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: requests.dialog is not None and requests.dialog.isVisible(),
                    timeout=10_000)
    assert controller.purpose is not None
    assert controller.purpose.purpose.case_number == "LBPD-2025-004512"
    prepare = requests.dialog
    prepare.reads.setText("1, 2")
    prepare.grab().save(str(tmp_path / "prepare-dialog.png"))
    _ok(qtbot, prepare)
    qtbot.waitUntil(lambda: "prepared" in requests.statusLabel.text(), timeout=10_000)

    sign_in(qtbot, workspace, "keeper")
    qtbot.waitUntil(lambda: not controller.busy, timeout=10_000)
    requests = workspace.views[REQUESTS]
    workspace.tabs.setCurrentWidget(requests)
    qtbot.waitUntil(lambda: requests.model.rowCount() == 1, timeout=10_000)
    requests.table.selectRow(0)
    decision = requests.decide(approve=True)
    assert decision is not None
    _ok(qtbot, decision)
    qtbot.waitUntil(lambda: "approved" in requests.statusLabel.text(), timeout=10_000)
    qtbot.waitUntil(lambda: not controller.busy, timeout=10_000)
    _shot(workspace, "requests.png", tmp_path)

    sign_in(qtbot, workspace, "officer")
    qtbot.waitUntil(lambda: not controller.busy, timeout=10_000)
    requests = workspace.views[REQUESTS]
    workspace.tabs.setCurrentWidget(requests)
    qtbot.waitUntil(lambda: requests.model.rowCount() == 1, timeout=10_000)
    requests.table.selectRow(0)
    assert requests.releaseButton.isEnabled()
    release = _release_dialog(qtbot, requests)
    assert release.packageRadio.isChecked() and release.extractRadio.isEnabled()
    release.folderEdit.setText("/home/officer/Evidence")
    release.zipCheck.setChecked(True)
    release.grab().save(str(tmp_path / "release-dialog.png"))
    release.folderEdit.setText(str(tmp_path))
    _shot(workspace, "requests-analyst.png", tmp_path)
    _ok(qtbot, release)
    qtbot.waitUntil(lambda: "written to" in requests.statusLabel.text(), timeout=30_000)
    [packed] = [p for p in tmp_path.iterdir() if p.name.startswith("evidence-request-1-")]
    assert packed.suffix == ".zip" and verify_package(packed).intact
    assert store.sharing.get(1).status is RequestStatus.DISCLOSED

    # the same approval also allows one extract, and then nothing more
    qtbot.waitUntil(lambda: not controller.busy, timeout=10_000)
    requests.table.selectRow(0)
    release = _release_dialog(qtbot, requests)
    assert not release.packageRadio.isEnabled() and release.extractRadio.isChecked()
    release.folderEdit.setText(str(tmp_path))
    _ok(qtbot, release)
    qtbot.waitUntil(lambda: requests.passphrase_dialog is not None
                    and requests.passphrase_dialog.isVisible(), timeout=30_000)
    shown = requests.passphrase_dialog
    shown.resize(1024, 700)
    shown.grab().save(str(tmp_path / "passphrase-dialog.png"))
    [extract] = list(tmp_path.glob("extract-request-1-*.alprext"))
    from alpr_desktop.services.review_extract_mode import ReviewSession

    ReviewSession.open(extract, shown.passphraseLabel.text(), controller.clock).close()
    shown.close()
    qtbot.waitUntil(lambda: not controller.busy, timeout=10_000)
    requests.table.selectRow(0)
    release = _release_dialog(qtbot, requests)
    assert not release.packageRadio.isEnabled() and not release.extractRadio.isEnabled()
    assert "new request" in release.problem.text()
    release.reject()
    events = [e.event for e in log_events(store) if e.event.startswith("sharing.")]
    assert events.index("sharing.approved") < events.index("sharing.disclosure")
    assert events.index("sharing.disclosure") < events.index("sharing.package.sealed")
    [refused] = log_events(store, "agency.approval_refused")
    assert refused.agency == "FBI Los Angeles" and refused.username == "keeper"
