"""Key custody of an offline review extract, and the signature on its reviewer's log.

The extract's random 256-bit data key is wrapped under the passphrase the recipient is given
out of band (security.secret_wrap: scrypt then AES-256-GCM, the same wrap as the checkpoint
keys). The wrap sits in ``NAME.alprext.key`` beside the extract with the extract's id and
expiry date in clear, so the program can say "expired" without the passphrase; both are bound
into the wrap's associated data, so an edited date no longer opens anything. The passphrase is
random (118 bits), so one scrypt of 16 MiB is plenty (the derivation adds nothing a guess
of 118 bits needs) and opening stays well under a second on a loaded machine.

The reviewer's log is signed with an Ed25519 key made for the extract: its private half lives
only inside the encrypted extract, its public half in the City's release record.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from alpr_desktop.core.extract import (
    KEY_SUFFIX,
    NotAnExtract,
    WrongExtractPassphrase,
    normalize_passphrase,
)
from alpr_desktop.core.owner_only import private_file
from alpr_desktop.security import secret_wrap
from alpr_desktop.security.checkpoints import SigningKey, fingerprint

KEY_FORMAT = "alpr-extract-key-v1"
EXTRACT_COST = secret_wrap.ScryptCost(n=2**14, r=8, p=1)
LOG_SIGNATURE_CONTEXT = b"alpr-desktop reviewer log v1\n"
MAX_KEY_FILE_BYTES = 16 * 1024

__all__ = [
    "ExtractKeyFile", "SigningKey", "fingerprint", "key_file_path", "new_signing_key",
    "private_raw", "read_key_file", "sign_log", "signing_key_from_raw", "verify_log_signature",
    "write_key_file",
]


def key_file_path(extract: Path) -> Path:
    return Path(f"{extract}{KEY_SUFFIX}")


def _aad(extract_id: str, expires_on: date) -> bytes:
    return f"{KEY_FORMAT}:{extract_id}:{expires_on.isoformat()}".encode()


@dataclass(frozen=True)
class ExtractKeyFile:
    """What lies beside an extract in clear: its id, its expiry and the wrapped key."""

    extract_id: str
    expires_on: date
    wrapped: secret_wrap.WrappedSecret

    def unwrap(self, passphrase: str) -> bytes:
        """The data key; WrongExtractPassphrase when the passphrase (or an edited date) does
        not fit."""
        try:
            return secret_wrap.unwrap_secret(
                self.wrapped, normalize_passphrase(passphrase),
                _aad(self.extract_id, self.expires_on))
        except secret_wrap.WrongPassword:
            raise WrongExtractPassphrase() from None
        except secret_wrap.WrapError as exc:
            raise NotAnExtract(f"The extract's key file is damaged: {exc}") from None


def write_key_file(extract: Path, key: bytes, passphrase: str, extract_id: str,
                   expires_on: date) -> Path:
    """Wrap ``key`` under ``passphrase`` into the key file beside ``extract`` (owner-only)."""
    wrapped = secret_wrap.wrap_secret(key, normalize_passphrase(passphrase),
                                      _aad(extract_id, expires_on), EXTRACT_COST)
    text = json.dumps({"format": KEY_FORMAT, "extract_id": extract_id,
                       "expires_on": expires_on.isoformat(),
                       "wrap": json.loads(wrapped.to_json())}, sort_keys=True, indent=1)
    target = key_file_path(extract)
    with private_file(target) as fh:
        fh.write(text.encode("utf-8"))
    return target


def read_key_file(extract: Path) -> ExtractKeyFile:
    """The key file beside ``extract``; NotAnExtract when it is missing or not one."""
    path = key_file_path(extract)
    if not path.is_file():
        raise NotAnExtract(
            f"{extract.name} has no key file beside it ({path.name}). An extract is two "
            "files; copy both into the same folder.")
    try:
        raw = path.read_bytes()[:MAX_KEY_FILE_BYTES + 1]
        if len(raw) > MAX_KEY_FILE_BYTES:
            raise ValueError("too large")
        d = json.loads(raw.decode("utf-8"))
        if d.get("format") != KEY_FORMAT:
            raise ValueError("format")
        return ExtractKeyFile(str(d["extract_id"]), date.fromisoformat(d["expires_on"]),
                              secret_wrap.WrappedSecret.from_json(json.dumps(d["wrap"])))
    except (OSError, ValueError, KeyError, TypeError, secret_wrap.WrapError) as exc:
        raise NotAnExtract(f"{path.name} is not an extract's key file.") from exc


# -- the reviewer's log signature ----------------------------------------------------------------
def new_signing_key() -> SigningKey:
    return SigningKey.generate()


def private_raw(key: SigningKey) -> bytes:
    return key.private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())


def signing_key_from_raw(raw: bytes) -> SigningKey:
    return SigningKey(Ed25519PrivateKey.from_private_bytes(raw))


def sign_log(key: SigningKey, payload: bytes) -> str:
    return base64.b64encode(key.private.sign(LOG_SIGNATURE_CONTEXT + payload)).decode("ascii")


def verify_log_signature(public_raw: bytes, payload: bytes, signature_b64: str) -> bool:
    try:
        sig = base64.b64decode(signature_b64, validate=True)
        Ed25519PublicKey.from_public_bytes(public_raw).verify(sig, LOG_SIGNATURE_CONTEXT + payload)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True
