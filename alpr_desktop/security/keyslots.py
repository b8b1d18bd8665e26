"""Key file v2: the store's data key wrapped once under the recovery passphrase and once per
account (a key slot), so that signing in is unlocking.

An account slot's KEK is HKDF-SHA256 over scrypt(password, salt) || workstation secret, where
the 32-byte workstation secret stays in the OS keyring (security/workstation_secret.py). So the
key file and a password (a stolen copy) open nothing without the secret, and the secret alone
(same-user malware reading the keyring) opens nothing without a password. The recovery slot
needs only its passphrase: it is how a store moves to another machine.

A slot is named by a keyed fingerprint of the case-folded username (HMAC-SHA256 under a key
derived from the workstation secret), so the file does not list usernames. Each slot's AES-GCM
associated data binds the store id and the slot id: a slot copied under another name or into
another store's file does not decrypt. Everything is `cryptography`; nothing is home-made.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from alpr_desktop.security import keys
from alpr_desktop.security.atomic_file import atomic_write
from alpr_desktop.security.keys import KdfParams, KeyFileError

VERSION = 2
SECRET_BYTES = 32
_DUMMY_SALT = b"alpr-dummy-slot!"
_DUMMY_CT = bytes(48)


class WrongPassword(keys.KeyCustodyError):
    """No slot opened with this username and password (unknown names end here too)."""

    def __init__(self) -> None:
        super().__init__("Wrong username or password.")


def _b64(b: bytes) -> str:
    return base64.b64encode(b).decode("ascii")


def _unb64(text: object) -> bytes:
    return base64.b64decode(str(text), validate=True)


def _subkey(secret: bytes, purpose: str) -> bytes:
    """A key for one purpose derived from the workstation secret (domain separation)."""
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None,
        info=f"alpr-desktop workstation secret v2: {purpose}".encode(),
    ).derive(secret)


def normalize_username(username: str) -> str:
    return username.strip().casefold()


def fingerprint(secret: bytes, username: str) -> str:
    """The slot and lockout identifier of a username: HMAC-SHA256 of the case-folded name.
    Unknown names get one too, so they are counted and locked exactly like real ones."""
    mac = hmac.new(_subkey(secret, "account fingerprint"), digestmod=hashlib.sha256)
    mac.update(normalize_username(username).encode("utf-8"))
    return mac.hexdigest()


def secret_check(secret: bytes, store_id: str) -> str:
    """A value in the key file that tells whether a keyring's secret is this store's secret,
    without revealing anything about it."""
    return hmac.new(_subkey(secret, "check"), store_id.encode(), hashlib.sha256).hexdigest()


def record_mac_key(secret: bytes) -> bytes:
    return _subkey(secret, "sign-in record mac")


def new_secret() -> bytes:
    return secrets.token_bytes(SECRET_BYTES)


def scrypt(password: str, salt: bytes, kdf: KdfParams) -> bytes:
    """The slow step of every slot (and of the dummy slot): one call per sign-in attempt."""
    if kdf.n > 2**20 or kdf.r > 32 or kdf.p > 16 or kdf.n < 2:
        raise KeyFileError("The key file asks for an unreasonable key derivation.")
    return Scrypt(salt=salt, length=32, n=kdf.n, r=kdf.r, p=kdf.p).derive(
        password.encode("utf-8")
    )


def _slot_kek(stretched: bytes, secret: bytes, store_id: str, slot_id: str) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None,
        info=f"alpr-desktop slot kek v2|{store_id}|{slot_id}".encode(),
    ).derive(stretched + secret)


def _slot_aad(store_id: str, slot_id: str) -> bytes:
    return f"alpr-desktop-keyfile-v2:{store_id}:slot:{slot_id}".encode()


def _recovery_aad(store_id: str, aad_version: int) -> bytes:
    if aad_version == 1:  # carried over unchanged from a v1 key file
        return f"alpr-desktop-keyfile-v1:{store_id}".encode()
    return f"alpr-desktop-keyfile-v2:{store_id}:recovery".encode()


@dataclass(frozen=True)
class Wrapped:
    """One wrapped copy of the data key: scrypt parameters, salt, nonce, ciphertext."""

    kdf: KdfParams
    salt: bytes
    nonce: bytes
    ciphertext: bytes

    def tag(self) -> str:
        """Names this exact wrapping (it changes whenever the slot is rewritten)."""
        return hashlib.sha256(self.salt + self.nonce + self.ciphertext).hexdigest()[:32]

    def to_dict(self) -> dict[str, object]:
        return {
            "kdf": {"name": "scrypt", "n": self.kdf.n, "r": self.kdf.r, "p": self.kdf.p},
            "salt": _b64(self.salt), "nonce": _b64(self.nonce),
            "wrapped_key": _b64(self.ciphertext),
        }

    @classmethod
    def from_dict(cls, d: dict) -> Wrapped:
        kdf = d["kdf"]
        if kdf.get("name") != "scrypt":
            raise KeyFileError("The key file uses an unknown key derivation.")
        params = keys.check_floor(KdfParams(int(kdf["n"]), int(kdf["r"]), int(kdf["p"])))
        return cls(params,
                   _unb64(d["salt"]), _unb64(d["nonce"]), _unb64(d["wrapped_key"]))


@dataclass(frozen=True)
class KeyFileV2:
    store_id: str
    recovery: Wrapped
    recovery_aad: int = 2
    secret_check: str | None = None  # None: no workstation secret yet (no usable keyring)
    slots: dict[str, Wrapped] = field(default_factory=dict)

    # -- (de)serialization --------------------------------------------------------------
    def to_json(self) -> str:
        return json.dumps(
            {
                "format": keys.KEYFILE_FORMAT, "version": VERSION, "store_id": self.store_id,
                "cipher": "AES-256-GCM",
                "secret_check": self.secret_check,
                "recovery": {**self.recovery.to_dict(), "aad": self.recovery_aad},
                "slots": [{"id": sid, **w.to_dict()} for sid, w in sorted(self.slots.items())],
            },
            indent=2,
        )

    @classmethod
    def from_dict(cls, d: dict) -> KeyFileV2:
        try:
            rec = d["recovery"]
            slots = {}
            for s in d.get("slots", []):
                sid = str(s["id"])
                if len(sid) != 64 or any(c not in "0123456789abcdef" for c in sid):
                    raise KeyFileError("The key file has a damaged key slot.")
                slots[sid] = Wrapped.from_dict(s)
            check = d.get("secret_check")
            return cls(str(d["store_id"]), Wrapped.from_dict(rec), int(rec.get("aad", 2)),
                       str(check) if check else None, slots)
        except KeyFileError:
            raise
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise KeyFileError("The key file is damaged and cannot be read.") from exc

    # -- queries ------------------------------------------------------------------------
    def matches(self, secret: bytes) -> bool:
        return self.secret_check is not None and hmac.compare_digest(
            self.secret_check, secret_check(secret, self.store_id)
        )

    def slot_kdf(self) -> KdfParams:
        """The cost an attempt pays: the first slot's, else the default (dummy slots too)."""
        for w in self.slots.values():
            return w.kdf
        return keys.DEFAULT_KDF

    # -- unwrapping ---------------------------------------------------------------------
    def unwrap_slot(self, secret: bytes, username: str, password: str) -> tuple[bytes, str]:
        """The data key and the slot's tag; WrongPassword otherwise. A name with no slot runs
        the same scrypt, HKDF and AES-GCM work against a dummy slot, then fails the same way."""
        slot_id = fingerprint(secret, username)
        wrapped = self.slots.get(slot_id)
        if wrapped is None:
            kdf = self.slot_kdf()
            stretched = scrypt(password, _DUMMY_SALT, kdf)
            kek = _slot_kek(stretched, secret, self.store_id, slot_id)
            try:
                AESGCM(kek).decrypt(_DUMMY_SALT[:12], _DUMMY_CT, _slot_aad(self.store_id, slot_id))
            except InvalidTag:
                pass
            raise WrongPassword()
        stretched = scrypt(password, wrapped.salt, wrapped.kdf)
        kek = _slot_kek(stretched, secret, self.store_id, slot_id)
        try:
            key = AESGCM(kek).decrypt(wrapped.nonce, wrapped.ciphertext,
                                      _slot_aad(self.store_id, slot_id))
        except InvalidTag:
            raise WrongPassword() from None
        if len(key) != keys.DATA_KEY_BYTES:
            raise KeyFileError("The key file holds a key of the wrong size.")
        return key, wrapped.tag()

    def unwrap_recovery(self, passphrase: str) -> bytes:
        w = self.recovery
        kek = scrypt(passphrase, w.salt, w.kdf)
        try:
            key = AESGCM(kek).decrypt(w.nonce, w.ciphertext,
                                      _recovery_aad(self.store_id, self.recovery_aad))
        except InvalidTag:
            raise keys.WrongPassphrase("The recovery passphrase is not correct.") from None
        if len(key) != keys.DATA_KEY_BYTES:
            raise KeyFileError("The key file holds a key of the wrong size.")
        return key

    # -- changes (new objects; the caller writes them) ---------------------------------
    def with_slot(
        self, secret: bytes, username: str, password: str, data_key: bytes,
        kdf: KdfParams | None = None,
    ) -> tuple[KeyFileV2, str]:
        """This file with ``username``'s slot written (or replaced); also returns its tag."""
        slot_id = fingerprint(secret, username)
        kdf = kdf or keys.DEFAULT_KDF
        salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
        kek = _slot_kek(scrypt(password, salt, kdf), secret, self.store_id, slot_id)
        ct = AESGCM(kek).encrypt(nonce, data_key, _slot_aad(self.store_id, slot_id))
        wrapped = Wrapped(kdf, salt, nonce, ct)
        return replace(self, slots={**self.slots, slot_id: wrapped}), wrapped.tag()

    def without_slot(self, secret: bytes, username: str) -> tuple[KeyFileV2, bool]:
        slot_id = fingerprint(secret, username)
        if slot_id not in self.slots:
            return self, False
        return replace(self, slots={k: v for k, v in self.slots.items() if k != slot_id}), True

    def has_slot(self, secret: bytes, username: str) -> bool:
        return fingerprint(secret, username) in self.slots

    def for_new_secret(self, secret: bytes | None) -> KeyFileV2:
        """Bound to a new workstation secret: every account slot is dropped (they were bound
        to the old secret and can never open again)."""
        check = secret_check(secret, self.store_id) if secret is not None else None
        return replace(self, secret_check=check, slots={})


def wrap_recovery(data_key: bytes, passphrase: str, store_id: str,
                  kdf: KdfParams | None = None) -> Wrapped:
    kdf = kdf or keys.DEFAULT_KDF
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    ct = AESGCM(scrypt(passphrase, salt, kdf)).encrypt(nonce, data_key,
                                                        _recovery_aad(store_id, 2))
    return Wrapped(kdf, salt, nonce, ct)


def from_v1(kf: keys.KeyFile, secret: bytes | None) -> KeyFileV2:
    """A v1 key file as v2: its recovery wrapping is kept unchanged (the passphrase is not
    needed), no account slots yet."""
    rec = Wrapped(kf.kdf, kf.salt, kf.nonce, kf.ciphertext)
    check = secret_check(secret, kf.store_id) if secret is not None else None
    return KeyFileV2(kf.store_id, rec, 1, check, {})


# -- files ---------------------------------------------------------------------------------
def read_any(store_path: Path | str) -> keys.KeyFile | KeyFileV2:
    """The key file beside the store, v1 (before the upgrade) or v2."""
    path = keys.keyfile_path(store_path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KeyFileError(
            f"The key file {path.name} is missing beside the store; without it the store "
            "cannot be opened."
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyFileError(f"The key file {path.name} cannot be read.") from exc
    try:
        d = json.loads(text)
    except ValueError as exc:
        raise KeyFileError("The key file is damaged and cannot be read.") from exc
    if not isinstance(d, dict) or d.get("format") != keys.KEYFILE_FORMAT:
        raise KeyFileError("The key file is not an ALPR store key file.")
    if d.get("version") == keys.KEYFILE_VERSION:
        return keys.KeyFile.from_json(text)
    if d.get("version") != VERSION:
        raise KeyFileError("The key file was written by a newer version of the program.")
    return KeyFileV2.from_dict(d)


def write(store_path: Path | str, kf: KeyFileV2) -> Path:
    """Atomically, owner-only (temp file, fsync, rename)."""
    target = keys.keyfile_path(store_path)
    atomic_write(target, kf.to_json())
    return target
