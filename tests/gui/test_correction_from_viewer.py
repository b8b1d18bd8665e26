"""Issue 16: the correction dialog opens from the image viewer too (the viewer is where the
analyst sees the misread), on the read shown, with the image looked at offered as evidence;
gated as from the results (an analyst with a purpose) and logged with the five elements."""

from __future__ import annotations

import hashlib
from pathlib import Path

from gui_access import declare, log_events, search, sign_in
from PySide6.QtCore import Qt

from alpr_desktop.core.models import ImageBlob
from alpr_desktop.gui.dialogs.correction_dialog import CorrectionDialog
from alpr_desktop.gui.views.workspace import INVESTIGATION

WAIT = 20_000
SHOTS = Path("/tmp/maint-shots")


def _crop(read_id: int) -> ImageBlob:
    import cv2
    import numpy as np

    ok, buf = cv2.imencode(".png", np.full((30, 90, 3), 200, np.uint8))
    assert ok
    data = buf.tobytes()
    return ImageBlob(read_id, "crop", "png", data, hashlib.sha256(data).hexdigest(), 90, 30)


def test_correct_read_from_the_image_viewer(qtbot, workspace, controller, store) -> None:
    sign_in(qtbot, workspace, "officer")
    declare(qtbot, controller)
    for read in store.reads.by_plate("7ABC123"):
        store.images.put_many([_crop(read.id)])
    workspace.resize(1024, 700)
    search(qtbot, workspace)
    view = workspace.views[INVESTIGATION]
    rid = view.model.rows[0].read.id
    viewer = workspace.open_viewer(view, rid)
    qtbot.waitUntil(lambda: viewer.panels[0].opened is not None, timeout=WAIT)
    viewer.resize(1024, 700)
    button = viewer.findChild(type(viewer.prevButton), "correctButton")
    assert button is not None and button.isVisible() and "Ctrl+Shift+E" in button.toolTip()
    SHOTS.mkdir(exist_ok=True)
    viewer.grab().save(str(SHOTS / "viewer_correct_button.png"))
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = viewer.correction_dialog
    assert isinstance(dialog, CorrectionDialog) and dialog.read.id == rid
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT)
    assert dialog.evidenceCombo.currentData() == "crop"  # the pane looked at
    dialog.edits["plate"].setText("7ABC128")
    dialog.reasonEdit.setPlainText("The crop shows an 8 at the end, not a 3.")
    dialog.grab().save(str(SHOTS / "viewer_correction_dialog.png"))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(log_events(store, "read.corrected")), timeout=WAIT)
    [e] = log_events(store, "read.corrected")
    # the five elements: when, agency, data used, who and organization, purpose
    assert e.username == "officer" and e.organization and e.agency and e.ts_ms
    assert e.query["read_id"] == rid and e.detail["corrected"] == {"plate": "7ABC128"}
    assert e.purpose.get("case_number") or e.purpose.get("case"), e.purpose
    assert e.detail["evidence"]["kind"] == "crop"
    qtbot.waitUntil(lambda: "correction recorded" in viewer.statusLabel.text(), timeout=WAIT)


def test_the_viewer_shortcut_opens_it_on_the_overview_looked_at(qtbot, workspace, controller,
                                                                 store) -> None:
    sign_in(qtbot, workspace, "officer")
    declare(qtbot, controller)
    search(qtbot, workspace)
    view = workspace.views[INVESTIGATION]
    viewer = workspace.open_viewer(view, view.model.rows[0].read.id)
    qtbot.waitUntil(lambda: viewer.panels[0].opened is not None, timeout=WAIT)
    viewer.set_active_pane(viewer.panels[0].panes["overview"])
    viewer.activateWindow()
    qtbot.keyClick(viewer, Qt.Key.Key_E,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: getattr(viewer, "correction_dialog", None) is not None,
                    timeout=WAIT)
    assert viewer.correction_dialog.evidenceCombo.currentData() == "overview"


def test_history_that_arrives_after_the_dialog_is_gone_is_dropped(qtbot, workspace, controller,
                                                                   store) -> None:
    """The dialog asks for the read's corrections on a worker; closing it at once (OK or
    Esc, then deleted) must not leave the answer to a deleted list (a RuntimeError in the
    event loop, which pytest-qt reports as a failure)."""
    import shiboken6
    from PySide6.QtCore import QThreadPool

    from alpr_desktop.core.patterns import MatchKind
    from alpr_desktop.core.search import SearchRow

    sign_in(qtbot, workspace, "officer")
    declare(qtbot, controller)
    read = store.reads.by_plate("7ABC123")[0]
    for _ in range(5):
        dialog = CorrectionDialog(workspace, controller,
                                  SearchRow(read, MatchKind.EXACT, "7ABC123"))
        list_widget = dialog.historyList
        shiboken6.delete(dialog)  # before the worker has answered
        assert not shiboken6.isValid(list_widget)
    QThreadPool.globalInstance().waitForDone(WAIT)
    qtbot.wait(100)  # the queued answers are delivered now, to nobody
    assert not log_events(store, "read.corrected")
