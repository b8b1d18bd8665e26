"""Key custody: the recovery passphrase path, re-wrap, v1 primitives, a keyring that is not
there, and files that are not stores. (Key slots and sign-in: test_keyslots.py.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from alpr_desktop.core.audit_log import LogEvent
from alpr_desktop.security import keys, keyslots
from alpr_desktop.security import workstation_secret as ws
from alpr_desktop.services import stores
from alpr_desktop.storage import NotAStore, WrongKey, open_store
from alpr_desktop.storage.access_log import AccessLogRepo

PASS = "correct horse battery staple"


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keys, "DEFAULT_KDF", keys.KdfParams(n=2**12))


def _events(store) -> list[str]:
    return [e.event for e in AccessLogRepo(store).entries()]


def test_production_kdf_is_slow_enough() -> None:
    assert keys.KdfParams().n >= 2**17


def test_wrap_and_unwrap_round_trip() -> None:
    k = keys.new_data_key()
    kf = keys.wrap_key(k, PASS, "store-1")
    assert keys.unwrap_key(kf, PASS) == k
    assert k not in kf.ciphertext
    with pytest.raises(keys.WrongPassphrase):
        keys.unwrap_key(kf, PASS + "x")


def test_key_file_is_bound_to_its_store_id() -> None:
    kf = keys.wrap_key(keys.new_data_key(), PASS, "store-1")
    moved = keys.KeyFile("store-2", kf.kdf, kf.salt, kf.nonce, kf.ciphertext)
    with pytest.raises(keys.WrongPassphrase):
        keys.unwrap_key(moved, PASS)


def test_create_writes_key_file_and_workstation_secret(tmp_path: Path, memory_keyring) -> None:
    path = tmp_path / "a.alprdb"
    with stores.create_new_store(path, PASS) as s:
        sid = s.store_id
        key = s.data_key()
        assert _events(s) == ["store.created"]
    kf_path = keys.keyfile_path(path)
    text = kf_path.read_text()
    data = json.loads(text)
    assert data["store_id"] == sid and data["cipher"] == "AES-256-GCM" and data["version"] == 2
    assert kf_path.stat().st_mode & 0o077 == 0
    # The keyring holds the workstation secret only, never the data key.
    assert list(memory_keyring.secrets) == [(keys.KEYRING_SERVICE, ws.account_name(sid))]
    stored = memory_keyring.secrets[(keys.KEYRING_SERVICE, ws.account_name(sid))]
    assert bytes.fromhex(stored) != key
    # The key file never holds the plaintext key or the secret, in any encoding.
    for secret in (key.hex(), stored):
        assert secret not in text and secret.upper() not in text


def test_weak_passphrase_refused_and_nothing_created(tmp_path: Path) -> None:
    path = tmp_path / "weak.alprdb"
    with pytest.raises(keys.WeakPassphrase):
        stores.create_new_store(path, "short")
    assert list(tmp_path.iterdir()) == []


def test_recovery_passphrase_opens_and_is_logged(tmp_path: Path, memory_keyring) -> None:
    path = tmp_path / "a.alprdb"
    stores.create_new_store(path, PASS).close()
    with pytest.raises(keys.WrongPassphrase):
        stores.recover_store(path, "not the passphrase")
    with stores.recover_store(path, PASS) as s:
        assert "store.unlocked_with_passphrase" in _events(s)


def test_create_without_keyring_opens_only_with_the_passphrase(tmp_path: Path,
                                                               memory_keyring) -> None:
    memory_keyring.locked = True
    path = tmp_path / "nokr.alprdb"
    with stores.create_new_store(path, PASS) as s:
        assert AccessLogRepo(s).entries()[0].detail["workstation_secret"] is False
    assert json.loads(keys.keyfile_path(path).read_text())["secret_check"] is None
    assert memory_keyring.secrets == {}  # never a plaintext fallback anywhere
    with stores.recover_store(path, PASS) as s:  # for this session only
        assert s.store_id


def test_broken_keyring_backend_is_a_normal_path(tmp_path: Path, monkeypatch) -> None:
    from alpr_desktop.services import signin

    path = tmp_path / "a.alprdb"
    stores.create_new_store(path, PASS).close()

    def boom(*a, **k):
        raise RuntimeError("no D-Bus session")

    monkeypatch.setattr(keys.keyring, "get_password", boom)
    assert signin.inspect(path).door is signin.Door.RECOVERY
    with pytest.raises(stores.RecoveryRequired, match="no usable keyring"):
        signin.sign_in(path, "anyone", "any password at all")
    stores.recover_store(path, PASS).close()


def test_change_passphrase_rewraps_without_reencrypting(tmp_path: Path, memory_keyring) -> None:
    path = tmp_path / "a.alprdb"
    new = "a different recovery phrase"
    with stores.create_new_store(path, PASS) as s:
        AccessLogRepo(s).append(LogEvent("x", "ok", "u"), 1)
        s.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = path.read_bytes()
    slots_before = keyslots.read_any(path).slots
    with stores.recover_store(path, PASS) as s:
        stores.change_recovery_passphrase(s, new)
        assert "store.passphrase_changed" in _events(s)
    assert keyslots.read_any(path).slots == slots_before  # account slots untouched
    memory_keyring.locked = True
    with pytest.raises(keys.WrongPassphrase):
        stores.recover_store(path, PASS)
    with stores.recover_store(path, new) as s:
        s.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    # Only the log pages changed: the store's salt (first 16 bytes) is the same, so the data
    # were not re-encrypted under a new key.
    assert path.read_bytes()[:16] == before[:16]


def test_missing_or_damaged_key_file(tmp_path: Path) -> None:
    path = tmp_path / "a.alprdb"
    stores.create_new_store(path, PASS).close()
    kf = keys.keyfile_path(path)
    kf.write_text("{not json")
    with pytest.raises(keys.KeyFileError, match="damaged"):
        stores.recover_store(path, PASS)
    kf.unlink()
    with pytest.raises(keys.KeyFileError, match="missing"):
        stores.recover_store(path, PASS)


def test_hostile_kdf_parameters_refused(tmp_path: Path) -> None:
    kf = keys.wrap_key(keys.new_data_key(), PASS, "s")
    hostile = keys.KeyFile("s", keys.KdfParams(n=2**30), kf.salt, kf.nonce, kf.ciphertext)
    with pytest.raises(keys.KeyFileError):
        keys.unwrap_key(hostile, PASS)


def test_unlock_missing_store(tmp_path: Path) -> None:
    with pytest.raises(NotAStore):
        stores.recover_store(tmp_path / "nope.alprdb", PASS)


def test_other_stores_key_is_wrong_key(tmp_path: Path) -> None:
    a, b = tmp_path / "a.alprdb", tmp_path / "b.alprdb"
    stores.create_new_store(a, PASS).close()
    with stores.create_new_store(b, PASS) as sb:
        key_b = sb.data_key()
    with pytest.raises(WrongKey):
        open_store(a, key_b)


def test_foreign_file_without_key_file_is_not_a_store(tmp_path: Path) -> None:
    text = tmp_path / "notes.alprdb"
    text.write_text("just some notes\n")
    with pytest.raises(NotAStore):
        stores.recover_store(text, PASS)
    empty = tmp_path / "empty.alprdb"
    empty.write_bytes(b"")
    with pytest.raises(NotAStore):
        stores.recover_store(empty, PASS)
