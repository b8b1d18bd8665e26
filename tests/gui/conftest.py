"""Fixtures shared by the GUI tests: a store with one account per role, fast password hashing,
a fixed clock, a session controller and the workspace."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from gui_access import PASSWORDS, PEOPLE, T_DEC, QueryThreads

from alpr_desktop.core.clock import FixedClock
from alpr_desktop.core.models import Camera, NewRead
from alpr_desktop.gui.session_controller import SessionController
from alpr_desktop.gui.views.workspace import Workspace
from alpr_desktop.security import keys, passwords
from alpr_desktop.services.workstation import OpenStore, ServiceSet
from alpr_desktop.storage import Store, create_store
from alpr_desktop.storage.accounts import AccountRepo
from alpr_desktop.storage.reads import CameraRepo, ReadRepo


@pytest.fixture(autouse=True)
def gui_thread_queries(monkeypatch: pytest.MonkeyPatch) -> Iterator[QueryThreads]:
    """Every GUI test fails if a statement runs on the GUI thread through the services: each
    connection the GUI can reach is made by ServiceSet.on, which gets a statement trace here."""
    seen = QueryThreads()
    original = ServiceSet.on.__func__  # type: ignore[attr-defined]

    def traced(cls: type[ServiceSet], store: Store, clock: object) -> ServiceSet:
        store.conn.set_trace_callback(seen.trace)
        return original(cls, store, clock)

    monkeypatch.setattr(ServiceSet, "on", classmethod(traced))
    yield seen
    assert seen.on_gui_thread == [], "queries on the GUI thread: " + "; ".join(
        seen.on_gui_thread[:5])


@pytest.fixture
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "ITERATIONS", 1_000)
    monkeypatch.setattr(keys, "DEFAULT_KDF", keys.KdfParams(n=2**12))


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "gui.alprdb"


@pytest.fixture
def store_key() -> bytes:
    return os.urandom(32)


@pytest.fixture
def empty_store(fast_hashing: None, store_path: Path, store_key: bytes) -> Iterator[Store]:
    s = create_store(store_path, store_key)
    yield s
    s.close()


@pytest.fixture
def store(empty_store: Store, clock: FixedClock) -> Store:
    """A store with root (admin), officer (analyst), keeper (custodian), vendor (contractor)
    and three reads of 7ABC123."""
    repo = AccountRepo(empty_store)
    with empty_store.transaction():
        for person in PEOPLE:
            repo.add(person, passwords.hash_password(PASSWORDS[person.username]), clock.now_ms())
        cam = CameraRepo(empty_store).add(Camera(None, "Avalon & 223rd NB", "Carson"))
        ReadRepo(empty_store).insert_many(
            [NewRead("7ABC123", T_DEC + i * 3600, cam, state="CA", make="Honda",
                     confidence=0.91) for i in range(3)]
            + [NewRead("8XYZ999", T_DEC, cam)]
        )
    return empty_store


@pytest.fixture
def controller(qtbot, store: Store, clock: FixedClock,
               gui_thread_queries: QueryThreads) -> Iterator[SessionController]:
    """The controller on a connection of its own, traced too: whatever the GUI thread did with
    the store it holds (today only closing it) would show in ``gui_thread_queries``."""
    own = store.reopen()
    handle = OpenStore.adopt(own)  # test set-up reads the identity here
    own.conn.set_trace_callback(gui_thread_queries.trace)
    c = SessionController(handle, clock)
    yield c
    c.shutdown()
    qtbot.waitUntil(lambda: not c.busy, timeout=5000)
    own.close()


@pytest.fixture
def workspace(qtbot, controller: SessionController) -> Workspace:
    w = Workspace(controller, store_label="gui.alprdb")
    qtbot.addWidget(w)
    w.resize(1000, 700)
    w.show()
    return w

