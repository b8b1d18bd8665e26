"""Screenshots of the investigator's views at 1024×700 (issue 13): the plate profile, the map
with the demo street layer and a route, and page 1 of a case file. The real program on a
small demo store, driven step by step.

Run through ``scripts/views_screenshots.sh`` (Xvfb with a 1024×700 screen, a throw-away data
folder). Writes OUT_DIR/views_*.png (default docs/screenshots).
"""

from __future__ import annotations

import shutil
import subprocess
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
    # "help": the help pages' names (scripts/help_screenshots.py)
    names = ({"profile": "help_profile", "map": "help_map", "case": "help_case_file"}
             if argv[1:2] == ["help"] else
             {"profile": "views_profile", "map": "views_map", "case": "views_case_file_page1"})
    reads, seed = 3000, 7

    from alpr_desktop.security import keys, passwords

    keys.DEFAULT_KDF = keys.KDF_FLOOR = keys.KdfParams(n=2**14)
    passwords.ITERATIONS = 1_000

    from alpr_desktop.demo.plan import plan_reads
    from alpr_desktop.services.demo_accounts import DEMO_ACCOUNTS
    from alpr_desktop.services.demo_store import ensure_demo_store

    ensure_demo_store(reads=reads, seed=seed)
    plate = Counter(r.plate for r in plan_reads(reads, seed)).most_common(1)[0][0]
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
    pdf = Path(str(out)) / ".views-case-file.pdf"
    state: dict[str, object] = {"t": 0.0}

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

    def fill_and_declare() -> None:
        ui = purpose_dialog().ui
        ui.categoryCombo.setCurrentIndex(
            ui.categoryCombo.findData(PurposeCategory.CRIMINAL_INVESTIGATION.value))
        ui.offenseCombo.setCurrentIndex(ui.offenseCombo.findData("Vehicle theft"))
        ui.caseEdit.setText(CASE)
        ui.narrativeEdit.setPlainText(NARRATIVE)
        ui.ackCheck.setChecked(True)
        click(purpose_dialog().ok_button)

    def search() -> None:
        v = view()
        v.modeCombo.setCurrentIndex(v.modeCombo.findData(Mode.EXACT))
        v.plateEdit.setText(plate)
        QTest.keyClick(v.plateEdit, Qt.Key.Key_Return)

    def wait_a_moment() -> None:
        state["t"] = time.monotonic() + 1.0

    def paused() -> bool:
        return time.monotonic() > float(state["t"])  # type: ignore[arg-type]

    def iv():
        return view().investigator_views

    def profile():
        return next((w for w in iv().windows if w.objectName() == "plateProfile"
                     and alive(w)), None)

    def map_window():
        return next((w for w in iv().windows if w.objectName() == "mapWindow"
                     and alive(w)), None)

    def open_profile() -> None:
        view().table.selectRow(0)
        iv().profile_of_selected()

    def profile_ready() -> bool:
        p = profile()
        if p is None or p.profile is None or not p.strip.count():
            return False
        p.resize(W, H)
        p.move(0, 0)
        return not p.strip.item(p.strip.count() - 1).icon().isNull()

    def open_map() -> None:
        click(profile().mapButton)

    def map_ready() -> bool:
        m = map_window()
        if m is None or m.data is None:
            return False
        m.resize(W, H)
        m.move(0, 0)
        return True

    def play() -> None:
        m = map_window()
        m.map.fit_all()
        for _ in range(3):
            m.step(1)
        wait_a_moment()

    def case_file() -> None:
        map_window().close()
        p = profile()
        d = iv().case_file_of_profile(p.profile)
        d.pathEdit.setText(str(pdf))
        d.confirmCheck.setChecked(True)
        click(d.exportButton)

    def render() -> None:
        png = out / names["case"]
        tool = shutil.which("pdftoppm") or "pdftoppm"  # poppler-utils
        subprocess.run([tool, "-png", "-r", "80", "-f", "1", "-l", "1",  # noqa: S603
                        "-singlefile", str(pdf), str(png)], check=True)
        pdf.unlink()
        pdf.with_name(pdf.stem + "-reads.csv").unlink()
        say(f"saved {png}.png")

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
        Step("declare", fill_and_declare, lambda: window.controller.purpose is not None,
             "purpose"),
        Step("search", search, lambda: view().model.rowCount() > 0, "rows"),
        Step("profile", open_profile, profile_ready, "profile with film strip"),
        Step("settle", wait_a_moment, paused, ""),
        Step("grab profile", grab(names["profile"] + ".png"), lambda: True, ""),
        Step("map", open_map, map_ready, "map"),
        Step("play", play, paused, ""),
        Step("grab map", grab(names["map"] + ".png"), lambda: True, ""),
        Step("case file", case_file, lambda: pdf.exists() and "Case file written" in
             view().statusLabel.text(), "case file"),
        Step("render", render, lambda: True, ""),
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
                    pos["deadline"] = time.monotonic() + 60
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
