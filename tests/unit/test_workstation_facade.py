"""services.workstation: what the GUI holds instead of a store (issue 11). Without Qt."""

from __future__ import annotations

import threading

import pytest
from access_helpers import World

from alpr_desktop.core.clock import FixedClock
from alpr_desktop.core.errors import Cancelled
from alpr_desktop.services import sessions, workstation
from alpr_desktop.services.cancellation import QueryInterrupt
from alpr_desktop.services.workstation import DedicatedServices, OpenStore
from alpr_desktop.storage import Store
from alpr_desktop.storage.access_log import AccessLogRepo
from alpr_desktop.storage.errors import StoreError


def test_the_handle_describes_the_store_once_and_opens_connections_of_their_own(
        store: Store, clock: FixedClock) -> None:
    handle = OpenStore.adopt(store)
    assert handle.store_id == store.store_id and handle.path == store.path
    assert handle.description.needs_first_admin  # an empty store has no accounts yet
    with workstation.services_for(handle, clock) as services:
        assert services.audit is not None and services.imports is not None
        assert services._store is not store and services._store.conn is not store.conn
    with pytest.raises(StoreError):  # closed with the block
        services._store.query("SELECT 1")


def test_dedicated_services_keep_one_connection_until_closed(store: Store,
                                                            clock: FixedClock) -> None:
    dedicated = DedicatedServices(OpenStore.adopt(store), clock)
    first = dedicated.call(lambda s: s)
    assert dedicated.call(lambda s: s) is first  # the same services, remembered
    dedicated.close()
    with pytest.raises(Cancelled):
        dedicated.call(lambda s: s)


def test_lock_in_memory_at_once_then_one_log_entry(store: Store, clock: FixedClock,
                                                   world: World) -> None:
    session = world.sign_in("officer")
    handle = OpenStore.adopt(store)
    assert workstation.lock_now(handle, session) is True
    assert workstation.lock_now(handle, session) is False  # a second lock logs nothing
    st = sessions.REGISTRY.live(handle.store_id, session)
    assert st is not None and st.locked  # the gate refuses it before anything is written
    with workstation.services_for(handle, clock) as services:
        workstation.log_locked(services, session, "manual")
    locked = [e for e in AccessLogRepo(store).entries(limit=50) if e.event == "session.locked"]
    assert [e.detail["reason"] for e in locked] == ["manual"]


def test_an_interrupt_before_the_query_attaches_stops_it_at_once(store: Store,
                                                                 clock: FixedClock) -> None:
    stop = QueryInterrupt()
    stop.interrupt()  # the user searched again before the worker started
    services = OpenStore.adopt(store).services(clock)
    errors: list[BaseException] = []
    ready = threading.Event()

    def worker() -> None:
        stop.attach(services)  # fires now: the next statement is interrupted
        ready.set()
        try:
            services._store.query("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
                                  "FROM n WHERE i < 1000000000) SELECT count(*) FROM n")
        except StoreError as exc:
            errors.append(exc)

    t = threading.Thread(target=worker)
    t.start()
    assert ready.wait(10)
    while t.is_alive():  # sqlite3_interrupt before a statement starts may be a no-op
        stop.interrupt()
        t.join(0.025)
    services.close()
    assert stop.interrupted and errors and "interrupt" in str(errors[0])


def test_a_write_queued_before_the_close_still_happens(store: Store, clock: FixedClock) -> None:
    """The sign-out's log entry can reach the sign-in connection after the window closed it;
    it runs on a connection of its own instead of being lost (a log entry must not be)."""
    dedicated = DedicatedServices(OpenStore.adopt(store), clock, run_after_close=True)
    dedicated.call(lambda s: s)
    dedicated.close()
    seen = dedicated.call(lambda s: s._store.query_one("SELECT count(*) FROM access_log"))
    assert seen is not None
