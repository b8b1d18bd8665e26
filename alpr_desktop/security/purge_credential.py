"""The scheduled purge's own way in: the store's data key wrapped under a random credential
kept in the OS keyring of the account that runs the scheduled task (issue 18: a service
account on Windows), in ``<store>.purge`` beside the store.

Why it exists: policy §8 deletes data one minute after its five years whether or not anybody
is signed in, and deleting needs the key. What it costs: whoever can read that keyring entry
*and* the file opens the store without a password (for that OS account the rule "signing in is
unlocking" no longer holds). Hence it is made only on purpose by a signed-in custodian
(``alpr-desktop purge --enroll``, logged), is bound to the store id (AES-GCM associated data),
can be withdrawn (``--unenroll``), and the keyring entry alone or the file alone opens nothing.
"""

from __future__ import annotations

import base64
import json
import secrets
from pathlib import Path

import keyring
import keyring.errors
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from alpr_desktop.security.atomic_file import atomic_write
from alpr_desktop.security.keys import DATA_KEY_BYTES, KEYRING_SERVICE, KeyCustodyError

FORMAT = "alpr-desktop-purge-credential"
_ERRORS = (keyring.errors.KeyringError, RuntimeError, OSError)


class PurgeCredentialError(KeyCustodyError):
    """The scheduled purge cannot open the store here, told as a sentence."""


def credential_path(store_path: Path | str) -> Path:
    return Path(f"{store_path}.purge")


def _entry(store_id: str) -> str:
    return f"purge-credential:{store_id}"


def _kek(token: bytes, store_id: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=f"alpr-desktop purge credential v1|{store_id}".encode()).derive(token)


def _aad(store_id: str) -> bytes:
    return f"alpr-desktop-purge-credential-v1:{store_id}".encode()


def enroll(store_path: Path | str, store_id: str, data_key: bytes) -> Path:
    """Make (or replace) the credential; PurgeCredentialError without a usable keyring."""
    token = secrets.token_bytes(32)
    try:
        keyring.set_password(KEYRING_SERVICE, _entry(store_id), token.hex())
        ok = keyring.get_password(KEYRING_SERVICE, _entry(store_id)) == token.hex()
    except _ERRORS:
        ok = False
    if not ok:
        raise PurgeCredentialError(
            "This computer has no usable keyring, so the scheduled purge cannot be given a "
            "way into the store; run the purge while signed in instead.")
    nonce = secrets.token_bytes(12)
    wrapped = AESGCM(_kek(token, store_id)).encrypt(nonce, data_key, _aad(store_id))
    target = credential_path(store_path)
    atomic_write(target, json.dumps({
        "format": FORMAT, "version": 1, "store_id": store_id,
        "nonce": base64.b64encode(nonce).decode(),
        "wrapped_key": base64.b64encode(wrapped).decode(),
    }, indent=2))
    return target


def unenroll(store_path: Path | str, store_id: str) -> bool:
    """Withdraw the credential; True when there was one."""
    had = credential_path(store_path).exists()
    credential_path(store_path).unlink(missing_ok=True)
    try:
        keyring.delete_password(KEYRING_SERVICE, _entry(store_id))
        had = True
    except _ERRORS:
        pass
    return had


def unlock(store_path: Path | str) -> bytes:
    """The data key, for the scheduled purge only."""
    path = credential_path(store_path)
    try:
        d = json.loads(path.read_text(encoding="utf-8"))
        if d.get("format") != FORMAT or d.get("version") != 1:
            raise ValueError("not a purge credential")
        store_id = str(d["store_id"])
        nonce, wrapped = base64.b64decode(d["nonce"]), base64.b64decode(d["wrapped_key"])
    except FileNotFoundError:
        raise PurgeCredentialError(
            f"The scheduled purge has not been set up for {Path(store_path).name}: a custodian "
            "runs 'alpr-desktop purge --enroll --user NAME' once on this computer.") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise PurgeCredentialError(f"{path.name} is damaged; enroll the purge again.") from exc
    try:
        token_hex = keyring.get_password(KEYRING_SERVICE, _entry(store_id))
    except _ERRORS:
        token_hex = None
    if not token_hex:
        raise PurgeCredentialError(
            "This account's keyring holds no purge credential for the store (or is locked): "
            "enroll the purge again under the account that runs the scheduled task.")
    try:
        key = AESGCM(_kek(bytes.fromhex(token_hex), store_id)).decrypt(
            nonce, wrapped, _aad(store_id))
    except (InvalidTag, ValueError):
        raise PurgeCredentialError(
            "The purge credential does not match this keyring; enroll the purge again.") from None
    if len(key) != DATA_KEY_BYTES:
        raise PurgeCredentialError("The purge credential holds a key of the wrong size.")
    return key
