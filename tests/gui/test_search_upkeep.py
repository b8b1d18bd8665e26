"""Issue 20: the GUI keeps the recent reads' search postings up to date (gui/search_upkeep.py):
after each sign-in and each import, on a worker, with a quiet status line; a lock or sign-out
stops it at once and leaves a state the next run finishes (an unlock goes on with it)."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from gui_access import PASSWORDS, sign_in, try_credentials
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from alpr_desktop.core.clock import FixedClock
from alpr_desktop.gui.dialogs.sign_in import SignInDialog
from alpr_desktop.gui.main_window import MainWindow
from alpr_desktop.gui.search_upkeep import FAILED, PREPARING, SearchUpkeep
from alpr_desktop.gui.session_controller import SessionController
from alpr_desktop.gui.views.workspace import Workspace
from alpr_desktop.services.search_index import (
    IndexUpkeep,
    SearchIndexFailed,
    SearchIndexService,
)
from alpr_desktop.services.workstation import OpenStore
from alpr_desktop.storage import Store, StoreCorrupt
from alpr_desktop.storage.read_grams import ReadGrams

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"
WINDOW_READS = 4  # the store's reads (conftest), all in the recent window


class Held:
    """Steps of one read each; the second waits until ``release`` (the test's moment)."""

    def __init__(self) -> None:
        self.calls = 0
        self.entered = threading.Event()
        self.release = threading.Event()


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[Held]:
    h = Held()
    step = ReadGrams.step

    def one_read(self: ReadGrams, now: float | None = None, batch: int = 1) -> int:
        h.calls += 1
        if h.calls == 2:
            h.entered.set()
            h.release.wait(10)
        return step(self, now, batch)

    monkeypatch.setattr(ReadGrams, "step", one_read)
    yield h
    h.release.set()


def wait_held(qtbot, upkeep: SearchUpkeep, held: Held) -> None:
    """The run posted one read of four and waits inside its second step."""
    qtbot.waitUntil(held.entered.is_set, timeout=10_000)
    qtbot.waitUntil(lambda: upkeep.text == f"{PREPARING} 25 %", timeout=10_000)


def resumed(result: object) -> bool:
    """A run that finished what a stopped one left: the two reads not posted (and, with
    steps of one read, the build's closing step, which ReadGrams counts as a batch)."""
    return (isinstance(result, IndexUpkeep) and result.ready and not result.stopped
            and WINDOW_READS - 2 <= result.handled <= WINDOW_READS - 1)


def building(store: Store) -> bool:
    return store.read_grams.state().building_at is not None


def test_sign_in_builds_the_postings_on_a_worker(qtbot, workspace: Workspace,
                                                store: Store) -> None:
    assert store.read_grams.ready() is None  # a store just updated to migration 0026
    upkeep = workspace.search_upkeep
    with qtbot.waitSignal(upkeep.finished, timeout=10_000) as done:
        sign_in(qtbot, workspace, "officer")
    assert done.args == [IndexUpkeep(handled=WINDOW_READS, ready=True)]
    assert store.read_grams.ready() is not None
    assert upkeep.text == "" and not upkeep.running


def test_an_import_is_followed_by_the_upkeep(qtbot, workspace: Workspace, store: Store,
                                             tmp_path: Path) -> None:
    upkeep = workspace.search_upkeep
    with qtbot.waitSignal(upkeep.finished, timeout=10_000):
        sign_in(qtbot, workspace, "root")
    assert store.read_grams.ready() is not None
    data = tmp_path / "openalpr_group.json"
    shutil.copy(FIXTURES / "openalpr_group.json", data)
    wizard = workspace.show_import()
    assert wizard is not None
    qtbot.waitUntil(wizard.isVisible)
    wizard.pick_files = lambda _parent: [str(data)]
    wizard.report_dir = tmp_path / "reports"
    qtbot.mouseClick(wizard.filesPage.addButton, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(upkeep.finished, timeout=20_000) as done:
        qtbot.mouseClick(wizard.button(wizard.WizardButton.CommitButton),
                         Qt.MouseButton.LeftButton)
    assert wizard.summary is not None and wizard.summary.accepted == 1
    assert isinstance(done.args[0], IndexUpkeep) and done.args[0].ready
    # the new read (older than the window) is covered: searches use the postings again
    top = store.scalar("SELECT max(id) FROM reads")
    assert store.read_grams.state().indexed_to == top
    assert store.read_grams.ready() is not None


def _held_after_sign_in(qtbot, workspace: Workspace, held: Held) -> tuple[Any, Any]:
    """Sign in and wait until the upkeep is held in its second step: (upkeep, its task)."""
    upkeep = workspace.search_upkeep
    sign_in(qtbot, workspace, "officer")
    wait_held(qtbot, upkeep, held)
    handle = upkeep._handle
    assert handle is not None
    return upkeep, handle


def _stopped_midway(qtbot, upkeep: Any, handle: Any, held: Held, store: Store) -> None:
    """The upkeep was stopped at once and its task ended after the step in hand, leaving
    the first build part done."""
    assert handle.cancelled and not upkeep.running and upkeep.text == ""
    held.release.set()
    qtbot.waitUntil(lambda: not handle.running, timeout=10_000)
    assert store.read_grams.ready() is None and building(store)


def test_a_lock_stops_the_upkeep_and_the_unlock_finishes_it(
    qtbot, workspace: Workspace, controller: SessionController, store: Store, held: Held,
) -> None:
    upkeep, handle = _held_after_sign_in(qtbot, workspace, held)

    controller.lock()

    _stopped_midway(qtbot, upkeep, handle, held, store)  # two steps kept
    assert store.scalar("SELECT count(DISTINCT read_id) FROM read_grams") == 2
    assert not upkeep.running  # nothing runs while locked

    unlocked: list[object] = []
    with qtbot.waitSignal(upkeep.finished, timeout=10_000) as done:
        controller.unlock(PASSWORDS["officer"], unlocked.append, unlocked.append)
    assert unlocked == [None]
    assert resumed(done.args[0])
    assert store.read_grams.ready() is not None


def test_sign_out_stops_the_upkeep_and_the_next_sign_in_finishes_it(
    qtbot, workspace: Workspace, controller: SessionController, store: Store, held: Held,
) -> None:
    upkeep, handle = _held_after_sign_in(qtbot, workspace, held)

    controller.sign_out()

    _stopped_midway(qtbot, upkeep, handle, held, store)
    assert not upkeep.running

    with qtbot.waitSignal(upkeep.finished, timeout=10_000) as done:
        sign_in(qtbot, workspace, "keeper")
    assert resumed(done.args[0])


def test_the_status_bar_says_it_quietly(qtbot, store: Store, clock: FixedClock, held: Held,
                                        tmp_path: Path) -> None:
    """A line on the left of the status bar at 1024 x 700, no dialog; gone when done."""
    own = store.reopen()
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1024, 700)
    window.show()
    try:
        workspace = window.start_session(OpenStore.adopt(own), clock)
        upkeep = workspace.search_upkeep
        dialog = workspace.dialog  # the window asks for a sign-in at once
        assert isinstance(dialog, SignInDialog)
        try_credentials(qtbot, dialog, "officer", PASSWORDS["officer"])
        wait_held(qtbot, upkeep, held)
        label = window.upkeepLabel
        qtbot.waitUntil(label.isVisible)
        assert label.full_text() == f"{PREPARING} 25 %" and not label.is_elided()
        assert not [w for w in QApplication.topLevelWidgets()  # nothing modal, no dialog
                    if isinstance(w, QDialog) and w.isVisible()]
        window.grab().save(str(tmp_path / "search-upkeep-1024x700.png"))
        with qtbot.waitSignal(upkeep.finished, timeout=10_000):
            held.release.set()
        assert not label.isVisible() and label.full_text() == ""
    finally:
        held.release.set()
        controller = window.controller
        window.end_session()
        if controller is not None and shiboken6.isValid(controller):
            qtbot.waitUntil(lambda: not controller.busy, timeout=10_000)
        own.close()


def test_a_busy_store_is_tried_again_later(qtbot, workspace: Workspace, store: Store,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Another program held the write lock past the busy timeout: no error, no text; the
    retry timer runs it again (here at once)."""
    real = SearchIndexService.catch_up
    calls = [0]

    def busy_once(self: SearchIndexService, **kw: object) -> IndexUpkeep:
        calls[0] += 1
        if calls[0] == 1:
            return IndexUpkeep(0, ready=False, busy="The store is busy.")
        return real(self, **kw)

    monkeypatch.setattr(SearchIndexService, "catch_up", busy_once)
    upkeep = workspace.search_upkeep
    upkeep.retry.setInterval(60_000)
    with qtbot.waitSignal(upkeep.finished, timeout=10_000) as first:
        sign_in(qtbot, workspace, "officer")
    assert first.args[0].busy and upkeep.retry.isActive()
    assert upkeep.text == "" and not upkeep.running and store.read_grams.ready() is None
    with qtbot.waitSignal(upkeep.finished, timeout=10_000) as second:
        upkeep.retry.setInterval(0)
        upkeep.retry.start()
    assert second.args[0] == IndexUpkeep(handled=WINDOW_READS, ready=True)
    assert store.read_grams.ready() is not None and calls[0] == 2


def test_a_failure_is_a_quiet_sentence_not_a_dialog(qtbot, workspace: Workspace,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    def damaged(self: SearchIndexService, **_kw: object) -> IndexUpkeep:
        raise SearchIndexFailed(StoreCorrupt("The store file is damaged and cannot be read."))

    monkeypatch.setattr(SearchIndexService, "catch_up", damaged)
    upkeep = workspace.search_upkeep
    told: list[str] = []
    upkeep.problem.connect(told.append)
    with qtbot.waitSignal(upkeep.finished, timeout=10_000) as done:
        sign_in(qtbot, workspace, "officer")
    assert isinstance(done.args[0], SearchIndexFailed)
    assert upkeep.text == FAILED and not upkeep.running
    assert len(told) == 1 and "damaged" in told[0] and StoreCorrupt.advice in told[0]
    assert not [w for w in QApplication.topLevelWidgets()
                if isinstance(w, QDialog) and w.isVisible()]
