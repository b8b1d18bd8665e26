"""Screenshots of the analyst's flow at 1024×700 (issue 12): the purpose dialog, a search
with results, the image viewer (and its shortcut list), a batch search, the idle warning and
the lock screen. The real program on a small demo store, driven step by step.

Run through ``scripts/analyst_screenshots.sh`` (Xvfb with a 1024×700 screen, a throw-away data
folder, the demo passphrase instead of a keyring); or by hand under X with ALPR_DESKTOP_HOME
and TMPDIR in a throw-away folder: ``python scripts/analyst_screenshots.py [OUT_DIR]``.
Writes OUT_DIR/analyst_*.png (default docs/screenshots).
"""

from __future__ import annotations

import sys
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "integration"))

from app_session_driver import ANALYST, CASE, NARRATIVE, Step, say  # noqa: E402

W, H = 1024, 700


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    reads, seed = 400, 7

    from alpr_desktop.security import keys, passwords

    keys.DEFAULT_KDF = keys.KDF_FLOOR = keys.KdfParams(n=2**14)
    passwords.ITERATIONS = 1_000

    from alpr_desktop.demo.plan import plan_reads
    from alpr_desktop.services.demo_accounts import DEMO_ACCOUNTS
    from alpr_desktop.services.demo_store import ensure_demo_store

    ensure_demo_store(reads=reads, seed=seed)
    planned = plan_reads(reads, seed)
    wildcard = Counter(r.plate[:2] for r in planned).most_common(1)[0][0] + "*"
    batch = [p for p, _n in Counter(r.plate for r in planned).most_common(3)] + ["9ZZZ999"]
    password = next(pw for account, pw in DEMO_ACCOUNTS if account.username == ANALYST)

    import shiboken6
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest

    from alpr_desktop.app import launch
    from alpr_desktop.core.patterns import Mode
    from alpr_desktop.core.purposes import PurposeCategory
    from alpr_desktop.gui.dialogs.sign_in import SignInDialog
    from alpr_desktop.gui.views.workspace import INVESTIGATION

    app, shell = launch(demo=True)
    window = shell.window
    window.resize(W, H)
    window.move(0, 0)

    def alive(w: object) -> bool:
        return w is not None and shiboken6.isValid(w) and w.isVisible()  # type: ignore[attr-defined]

    def view():
        ws = window.workspace
        return None if ws is None else ws.views.get(INVESTIGATION)

    def click(button: object) -> None:
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)

    def sign_in_dialog():
        ws = window.workspace
        d = None if ws is None else ws.dialog
        return d if isinstance(d, SignInDialog) and alive(d) else None

    def sign_in() -> None:
        d = sign_in_dialog()
        if not d.acknowledged:
            click(d.ui.acknowledgeButton)
        d.ui.usernameEdit.setText(ANALYST)
        d.ui.passwordEdit.setText(password)
        click(d.ok_button)

    def signed_in() -> bool:
        c = window.controller
        return c is not None and c.session is not None and view() is not None

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

    def declare() -> None:
        d = purpose_dialog()
        if not d.ok_button.isEnabled():
            raise AssertionError("purpose refused: " + "; ".join(map(str, d.problems)))
        click(d.ok_button)

    def search() -> None:
        v = view()
        v.modeCombo.setCurrentIndex(v.modeCombo.findData(Mode.AUTO))
        v.plateEdit.setText(wildcard)
        QTest.keyClick(v.plateEdit, Qt.Key.Key_Return)

    def settled() -> bool:
        v = view()
        return (v is not None and not v.searching and v.model.rowCount() > 0
                and not v.model.fetching and bool(v.model._thumbs))

    state: dict[str, object] = {"t": 0.0}

    def wait_a_moment() -> None:
        state["t"] = time.monotonic() + 0.8

    def paused() -> bool:
        return time.monotonic() > float(state["t"])  # type: ignore[arg-type]

    def select() -> None:
        view().table.selectRow(2)
        wait_a_moment()

    def viewer():
        ws = window.workspace
        v = None if ws is None else ws._viewer
        return v if alive(v) else None

    def open_viewer() -> None:
        v = view()
        v.table.setFocus()
        QTest.keyClick(v.table, Qt.Key.Key_Return)

    def viewer_open() -> bool:
        vw = viewer()
        if vw is None or vw.panels[0].opened is None:
            return False
        vw.resize(W, H)
        vw.move(0, 0)
        return True

    def help_overlay() -> None:
        vw = viewer()
        vw.helpOverlay.toggle()
        wait_a_moment()

    def close_viewer() -> None:
        viewer().close()

    def open_batch() -> None:
        d = view().open_batch()
        d.resize(W - 80, H - 80)
        d.move(40, 40)
        d.listEdit.setPlainText("\n".join(batch))
        click(d.runButton)

    def batch_done() -> bool:
        d = view().batch_dialog
        return d is not None and alive(d) and d.batch_result is not None

    def close_batch() -> None:
        view().batch_dialog.close()

    def idle_warning() -> None:
        window.workspace.idleBar.show_seconds(60)
        wait_a_moment()

    def lock() -> None:
        window.workspace.idleBar.hide()
        window.lockAction.trigger()
        wait_a_moment()

    def grab(name: str):
        def act() -> None:
            path = out / name
            window.screen().grabWindow(0, 0, 0, W, H).save(str(path))
            say(f"saved {path}")
        return act

    steps = [
        Step("open", lambda: None, lambda: sign_in_dialog() is not None, "sign-in dialog"),
        Step("sign in", sign_in, signed_in, "session"),
        Step("purpose dialog", lambda: view().open_purpose_dialog(),
             lambda: purpose_dialog() is not None, "purpose dialog"),
        Step("fill the purpose", fill_purpose, lambda: purpose_dialog().ok_button.isEnabled(),
             "a purpose the rules accept"),
        Step("grab purpose", grab("analyst_1_purpose.png"), lambda: True, ""),
        Step("declare", declare,
             lambda: window.controller.purpose is not None and view().plateEdit.hasFocus(),
             "an active purpose, the focus in the plate field"),
        Step("search", search, settled, "rows with thumbnails"),
        Step("select a row", select, paused, "details"),
        Step("grab search", grab("analyst_2_search.png"), lambda: True, ""),
        Step("open the viewer (Enter)", open_viewer, viewer_open, "the viewer"),
        Step("settle", wait_a_moment, paused, ""),
        Step("grab viewer", grab("analyst_3_viewer.png"), lambda: True, ""),
        Step("help overlay (F1)", help_overlay, paused, ""),
        Step("grab help", grab("analyst_4_viewer_help.png"), lambda: True, ""),
        Step("close the viewer", close_viewer, lambda: viewer() is None, "viewer closed"),
        Step("batch", open_batch, batch_done, "batch result"),
        Step("settle", wait_a_moment, paused, ""),
        Step("grab batch", grab("analyst_5_batch.png"), lambda: True, ""),
        Step("close batch", close_batch, lambda: True, ""),
        Step("idle warning", idle_warning, paused, ""),
        Step("grab warning", grab("analyst_6_idle_warning.png"), lambda: True, ""),
        Step("lock", lock, paused, ""),
        Step("grab lock", grab("analyst_7_lock.png"), lambda: True, ""),
        Step("quit", lambda: window.quitAction.trigger(), lambda: False, "quit"),
    ]
    pos = {"i": -1, "deadline": 0.0}
    timer = QTimer()
    timer.setInterval(50)

    def tick() -> None:
        i = pos["i"]
        try:
            if i < 0 or steps[i].until():
                if i + 1 < len(steps):
                    pos["i"] = i + 1
                    pos["deadline"] = time.monotonic() + 30
                    say(f"STEP {steps[i + 1].name}")
                    steps[i + 1].act()
            elif time.monotonic() > pos["deadline"]:
                timer.stop()
                say(f"TIMEOUT at {steps[i].name}: {steps[i].waiting_for}")
                app.exit(3)
        except Exception:
            timer.stop()
            say(traceback.format_exc())
            app.exit(4)

    timer.timeout.connect(tick)
    timer.start()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
