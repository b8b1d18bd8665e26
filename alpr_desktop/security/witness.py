"""The workstation's witness of each store's log: the highest (entry count, head hash) this
program has seen per store id, kept outside the store (issue 10 §2).

The file lives in the program's data directory (core.paths), owner-only, written atomically
(temp file, fsync, rename) and authenticated with HMAC-SHA256 under a per-workstation key kept
in the OS keyring, never in a store. Without a usable keyring the key falls back to an
owner-only file beside the witness, and the witness says so ("keyed": "file").

What it resists: a store file copied back from an older copy or cut short, by anyone, with or
without the store key, as long as this workstation's witness and keyring are intact; an edit
of the witness file by someone who cannot read the keyring (another account, a copied or
offline disk) - the MAC fails and that is reported; deletion of the file while the keyring
still holds its key - reported as missing. What it cannot resist: a program running as the
same OS user (it can read the keyring and rewrite the witness), the witness file itself put
back from an older copy together with the store, a rollback done before this workstation ever
saw the newer log, and anything on a workstation that never opened the store.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import keyring
import keyring.errors

from alpr_desktop.core import paths
from alpr_desktop.security.atomic_file import atomic_write

WITNESS_FORMAT = "alpr-desktop-log-witness"
WITNESS_VERSION = 1
WITNESS_NAME = "log-witness.json"
KEY_FILE_NAME = "log-witness.key"
KEYRING_SERVICE = "alpr-desktop"
KEYRING_NAME = "log-witness-key"
MAX_HISTORY = 50
_KEYRING_ERRORS = (keyring.errors.KeyringError, RuntimeError, OSError)


class FileState(StrEnum):
    READ = "read"  # present and authentic
    NONE = "none"  # never written on this workstation
    MISSING = "missing"  # written before (its key exists) but the file is gone
    ALTERED = "altered"  # present but its MAC (or its format) does not check out
    UNAVAILABLE = "unavailable"  # keyed by the keyring, which cannot be read now


@dataclass(frozen=True)
class Seen:
    count: int
    head: str
    seen_ms: int


@dataclass
class WitnessData:
    stores: dict[str, Seen] = field(default_factory=dict)
    history: list[dict[str, object]] = field(default_factory=list)


def witness_path() -> Path:
    return paths.data_dir() / WITNESS_NAME


def _key_file() -> Path:
    return paths.data_dir() / KEY_FILE_NAME


def _keyring_key(create: bool) -> bytes | None:
    """The key from the keyring (created when asked); None when absent or no keyring."""
    try:
        value = keyring.get_password(KEYRING_SERVICE, KEYRING_NAME)
        if value:
            return bytes.fromhex(value)
        if not create:
            return None
        key = secrets.token_bytes(32)
        keyring.set_password(KEYRING_SERVICE, KEYRING_NAME, key.hex())
        return key
    except (*_KEYRING_ERRORS, ValueError):
        return None


def _file_key(create: bool) -> bytes | None:
    path = _key_file()
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except FileNotFoundError:
        if not create:
            return None
    except (OSError, ValueError):
        return None
    key = secrets.token_bytes(32)
    _write_atomic(path, key.hex())
    return key


def _mac(key: bytes, body: dict[str, object]) -> str:
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, text)


def load() -> tuple[FileState, WitnessData]:
    """The witness as this workstation last wrote it, and whether it could be trusted."""
    path = witness_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        had_key = _keyring_key(create=False) is not None or _key_file().exists()
        return (FileState.MISSING if had_key else FileState.NONE), WitnessData()
    except (OSError, UnicodeDecodeError):
        return FileState.ALTERED, WitnessData()
    try:
        d = json.loads(text)
        mac = str(d.pop("mac"))
        if d.get("format") != WITNESS_FORMAT or d.get("version") != WITNESS_VERSION:
            return FileState.ALTERED, WitnessData()
        keyed = d.get("keyed")
        key = _keyring_key(create=False) if keyed == "keyring" else _file_key(create=False)
        if key is None:
            if keyed == "keyring":
                return FileState.UNAVAILABLE, WitnessData()
            return FileState.ALTERED, WitnessData()
        if not hmac.compare_digest(mac, _mac(key, d)):
            return FileState.ALTERED, WitnessData()
        stores = {sid: Seen(int(v["count"]), str(v["head"]), int(v["seen_ms"]))
                  for sid, v in d["stores"].items()}
        return FileState.READ, WitnessData(stores, list(d.get("history", [])))
    except (ValueError, KeyError, TypeError, AttributeError):
        return FileState.ALTERED, WitnessData()


def save(data: WitnessData) -> str:
    """Write the witness; returns how it is keyed ("keyring" or "file")."""
    key = _keyring_key(create=True)
    keyed = "keyring"
    if key is None:
        key, keyed = _file_key(create=True), "file"
    assert key is not None
    body: dict[str, object] = {
        "format": WITNESS_FORMAT, "version": WITNESS_VERSION, "keyed": keyed,
        "stores": {sid: {"count": s.count, "head": s.head, "seen_ms": s.seen_ms}
                   for sid, s in sorted(data.stores.items())},
        "history": data.history[-MAX_HISTORY:],
    }
    body["mac"] = _mac(key, body)
    _write_atomic(witness_path(), json.dumps(body, indent=1, sort_keys=True) + "\n")
    return keyed
