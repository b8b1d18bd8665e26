"""The pictures of the help tutorials (issue 17), taken from the real program so they never
go stale: ``alpr_desktop/resources/help/images/help_*.png``.

Run through ``scripts/help_screenshots.sh`` (Xvfb with a 1024×700 screen, a throw-away data
folder). By hand, under X or with QT_QPA_PLATFORM=offscreen, and HOME, ALPR_DESKTOP_HOME and
TMPDIR in a throw-away folder: ``python scripts/help_screenshots.py [OUT_DIR]``.

It builds a small demo store, opens it with the demo's published recovery passphrase, and
drives the main window as each demo account (analyst, custodian, contractor, administrator):
the same windows, dialogs and services as the program, step by step. Window pictures are
scaled to 620 pixels wide so a page shows them whole; dialogs keep their size.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

W, H = 1024, 700
PAGE_WIDTH = 620
CASE = "123-45678-2026-001"
NARRATIVE = ("A silver Honda Civic was stolen from the Carson Mall parking lot on Avalon Blvd "
             "at 23:10 Friday; seeking to identify the suspect vehicle and its direction of "
             "travel.")


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else ROOT / "alpr_desktop" / "resources" / "help" / "images"
    out.mkdir(parents=True, exist_ok=True)
    reads, seed = 400, 7

    from alpr_desktop.security import keys, passwords

    keys.DEFAULT_KDF = keys.KDF_FLOOR = keys.KdfParams(n=2**14)
    passwords.ITERATIONS = 1_000

    from PySide6.QtCore import QDate, QSettings, Qt
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication.instance() or QApplication([])

    from alpr_desktop.core.maintenance import CheckItem
    from alpr_desktop.core.patterns import Mode
    from alpr_desktop.core.purposes import PurposeCategory
    from alpr_desktop.demo.plan import plan_reads
    from alpr_desktop.gui.application import create_application
    from alpr_desktop.gui.dialogs.first_run import FirstRunDialog
    from alpr_desktop.gui.main_window import MainWindow
    from alpr_desktop.gui.views import workspace as ws_mod
    from alpr_desktop.services import demo_store as demo
    from alpr_desktop.services import stores
    from alpr_desktop.services.demo_accounts import DEMO_ACCOUNTS
    from alpr_desktop.services.workstation import OpenStore

    create_application()
    path = demo.ensure_demo_store(reads=reads, seed=seed)
    planned = plan_reads(reads, seed)
    common = Counter(r.plate for r in planned).most_common(3)
    plate = common[0][0]
    wildcard = Counter(r.plate[:2] for r in planned).most_common(1)[0][0] + "*"
    fuzzy = plate[:-1] + ("8" if plate[-1] != "8" else "B")
    pw = {a.username: p for a, p in DEMO_ACCOUNTS}
    store = stores.recover_store(path, demo.DEMO_PASSPHRASE)
    handle = OpenStore.adopt(store)
    info = handle.description
    tmp = Path(tempfile.mkdtemp(prefix="alpr-help-shots-"))

    def wait(cond: Callable[[], bool], seconds: float = 30, what: str = "") -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            if cond():
                return
            time.sleep(0.01)
        raise SystemExit(f"help_screenshots: timed out waiting for {what or cond}")

    def settle(seconds: float = 0.4) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)

    def shot(widget: QWidget, name: str, scale: bool = True) -> None:
        settle()
        image = widget.grab()
        if scale and image.width() > PAGE_WIDTH:
            image = image.scaledToWidth(PAGE_WIDTH, Qt.TransformationMode.SmoothTransformation)
        image.save(str(out / name))
        print(f"saved {out / name}", flush=True)

    def window_for() -> MainWindow:
        window = MainWindow(QSettings(str(tmp / "ui.ini"), QSettings.Format.IniFormat))
        window.resize(W, H)
        window.show()
        window.show_store(info)
        return window

    def sign_in(user: str, grab_banner: bool = False):  # type: ignore[no-untyped-def]
        window = window_for()
        workspace = window.start_session(handle)
        dialog = workspace.dialog
        if grab_banner:
            shot(dialog, "help_signin_banner.png", scale=False)
        if not dialog.acknowledged:
            dialog.ui.acknowledgeButton.click()
        dialog.ui.usernameEdit.setText(user)
        dialog.ui.passwordEdit.setText(pw[user])
        if grab_banner:
            dialog.ui.passwordEdit.setFocus()
            shot(dialog, "help_signin.png", scale=False)
        dialog.ok_button.click()
        wait(lambda: window.controller.session is not None, what="sign-in")
        wait(lambda: not window.controller.busy, what="idle controller")
        window.resize(W, H)
        return window, workspace

    try:
        # -- before any store: first run ------------------------------------------------
        first = FirstRunDialog(None)
        first.show()
        shot(first, "help_first_run.png", scale=False)
        first.close()

        # -- the analyst ------------------------------------------------------------------
        window, ws = sign_in("analyst", grab_banner=True)
        view = ws.views[ws_mod.INVESTIGATION]
        view.open_purpose_dialog()
        wait(lambda: view.purpose_dialog is not None and view.purpose_dialog.isVisible())
        pd = view.purpose_dialog
        ui = pd.ui
        ui.categoryCombo.setCurrentIndex(
            ui.categoryCombo.findData(PurposeCategory.CRIMINAL_INVESTIGATION.value))
        ui.offenseCombo.setCurrentIndex(ui.offenseCombo.findData("Vehicle theft"))
        ui.caseEdit.setText(CASE)
        ui.narrativeEdit.setPlainText("investigation")
        ui.ackCheck.setChecked(True)
        settle(0.8)
        shot(pd, "help_purpose_vague.png", scale=False)
        ui.narrativeEdit.setPlainText(NARRATIVE)
        wait(lambda: pd.ok_button.isEnabled(), what="purpose accepted")
        shot(pd, "help_purpose_good.png", scale=False)
        pd.ok_button.click()
        wait(lambda: window.controller.purpose is not None, what="purpose declared")

        def search(text: str, mode: Mode) -> None:
            view.modeCombo.setCurrentIndex(view.modeCombo.findData(mode))
            view.plateEdit.setText(text)
            view.searchButton.click()
            wait(lambda: not view.searching and view.model.rowCount() > 0
                 and not view.model.fetching, what=f"search {mode}")
            settle(1.0)

        search(wildcard, Mode.AUTO)
        view.table.selectRow(1)
        shot(window, "help_search_results.png")
        search(fuzzy, Mode.FUZZY)
        view.table.selectRow(0)
        shot(window, "help_search_fuzzy.png")
        view.filters.setChecked(True)
        view.filters.makeEdit.setText("Honda")
        view.filters.colorEdit.setText("silver")
        shot(window, "help_filters.png")
        view.filters.makeEdit.clear()
        view.filters.colorEdit.clear()
        view.filters.setChecked(False)
        search(plate, Mode.AUTO)
        rows = view.model.rows
        view.table.selectRow(0)
        correction = view.open_correction()  # issue 16: Correct Read…
        if correction is not None:
            wait(lambda: correction.historyList.count() > 0, what="correction history")
            correction.edits["plate"].setText(plate[:-1] + ("8" if plate[-1] != "8" else "3"))
            correction.reasonEdit.setPlainText("The overview shows the last character clearly; "
                                               "the reader misread it.")
            shot(correction, "help_correction.png", scale=False)
            correction.reject()
        viewer = ws.open_viewer(view, rows[0].read.id)
        viewer.resize(W, H)
        wait(lambda: viewer.panels[0].opened is not None, what="viewer")
        settle(1.0)
        shot(viewer, "help_viewer.png")
        viewer.contrastSlider.setValue(180)
        viewer.sharpenSlider.setValue(120)
        settle(1.5)
        shot(viewer, "help_viewer_enhanced.png")
        viewer.reset_enhancements()
        settle(0.8)
        disclosure = viewer.start_disclosure("save")
        if disclosure is not None:
            wait(lambda: disclosure.isVisible(), what="disclosure dialog")
            shot(disclosure, "help_disclosure.png", scale=False)
            disclosure.reject()
        viewer.close()
        from alpr_desktop.gui.views.hold_request import request_hold
        hold = request_hold(view, [rows[0].read.id])
        if hold is not None:
            hold.reason.setPlainText("Evidence for the trial set for next year; the defence has "
                                     "asked for the original reads.")
            wait(lambda: hold.isVisible(), what="hold dialog")
            shot(hold, "help_hold_request.png", scale=False)
            hold._ok()
            wait(lambda: not hold.isVisible() and not ws.controller.busy, what="hold sent")
        batch = view.open_batch()
        batch.resize(W - 120, H - 120)
        batch.listEdit.setPlainText("\n".join([p for p, _n in common] + ["9ZZZ999"]))
        batch.runButton.click()
        wait(lambda: batch.result is not None, what="batch")
        shot(batch, "help_batch.png", scale=False)
        batch.close()
        window.lockAction.trigger()
        settle(0.8)
        shot(window, "help_lock.png")
        window.end_session()
        window.close()

        # -- the custodian ----------------------------------------------------------------
        window, ws = sign_in("custodian")
        audit = ws.views[ws_mod.AUDIT]
        wait(lambda: not audit.loading and not ws.controller.busy, what="audit")
        settle(1.0)
        shot(window, "help_audit.png")
        report = audit.open_report()
        shot(report, "help_audit_report.png", scale=False)
        report.close()
        for key, name in ((ws_mod.APPROVALS, "help_approvals.png"),
                          (ws_mod.PERMISSIONS, "help_permissions.png"),
                          (ws_mod.TRAINING, "help_training.png"),
                          (ws_mod.RETENTION, "help_retention.png")):
            ws.tabs.setCurrentWidget(ws.views[key])
            wait(lambda: not ws.controller.busy)
            if key in (ws_mod.TRAINING, ws_mod.RETENTION) and ws.views[key].model.rowCount():
                ws.views[key].table.selectRow(0)
            shot(window, name)
        agencies = ws.views[ws_mod.AGENCIES]
        ws.tabs.setCurrentWidget(agencies)
        before = agencies.model.rowCount()  # the demo store's approved recipients
        for agency, jurisdiction in (("Torrance Police Department", 1),
                                     ("FBI Los Angeles", 3)):
            register = agencies.register()
            register.name.setText(agency)
            register.jurisdiction.setCurrentIndex(jurisdiction)
            register.contact.setText("Records Unit, 555-0100")
            register.buttons.button(register.buttons.StandardButton.Ok).click()
            wait(lambda: not ws.controller.busy and agencies.model.rowCount() > 0,
                 what="agency registered")
        wait(lambda: agencies.model.rowCount() == before + 2, what="two agencies more")
        federal = [agencies.model.row_at(i).name
                   for i in range(agencies.model.rowCount())].index("FBI Los Angeles")
        agencies.table.selectRow(federal)
        agencies.approve()  # refused: the AG bulletin's reason shows in the status line
        wait(lambda: "2023-DLE-06" in agencies.statusLabel.text(), what="refusal shown")
        settle(0.5)
        shot(window, "help_agencies.png")
        ws.tabs.setCurrentWidget(ws.views[ws_mod.REQUESTS])
        wait(lambda: not ws.controller.busy)
        settle(0.5)
        shot(window, "help_requests.png")
        incidents = ws.views[ws_mod.INCIDENTS]
        ws.tabs.setCurrentWidget(incidents)
        dialog = incidents.record()
        today = QDate.currentDate()
        dialog.discoveredEdit.setDate(today.addDays(-2))
        dialog.fromEdit.setDate(today.addDays(-9))
        dialog.toEdit.setDate(today.addDays(-8))
        dialog.whatEdit.setPlainText("A laptop holding an exported case file was stolen from "
                                     "a patrol car parked at the station.")
        dialog.dataEdit.setPlainText("Plate reads and images exported for two investigations.")
        dialog.peopleSpin.setValue(140)
        dialog.residentsSpin.setValue(132)
        dialog.actionsEdit.setPlainText("The theft was reported; exports are now encrypted "
                                        "and the laptop's accounts were disabled.")
        dialog.contactEdit.setText("City Clerk, (310) 555-0100, weekdays 8 to 5")
        shot(dialog, "help_incident_dialog.png", scale=False)
        dialog.ok_button.click()
        wait(lambda: incidents.model.rowCount() > 0 and not ws.controller.busy,
             what="incident recorded")
        shot(window, "help_incidents.png")
        tdialog = incidents.transparency()
        tdialog.fromEdit.setDate(today.addYears(-1))
        tdialog.toEdit.setDate(today)
        tdialog.pathEdit.setText("~/Documents/alpr-transparency.pdf")  # HOME is thrown away
        shot(tdialog, "help_transparency.png", scale=False)
        tdialog.ok_button.click()
        wait(lambda: incidents.last_report is not None, 60, what="transparency report")
        if shutil.which("pdftoppm"):
            subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1",  # noqa: S603, S607
                            "-singlefile", str(incidents.last_report.pdf),
                            str(out / "help_transparency_pdf")], check=True, timeout=120)
        window.end_session()
        window.close()

        # -- the contractor ---------------------------------------------------------------
        window, ws = sign_in("contractor")
        home = ws.views[ws_mod.MAINTENANCE]
        wait(lambda: not ws.controller.busy)
        settle(0.8)
        shot(window, "help_maintenance.png")
        mlog = ws.views[ws_mod.MAINTENANCE_LOG]
        ws.tabs.setCurrentWidget(mlog)
        wait(lambda: not ws.controller.busy and bool(mlog.statusLabel.text()), what="log")
        check = mlog.record_check()
        for combo, _note in check.results.values():
            combo.setCurrentIndex(0)
        drift_combo, drift_note = check.results[CheckItem.CLOCK_DRIFT]
        drift_combo.setCurrentIndex(1)
        drift_note.setText("Avalon & 223rd NB was 40 s fast; reset to the time server.")
        check.notesEdit.setPlainText("Monthly visit: all poles, cabinet filters cleaned.")
        shot(check, "help_maintenance_check.png", scale=False)
        check.ok_button.click()
        wait(lambda: mlog.checksModel.rowCount() > 0 and not ws.controller.busy, what="check")
        problem = mlog.record_problem()
        problem.descriptionEdit.setPlainText("Camera dark after the storm: no reads.")
        if problem.camerasList.count():
            problem.camerasList.item(0).setCheckState(Qt.CheckState.Checked)
        problem.downCheck.setChecked(True)
        problem.downFromEdit.setDateTime(problem.foundEdit.dateTime().addSecs(-6 * 3600))
        problem.actionEdit.setPlainText("Power supply replaced.")
        shot(problem, "help_maintenance_problem.png", scale=False)
        problem.ok_button.click()
        wait(lambda: mlog.problemsModel.rowCount() > 0 and not ws.controller.busy,
             what="problem")
        shot(window, "help_maintenance_log.png")
        data = tmp / "acme_2026-11.csv"
        data.write_text("plate,datetime,camera\n" + "".join(
            f"7W{i:05d},2026-11-0{1 + i % 9}T0{i % 10}:{i % 60:02d}:00Z,Avalon & 223rd NB\n"
            for i in range(30)))
        wizard = ws.show_import()
        wizard.resize(W - 24, H - 48)
        wizard.pick_files = lambda _p: [str(data)]
        wizard.filesPage.add_files()
        shot(wizard, "help_import_files.png")
        wizard.next()
        wait(lambda: wizard.mappingPage.isComplete() and not ws.controller.busy,
             what="mapping page")
        shot(wizard, "help_import_mapping.png")
        wizard.close()
        del home
        window.end_session()
        window.close()

        # -- the administrator --------------------------------------------------------------
        window, ws = sign_in("admin")
        accounts = ws.views[ws_mod.ACCOUNTS]
        wait(lambda: accounts.model.rowCount() > 0 and not ws.controller.busy)
        accounts.select("analyst")
        shot(window, "help_accounts.png")
        ws.tabs.setCurrentWidget(ws.views[ws_mod.SECURITY])
        wait(lambda: not ws.controller.busy)
        shot(window, "help_security.png")

        # -- the help window itself -----------------------------------------------------
        help_window = window.show_help("searching")
        help_window.resize(W, H)
        shot(help_window, "help_window.png")
        help_window.close()
        window.end_session()
        window.close()
        store.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def views_pictures(argv: list[str]) -> int:
    """The pictures of the plate profile, the map and the case file (issue 13), made by
    scripts/views_screenshots.py on a demo store of its own in a subfolder."""
    out = Path(argv[0]) if argv else ROOT / "alpr_desktop" / "resources" / "help" / "images"
    home = Path(os.environ.get("ALPR_DESKTOP_HOME", tempfile.gettempdir())) / "views"
    home.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "ALPR_DESKTOP_HOME": str(home)}
    script = ROOT / "scripts" / "views_screenshots.py"
    return subprocess.run([sys.executable, str(script), str(out), "help"],  # noqa: S603
                          env=env, check=False).returncode


if __name__ == "__main__":
    os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    code = main(sys.argv[1:])
    sys.exit(code or views_pictures(sys.argv[1:]))
