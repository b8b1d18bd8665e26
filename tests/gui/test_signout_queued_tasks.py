"""Signing out while session work is queued or running must not leave a "gate.refused" entry
the user never caused (the sign-out witness test once saw one in CI under load: a task had its
context, the sign-out ended the session, the task's gate call was refused and logged; such
refusals would also count toward the oversight flags for refused attempts)."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThreadPool

from alpr_desktop.gui.session_controller import SessionController
from alpr_desktop.gui.views.workspace import Workspace
from alpr_desktop.gui.workers import run_task
from tests.gui.gui_access import log_events, sign_in


def test_tasks_queued_at_sign_out_are_not_refused_at_the_gate(
        qtbot, workspace: Workspace, controller: SessionController, store) -> None:
    sign_in(qtbot, workspace, "root")
    qtbot.waitUntil(lambda: not controller.busy, timeout=10_000)
    pool = QThreadPool.globalInstance()
    release = threading.Event()
    threads = pool.maxThreadCount()
    started: list[int] = []

    def block(i: int) -> None:
        started.append(i)
        release.wait(10)

    handles = [run_task(block, i, on_result=lambda _v: None, on_error=lambda _e: None)
               for i in range(threads)]
    try:
        qtbot.waitUntil(lambda: len(started) == threads, timeout=5000)
        seen: list[object] = []
        controller.run(lambda s, ctx: s.accounts.list_accounts(ctx), seen.append, seen.append)
        controller.sign_out()  # the load above still waits for a thread
    finally:
        release.set()
    qtbot.waitUntil(lambda: not controller.busy and not any(h.running for h in handles),
                    timeout=10_000)
    assert log_events(store, "signout")
    assert log_events(store, "gate.refused") == []


def test_a_task_running_at_sign_out_finishes_before_the_session_ends(
        qtbot, workspace: Workspace, controller: SessionController, store) -> None:
    """The race CI found: the task had its context, the sign-out ended the session, then the
    task's gate call was refused and logged. Sign-out now waits for it (briefly)."""
    sign_in(qtbot, workspace, "root")
    qtbot.waitUntil(lambda: not controller.busy, timeout=10_000)
    inside, release = threading.Event(), threading.Event()
    seen: list[object] = []

    def work(s, ctx):
        inside.set()
        release.wait(10)
        return s.accounts.list_accounts(ctx)

    controller.run(work, seen.append, seen.append)
    assert inside.wait(10)
    controller.sign_out()
    release.set()
    qtbot.waitUntil(lambda: not controller.busy, timeout=10_000)
    qtbot.waitUntil(lambda: bool(log_events(store, "signout")), timeout=10_000)
    assert log_events(store, "gate.refused") == []
    events = [e.event for e in log_events(store)]
    assert events.index("signout") == len(events) - 1  # nothing after it
