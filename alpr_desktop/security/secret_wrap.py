"""Wrap a small secret under a password: scrypt (RFC 7914) then AES-256-GCM, the way a key slot
wraps a data key. Kept apart and small so that the key-slot code and the checkpoint signing key
can share it. The associated data binds a wrap to what it belongs to (store, account, key), so
a wrap copied to another row does not open.
"""

from __future__ import annotations

import base64
import json
import secrets
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

WRAP_FORMAT = "scrypt+aes-256-gcm"


@dataclass(frozen=True)
class ScryptCost:
    n: int = 2**17
    r: int = 8
    p: int = 1


DEFAULT_COST = ScryptCost()
# Wraps asking for more than this are refused rather than run (a hostile row could ask for
# gigabytes); wraps asking for less are refused as too weak to resist guessing.
_MAX_N, _MIN_N = 2**20, 2**12


class WrapError(Exception):
    """The wrap cannot be opened: ``str()`` is a sentence."""


class WrongPassword(WrapError):
    pass


@dataclass(frozen=True)
class WrappedSecret:
    cost: ScryptCost
    salt: bytes
    nonce: bytes
    ciphertext: bytes

    def to_json(self) -> str:
        return json.dumps({
            "format": WRAP_FORMAT, "n": self.cost.n, "r": self.cost.r, "p": self.cost.p,
            "salt": _b64(self.salt), "nonce": _b64(self.nonce), "ct": _b64(self.ciphertext),
        }, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> WrappedSecret:
        try:
            d = json.loads(text)
            if d["format"] != WRAP_FORMAT:
                raise WrapError("The wrapped key uses an unknown format.")
            return cls(ScryptCost(int(d["n"]), int(d["r"]), int(d["p"])),
                       base64.b64decode(d["salt"], validate=True),
                       base64.b64decode(d["nonce"], validate=True),
                       base64.b64decode(d["ct"], validate=True))
        except WrapError:
            raise
        except (ValueError, KeyError, TypeError) as exc:
            raise WrapError("The wrapped key is damaged.") from exc


def _b64(b: bytes) -> str:
    return base64.b64encode(b).decode("ascii")


def _kek(password: str, salt: bytes, cost: ScryptCost) -> bytes:
    if not (_MIN_N <= cost.n <= _MAX_N) or cost.r > 32 or cost.p > 16:
        raise WrapError("The wrapped key asks for a key derivation outside the allowed range.")
    return Scrypt(salt=salt, length=32, n=cost.n, r=cost.r, p=cost.p).derive(
        password.encode("utf-8"))


def wrap_secret(secret: bytes, password: str, aad: bytes,
                cost: ScryptCost | None = None) -> WrappedSecret:
    cost = cost or DEFAULT_COST
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    ct = AESGCM(_kek(password, salt, cost)).encrypt(nonce, secret, aad)
    return WrappedSecret(cost, salt, nonce, ct)


def unwrap_secret(wrapped: WrappedSecret, password: str, aad: bytes) -> bytes:
    """The secret; WrongPassword when the password (or the associated data) does not fit."""
    try:
        return AESGCM(_kek(password, wrapped.salt, wrapped.cost)).decrypt(
            wrapped.nonce, wrapped.ciphertext, aad)
    except InvalidTag:
        raise WrongPassword("The password is not correct.") from None
