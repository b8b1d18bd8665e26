"""Every account change that touches a password writes, replaces or removes the account's key
slot, and each slot change is logged (issue 10 §1). Before key slots there were no slots: a
created account opened nothing, and a disabled one kept working wherever the keyring did."""

from __future__ import annotations

from pathlib import Path

import pytest

from alpr_desktop.core.access_errors import BadCredentials
from alpr_desktop.core.clock import FixedClock
from alpr_desktop.core.roles import Role
from alpr_desktop.security import keys, keyslots
from alpr_desktop.security import workstation_secret as ws
from alpr_desktop.services import signin, stores
from alpr_desktop.services.accounts import AccountService
from alpr_desktop.services.auth import AuthService
from alpr_desktop.services.first_accounts import FirstAccount
from alpr_desktop.services.keyslots import accounts_needing_reset
from alpr_desktop.storage.access_log import AccessLogRepo

PASS = "correct horse battery staple"
ADMIN, ADMIN_PW = "root", "Harbor-Lights-88x!"
KEEPER_PW, RESET_PW = "Civic-Ledger-Quill-27", "Temporary-Maple-Door-61"
NEW_PW = "Brass-Kettle-Owl-93"


@pytest.fixture(autouse=True)
def fast_slots(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keys, "DEFAULT_KDF", keys.KdfParams(n=2**10))


@pytest.fixture
def admin(tmp_path: Path):
    path = tmp_path / "s.alprdb"
    clock = FixedClock()
    with stores.create_new_store(path, PASS) as store:
        AuthService(store, clock).create_first_accounts(
            FirstAccount(ADMIN, "Robin Root", "City IT", ADMIN_PW),
            FirstAccount("custodian1", "Casey Records", "City of Carson", "Ledger-Harbor-Quill-82"))
    opened = signin.sign_in(path, ADMIN, ADMIN_PW, clock=clock)
    auth = AuthService(opened.store, clock)
    yield path, opened.store, AccountService(opened.store, clock), auth.context(opened.session)
    opened.store.close()


def _slot_ids(path: Path) -> set[str]:
    return set(keyslots.read_any(path).slots)


def _fp(path: Path, name: str) -> str:
    _state, secret = ws.get(keyslots.read_any(path).store_id)
    assert secret is not None
    return keyslots.fingerprint(secret, name)


def _slot_events(store) -> list[tuple[str, str, str]]:
    return [(e.event, e.detail.get("account", ""), e.detail.get("reason", ""))
            for e in AccessLogRepo(store).entries(limit=10_000) if e.event.startswith("keyslot")]


def _opens(path: Path, user: str, password: str) -> bool:
    try:
        signin.sign_in(path, user, password).store.close()
    except BadCredentials:
        return False
    return True


def _again(path: Path, store):
    """One session per workstation: the admin signs in again after a test sign-in."""
    opened = signin.sign_in(path, ADMIN, ADMIN_PW)
    opened.store.close()
    return AuthService(store).context(opened.session)


def test_first_admin_and_custodian_get_slots(admin) -> None:
    path, store, _svc, _ctx = admin
    assert _slot_ids(path) == {_fp(path, ADMIN), _fp(path, "custodian1")}
    assert _slot_events(store) == [("keyslot.written", ADMIN, "created"),
                                   ("keyslot.written", "custodian1", "created")]


def test_create_reset_change_disable_write_replace_and_remove_the_slot(admin) -> None:
    path, store, svc, ctx = admin
    svc.create_account(ctx, username="keeper", full_name="Kim Keeper", organization="City",
                       roles=frozenset({Role.CONTRACTOR}), initial_password=KEEPER_PW)
    assert _fp(path, "keeper") in _slot_ids(path)
    before = keyslots.read_any(path).slots[_fp(path, "keeper")]
    assert _opens(path, "keeper", KEEPER_PW)

    svc.reset_password(_again(path, store), "keeper", RESET_PW)
    assert keyslots.read_any(path).slots[_fp(path, "keeper")] != before
    assert not _opens(path, "keeper", KEEPER_PW)  # the old password opens nothing now
    opened = signin.sign_in(path, "keeper", RESET_PW)
    keeper_auth = AuthService(opened.store)
    keeper_auth.change_password(opened.session, RESET_PW, NEW_PW)
    keeper_auth.sign_out(opened.session)
    opened.store.close()
    assert not _opens(path, "keeper", RESET_PW) and _opens(path, "keeper", NEW_PW)

    ctx = _again(path, store)
    svc.set_active(ctx, "keeper", False)
    assert _fp(path, "keeper") not in _slot_ids(path)
    assert not _opens(path, "keeper", NEW_PW)
    assert _slot_events(store)[2:] == [  # after the first admin and custodian
        ("keyslot.written", "keeper", "created"),
        ("keyslot.replaced", "keeper", "reset"),
        ("keyslot.replaced", "keeper", "password_changed"),
        ("keyslot.removed", "keeper", "disabled"),
    ]
    # Re-enabled, the account has no slot: the admin sees it needs a reset, which writes one.
    ctx = _again(path, store)
    svc.set_active(ctx, "keeper", True)
    assert accounts_needing_reset(store) == ["keeper"]
    svc.reset_password(ctx, "keeper", RESET_PW)
    assert accounts_needing_reset(store) == [] and _opens(path, "keeper", RESET_PW)


def test_a_slot_is_not_written_where_there_is_no_workstation_secret(admin,
                                                                    memory_keyring) -> None:
    _path, store, svc, ctx = admin
    memory_keyring.locked = True
    svc.create_account(ctx, username="keeper", full_name="Kim Keeper", organization="City",
                       roles=frozenset({Role.CONTRACTOR}), initial_password=KEEPER_PW)
    assert ("keyslot.not_written", "keeper", "created") in _slot_events(store)
    assert accounts_needing_reset(store) == ["keeper"]
