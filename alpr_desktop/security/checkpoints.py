"""Signed log checkpoints: Ed25519 keys for custodians, the checkpoint file and its check.

A custodian's signing key is created on their first checkpoint; its private half is wrapped
under the custodian's password (security.secret_wrap) and kept in the store, its public half
pinned in the store and printed on every audit report. The checkpoint file holds the signed
statement, the public key and the signature; it is written owner-only and atomically, for the
City to keep somewhere the workstation's users cannot reach.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from alpr_desktop.core.access_errors import AccessError
from alpr_desktop.core.log_anchors import CHECKPOINT_FORMAT, CHECKPOINT_VERSION, Checkpoint
from alpr_desktop.core.owner_only import private_file
from alpr_desktop.security import secret_wrap

SIGNATURE_CONTEXT = b"alpr-desktop log checkpoint v1\n"
MAX_FILE_BYTES = 64 * 1024
FILE_SUFFIX = ".alprcheckpoint"


class CheckpointRefused(AccessError):
    """A checkpoint that cannot be used: unreadable, badly signed, or not this store's.
    ``str()`` is a sentence for the user (an expected answer, not a fault)."""


def fingerprint(public_raw: bytes) -> str:
    """SHA-256 of the raw public key, 128 bits shown in groups of four for reading aloud or
    comparing with paper."""
    digest = hashlib.sha256(public_raw).hexdigest().upper()[:32]
    return " ".join(digest[i:i + 4] for i in range(0, 32, 4))


@dataclass(frozen=True)
class SigningKey:
    """A fresh key pair: the private key only ever leaves this object wrapped."""

    private: Ed25519PrivateKey

    @classmethod
    def generate(cls) -> SigningKey:
        return cls(Ed25519PrivateKey.generate())

    @property
    def public_raw(self) -> bytes:
        return self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_raw)

    def wrap(self, password: str, aad: bytes) -> str:
        raw = self.private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        return secret_wrap.wrap_secret(raw, password, aad).to_json()

    @classmethod
    def unwrap(cls, wrapped_json: str, password: str, aad: bytes) -> SigningKey:
        """Raises secret_wrap.WrongPassword or WrapError."""
        raw = secret_wrap.unwrap_secret(secret_wrap.WrappedSecret.from_json(wrapped_json),
                                        password, aad)
        return cls(Ed25519PrivateKey.from_private_bytes(raw))

    def sign(self, cp: Checkpoint) -> SignedCheckpoint:
        if cp.key_fingerprint != self.fingerprint:
            raise ValueError("the checkpoint names another key")
        return SignedCheckpoint(cp, self.public_raw,
                                self.private.sign(SIGNATURE_CONTEXT + cp.body()))


def key_aad(store_id: str, user_id: int, public_raw: bytes) -> bytes:
    """Binds a wrapped signing key to its store, account and public key."""
    return f"alpr-checkpoint-key:{store_id}:{user_id}:{public_raw.hex()}".encode()


@dataclass(frozen=True)
class SignedCheckpoint:
    checkpoint: Checkpoint
    public_key: bytes
    signature: bytes

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)

    def check_signature(self) -> None:
        """CheckpointRefused unless the signature is right for the statement and the key the
        statement names is the key that signed it."""
        if self.checkpoint.key_fingerprint != self.fingerprint:
            raise CheckpointRefused(
                "The checkpoint names one signing key but carries another; it was altered.")
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(
                self.signature, SIGNATURE_CONTEXT + self.checkpoint.body())
        except (InvalidSignature, ValueError):
            raise CheckpointRefused(
                "The checkpoint's signature is not valid: the file was altered or was not "
                "signed by the key it names.") from None

    def to_json(self) -> str:
        cp = self.checkpoint
        return json.dumps({
            "format": CHECKPOINT_FORMAT, "version": CHECKPOINT_VERSION,
            "checkpoint": json.loads(cp.body()),
            "public_key": self.public_key.hex(),
            "signature": base64.b64encode(self.signature).decode("ascii"),
            "note": "Keep this file where the workstation's users cannot change it. "
                    "Verify with: alpr-desktop verify-log --checkpoint FILE",
        }, indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> SignedCheckpoint:
        try:
            d = json.loads(text)
            if d.get("format") != CHECKPOINT_FORMAT or d.get("version") != CHECKPOINT_VERSION:
                raise CheckpointRefused("The file is not an ALPR log checkpoint.")
            body = d["checkpoint"]
            cp = Checkpoint(
                store_id=str(body["store_id"]), entry_count=int(body["entry_count"]),
                head_hash=str(body["head_hash"]), issued_ms=int(body["issued_ms"]),
                issuer=str(body["issuer"]), key_fingerprint=str(body["key_fingerprint"]),
            )
            if cp.entry_count < 0 or len(cp.head_hash) != 64:
                raise CheckpointRefused("The checkpoint is damaged and cannot be read.")
            signed = cls(cp, bytes.fromhex(d["public_key"]),
                         base64.b64decode(d["signature"], validate=True))
        except CheckpointRefused:
            raise
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise CheckpointRefused("The checkpoint is damaged and cannot be read.") from exc
        if json.loads(cp.body()) != body:
            raise CheckpointRefused(
                "The checkpoint's signature is not valid: the file was altered.")
        return signed


def write_checkpoint_file(path: Path | str, signed: SignedCheckpoint) -> Path:
    """Write owner-only and atomically (core.owner_only). Refuses to replace an existing file
    (an earlier checkpoint is evidence)."""
    target = Path(path)
    if target.exists():
        raise FileExistsError(17, "A file of that name already exists; choose another",
                              str(target))
    with private_file(target, "w", overwrite=False, encoding="utf-8") as fh:
        fh.write(signed.to_json())
    return target


def read_checkpoint_file(path: Path | str) -> SignedCheckpoint:
    """The file's checkpoint with its signature checked; CheckpointRefused otherwise."""
    p = Path(path)
    try:
        if p.stat().st_size > MAX_FILE_BYTES:
            raise CheckpointRefused(f"{p.name} is too large to be a log checkpoint.")
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CheckpointRefused(f"No checkpoint file at {p}.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CheckpointRefused(f"{p.name} cannot be read as a log checkpoint.") from exc
    signed = SignedCheckpoint.from_json(text)
    signed.check_signature()
    return signed
