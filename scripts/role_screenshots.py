"""The custodian's, contractor's and administrator's screens at 1024 x 700 on a small store
with some history: screenshots, and the facts the size tests check (minimum widths, controls
without an accessible name).

    QT_QPA_PLATFORM=offscreen python scripts/role_screenshots.py [--out DIR] [--report FILE]

Run with QT_SCALE_FACTOR=2 for 200 % scaling. Writes PNGs (custodian_audit_view.png,
contractor_home.png, admin_security_settings.png, admin_accounts.png, import_wizard_*.png,
audit_report_page1.png, audit_report_entries.png, custodian_oversight.png and one
custodian_<tab>.png per custodian screen) to --out, and a JSON report of each
screen's minimum width and unnamed controls to --report. The store is synthetic and thrown away.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "unit" / "audit"))

WIDTH, HEIGHT = 1024, 700
PEOPLE_PASSWORDS = {
    "root": "Harbor-Keys-Admin-Q7x", "keeper": "Civic-Center-Ledger-5M",
    "vendor": "Pole-Ladder-Service-8W", "officer": "Avalon-Night-Patrol-3K",
}


def build_store(tmp: Path):  # type: ignore[no-untyped-def]
    """Accounts of every role, a camera, the audit helpers' known log, and one import."""
    from audit_helpers import known_events

    from alpr_desktop.core.accounts import Account
    from alpr_desktop.core.clock import FixedClock
    from alpr_desktop.core.models import Camera
    from alpr_desktop.core.roles import Role
    from alpr_desktop.ingest.delimited import Mapping
    from alpr_desktop.ingest.runner import ImportJob, ImportOptions
    from alpr_desktop.security import passwords
    from alpr_desktop.storage import create_store
    from alpr_desktop.storage.access_log import AccessLogRepo
    from alpr_desktop.storage.accounts import AccountRepo
    from alpr_desktop.storage.reads import CameraRepo

    passwords.ITERATIONS = 1_000
    clock = FixedClock()
    store = create_store(tmp / "screens.alprdb", os.urandom(32))
    people = (
        Account(None, "root", "Robin Root", "City of Carson IT", roles=frozenset({Role.ADMIN})),
        Account(None, "keeper", "Kim Keeper", "City of Carson",
                roles=frozenset({Role.CUSTODIAN})),
        Account(None, "vendor", "Val Vendor", "Acme ALPR Services",
                roles=frozenset({Role.CONTRACTOR})),
        Account(None, "officer", "Olivia Officer", "LASD Carson Station", badge_number="4471",
                sworn=True, roles=frozenset({Role.ANALYST})),
    )
    with store.transaction():
        for p in people:
            AccountRepo(store).add(p, passwords.hash_password(PEOPLE_PASSWORDS[p.username]),
                                   clock.now_ms())
        CameraRepo(store).add(Camera(None, "Avalon & 223rd NB", "Avalon Blvd & 223rd St",
                                     33.8237, -118.2652))
        repo = AccessLogRepo(store)
        for ev, ts in known_events():
            repo.append(ev, ts)
    data = tmp / "acme_2025-12.csv"
    with data.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["plate", "datetime", "camera"])
        for i in range(40):
            w.writerow(["BAD#" if i % 13 == 0 else f"7W{i:05d}",
                        f"2025-12-0{1 + i % 9}T0{i % 10}:{i % 60:02d}:00Z",
                        ("Avalon & 223rd NB", "avalon &  223rd nb", "Main & Victoria EB",
                         "Wilmington & 220th SB")[i % 4]])
    mapping = Mapping(name="g", columns={"plate": "plate", "datetime": "datetime",
                                         "camera": "camera"})
    ImportJob(store, clock, ImportOptions(mapping=mapping, report_path=tmp / "rejects.csv")
              ).run([data])
    return store, clock, data


def unnamed_controls(root) -> list[str]:  # type: ignore[no-untyped-def]
    """Focusable controls a screen reader would announce without a name (the line edits
    inside spin and combo boxes are parts of their box, which carries the name)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QAccessible
    from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QWidget

    out = []
    for w in root.findChildren(QWidget):
        if not w.isVisibleTo(root) or not (w.focusPolicy() & Qt.FocusPolicy.TabFocus):
            continue
        if isinstance(w.parent(), QAbstractSpinBox | QComboBox):
            continue
        iface = QAccessible.queryAccessibleInterface(w)
        if iface is None or not iface.text(QAccessible.Text.Name).strip():
            out.append(f"{type(w).__name__}:{w.objectName()}")
    return out


def too_wide(root, limit: int = WIDTH) -> list[str]:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QWidget

    return [f"{type(w).__name__}:{w.objectName()}:{w.minimumSizeHint().width()}"
            for w in [root, *root.findChildren(QWidget)]
            if w.isVisible() and w.minimumSizeHint().width() > limit]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None, help="folder for the PNGs")
    parser.add_argument("--report", type=Path, default=None, help="JSON facts file")
    args = parser.parse_args(argv)

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from alpr_desktop.gui.main_window import MainWindow
    from alpr_desktop.gui.views.workspace import (
        ACCOUNTS,
        APPROVALS,
        AUDIT,
        INCIDENTS,
        MAINTENANCE,
        PERMISSIONS,
        RETENTION,
        SECURITY,
        TRAINING,
    )
    from alpr_desktop.services.workstation import OpenStore

    tmp = Path(tempfile.mkdtemp(prefix="alpr-role-screens-"))
    facts: dict[str, dict[str, object]] = {}
    try:
        store, clock, data = build_store(tmp)

        def wait(cond: Callable[[], bool], seconds: float = 20) -> bool:
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                app.processEvents()
                if cond():
                    return True
                time.sleep(0.01)
            return False

        def shot(widget, name: str) -> None:  # type: ignore[no-untyped-def]
            app.processEvents()
            facts[name] = {"min_width": widget.minimumSizeHint().width(),
                           "width": widget.width(), "too_wide": too_wide(widget),
                           "unnamed": unnamed_controls(widget)}
            if args.out is not None:
                args.out.mkdir(parents=True, exist_ok=True)
                widget.grab().save(str(args.out / f"{name}.png"))

        def session(user: str):  # type: ignore[no-untyped-def]
            # No settings file: the window's QSettings would write it again when the window is
            # destroyed at exit, after the temporary folder is removed, and leave it in /tmp.
            window = MainWindow(None)
            window.resize(WIDTH, HEIGHT)
            window.show()
            handle = OpenStore.adopt(store)
            window.show_store(handle.description)
            workspace = window.start_session(handle, clock)
            dialog = workspace.dialog
            if not dialog.acknowledged:
                dialog.ui.acknowledgeButton.click()
            dialog.ui.usernameEdit.setText(user)
            dialog.ui.passwordEdit.setText(PEOPLE_PASSWORDS[user])
            dialog.ok_button.click()
            wait(lambda: window.controller.session is not None)
            wait(lambda: not window.controller.busy)
            window.resize(WIDTH, HEIGHT)
            return window, workspace

        # -- the custodian --------------------------------------------------------------
        window, ws = session("keeper")
        view = ws.views[AUDIT]
        wait(lambda: not view.loading and view.total is not None and not ws.controller.busy)
        row = next(r for r in range(view.model.rowCount())
                   if view.model.entry_at(r).event == "search")
        view.show_entry(view.model.entry_at(row).seq)
        shot(window, "custodian_audit_view")
        report = view.open_report()
        report.pathEdit.setText(str(tmp / "audit.pdf"))
        report.pathEdit.setModified(True)
        shot(report, "audit_report_dialog")
        report.build()
        wait(lambda: report.report_result is not None, 60)
        if args.out is not None and shutil.which("pdftoppm") and report.report_result:
            pdf = str(report.report_result.path)
            text = subprocess.run(["pdftotext", "-layout", pdf, "-"],  # noqa: S603, S607
                                  capture_output=True,
                                  text=True, check=True, timeout=120).stdout
            entries = next((i for i, page in enumerate(text.split("\f"), 1)
                            if re.search(r"^\s*3\. Entries\s*$", page, re.M)), 1)
            for page, name, dpi in ((1, "audit_report_page1", "60"),
                                    (entries, "audit_report_entries", "80")):
                subprocess.run(["pdftoppm", "-png", "-r", dpi, "-f", str(page),  # noqa: S603, S607
                                "-l",
                                str(page), "-singlefile", pdf, str(args.out / name)],
                               check=True, timeout=120)
        report.close()
        oversight = view.open_oversight()
        oversight.resize(WIDTH - 24, HEIGHT - 48)
        wait(lambda: not ws.controller.busy)
        shot(oversight, "custodian_oversight")
        oversight.close()
        for tab in (PERMISSIONS, APPROVALS, RETENTION, TRAINING, INCIDENTS):
            if tab in ws.views:
                ws.tabs.setCurrentWidget(ws.views[tab])
                wait(lambda: not ws.controller.busy)
                shot(window, f"custodian_{tab}")
        window.end_session()
        window.close()

        # -- the contractor -------------------------------------------------------------
        window, ws = session("vendor")
        home = ws.views[MAINTENANCE]
        wait(lambda: home.historyModel.rowCount() > 0 and not ws.controller.busy)
        shot(window, "contractor_home")
        wizard = ws.show_import()
        wizard.resize(WIDTH - 24, HEIGHT - 48)  # what fitted_size gives on a 1024 x 700 screen
        wizard.pick_files = lambda _p: [str(data)]
        wizard.filesPage.add_files()
        shot(wizard, "import_wizard_files")
        wizard.next()
        wait(lambda: wizard.mappingPage.isComplete() and not ws.controller.busy)
        shot(wizard, "import_wizard_mapping")
        wizard.close()
        window.end_session()
        window.close()

        # -- the administrator ----------------------------------------------------------
        window, ws = session("root")
        accounts = ws.views[ACCOUNTS]
        wait(lambda: accounts.model.rowCount() == 4 and not ws.controller.busy)
        accounts.select("officer")
        shot(window, "admin_accounts")
        reset = accounts.reset_password()
        reset.show_failure("The password must be at least 12 characters long and must not "
                           "contain the username; choose another.")
        shot(reset, "admin_reset_password")
        reset.reject()
        ws.tabs.setCurrentWidget(ws.views[SECURITY])
        security = ws.views[SECURITY]
        wait(lambda: security.formatsTable.rowCount() > 0 and not ws.controller.busy)
        security.testEdit.setText("123-45678-2026-001")
        shot(window, "admin_security_settings")
        window.end_session()
        window.close()
        store.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    text = json.dumps(facts, indent=2)
    if args.report is not None:
        args.report.write_text(text)
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
