"""Review mode in the GUI: the unlock dialog tells a wrong passphrase plainly, sign-in needs
the released name and a valid purpose, the window shows the extract's reads and the viewer
(nothing else), every selection is logged in the extract, the log exports, and the custodian's
import action brings it into the audit. Looked at at 1024×700."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest
import shiboken6
from gui_access import PASSWORDS, PEOPLE, approve_agencies
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenuBar

from alpr_desktop.core.clock import FixedClock
from alpr_desktop.core.extract import ExtractOrder
from alpr_desktop.core.purposes import PurposeInput
from alpr_desktop.demo.generator import build_demo
from alpr_desktop.gui.review.flow import is_extract
from alpr_desktop.gui.review.reads_model import ReviewReadsModel
from alpr_desktop.gui.review.review_window import ReviewWindow
from alpr_desktop.gui.review.sign_in_dialog import ReviewSignInDialog
from alpr_desktop.gui.review.unlock_dialog import ReviewUnlockDialog
from alpr_desktop.security import passwords
from alpr_desktop.services.auth import AuthService
from alpr_desktop.services.purposes import PurposeService
from alpr_desktop.services.review_extract import ExtractRelease, ExtractReleaseService
from alpr_desktop.services.review_extract_mode import ReviewSession
from alpr_desktop.storage import Store
from alpr_desktop.storage.accounts import AccountRepo

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
NAME, ORG = "Dana Prosecutor", "Los Angeles County District Attorney"
NARRATIVE = ("Preliminary hearing on the Carson Mall vehicle theft of 2025-12-19; checking "
             "when the suspect's silver Civic passed the Avalon cameras that night.")


@pytest.fixture
def release(empty_store: Store, clock: FixedClock, tmp_path: Path) -> ExtractRelease:
    repo = AccountRepo(empty_store)
    with empty_store.transaction():
        for person in PEOPLE:
            repo.add(person, passwords.hash_password(PASSWORDS[person.username]),
                     clock.now_ms())
    build_demo(empty_store, 8, workers=1, end_utc=clock.now_ms() // 1000)
    approve_agencies(empty_store, clock, ORG)
    auth = AuthService(empty_store, clock)
    ctx = auth.context(auth.sign_in("officer", PASSWORDS["officer"]))
    PurposeService(empty_store, clock).declare(ctx, PurposeInput(
        "criminal_investigation", "Vehicle theft", "123-45678-2026-001", NARRATIVE, True))
    ctx = auth.context(ctx.session)
    ids = [r[0] for r in empty_store.query("SELECT id FROM reads ORDER BY id LIMIT 6")]
    return ExtractReleaseService(empty_store, clock).release_extract(ctx, ExtractOrder(
        tuple(ids), NAME, ORG, "Preliminary hearing review", "123-45678-2026-001",
        date(2026, 1, 31), "DA request 2026-7"), tmp_path / "handover" / "case-7")


def _no_gui_thread_queries(session: ReviewSession) -> list[str]:
    seen: list[str] = []

    def trace(sql: str) -> None:
        if threading.current_thread() is threading.main_thread():
            seen.append(sql)

    session.store.conn.set_trace_callback(trace)  # type: ignore[attr-defined]
    return seen


def _unlock(qtbot, release: ExtractRelease, clock: FixedClock) -> ReviewSession:
    dialog = ReviewUnlockDialog(release.extract_path, clock=clock)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.passphraseEdit, "WRONG-WRON-GWRO-NGWR-ONGW-RONG")
    qtbot.keyClick(dialog.passphraseEdit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "does not open" in dialog.errorLabel.text(), timeout=10_000)
    assert dialog.passphraseEdit.hasFocus() or not dialog.isActiveWindow()
    dialog.passphraseEdit.clear()
    qtbot.keyClicks(dialog.passphraseEdit, release.passphrase.lower())
    with qtbot.waitSignal(dialog.opened, timeout=10_000) as opened:
        qtbot.keyClick(dialog.passphraseEdit, Qt.Key.Key_Return)
    session: ReviewSession = opened.args[0]
    return session


def _sign_in(qtbot, session: ReviewSession) -> object:
    dialog = ReviewSignInDialog(session)
    qtbot.addWidget(dialog)
    dialog.resize(1024, 700)
    dialog.show()
    assert not dialog.signInButton.isEnabled()
    qtbot.keyClicks(dialog.nameEdit, "Eve Other")
    qtbot.keyClicks(dialog.orgEdit, ORG)
    dialog.categoryCombo.setCurrentIndex(dialog.categoryCombo.findData(
        "criminal_investigation"))
    dialog.offenseCombo.setCurrentIndex(dialog.offenseCombo.findData("Vehicle theft"))
    dialog.narrativeEdit.setPlainText(NARRATIVE)
    dialog.ackCheck.setChecked(True)
    assert dialog.signInButton.isEnabled(), dialog.problemsLabel.text()
    qtbot.mouseClick(dialog.signInButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "released to someone else" in dialog.errorLabel.text(),
                    timeout=10_000)
    dialog.grab().save(str(SHOTS / "review-extract-sign-in.png"))
    dialog.nameEdit.setText(NAME)
    with qtbot.waitSignal(dialog.signed_in, timeout=10_000) as done:
        qtbot.mouseClick(dialog.signInButton, Qt.MouseButton.LeftButton)
    return done.args[0]


def test_review_mode_from_unlock_to_export(
    qtbot, qtmodeltester, release: ExtractRelease, clock: FixedClock, tmp_path: Path
) -> None:
    assert is_extract(release.extract_path) and not is_extract(tmp_path / "x.alprdb")
    session = _unlock(qtbot, release, clock)
    gui_thread = _no_gui_thread_queries(session)
    reviewer = _sign_in(qtbot, session)
    target = tmp_path / "returned" / "dana-review"
    target.parent.mkdir()
    window = ReviewWindow(session, reviewer,  # type: ignore[arg-type]
                          choose_save=lambda _parent, _suggested: str(target))
    qtbot.addWidget(window)
    window.resize(1024, 700)
    window.show()
    qtbot.waitUntil(lambda: window.model.rowCount() == 6, timeout=10_000)
    qtmodeltester.check(window.model)
    qtbot.waitUntil(lambda: window.current is not None, timeout=10_000)
    first = window.current.read.id  # type: ignore[union-attr]
    assert window.table.hasFocus() or not window.isActiveWindow()
    qtbot.keyClick(window.table, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: window.current is not None and window.current.read.id != first,
                    timeout=10_000)
    qtbot.waitUntil(lambda: window.overview.has_image, timeout=10_000)
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(SHOTS / "review-extract-window.png"))
    # nothing but the reads and the viewer: File (export, close) and Help
    bar = window.findChild(QMenuBar)
    assert [a.text() for a in bar.actions()] == ["&File", "&Help"]
    assert [a.text() for a in window.menuBar().actions()[0].menu().actions()] == [
        "&Export Reviewer Log…", "&Close Extract"]
    window.exportAction.trigger()
    qtbot.waitUntil(lambda: window.last_export is not None, timeout=10_000)
    assert window.last_export is not None and window.last_export.is_file()
    assert gui_thread == [], gui_thread[:3]
    views = [e for e in session.log_entries() if e.event == "review.view"]
    assert len(views) == 2 and all(e.username == NAME for e in views)
    window.close()
    qtbot.waitUntil(lambda: not window.pool.activeThreadCount(), timeout=10_000)


def test_the_reads_model_passes_the_tester(qtmodeltester, release: ExtractRelease,
                                           clock: FixedClock) -> None:
    s = ReviewSession.open(release.extract_path, release.passphrase, clock)
    try:
        model = ReviewReadsModel()
        model.set_rows(s.store.extract_content.all_reads())
        qtmodeltester.check(model)
        assert model.rowCount() == 6
    finally:
        s.close()


def test_an_expired_extract_says_so(qtbot, release: ExtractRelease) -> None:
    late = FixedClock(1_769_932_800_000)
    dialog = ReviewUnlockDialog(release.extract_path, clock=late)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.passphraseEdit, release.passphrase)
    qtbot.keyClick(dialog.passphraseEdit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "expired" in dialog.errorLabel.text(), timeout=10_000)
    assert shiboken6.isValid(dialog) and dialog.session is None


class _PickExtract:
    def __init__(self, path: Path) -> None:
        self.path = path

    def open_path(self, parent: object) -> Path | None:
        return self.path

    def save_path(self, parent: object, suggested: Path) -> Path | None:
        return None


def test_the_open_dialog_recognises_an_extract(
    qtbot, release: ExtractRelease, tmp_path: Path
) -> None:
    from PySide6.QtCore import QSettings

    from alpr_desktop.gui.main_window import MainWindow
    from alpr_desktop.gui.shell import STORE_FILTER, Shell

    assert "*.alprext" in STORE_FILTER
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings)
    qtbot.addWidget(window)
    shell = Shell(window, settings, asker=_PickExtract(release.extract_path))  # type: ignore[arg-type]
    fell_back: list[bool] = []
    shell.choose_and_open(fallback=lambda: fell_back.append(True))
    dialog = window.findChild(ReviewUnlockDialog)
    assert dialog is not None and dialog.isVisible() and dialog.path == release.extract_path
    assert shell.store is None  # not opened as a store
    dialog.reject()
    assert fell_back == [True]
    shell.shutdown()


def test_the_help_page_is_listed_and_reached_by_f1() -> None:
    from alpr_desktop.gui.help import topics
    from alpr_desktop.gui.help.context import TOPIC_BY_CLASS

    page = topics.topic("review-extract")
    assert page is not None and page.title == "Offline review extracts"
    assert page.section == "For the custodian"
    assert {TOPIC_BY_CLASS[c] for c in ("ReviewUnlockDialog", "ReviewSignInDialog",
                                        "ReviewWindow", "ImportedLogDialog")} == {
        "review-extract"}
    assert topics.search("reviewer log")[0].topic.key == "review-extract"
