"""Issue 14 in the Retention screen: converting a store made before incremental vacuum (asked
first, Later defers, progress with Cancel) and archiving the access log's entries older than
five years (custodian, with their password), each logged. Neither existed on today's code."""

from __future__ import annotations

from gui_access import PASSWORDS, log_events, sign_in
from PySide6.QtWidgets import QMessageBox

from alpr_desktop.core.audit_log import LogEvent, Outcome
from alpr_desktop.core.retention import add_months
from alpr_desktop.gui.dialogs.retention_dialogs import ArchiveLogDialog
from alpr_desktop.gui.views.retention_view import RetentionView
from alpr_desktop.gui.views.workspace import RETENTION
from alpr_desktop.services.audit import log_event


def _open_view(qtbot, workspace) -> RetentionView:
    sign_in(qtbot, workspace, "keeper")
    v = workspace.views[RETENTION]
    workspace.screen_actions[RETENTION].trigger()
    qtbot.waitUntil(lambda: v.status is not None, timeout=10_000)
    workspace.resize(1024, 700)
    qtbot.waitUntil(lambda: workspace.width() == 1024)
    return v


def _button(box: QMessageBox, text: str):  # type: ignore[no-untyped-def]
    return next(b for b in box.buttons() if b.text().replace("&", "") == text)


def test_an_old_store_is_converted_from_the_retention_screen(qtbot, workspace, store,
                                                             tmp_path):
    store.execute("PRAGMA auto_vacuum = NONE")
    store.execute("VACUUM")
    v = _open_view(qtbot, workspace)
    assert v.oldStoreLabel.isVisible() and v.convertButton.isVisible()
    assert workspace.grab().save(str(tmp_path / "retention-old-store.png"))
    box = v.convert_store()
    _button(box, "Later").click()  # deferred: nothing happens
    assert v.convert_progress is None and not v.status.auto_vacuum
    box = v.convert_store()
    _button(box, "Convert Now").click()
    qtbot.waitUntil(lambda: "Store converted" in v.statusLabel.text(), timeout=30_000)
    qtbot.waitUntil(lambda: v.status.auto_vacuum, timeout=10_000)
    assert not v.oldStoreLabel.isVisible() and not v.convertButton.isVisible()
    assert store.query_one("PRAGMA auto_vacuum") == (2,)
    stages = [e.detail["stage"] for e in log_events(store, "retention.store_conversion")]
    assert stages == ["started", "finished"]


def test_the_custodian_archives_the_access_log(qtbot, workspace, store, clock, tmp_path):
    for i in range(4):  # entries written now ...
        log_event(store, LogEvent("test.old", Outcome.OK, "someone", detail={"i": i}), clock)
    clock.ms = add_months(clock.ms // 1000, 60) * 1000 + 2 * 86_400_000  # ... five years on
    v = _open_view(qtbot, workspace)
    assert v.archiveButton.isEnabled() and v.log_due > 0
    assert "older than five years await archiving" in v.summary.text()
    dialog = v.archive_log()
    assert isinstance(dialog, ArchiveLogDialog)
    dialog.folder.setText(str(tmp_path))
    dialog.password.setText("wrong password")
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: dialog.problem.isVisible(), timeout=10_000)
    assert "password is not correct" in dialog.problem.text()
    dialog.password.setText(PASSWORDS["keeper"])
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: "archived to log-archive-" in v.statusLabel.text(), timeout=20_000)
    assert str(tmp_path) in v.statusLabel.toolTip()
    qtbot.waitUntil(lambda: "archived (latest on" in v.summary.text(), timeout=10_000)
    assert not v.archiveButton.isEnabled()
    assert len(list(tmp_path.glob("*.alprlog"))) == 1
    assert [e.event for e in log_events(store, "log.archived")] == ["log.archived"]
    assert workspace.grab().save(str(tmp_path / "retention-log-archived.png"))
