"""Screenshots of the search view as a user sees it: a wildcard search with a row selected,
and a fuzzy search showing look-alike / one-edit / candidate matches.

Run under X (e.g. Xvfb) with ALPR_DESKTOP_HOME and TMPDIR pointing into a throw-away folder and
PYTHON_KEYRING_BACKEND=keyring.backends.fail.Keyring (so the demo passphrase is used):
``python scripts/search_screenshot.py [READS] [SEED] [OUT_DIR]``.
Writes OUT_DIR/search_wildcard.png and OUT_DIR/search_fuzzy.png (default docs/screenshots).
"""

from __future__ import annotations

import sys
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "integration"))

from app_session_driver import ANALYST, CASE, NARRATIVE, Step, say  # noqa: E402


def main(argv: list[str]) -> int:
    reads = int(argv[0]) if argv else 400
    seed = int(argv[1]) if len(argv) > 1 else 7
    out = Path(argv[2]) if len(argv) > 2 else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)

    from alpr_desktop.security import keys, passwords

    keys.DEFAULT_KDF = keys.KDF_FLOOR = keys.KdfParams(n=2**14)  # fast; demo data only
    passwords.ITERATIONS = 1_000

    from alpr_desktop.demo.plan import plan_reads
    from alpr_desktop.services.demo_accounts import DEMO_ACCOUNTS
    from alpr_desktop.services.demo_store import ensure_demo_store

    ensure_demo_store(reads=reads, seed=seed)
    planned = plan_reads(reads, seed)
    # Fuzzy: the true plate with the most misread variants (look-alike / one-edit rows).
    # Probed in turn: the plate, a look-alike of it and one with a character dropped; the
    # probe whose results show the most match kinds is the one shot.
    from alpr_desktop.demo.plates import LOOKALIKES

    misreads = Counter(r.true_plate for r in planned if r.plate != r.true_plate)
    probes: list[str] = []
    for truth, _n in misreads.most_common(4):
        probes.append(truth)
        i = next((k for k, ch in enumerate(truth) if ch in LOOKALIKES), None)
        if i is not None:
            probes.append(truth[:i] + LOOKALIKES[truth[i]][0] + truth[i + 1:])
        probes.append(truth[:-1])
    best: dict[str, object] = {"kinds": -1, "query": probes[0]}
    # Wildcard: the commonest two-character start, so the search returns many rows.
    wildcard = Counter(r.plate[:2] for r in planned).most_common(1)[0][0] + "*"
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
    window.resize(1380, 860)
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
        d = purpose_dialog()
        ui = d.ui
        ui.categoryCombo.setCurrentIndex(
            ui.categoryCombo.findData(PurposeCategory.CRIMINAL_INVESTIGATION.value))
        ui.offenseCombo.setCurrentIndex(ui.offenseCombo.findData("Vehicle theft"))
        ui.caseEdit.setText(CASE)
        ui.narrativeEdit.setPlainText(NARRATIVE)
        ui.ackCheck.setChecked(True)
        if not d.ok_button.isEnabled():
            raise AssertionError("purpose refused: " + "; ".join(map(str, d.problems)))
        click(d.ok_button)

    def search(text: str, mode: Mode):
        def act() -> None:
            v = view()
            v.modeCombo.setCurrentIndex(v.modeCombo.findData(mode))
            v.plateEdit.setText(text)
            click(v.searchButton)
        return act

    def settled() -> bool:
        v = view()
        return (v is not None and not v.searching and v.model.rowCount() > 0
                and not v.model.fetching and bool(v.model._thumbs))

    state = {"t": 0.0}

    def select_and_wait() -> None:
        view().table.selectRow(2)
        state["t"] = time.monotonic() + 1.0

    def paused() -> bool:
        return time.monotonic() > state["t"]

    def probe(text: str):
        def act() -> None:
            search(text, Mode.FUZZY)()
        return act

    def probed(text: str):
        def until() -> bool:
            v = view()
            if v is None or v.searching or v.model.fetching:
                return False
            if v.problemLabel.text():
                return True
            if v.model.rowCount() == 0:
                return " found " in v.statusLabel.text()  # none found: the next probe
            kinds = {v.model.row_at(i).kind for i in range(v.model.rowCount())}
            if len(kinds) > best["kinds"]:
                best.update(kinds=len(kinds), query=text)
            return True
        return until

    def grab(name: str):
        def act() -> None:
            path = out / name
            window.screen().grabWindow(0).save(str(path))
            say(f"saved {path}")
            v = view()
            kinds = Counter(v.model.row_at(i).kind.label for i in range(v.model.rowCount()))
            say(f"  rows={v.model.rowCount()} kinds={dict(kinds)} status={v.statusLabel.text()!r}")
        return act

    steps = [
        Step("open", lambda: None, lambda: sign_in_dialog() is not None, "sign-in dialog"),
        Step("sign in", sign_in, signed_in, "session"),
        Step("purpose dialog", lambda: view().open_purpose_dialog(),
             lambda: purpose_dialog() is not None, "purpose dialog"),
        Step("declare purpose", fill_purpose,
             lambda: window.controller.purpose is not None and view().searchButton.isEnabled(),
             "active purpose"),
        Step("wildcard search", search(wildcard, Mode.AUTO), settled, "wildcard rows"),
        Step("select a row", select_and_wait, paused, "details"),
        Step("grab wildcard", grab("search_wildcard.png"), lambda: True, ""),
        *(Step(f"fuzzy probe {n}", probe(q), probed(q), "probe rows")
          for n, q in enumerate(probes)),
        Step("fuzzy search", lambda: search(str(best["query"]), Mode.FUZZY)(), settled,
             "fuzzy rows"),
        Step("select a row", select_and_wait, paused, "details"),
        Step("grab fuzzy", grab("search_fuzzy.png"), lambda: True, ""),
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
                v = view()
                problem = "" if v is None else v.problemLabel.text()
                say(f"TIMEOUT at {steps[i].name}: {steps[i].waiting_for} {problem}")
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
