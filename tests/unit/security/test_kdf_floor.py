"""Key files whose KDF parameters are below the program's floor are refused when read
(issue 10 §3): a key file rewritten with a cheap scrypt would make offline guessing of the
recovery passphrase cheap. Before the floor, any n up to 2**20 was accepted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from alpr_desktop.security import keys, keyslots
from alpr_desktop.services import stores

PASS = "correct horse battery staple"
PRODUCTION_FLOOR = keys.KdfParams(n=2**15, r=8, p=1)


@pytest.fixture(autouse=True)
def production_floor(monkeypatch: pytest.MonkeyPatch) -> None:
    """The suite lowers the floor for speed (tests/conftest.py); these tests use the real one."""
    monkeypatch.setattr(keys, "KDF_FLOOR", PRODUCTION_FLOOR)


def test_floor_is_pinned_and_below_the_default() -> None:
    assert keys.KDF_FLOOR.n >= 2**15 and keys.KDF_FLOOR.r >= 8
    assert keys.DEFAULT_KDF.n >= keys.KDF_FLOOR.n


def _rewrite_kdf(path: Path, **params: int) -> None:
    """Cheapen the recovery slot's derivation, as an attacker with the file could."""
    kf = keys.keyfile_path(path)
    data = json.loads(kf.read_text())
    data["recovery"]["kdf"].update(params)
    kf.write_text(json.dumps(data))


@pytest.mark.parametrize("params", [{"n": 2**14}, {"n": 2**10}, {"r": 1}, {"p": 0}])
def test_key_file_below_the_floor_is_refused_when_read(
    tmp_path: Path, params: dict[str, int], memory_keyring
) -> None:
    path = tmp_path / "s.alprdb"
    stores.create_new_store(path, PASS, kdf=keys.KDF_FLOOR).close()
    _rewrite_kdf(path, **params)
    with pytest.raises(keys.KeyFileError, match="weaker than this program accepts"):
        keyslots.read_any(path)
    memory_keyring.locked = True  # the passphrase path reads the key file too
    with pytest.raises(keys.KeyFileError, match="Restore the key file"):
        stores.recover_store(path, PASS)


def test_key_file_at_the_floor_is_accepted(tmp_path: Path, memory_keyring) -> None:
    path = tmp_path / "s.alprdb"
    stores.create_new_store(path, PASS, kdf=keys.KDF_FLOOR).close()
    kf = keyslots.read_any(path)
    assert isinstance(kf, keyslots.KeyFileV2) and kf.recovery.kdf == keys.KDF_FLOOR
    memory_keyring.locked = True
    stores.recover_store(path, PASS).close()
