"""Demo accounts: one per role, published passwords that pass the rules, demo stores only."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from alpr_desktop.core.clock import FixedClock
from alpr_desktop.core.roles import Role
from alpr_desktop.services.auth import AuthService
from alpr_desktop.services.demo_accounts import add_demo_accounts
from alpr_desktop.storage import Store, create_store


def test_demo_accounts_sign_in(tmp_path: Path) -> None:
    store = create_store(tmp_path / "d.alprdb", os.urandom(32), demo=True)
    try:
        made = add_demo_accounts(store, FixedClock())
        assert {r for _, _, roles in made for r in roles} == set(Role)
        auth = AuthService(store, FixedClock())
        for username, password, _ in made:
            assert not auth.sign_in(username, password).must_change_password
        assert add_demo_accounts(store, FixedClock()) == made  # idempotent
    finally:
        store.close()


def test_not_in_a_real_store(store: Store) -> None:
    with pytest.raises(ValueError):
        add_demo_accounts(store)
