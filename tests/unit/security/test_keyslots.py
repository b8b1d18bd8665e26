"""Key slots against the attacks of issue 10 §1: a same-user program holding the keyring, a
stolen store and key file with a password, slots moved between names or stores, an old key file
restored, and the upgrade of a v1 store. Signing in is unlocking (services/signin.py).

On the code before key slots each of the first two attacks opened the store: the keyring held
the raw data key (``store:<id>``), which open_store accepted with no password at all.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import keyring
import pytest

from alpr_desktop.core.access_errors import BadCredentials
from alpr_desktop.core.clock import FixedClock
from alpr_desktop.security import keys, keyslots, passwords
from alpr_desktop.security import workstation_secret as ws
from alpr_desktop.services import signin, stores
from alpr_desktop.services.auth import AuthService
from alpr_desktop.services.first_accounts import FirstAccount
from alpr_desktop.services.keyslots import accounts_needing_reset
from alpr_desktop.storage import StoreError, create_store, open_store
from alpr_desktop.storage.access_log import AccessLogRepo
from alpr_desktop.storage.accounts import AccountRepo

PASS = "correct horse battery staple"
ADMIN, ADMIN_PW = "root", "Harbor-Lights-88x!"


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests lower the cost through the parameter; test_default_cost pins the real one."""
    monkeypatch.setattr(keys, "DEFAULT_KDF", keys.KdfParams(n=2**10))
    monkeypatch.setattr(passwords, "ITERATIONS", 1_000)


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    path = tmp_path / "case.alprdb"
    with stores.create_new_store(path, PASS) as store:
        AuthService(store, FixedClock()).create_first_accounts(
            FirstAccount(ADMIN, "Robin Root", "City IT", ADMIN_PW),
            FirstAccount("custodian1", "Casey Records", "City of Carson", "Ledger-Harbor-Quill-82"))
    return path


def _events(store) -> list[str]:
    return [e.event for e in AccessLogRepo(store).entries(limit=10_000)]


def _every_keyring_value(memory_keyring) -> list[bytes]:
    out = []
    for value in memory_keyring.secrets.values():
        try:
            out.append(bytes.fromhex(value))
        except ValueError:
            out.append(value.encode())
    return out


def test_default_cost_is_a_slow_standard_one() -> None:
    """scrypt N=2^17, r=8, p=1 (OWASP's minimum; 128 MiB per guess) unless a test lowers it."""
    assert keys.KdfParams() == keys.KdfParams(n=2**17, r=8, p=1)


def test_sign_in_opens_the_store_and_starts_the_session(store_path: Path) -> None:
    opened = signin.sign_in(store_path, "ROOT ", ADMIN_PW)  # names are case-folded
    try:
        assert opened.session.username == ADMIN
        assert _events(opened.store)[-1] == "signin.ok"
    finally:
        opened.store.close()


def test_keyring_alone_opens_nothing(store_path: Path, memory_keyring) -> None:
    """A same-user program reads everything in the keyring and the key file, but has no
    password: no keyring value is a data key, and no slot opens without a password."""
    values = _every_keyring_value(memory_keyring)
    assert values  # the workstation secret is there
    for value in values:
        for candidate in (value, value[:32]):
            with pytest.raises(StoreError):
                open_store(store_path, candidate).close()
    kf = keyslots.read_any(store_path)
    assert isinstance(kf, keyslots.KeyFileV2) and len(kf.slots) == 2  # admin, custodian
    for secret in values:
        for guess in ("", ADMIN, secret.hex()):
            with pytest.raises(keyslots.WrongPassword):
                kf.unwrap_slot(secret, ADMIN, guess)
    # and the program itself asks for a password it does not have
    with pytest.raises(BadCredentials):
        signin.sign_in(store_path, ADMIN, "")


def test_stolen_files_and_the_password_open_nothing_without_the_secret(
    store_path: Path, tmp_path: Path, memory_keyring
) -> None:
    """The store and key file copied to another machine, the admin's password known: without
    this workstation's secret no slot opens, and sign-in only offers the recovery passphrase."""
    elsewhere = tmp_path / "stolen"
    elsewhere.mkdir()
    for src in (store_path, keys.keyfile_path(store_path)):
        shutil.copy2(src, elsewhere / src.name)
    copy = elsewhere / store_path.name
    memory_keyring.secrets.clear()  # the thief's keyring
    with pytest.raises(stores.RecoveryRequired):
        signin.sign_in(copy, ADMIN, ADMIN_PW)
    kf = keyslots.read_any(copy)
    for guess_secret in (bytes(32), keyslots.new_secret()):
        with pytest.raises(keyslots.WrongPassword):
            kf.unwrap_slot(guess_secret, ADMIN, ADMIN_PW)
    # A secret planted in the thief's keyring is not this store's: still nothing.
    ws.put(kf.store_id, keyslots.new_secret())
    with pytest.raises(stores.RecoveryRequired):
        signin.sign_in(copy, ADMIN, ADMIN_PW)


def test_key_file_lists_no_usernames_and_no_keys(store_path: Path, memory_keyring) -> None:
    text = keys.keyfile_path(store_path).read_text()
    assert ADMIN not in text
    opened = signin.sign_in(store_path, ADMIN, ADMIN_PW)
    key = opened.store.data_key()
    opened.store.close()
    assert key.hex() not in text
    for value in memory_keyring.secrets.values():
        assert value not in text


def test_a_slot_moved_to_another_name_or_store_does_not_open(store_path: Path) -> None:
    kf = keyslots.read_any(store_path)
    _state, secret = ws.get(kf.store_id)
    wrapped = kf.slots[keyslots.fingerprint(secret, ADMIN)]
    other_id = keyslots.fingerprint(secret, "mallory")
    moved = keyslots.KeyFileV2(kf.store_id, kf.recovery, kf.recovery_aad, kf.secret_check,
                               {other_id: wrapped})
    with pytest.raises(keyslots.WrongPassword):
        moved.unwrap_slot(secret, "mallory", ADMIN_PW)
    other_store = keyslots.KeyFileV2("another-store", kf.recovery, kf.recovery_aad,
                                     kf.secret_check, kf.slots)
    with pytest.raises(keyslots.WrongPassword):
        other_store.unwrap_slot(secret, ADMIN, ADMIN_PW)


def test_an_old_key_file_restored_does_not_bring_back_an_old_password(
    store_path: Path, tmp_path: Path
) -> None:
    old_copy = tmp_path / "old.key"
    shutil.copy2(keys.keyfile_path(store_path), old_copy)
    opened = signin.sign_in(store_path, ADMIN, ADMIN_PW)
    auth = AuthService(opened.store)
    auth.change_password(opened.session, ADMIN_PW, "Quiet-Orchard-42-Lamp")
    auth.sign_out(opened.session)
    opened.store.close()
    shutil.copy2(old_copy, keys.keyfile_path(store_path))  # the old slot is back in the file
    with pytest.raises(BadCredentials):
        signin.sign_in(store_path, ADMIN, ADMIN_PW)
    with stores.recover_store(store_path, PASS) as store:
        failed = [e for e in AccessLogRepo(store).entries(limit=1000)
                  if e.event == "signin.failed"]
        assert failed[-1].detail["reason"] == "stale_key_slot"


def _v1_store(tmp_path: Path) -> tuple[Path, str]:
    """A store as the program before key slots left it: v1 key file, raw key in the keyring,
    two accounts."""
    path = tmp_path / "old.alprdb"
    data_key = keys.new_data_key()
    with create_store(path, data_key) as store:
        repo = AccountRepo(store)
        from alpr_desktop.core.accounts import Account
        from alpr_desktop.core.roles import Role

        repo.add(Account(None, ADMIN, "Robin Root", "City IT", roles=frozenset({Role.ADMIN})),
                 passwords.hash_password(ADMIN_PW), 0)
        repo.add(Account(None, "keeper", "Kim Keeper", "City", roles=frozenset({Role.CUSTODIAN})),
                 passwords.hash_password("Civic-Ledger-Quill-27"), 0)
        store_id = store.store_id
    keys.write_keyfile(path, keys.wrap_key(data_key, PASS, store_id))
    keyring.set_password(keys.KEYRING_SERVICE, f"store:{store_id}", data_key.hex())
    return path, store_id


def test_first_sign_in_upgrades_a_v1_store(tmp_path: Path, memory_keyring) -> None:
    path, store_id = _v1_store(tmp_path)
    assert signin.inspect(path).door is signin.Door.UPGRADE
    with pytest.raises(BadCredentials):  # a wrong password upgrades nothing
        signin.sign_in(path, ADMIN, "not the password")
    assert json.loads(keys.keyfile_path(path).read_text())["version"] == 1
    opened = signin.sign_in(path, ADMIN, ADMIN_PW)
    try:
        events = _events(opened.store)
        assert "keyslots.upgraded" in events and "keyslot.written" in events
        upgraded = next(e for e in AccessLogRepo(opened.store).entries(limit=100)
                        if e.event == "keyslots.upgraded")
        assert upgraded.detail["raw_key_deleted_from_keyring"] is True
        # keeper has no slot yet: listed for the admin, until a reset writes one
        assert accounts_needing_reset(opened.store) == ["keeper"]
    finally:
        opened.store.close()
    assert keys.keyring_get(store_id) is None  # the raw key is gone at once
    assert (keys.KEYRING_SERVICE, f"store:{store_id}") not in memory_keyring.secrets
    kf = keyslots.read_any(path)
    assert isinstance(kf, keyslots.KeyFileV2) and len(kf.slots) == 1
    assert signin.inspect(path).door is signin.Door.SIGN_IN
    signin.sign_in(path, ADMIN, ADMIN_PW).store.close()  # now through the slot
    with pytest.raises(BadCredentials):
        signin.sign_in(path, "keeper", "Civic-Ledger-Quill-27")
    # The recovery passphrase of the v1 file still opens it (its wrapping was kept).
    stores.recover_store(path, PASS).close()


def test_v1_store_without_its_keyring_key_is_upgraded_by_recovery(tmp_path: Path,
                                                                  memory_keyring) -> None:
    path, _store_id = _v1_store(tmp_path)
    memory_keyring.secrets.clear()
    assert signin.inspect(path).door is signin.Door.RECOVERY
    with pytest.raises(stores.RecoveryRequired):
        signin.sign_in(path, ADMIN, ADMIN_PW)
    opened = signin.sign_in_or_recover(path, ADMIN, ADMIN_PW, lambda _why: PASS)
    opened.store.close()
    assert len(keyslots.read_any(path).slots) == 1  # root signed in: root's slot was written
    signin.sign_in(path, ADMIN, ADMIN_PW).store.close()


def test_recovery_elsewhere_rebinds_and_each_user_gets_a_slot_at_sign_in(
    store_path: Path, memory_keyring
) -> None:
    memory_keyring.secrets.clear()  # another machine
    with stores.recover_store(store_path, PASS) as store:
        assert "keyslots.rebound" in _events(store)
        assert keyslots.read_any(store_path).slots == {}
        assert accounts_needing_reset(store) == ["custodian1", ADMIN]
        session = AuthService(store).sign_in(ADMIN, ADMIN_PW)  # against the stored hash
        assert accounts_needing_reset(store) == ["custodian1"]
        AuthService(store).sign_out(session)
    signin.sign_in(store_path, ADMIN, ADMIN_PW).store.close()  # the new slot opens it
