"""Fixtures shared by the unit tests that work in the access "world" (tests/unit/access, search
and images): a fresh store, a fixed clock, fast password hashing and one account per role."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "access"))

from access_helpers import PASSWORDS, World, add_account

from alpr_desktop.core.accounts import Account
from alpr_desktop.core.clock import FixedClock
from alpr_desktop.core.roles import Role
from alpr_desktop.security import passwords
from alpr_desktop.services.accounts import AccountService
from alpr_desktop.services.auth import AuthService
from alpr_desktop.services.permissions import PermissionService
from alpr_desktop.services.purposes import PurposeService
from alpr_desktop.storage import Store, create_store


@pytest.fixture
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """Most tests need correct hashing, not slow hashing (one test pins the real count).
    The access, search and image tests turn it on for every test in their conftest.py."""
    monkeypatch.setattr(passwords, "ITERATIONS", 1_000)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "s.alprdb"


@pytest.fixture
def store_key() -> bytes:
    return os.urandom(32)


@pytest.fixture
def store(store_path: Path, store_key: bytes) -> Iterator[Store]:
    s = create_store(store_path, store_key)
    yield s
    s.close()


@pytest.fixture
def world(store: Store, clock: FixedClock) -> World:
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
            add_account(store, clock, person, PASSWORDS[person.username])
    return World(
        store, clock, AuthService(store, clock), AccountService(store, clock),
        PurposeService(store, clock), PermissionService(store, clock),
    )


@pytest.fixture
def pending_counts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry per call of the postings' ``pending()`` from now on: before a first build it
    walks the window (about a second at 100M reads), so callers make it once (issue 20)."""
    from alpr_desktop.storage.read_grams import ReadGrams

    counts: list[int] = []
    real = ReadGrams.pending

    def counted(self: ReadGrams, now: float | None = None) -> int:
        counts.append(1)
        return real(self, now)

    monkeypatch.setattr(ReadGrams, "pending", counted)
    return counts
