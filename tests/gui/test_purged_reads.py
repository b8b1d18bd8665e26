"""Issue 14: reads the open program's purge deletes leave the windows that still show them,
without a new search: the results table drops their rows (and says so), the image viewer
shows "deleted under retention" with no picture. On today's code the rows stayed until the
next search and the viewer kept the pictures of a deleted read."""

from __future__ import annotations

import pytest
from gui_access import CASE, GOOD_NARRATIVE, PASSWORDS, declare, search, sign_in

from alpr_desktop.core.models import NewRead
from alpr_desktop.core.purposes import PurposeInput
from alpr_desktop.gui import purged_reads
from alpr_desktop.gui.purge_scheduler import PurgeScheduler
from alpr_desktop.gui.session_controller import SessionController
from alpr_desktop.gui.views.image_viewer import ControllerImageSource, ImageViewer
from alpr_desktop.gui.views.workspace import INVESTIGATION
from alpr_desktop.services.workstation import OpenStore
from alpr_desktop.storage.reads import CameraRepo, ReadRepo

SIX_YEARS = 6 * 365 * 86_400


def test_purged_reads_leave_the_open_results(qtbot, workspace, controller, store, clock,
                                             qtmodeltester):
    cam = CameraRepo(store).all()[0].id
    now_s = clock.now_ms() // 1000
    old, living = ReadRepo(store).insert_many([
        NewRead("6OLD999", now_s - SIX_YEARS, cam), NewRead("6OLD999", now_s - 86_400, cam)])
    sign_in(qtbot, workspace, "officer")
    declare(qtbot, controller)
    search(qtbot, workspace, "6OLD999")
    view = workspace.views[INVESTIGATION]
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=10_000)
    scheduler = PurgeScheduler(clock=clock)
    with qtbot.waitSignal(scheduler.ran, timeout=20_000):
        scheduler.attach(OpenStore.adopt(store.reopen()))
    scheduler.shutdown()
    assert [r.read.id for r in view.model.rows] == [living]  # no new search ran
    assert old not in {view.model.row_at(i).read.id for i in range(view.model.rowCount())}
    assert "1 read deleted under retention" in view.statusLabel.text()
    qtmodeltester.check(view.model, force_py=True)


@pytest.fixture
def analyst(qtbot, controller: SessionController) -> SessionController:
    done: list[object] = []
    controller.sign_in("officer", PASSWORDS["officer"], done.append, pytest.fail)
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)
    entry = PurposeInput(category="criminal_investigation", offense="Vehicle theft",
                         case_number=CASE, narrative=GOOD_NARRATIVE, acknowledged=True)
    controller.declare_purpose(entry, None, done.append, pytest.fail)
    qtbot.waitUntil(lambda: len(done) == 2, timeout=10_000)
    return controller


def test_the_viewer_says_deleted_under_retention(qtbot, analyst, tmp_path):
    v = ImageViewer(ControllerImageSource(analyst), 1, [1, 2, 3])
    qtbot.addWidget(v)
    v.resize(1024, 700)
    v.show()
    qtbot.waitUntil(lambda: v.panels[0].opened is not None, timeout=10_000)
    assert v.positionLabel.text() == "1 of 3"
    purged_reads.announce({1, 3})  # what the scheduler announces after a run
    panel = v.panels[0]
    assert panel.opened is None and panel.originals == {}
    assert panel.header.text() == "Read #1: deleted under retention"
    assert all(not p.has_image and "Deleted under retention" in p.message
               for p in panel.panes.values())
    assert "7ABC123" not in panel.header.text()
    assert v.result_ids == [1, 2] and v.positionLabel.text() == "1 of 2"
    assert "Deleted under retention" in v.statusLabel.text()
    v.next()
    qtbot.waitUntil(lambda: v.panels[0].opened is not None, timeout=10_000)
    assert v.panels[0].opened.read.id == 2 and not v.nextButton.isEnabled()
