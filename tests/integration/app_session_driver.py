"""Drive the real program through one investigator's session, for test_app_no_plaintext.py.

Run in a child process whose HOME, XDG directories, TMPDIR and ALPR_DESKTOP_HOME point into the
test's folder: it builds a small demo store the way ``--demo`` does (``ensure_demo_store`` at the
default demo path, fast KDF), starts the program through ``alpr_desktop.app.launch(demo=True)``,
then steps through a session with the real dialogs: sign in as the demo analyst, declare a
purpose, search a plate, search a wildcard and load a second page, open the image viewer on a
result, enhance, copy through the disclosure dialog, lock (Ctrl+L), unlock, sign out, quit.

A QTimer-driven state machine runs the steps: each step acts once, then waits (polling) for its
condition, with a deadline. Stdout names each step reached and never prints a plate; on a
timeout it says which step and what it was waiting for, and exits non-zero.

While the store is still open (after the copy), the driver copies every file under
ALPR_DESKTOP_HOME and TMPDIR to ``OPEN_COPY_DIR``, so the test also scans the store's -wal and
-shm as they are mid-session (at exit, closing the store checkpoints and removes them).

Usage: ``python app_session_driver.py READS SEED OPEN_COPY_DIR [STEP_TIMEOUT_S]``.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ANALYST = "analyst"
CASE = "123-45678-2026-001"
NARRATIVE = (
    "A silver Honda Civic was stolen from the Carson Mall parking lot on Avalon Blvd at "
    "23:10 Friday; seeking to identify the suspect vehicle and its direction of travel."
)
AGENCY = "Long Beach Police Department"
REQUEST = "LBPD request 2026-0042"
PAGE_SIZE = 10  # small pages, so that the wildcard search has a second page to load


@dataclass
class Step:
    name: str
    act: Callable[[], object]
    until: Callable[[], bool]
    waiting_for: str


def say(text: str) -> None:
    print(text, flush=True)


def main(argv: list[str]) -> int:
    reads, seed, open_copy = int(argv[0]), int(argv[1]), Path(argv[2])
    step_timeout = float(argv[3]) if len(argv) > 3 else 20.0

    from alpr_desktop.security import keys, passwords

    # the key file keeps these: unlock is fast too
    keys.DEFAULT_KDF = keys.KDF_FLOOR = keys.KdfParams(n=2**14)
    passwords.ITERATIONS = 1_000

    from alpr_desktop.demo.plan import plan_reads
    from alpr_desktop.services.demo_accounts import DEMO_ACCOUNTS
    from alpr_desktop.services.demo_store import ensure_demo_store

    started = time.monotonic()
    ensure_demo_store(reads=reads, seed=seed)  # what --demo builds on first use, only smaller
    say(f"demo store built in {time.monotonic() - started:.1f} s")
    # The busiest plate: an exact search with several reads, and a wildcard with many.
    plate = Counter(r.plate for r in plan_reads(reads, seed)).most_common(1)[0][0]
    wildcard = plate[:3] + "*"
    password = next(pw for account, pw in DEMO_ACCOUNTS if account.username == ANALYST)

    import shiboken6
    from PySide6.QtCore import QModelIndex, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from alpr_desktop.app import launch
    from alpr_desktop.core.purposes import PurposeCategory
    from alpr_desktop.gui.dialogs.sign_in import SignInDialog
    from alpr_desktop.gui.views.workspace import INVESTIGATION

    app, shell = launch(demo=True)
    window = shell.window
    state: dict[str, object] = {"viewer": None, "rows": 0}

    def alive(w: object) -> bool:
        return w is not None and shiboken6.isValid(w) and w.isVisible()  # type: ignore[attr-defined]

    def controller():
        return window.controller

    def view():
        ws = window.workspace
        return None if ws is None else ws.views.get(INVESTIGATION)

    def viewer():
        ws = window.workspace
        return None if ws is None else ws._viewer

    def click(button: object) -> None:
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)

    # -- steps ---------------------------------------------------------------------------------
    def nothing() -> None:
        return None

    def sign_in_dialog() -> SignInDialog | None:
        """The workspace's (a store opened with the published demo passphrase on a machine
        with no keyring) or the shell's (signing in opens the store)."""
        ws = window.workspace
        for d in (None if ws is None else ws.dialog, shell.dialog):
            if isinstance(d, SignInDialog) and alive(d):
                return d
        return None

    def sign_in() -> None:
        d = sign_in_dialog()
        assert d is not None
        if not d.acknowledged:
            click(d.ui.acknowledgeButton)
        d.ui.usernameEdit.setText(ANALYST)
        d.ui.passwordEdit.setText(password)
        click(d.ok_button)

    def signed_in() -> bool:
        c = controller()
        return (c is not None and c.session is not None and c.session.username == ANALYST
                and not c.is_locked and view() is not None)

    def purpose_dialog():
        v = view()
        d = None if v is None else v.purpose_dialog
        return d if alive(d) else None

    def fill_purpose() -> None:
        ui = purpose_dialog().ui
        ui.categoryCombo.setCurrentIndex(
            ui.categoryCombo.findData(PurposeCategory.CRIMINAL_INVESTIGATION.value))
        ui.offenseCombo.setCurrentIndex(ui.offenseCombo.findData("Vehicle theft"))
        ui.caseEdit.setText(CASE)
        ui.narrativeEdit.setPlainText(NARRATIVE)
        ui.ackCheck.setChecked(True)
        d = purpose_dialog()
        if not d.ok_button.isEnabled():
            raise AssertionError("the purpose dialog refuses the purpose: "
                                 + "; ".join(map(str, d.problems)))
        click(d.ok_button)

    def search(text: str, page_size: int | None = None) -> Callable[[], None]:
        def act() -> None:
            v = view()
            if page_size is not None:
                v.page_size = page_size
            v.plateEdit.setText(text)
            click(v.searchButton)
        return act

    def results() -> int:
        v = view()
        return 0 if v is None or v.searching else v.model.rowCount()

    def next_page() -> None:
        v = view()
        assert v.model.canFetchMore(QModelIndex()), "the wildcard search has one page only"
        state["rows"] = v.model.rowCount()
        v.table.scrollToBottom()  # the table asks the model for more, as a user's scroll does
        if not v.model.fetching:
            v.model.fetchMore(QModelIndex())

    def select_and_open() -> None:
        v = view()
        v.table.selectRow(1)
        if not v.openImagesButton.isEnabled():
            raise AssertionError("selecting a row did not enable Open Images")
        click(v.openImagesButton)

    def viewer_shows_images() -> bool:
        vw = viewer()
        if not alive(vw):
            return False
        panel = vw.panels[0]
        return panel.opened is not None and bool(panel.originals)

    def enhance() -> None:
        vw = viewer()
        vw.contrastSlider.setValue(170)
        vw.claheCheck.setChecked(True)

    def enhanced() -> bool:
        vw = viewer()
        return alive(vw) and not vw.enhancing and vw.is_enhanced

    def start_copy() -> None:
        vw = viewer()
        vw.set_active_pane(vw.panels[0].panes["crop"])
        state["copy"] = vw.start_disclosure("copy")
        assert state["copy"] is not None, vw.statusLabel.text()

    def copy_dialog_shown() -> bool:
        return alive(state.get("copy"))

    def confirm_copy() -> None:
        d = state["copy"]
        d.agencyEdit.setText(AGENCY)
        d.requestEdit.setText(REQUEST)
        d.confirmCheck.setChecked(True)
        d.enhancedRadio.setChecked(True)
        if not d.ok_button.isEnabled():
            raise AssertionError(f"the disclosure dialog refuses: {d.problem.text()}")
        click(d.ok_button)

    def copied() -> bool:
        vw = viewer()
        receipt = None if vw is None or not shiboken6.isValid(vw) else vw.last_receipt
        if receipt is not None and not receipt.allowed:
            raise AssertionError(f"the disclosure was refused: {receipt.message}")
        mime = QApplication.clipboard().mimeData()
        return receipt is not None and mime is not None and mime.hasImage()

    def copy_open_files() -> None:
        for name in ("ALPR_DESKTOP_HOME", "TMPDIR"):
            shutil.copytree(os.environ[name], open_copy / name)
        state["wal"] = sorted(p.name for p in open_copy.rglob("*-wal"))
        say(f"  copied the files of the open store: {state['wal']}")

    def activate() -> None:
        window.raise_()
        window.activateWindow()

    def lock() -> None:
        QTest.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
        if not controller().is_locked:  # no active window (offscreen): the same action
            say("  Ctrl+L did not reach the window; triggering the Lock action")
            window.lockAction.trigger()

    def locked() -> bool:
        c = controller()
        mime = QApplication.clipboard().mimeData()
        return (c.is_locked and not alive(viewer()) and view() is None
                and (mime is None or not mime.hasImage()))

    def unlock() -> None:
        screen = window.workspace.lockScreen
        screen.passwordEdit.setText(password)
        click(screen.unlockButton)

    def sign_out() -> None:
        window.signOutAction.trigger()

    def signed_out() -> bool:
        c = controller()
        return c is not None and c.session is None and not c.busy

    def quit_app() -> None:
        window.quitAction.trigger()  # Ctrl+Q: closes the window, which signs out and quits

    steps = [
        Step("open the demo store", nothing,
             lambda: sign_in_dialog() is not None,
             "the demo store to open and the sign-in dialog to show"),
        Step("sign in as the demo analyst", sign_in, signed_in,
             "the analyst's session and the Investigation screen"),
        Step("open the purpose dialog", lambda: view().open_purpose_dialog(),
             lambda: purpose_dialog() is not None, "the purpose dialog"),
        Step("declare a purpose", fill_purpose,
             lambda: controller().purpose is not None and view().searchButton.isEnabled(),
             "an active purpose"),
        Step("search a plate", search(plate), lambda: results() > 0,
             "results of the exact search"),
        Step("search a wildcard", search(wildcard, PAGE_SIZE),
             lambda: results() > 0 and not view().model.fetching, "a first wildcard page"),
        Step("load the next page", next_page,
             lambda: not view().model.fetching and view().model.rowCount() > state["rows"],
             "more rows after the first page"),
        Step("open the image viewer", select_and_open, viewer_shows_images,
             "the viewer showing the read's images"),
        Step("enhance", enhance, enhanced, "the ENHANCED state"),
        Step("open the copy disclosure", start_copy, copy_dialog_shown, "the disclosure dialog"),
        Step("copy (logged disclosure)", confirm_copy, copied,
             "an allowed disclosure receipt and an image on the clipboard"),
        Step("copy the files while the store is open", copy_open_files, lambda: True, ""),
        Step("activate the main window", activate,
             lambda: QApplication.activeWindow() is window, "the main window to be active"),
        Step("lock (Ctrl+L)", lock, locked,
             "the lock screen, the viewer closed, the clipboard cleared"),
        Step("unlock", unlock,
             lambda: not controller().is_locked and controller().session is not None
             and view() is not None, "the unlocked session"),
        Step("sign out", sign_out, signed_out, "no session"),
        Step("quit", quit_app, lambda: False, "the event loop to end"),
    ]

    position = {"i": -1, "deadline": 0.0}
    timer = QTimer()
    timer.setInterval(25)

    def fail(code: int, text: str) -> None:
        timer.stop()
        say(text)
        app.exit(code)

    def begin(i: int) -> None:
        position["i"] = i
        position["deadline"] = time.monotonic() + step_timeout
        say(f"STEP {i + 1}/{len(steps)}: {steps[i].name}")
        steps[i].act()

    def tick() -> None:
        i = position["i"]
        try:
            if i < 0:
                begin(0)
                return
            if steps[i].until():
                if i + 1 < len(steps):
                    begin(i + 1)
            elif time.monotonic() > position["deadline"]:
                fail(3, f"TIMEOUT at step {i + 1} ({steps[i].name}): waiting for "
                        f"{steps[i].waiting_for}; shell dialog {type(shell.dialog).__name__}")
        except Exception:
            name = steps[i].name if i >= 0 else "start"
            fail(4, f"FAILED at step {i + 1} ({name}):\n{traceback.format_exc()}")

    timer.timeout.connect(tick)
    timer.start()
    code = app.exec()
    timer.stop()
    if code == 0 and position["i"] != len(steps) - 1:
        say(f"the program ended early, at step {position['i'] + 1}")
        code = 5
    if code == 0:
        if shell.store is not None or window.controller is not None:
            say("the program quit with its store or session still open")
            code = 6
        else:
            shell.settings.sync()
            say("DRIVER DONE")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
