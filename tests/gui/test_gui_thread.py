"""DESIGN rule 7: the GUI thread never runs a query or a write. The autouse fixture
``gui_thread_queries`` (conftest.py) traces every statement on each connection the GUI can
reach; these tests show that it sees a query on the GUI thread, and that the session's own
work (sign-in, idle checks, lock, unlock, sign-out), searching and the admin screens run
their statements on workers only."""

from __future__ import annotations

from gui_access import PASSWORDS, QueryThreads, declare, log_events, search, sign_in

from alpr_desktop.core.clock import FixedClock
from alpr_desktop.gui.session_controller import SessionController
from alpr_desktop.gui.views.workspace import ACCOUNTS, AUDIT, SECURITY, Workspace
from alpr_desktop.services.workstation import OpenStore


def test_the_guard_sees_a_query_on_the_gui_thread(gui_thread_queries: QueryThreads, store,
                                                   clock: FixedClock):
    services = OpenStore.adopt(store).services(clock)
    try:
        services.search.cameras()  # what a screen did when it built services itself
    finally:
        services.close()
    assert gui_thread_queries.on_gui_thread  # caught
    gui_thread_queries.on_gui_thread.clear()  # (so this test itself passes)


def test_session_work_runs_on_workers_only(qtbot, workspace: Workspace,
                                           controller: SessionController, store, clock,
                                           gui_thread_queries: QueryThreads):
    sign_in(qtbot, workspace, "officer")
    declare(qtbot, controller)
    search(qtbot, workspace)
    clock.advance(15 * 60)
    controller.idle_timer.timeout.emit()  # idle: locks on a worker
    qtbot.waitUntil(lambda: controller.is_locked)
    workspace.lockScreen.passwordEdit.setText(PASSWORDS["officer"])
    workspace.lockScreen.unlock()
    qtbot.waitUntil(lambda: not controller.is_locked, timeout=10_000)
    controller.lock()
    controller.sign_out()
    qtbot.waitUntil(lambda: not controller.busy, timeout=10_000)
    assert [e.detail["reason"] for e in log_events(store, "session.locked")] == [
        "idle", "manual"]
    assert log_events(store, "signout")
    assert gui_thread_queries.on_workers > 0 and gui_thread_queries.on_gui_thread == []


def test_admin_and_custodian_screens_query_on_workers_only(
        qtbot, workspace: Workspace, controller: SessionController,
        gui_thread_queries: QueryThreads):
    sign_in(qtbot, workspace, "root")  # builds and loads every screen of the role
    qtbot.waitUntil(lambda: not controller.busy, timeout=10_000)
    assert {ACCOUNTS, SECURITY} <= set(workspace.views)
    controller.sign_out()
    sign_in(qtbot, workspace, "keeper")
    qtbot.waitUntil(lambda: not controller.busy, timeout=10_000)
    assert AUDIT in workspace.views
    assert gui_thread_queries.on_workers > 0 and gui_thread_queries.on_gui_thread == []
