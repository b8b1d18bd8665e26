"""Key custody primitives: the random data key, scrypt parameters, the recovery passphrase
rules, and the v1 key file (before the upgrade to key slots, security/keyslots.py).

A v1 key file holds the data key wrapped with AES-256-GCM under scrypt(recovery passphrase).
v1 also kept the raw data key in the OS keyring, which let any program of the same OS user open
the store; that is gone. The keyring functions below only READ and DELETE such a raw key, for
the upgrade (services/signin.py), which deletes it at once. Nothing writes one any more.
"""

from __future__ import annotations

import base64
import json
import secrets
from dataclasses import dataclass
from pathlib import Path

import keyring
import keyring.errors
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from alpr_desktop.security import passphrase_strength
from alpr_desktop.security.atomic_file import atomic_write

KEYRING_SERVICE = "alpr-desktop"
KEYFILE_FORMAT = "alpr-desktop-keyfile"
KEYFILE_VERSION = 1
DATA_KEY_BYTES = 32
MIN_PASSPHRASE_LEN = 12


@dataclass(frozen=True)
class KdfParams:
    n: int = 2**17
    r: int = 8
    p: int = 1


DEFAULT_KDF = KdfParams()
# The weakest derivation a key file may ask for: below it a copied key file is too cheap to
# guess against offline (scrypt n 2**15, r 8 is 32 MiB and tens of milliseconds per guess).
KDF_FLOOR = KdfParams(n=2**15, r=8, p=1)


def below_floor(kdf: KdfParams) -> bool:
    return kdf.n < KDF_FLOOR.n or kdf.r < KDF_FLOOR.r or kdf.p < KDF_FLOOR.p


def check_floor(params: KdfParams) -> KdfParams:
    """``params`` when at or above the floor; a key file rewritten with a cheap derivation
    would make guessing its passphrase from a copy cheap, so it is refused."""
    if below_floor(params):
        raise KeyFileError(
            "The key file's key derivation is weaker than this program accepts "
            f"(scrypt n={params.n}, r={params.r}; at least n={KDF_FLOOR.n}, "
            f"r={KDF_FLOOR.r}): it may have been tampered with. Restore the key file "
            "from a backup."
        )
    return params


class KeyCustodyError(Exception):
    """Base of key-custody failures; ``str()`` is a sentence for the user."""


class WrongPassphrase(KeyCustodyError):
    pass


class KeyFileError(KeyCustodyError):
    pass


class WeakPassphrase(KeyCustodyError):
    pass


@dataclass(frozen=True)
class KeyFile:
    store_id: str
    kdf: KdfParams
    salt: bytes
    nonce: bytes
    ciphertext: bytes

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": KEYFILE_FORMAT,
                "version": KEYFILE_VERSION,
                "store_id": self.store_id,
                "kdf": {"name": "scrypt", "n": self.kdf.n, "r": self.kdf.r, "p": self.kdf.p},
                "salt": _b64(self.salt),
                "cipher": "AES-256-GCM",
                "nonce": _b64(self.nonce),
                "wrapped_key": _b64(self.ciphertext),
            },
            indent=2,
        )

    @classmethod
    def from_json(cls, text: str) -> KeyFile:
        try:
            d = json.loads(text)
            if d.get("format") != KEYFILE_FORMAT or d.get("version") != KEYFILE_VERSION:
                raise KeyFileError("The key file is not an ALPR store key file.")
            kdf = d["kdf"]
            if kdf.get("name") != "scrypt":
                raise KeyFileError("The key file uses an unknown key derivation.")
            params = check_floor(KdfParams(int(kdf["n"]), int(kdf["r"]), int(kdf["p"])))
            return cls(
                store_id=str(d["store_id"]),
                kdf=params,
                salt=base64.b64decode(d["salt"], validate=True),
                nonce=base64.b64decode(d["nonce"], validate=True),
                ciphertext=base64.b64decode(d["wrapped_key"], validate=True),
            )
        except KeyFileError:
            raise
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise KeyFileError("The key file is damaged and cannot be read.") from exc


def _b64(b: bytes) -> str:
    return base64.b64encode(b).decode("ascii")


def _aad(store_id: str) -> bytes:
    return f"{KEYFILE_FORMAT}-v{KEYFILE_VERSION}:{store_id}".encode()


def _derive(passphrase: str, salt: bytes, kdf: KdfParams) -> bytes:
    if kdf.n > 2**20 or kdf.r > 32 or kdf.p > 16:
        raise KeyFileError("The key file asks for an unreasonable key derivation.")
    return Scrypt(salt=salt, length=32, n=kdf.n, r=kdf.r, p=kdf.p).derive(
        passphrase.encode("utf-8")
    )


def new_data_key() -> bytes:
    return secrets.token_bytes(DATA_KEY_BYTES)


def check_passphrase(passphrase: str) -> None:
    """Refuse a recovery passphrase that is short, common, repetitive or easy to guess."""
    passphrase_strength.enforce(passphrase, WeakPassphrase)


def wrap_key(
    data_key: bytes, passphrase: str, store_id: str, kdf: KdfParams | None = None
) -> KeyFile:
    kdf = kdf or DEFAULT_KDF
    salt = secrets.token_bytes(16)
    nonce = secrets.token_bytes(12)
    kek = _derive(passphrase, salt, kdf)
    ct = AESGCM(kek).encrypt(nonce, data_key, _aad(store_id))
    return KeyFile(store_id, kdf, salt, nonce, ct)


def unwrap_key(kf: KeyFile, passphrase: str) -> bytes:
    kek = _derive(passphrase, kf.salt, kf.kdf)
    try:
        key = AESGCM(kek).decrypt(kf.nonce, kf.ciphertext, _aad(kf.store_id))
    except InvalidTag:
        raise WrongPassphrase("The recovery passphrase is not correct.") from None
    if len(key) != DATA_KEY_BYTES:
        raise KeyFileError("The key file holds a key of the wrong size.")
    return key


def keyfile_path(store_path: Path | str) -> Path:
    return Path(f"{store_path}.key")


def write_keyfile(store_path: Path | str, kf: KeyFile) -> Path:
    """Write atomically (temp file, fsync, rename) with owner-only permissions."""
    target = keyfile_path(store_path)
    atomic_write(target, kf.to_json())
    return target


def read_keyfile(store_path: Path | str) -> KeyFile:
    path = keyfile_path(store_path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KeyFileError(
            f"The key file {path.name} is missing beside the store; it is needed to unlock "
            "with the recovery passphrase."
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyFileError(f"The key file {path.name} cannot be read.") from exc
    return KeyFile.from_json(text)


# -- OS keyring ----------------------------------------------------------------------------
def _account(store_id: str) -> str:
    return f"store:{store_id}"


def keyring_get(store_id: str) -> bytes | None:
    """A v1 raw data key left in the OS keyring, or None (absent, locked or unavailable)."""
    try:
        value = keyring.get_password(KEYRING_SERVICE, _account(store_id))
    except (keyring.errors.KeyringError, RuntimeError, OSError):
        return None
    if not value:
        return None
    try:
        key = bytes.fromhex(value)
    except ValueError:
        return None
    return key if len(key) == DATA_KEY_BYTES else None


def keyring_forget(store_id: str) -> None:
    try:
        keyring.delete_password(KEYRING_SERVICE, _account(store_id))
    except (keyring.errors.KeyringError, RuntimeError, OSError):
        pass
