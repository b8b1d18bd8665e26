"""The storage contract suite: every test here runs once per storage backend through the
``backend`` fixture, against the protocols of storage/protocols.py (a unit of work and its
repositories), so a second backend passes or fails the same tests.

Backends today: ``sqlcipher`` (the embedded store). A test that must look behind the protocols
(raw SQL to damage a table, an EXPLAIN) is marked ``backend_specific("sqlcipher")`` and is
skipped on other backends, each of which brings its own."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit" / "access"))

from access_helpers import PASSWORDS, World, add_account

from alpr_desktop.core.accounts import Account
from alpr_desktop.core.clock import FixedClock
from alpr_desktop.core.roles import Role
from alpr_desktop.security import passwords
from alpr_desktop.services.accounts import AccountService
from alpr_desktop.services.auth import AuthService
from alpr_desktop.services.permissions import PermissionService
from alpr_desktop.services.purposes import PurposeService
from alpr_desktop.storage import create_store
from alpr_desktop.storage.unit_of_work import UnitOfWork

BACKENDS = ("sqlcipher",)


@dataclass
class Backend:
    """How a contract test gets a fresh, empty store of one backend."""

    name: str
    create: Callable[[], UnitOfWork]


def _sqlcipher(tmp_path: Path) -> Backend:
    def create() -> UnitOfWork:
        return create_store(tmp_path / f"contract-{os.urandom(4).hex()}.alprdb",
                            os.urandom(32))

    return Backend("sqlcipher", create)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    if request.param == "sqlcipher":
        return _sqlcipher(tmp_path)
    raise AssertionError(f"unknown backend {request.param}")


@pytest.fixture(autouse=True)
def _only_on_its_backend(request: pytest.FixtureRequest) -> None:
    mark = request.node.get_closest_marker("backend_specific")
    if mark is None:
        return
    name = request.getfixturevalue("backend").name
    if name not in mark.args:
        pytest.skip(f"looks behind the protocols of {', '.join(mark.args)} only")


@pytest.fixture
def store(backend: Backend) -> Iterator[UnitOfWork]:
    s = backend.create()
    yield s
    s.close()


@pytest.fixture
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "ITERATIONS", 1_000)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def world(store: UnitOfWork, clock: FixedClock) -> World:
    people = [
        Account(None, "root", "Robin Root", "City of Carson IT", roles=frozenset({Role.ADMIN})),
        Account(None, "officer", "Olivia Officer", "LASD Carson Station", badge_number="4471",
                sworn=True, roles=frozenset({Role.ANALYST})),
        Account(None, "keeper", "Kim Keeper", "City of Carson",
                roles=frozenset({Role.CUSTODIAN})),
        Account(None, "vendor", "Val Vendor", "Acme ALPR Services",
                roles=frozenset({Role.CONTRACTOR})),
    ]
    with store.transaction():
        for person in people:
            add_account(store, clock, person, PASSWORDS[person.username])  # type: ignore[arg-type]
    return World(
        store, clock, AuthService(store, clock), AccountService(store, clock),  # type: ignore[arg-type]
        PurposeService(store, clock), PermissionService(store, clock),
    )
