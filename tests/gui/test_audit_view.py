"""The custodian's audit view driven as a user meets it: filters, paging, the detail pane,
verification (intact and tampered), the report with progress, cancel, open and print, and the
roles that must not see it. The log holds the known entries of tests/unit/audit/audit_helpers
(newest) after FILLERS older "read.view" entries, so a listing spans several pages."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import pytest
import shiboken6
from gui_access import activate, log_events, sign_in
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QPushButton

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit" / "audit"))
from audit_helpers import known_events, local_ms, purpose, tamper_purpose

from alpr_desktop.core.access_errors import NotAuthorized
from alpr_desktop.core.audit_filters import AuditFilter
from alpr_desktop.core.audit_log import LogEvent
from alpr_desktop.gui.dialogs.audit_report_dialog import AuditReportDialog
from alpr_desktop.gui.models.audit_log_model import HEADERS, AuditLogModel
from alpr_desktop.gui.printing import (
    NO_PRINT_SYSTEM,
    NoPrintSystem,
    PrintDialog,
    Printers,
    PrintProblem,
    SystemSpooler,
)
from alpr_desktop.gui.views.audit_view import AuditView
from alpr_desktop.gui.views.workspace import AUDIT, TITLES
from alpr_desktop.services import audit_service
from alpr_desktop.storage import Store
from alpr_desktop.storage.access_log import AccessLogRepo

FILLERS = 620
WAIT = 15_000


@pytest.fixture
def audit_store(store: Store) -> Store:
    repo = AccessLogRepo(store)
    start = local_ms(2025, 12, 1, 10)
    with store.transaction():
        for i in range(FILLERS):
            repo.append(LogEvent(
                "read.view", "ok", "bulk", "LASD Carson Station", "LASD", "ws2/test",
                purpose=purpose(case=f"123-45678-2025-{i:03d}"),
                query={"read_id": 1000 + i, "plate": f"6BLK{i:03d}"}, result_count=1,
            ), start + i * 60_000)
        for ev, ts in known_events():
            repo.append(ev, ts)
    return store


def seq_of(s: Store, event: str, **fields: str) -> int:
    return next(e.seq for e in log_events(s, event)
                if all(getattr(e, k) == v for k, v in fields.items()))


def wait_listed(qtbot, view: AuditView) -> None:
    qtbot.waitUntil(lambda: not view.loading and view.total is not None, timeout=WAIT)


def open_view(qtbot, workspace) -> AuditView:
    sign_in(qtbot, workspace, "keeper")
    view = workspace.views[AUDIT]
    assert isinstance(view, AuditView)
    workspace.tabs.setCurrentWidget(view)
    wait_listed(qtbot, view)
    qtbot.waitUntil(lambda: workspace.controller.busy is False, timeout=WAIT)
    return view


def shown(view: AuditView) -> list:
    return [view.model.entry_at(r) for r in range(view.model.rowCount())]


def others(view: AuditView) -> list[str]:
    """Events shown that the custodian's own audit entries did not add."""
    return [e.event for e in shown(view) if e.username != "keeper"]


def apply(qtbot, view: AuditView) -> None:
    qtbot.mouseClick(view.filters.applyButton, Qt.MouseButton.LeftButton)
    wait_listed(qtbot, view)


# -- opening and filtering --------------------------------------------------------------------
def test_custodian_opens_the_view_and_opening_is_logged(qtbot, workspace, audit_store):
    before = AccessLogRepo(audit_store).head()[0]
    view = open_view(qtbot, workspace)
    tabs = [workspace.tabs.tabText(i) for i in range(workspace.tabs.count())]
    assert TITLES[AUDIT].replace("&", "") in tabs
    views = [e for e in log_events(audit_store, "audit.view") if e.seq > before]
    assert len(views) == 1 and views[0].username == "keeper" and views[0].query == {}
    # newest first, and the listing's own audit entry is the newest of all
    assert view.model.entry_at(0).seq == views[0].seq
    # the total is the log as of the listing's own entry (opening also logs its pick lists)
    assert view.total == len([e for e in log_events(audit_store) if e.seq <= views[0].seq])
    assert [view.model.headerData(c, Qt.Orientation.Horizontal) for c in range(9)] == \
        list(HEADERS)
    assert f"{view.total:,} entries match" in view.statusLabel.text()
    # the pick lists come from the log
    users = [view.filters.userCombo.itemText(i) for i in range(view.filters.userCombo.count())]
    assert {"officer", "officer2", "vendor", "bulk"} <= set(users)
    orgs = [view.filters.orgCombo.itemText(i) for i in range(view.filters.orgCombo.count())]
    assert "LASD Lakewood Station" in orgs and "Acme ALPR Services" in orgs


@pytest.mark.parametrize(("setup", "expected"), [
    (lambda f: f.userCombo.setEditText("officer2"),
     ["account.locked", "signin.failed", "signin.failed", "search", "search"]),
    (lambda f: (f.eventPicker.actions_by_event["signin.failed"].trigger(),
                f.eventPicker.actions_by_event["account.locked"].trigger()),
     ["account.locked", "signin.failed", "signin.failed"]),
    (lambda f: f.queryEdit.setText("7ABC123"),
     ["image.view", "disclosure", "search", "search"]),
    (lambda f: f.caseEdit.setText("2026-002"), ["search"]),
    (lambda f: f.period.set_range(date(2026, 1, 6), date(2026, 1, 6)),
     ["account.locked", "signin.failed", "signin.failed"]),
    (lambda f: f.orgCombo.setEditText("acme"), ["search", "gate.refused"]),
    (lambda f: f.outcomeCombo.setCurrentIndex(f.outcomeCombo.findData("refused")),
     ["search", "gate.refused"]),
    (lambda f: f.purposeCombo.setCurrentIndex(f.purposeCombo.findData("prosecution")), []),
])
def test_filters_select_the_expected_entries(qtbot, workspace, audit_store, setup, expected):
    view = open_view(qtbot, workspace)
    before = AccessLogRepo(audit_store).head()[0]
    setup(view.filters)
    apply(qtbot, view)
    assert others(view) == expected
    flt = view.applied
    assert all(flt.matches(e) for e in shown(view))
    assert view.total == len(shown(view))
    # filtering is itself logged, with the filter
    views = [e for e in log_events(audit_store, "audit.view") if e.seq > before]
    assert len(views) == 1 and views[0].query == flt.as_log_dict() != {}
    # Clear lists everything again
    qtbot.mouseClick(view.filters.clearButton, Qt.MouseButton.LeftButton)
    wait_listed(qtbot, view)
    assert view.applied == AuditFilter() and view.total > FILLERS


def test_enter_applies_and_ctrl_f_focuses_the_query(qtbot, workspace, audit_store):
    view = open_view(qtbot, workspace)
    activate(qtbot, view)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view.filters.queryEdit)
    qtbot.keyClicks(view.filters.queryEdit, "8XYZ999")
    qtbot.keyClick(view.filters.queryEdit, Qt.Key.Key_Return)
    wait_listed(qtbot, view)
    assert view.applied.query_text == "8XYZ999"
    assert others(view) == ["search"]
    # Enter in a date field applies too
    view.filters.period.set_range(date(2026, 1, 12), date(2026, 1, 12))
    qtbot.keyClick(view.filters.period.toEdit, Qt.Key.Key_Return)
    wait_listed(qtbot, view)
    assert view.applied.from_ms == local_ms(2026, 1, 12, 0) and others(view) == []


def test_period_presets_follow_the_clock(qtbot, workspace, audit_store):
    view = open_view(qtbot, workspace)
    period = view.filters.period
    assert period.preset() == "any" and not period.fromEdit.isEnabled()
    period.set_preset("last7")  # the FixedClock's 2026-01-01 00:00 UTC is Dec 31 in Carson
    assert period.state()[1:] == (date(2025, 12, 25), date(2025, 12, 31))
    period.fromEdit.setDate(period.fromEdit.date().addDays(-1))
    assert period.preset() == "custom"
    period.set_range(date(2026, 1, 9), date(2026, 1, 8))
    apply(qtbot, view)
    assert "ends before it starts" in view.problemLabel.text()


def test_table_pages_through_the_log_on_scrolling(qtbot, workspace, audit_store):
    view = open_view(qtbot, workspace)
    before = AccessLogRepo(audit_store).head()[0]
    view.filters.userCombo.setEditText("bulk")
    apply(qtbot, view)
    assert view.total == FILLERS
    assert view.model.rowCount() < FILLERS and view.model.has_more
    pages = 1
    while view.model.has_more:
        count = view.model.rowCount()
        view.table.scrollToBottom()
        qtbot.waitUntil(lambda c=count: view.model.rowCount() > c, timeout=WAIT)
        pages += 1
    assert pages >= 3
    seqs = [e.seq for e in shown(view)]
    assert len(seqs) == FILLERS and seqs == sorted(seqs, reverse=True)
    assert "620 entries match; 620 shown" in view.statusLabel.text()
    # the further pages belong to the same listing: logged once
    assert len([e for e in log_events(audit_store, "audit.view") if e.seq > before]) == 1


def test_detail_pane_shows_the_whole_entry(qtbot, workspace, audit_store):
    view = open_view(qtbot, workspace)
    seq = seq_of(audit_store, "search", username="officer2",
                 organization="LASD Lakewood Station")
    entry = next(e for e in log_events(audit_store) if e.seq == seq)
    view.show_entry(seq)
    assert view.selected_entry() == entry
    text = view.detail.toPlainText()
    assert f"Entry #{seq}" in text
    assert "case 123-45678-2026-002" in text  # in words (the JSON: "Show as stored")
    assert "Narrative\ninvestigation" in text
    assert "plate 8XYZ999, exact match" in text
    assert "LASD Lakewood Station" in text and "ws1/test" in text
    assert entry.prev_hash in text and entry.hash in text


# -- verification ------------------------------------------------------------------------------
def verify(qtbot, view: AuditView) -> None:
    qtbot.mouseClick(view.verifyButton, Qt.MouseButton.LeftButton)
    assert view.verifying
    qtbot.waitUntil(lambda: not view.verifying, timeout=WAIT)


def test_verify_shows_intact_and_the_head(qtbot, workspace, audit_store):
    view = open_view(qtbot, workspace)
    head_seq, head_hash = AccessLogRepo(audit_store).head()
    verify(qtbot, view)
    panel = view.verifyPanel
    assert panel.isVisible() and panel.stateLabel.text() == "INTACT"
    assert panel.headLabel.text() == head_hash
    assert panel.headLabel.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    assert f"{head_seq:,} entries checked" in panel.summaryLabel.text()
    assert not panel.showButton.isVisible()
    logged = log_events(audit_store, "audit.verify")[-1]
    assert logged.username == "keeper" and logged.detail["intact"] is True
    assert logged.detail["head_hash"] == head_hash


def test_verify_names_the_first_broken_entry_and_jumps_to_it(qtbot, workspace, audit_store):
    view = open_view(qtbot, workspace)
    seq = 20  # an old entry, not on the first page
    assert view.model.row_of_seq(seq) is None
    tamper_purpose(audit_store, seq)
    verify(qtbot, view)
    panel = view.verifyPanel
    assert panel.stateLabel.text() == "NOT INTACT"
    assert f"First broken entry: #{seq}" in panel.brokenLabel.text()
    assert "altered" in panel.brokenLabel.text()
    assert panel.showButton.isVisible() and panel.showButton.text() == f"&Show Entry #{seq}"
    assert log_events(audit_store, "audit.verify")[-1].detail["first_broken"] == seq
    qtbot.mouseClick(panel.showButton, Qt.MouseButton.LeftButton)
    wait_listed(qtbot, view)
    assert view.selected_entry() is not None and view.selected_entry().seq == seq
    assert "Narrative\npersonal" in view.detail.toPlainText()


# -- the report --------------------------------------------------------------------------------
class FakeSpooler:
    def __init__(self) -> None:
        self.jobs: list[tuple[Path, str | None, int]] = []

    def printers(self) -> Printers:
        return Printers(("Office", "Records"), "Records")

    def print_file(self, path: Path, printer: str | None, copies: int = 1) -> str:
        self.jobs.append((path, printer, copies))
        return "request id is Office-7 (1 file(s))"


def pdf_text(path: Path) -> str:
    exe = shutil.which("pdftotext")
    if exe is None:
        pytest.skip("pdftotext is not installed")
    return subprocess.run([exe, "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def open_report(qtbot, view: AuditView) -> AuditReportDialog:
    qtbot.mouseClick(view.reportButton, Qt.MouseButton.LeftButton)
    dialog = view.report_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def test_report_is_built_on_a_worker_then_opened_and_printed(qtbot, workspace, audit_store,
                                                            tmp_path):
    view = open_view(qtbot, workspace)
    out = tmp_path / "out" / "audit-officer2.pdf"
    out.parent.mkdir()
    opened: list[Path] = []
    spooler = FakeSpooler()
    view.choose_path = lambda _parent, _suggested: str(out)
    view.opener = opened.append
    view.spooler = spooler
    view.filters.userCombo.setEditText("officer2")
    view.filters.period.set_range(date(2026, 1, 5), date(2026, 1, 6))
    apply(qtbot, view)
    dialog = open_report(qtbot, view)
    assert dialog.period.state() == view.filters.period.state()  # defaults: the view's
    assert dialog.filtersCheck.isChecked() and "officer2" in dialog.filtersLabel.text()
    qtbot.mouseClick(dialog.browseButton, Qt.MouseButton.LeftButton)
    assert dialog.pathEdit.text() == str(out)
    assert not dialog.openButton.isEnabled() and not dialog.printButton.isEnabled()
    qtbot.mouseClick(dialog.createButton, Qt.MouseButton.LeftButton)
    assert dialog.running and dialog.progress is not None and dialog.progress.isVisible()
    qtbot.waitUntil(lambda: not dialog.running, timeout=30_000)
    assert dialog.report_result is not None, dialog.statusLabel.text()
    assert dialog.report_result.entries == 5
    assert f"Saved {out.name}: 5 entries" in dialog.statusLabel.text()
    text = pdf_text(out)
    assert "officer2" in text and "2026-01-05 to 2026-01-06" in text
    assert "8XYZ999" in text and "9DEF456" in text and "LASD Lakewood Station" in text
    assert "7ABC123" not in text  # officer's look-ups are outside the filter
    report = log_events(audit_store, "audit.report")[-1]
    assert report.outcome == "ok" and report.result_count == 5
    assert report.query["username"] == "officer2"
    # Open and Print hand the file to the injected opener and spooler
    qtbot.mouseClick(dialog.openButton, Qt.MouseButton.LeftButton)
    assert opened == [out]
    qtbot.mouseClick(dialog.printButton, Qt.MouseButton.LeftButton)
    printing = dialog.print_dialog
    assert isinstance(printing, PrintDialog)
    qtbot.waitUntil(printing.printButton.isEnabled, timeout=WAIT)
    assert printing.printerCombo.currentData() == "Records"  # the default printer
    printing.printerCombo.setCurrentIndex(printing.printerCombo.findData("Office"))
    printing.copiesSpin.setValue(2)
    qtbot.mouseClick(printing.printButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: printing.sent is not None, timeout=WAIT)
    assert spooler.jobs == [(out, "Office", 2)]
    assert "Office-7" in printing.statusLabel.text()


def test_cancelling_the_report_leaves_no_file(qtbot, workspace, audit_store, tmp_path,
                                              monkeypatch):
    real = audit_service.build_audit_report
    reached = threading.Event()

    def held(*args, **kw):
        cancel = kw["cancel"]

        def wait_for_cancel() -> bool:
            reached.set()  # the PDF is being drawn: wait until the user cancels
            for _ in range(1000):
                if cancel():
                    return True
                threading.Event().wait(0.01)
            return cancel()

        return real(*args, **{**kw, "cancel": wait_for_cancel})

    monkeypatch.setattr(audit_service, "build_audit_report", held)
    view = open_view(qtbot, workspace)
    out = tmp_path / "cancelled.pdf"
    dialog = open_report(qtbot, view)
    dialog.pathEdit.setText(str(out))
    qtbot.mouseClick(dialog.createButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(reached.is_set, timeout=WAIT)
    progress = dialog.progress
    assert progress is not None
    cancel = next(b for b in progress.findChildren(QPushButton) if b.text() == "Cancel")
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.running, timeout=WAIT)
    assert dialog.report_result is None
    assert dialog.statusLabel.text() == "Cancelled. No report was written."
    assert list(tmp_path.glob("*cancelled*")) == []
    failed = log_events(audit_store, "audit.report")[-1]
    assert failed.outcome == "failed" and failed.detail["cancelled"] is True
    assert not dialog.openButton.isEnabled() and dialog.createButton.isEnabled()


# -- printing ----------------------------------------------------------------------------------
class Done:
    def __init__(self, returncode: int = 0, stdout: str = "", stderr: str = "") -> None:
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


def test_system_spooler_sends_the_pdf_to_cups(tmp_path):
    calls: list[list[str]] = []
    answers = {
        "-a": Done(0, "Office accepting requests since Mon 05 Jan 2026\n"
                      "Records accepting requests since Mon 05 Jan 2026\n"),
        "-d": Done(0, "system default destination: Records\n"),
    }

    def run(args):
        calls.append(list(args))
        if args[0].endswith("lpstat"):
            return answers[args[1]]
        return Done(0, "request id is Office-12 (1 file(s))\n")

    spooler = SystemSpooler(platform="linux", which=lambda n: f"/usr/bin/{n}", run=run)
    assert spooler.printers() == Printers(("Office", "Records"), "Records")
    pdf = tmp_path / "-odd name.pdf"
    said = spooler.print_file(pdf, "Office", 2)
    assert said == "request id is Office-12 (1 file(s))"
    assert calls[-1] == ["/usr/bin/lp", "-d", "Office", "-n", "2", "-t", pdf.name, "--",
                         str(pdf.resolve())]
    failing = SystemSpooler(platform="linux", which=lambda n: f"/usr/bin/{n}",
                            run=lambda a: Done(1, "", "lp: The printer or class does not "
                                                      "exist."))
    with pytest.raises(PrintProblem, match="does not exist"):
        failing.print_file(pdf, "Nope")


def test_no_print_system_is_said_in_a_sentence(qtbot, tmp_path):
    spooler = SystemSpooler(platform="linux", which=lambda _n: None)
    with pytest.raises(NoPrintSystem):
        spooler.printers()
    dialog = PrintDialog(None, tmp_path / "r.pdf", spooler)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitUntil(lambda: dialog.statusLabel.text() == NO_PRINT_SYSTEM, timeout=WAIT)
    assert not dialog.printButton.isEnabled()
    started: list[tuple[str, str]] = []
    windows = SystemSpooler(platform="win32", which=lambda _n: None,
                            startfile=lambda p, verb: started.append((p, verb)))
    assert not windows.printers().choosable
    windows.print_file(tmp_path / "r.pdf", None)
    assert started == [(str((tmp_path / "r.pdf").resolve()), "print")]


# -- roles ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("username", ["officer", "root", "vendor"])
def test_other_roles_neither_see_nor_get_the_audit_log(qtbot, workspace, controller,
                                                       audit_store, tmp_path, username):
    sign_in(qtbot, workspace, username)
    qtbot.waitUntil(lambda: not controller.busy, timeout=WAIT)
    assert AUDIT not in workspace.views
    assert TITLES[AUDIT] not in [a.text() for a in workspace.screensMenu.actions()]
    calls = (
        lambda svc, ctx: svc.page(ctx, AuditFilter()),
        lambda svc, ctx: svc.verify(ctx),
        lambda svc, ctx: svc.distinct(ctx, "username"),
        lambda svc, ctx: svc.build_report(ctx, tmp_path / "x.pdf", AuditFilter()),
    )
    for call in calls:
        outcome: list[object] = []
        controller.run(lambda s, ctx, c=call: c(s.audit, ctx),
                       outcome.append, outcome.append)
        qtbot.waitUntil(lambda o=outcome: bool(o), timeout=WAIT)
        assert isinstance(outcome[0], NotAuthorized), outcome
    assert not (tmp_path / "x.pdf").exists()
    assert [e for e in log_events(audit_store) if e.event.startswith("audit.")] == []


def test_lock_drops_the_entries(qtbot, workspace, controller, audit_store):
    view = open_view(qtbot, workspace)
    model = view.model
    assert model.rowCount() > 0
    controller.lock()
    assert model.rowCount() == 0 or not shiboken6.isValid(model)
    assert AUDIT not in workspace.views


# -- the model -----------------------------------------------------------------------------------
def test_model_passes_the_model_tester(qtmodeltester, audit_store):
    model = AuditLogModel(page_size=100)
    qtmodeltester.check(model)  # empty
    entries = sorted(log_events(audit_store), key=lambda e: -e.seq)

    def fetch(after_seq, on_page, _on_error):
        on_page([e for e in entries if e.seq < after_seq][:100])

    model.start(entries[:100], fetch)
    qtmodeltester.check(model)
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert [model.entry_at(r).seq for r in range(model.rowCount())] == [e.seq for e in entries]
    assert model.row_of_seq(entries[-1].seq) == len(entries) - 1
    assert model.row_of_seq(10**9) is None
    qtmodeltester.check(model)
    model.clear()
    qtmodeltester.check(model)
