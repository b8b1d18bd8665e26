"""The access-log archive file: AES-256-GCM under a key derived from the store's data key
(HKDF-SHA256, "log archive"), signed with the archiving custodian's checkpoint key (Ed25519).

The file is JSON: the clear header (sequence range, hashes, who and when; no plate), the
public key, the signature over the header and the ciphertext's SHA-256, the nonce and the
ciphertext. The header is also the cipher's associated data, so neither part can be swapped.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from alpr_desktop.core.log_archive import (
    ARCHIVE_FORMAT,
    ARCHIVE_VERSION,
    ArchiveHeader,
    LogArchiveError,
)
from alpr_desktop.security.checkpoints import SigningKey, fingerprint

SIGNATURE_CONTEXT = b"alpr-desktop log archive v1\n"
HKDF_INFO = b"alpr-desktop log archive"
MAX_ARCHIVE_BYTES = 4 * 1024**3


def archive_key(data_key: bytes, store_id: str) -> bytes:
    """The archive's own key: derived, so the data key itself never encrypts anything else."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=store_id.encode("utf-8"),
                info=HKDF_INFO).derive(data_key)


def rows_bytes(rows: list[tuple]) -> bytes:
    """The rows exactly as stored, as canonical JSON (a list of 14-column lists)."""
    return json.dumps([list(r) for r in rows], separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def digest(plain: bytes) -> str:
    return hashlib.sha256(plain).hexdigest()


def _signed_bytes(header: ArchiveHeader, ciphertext: bytes) -> bytes:
    return (SIGNATURE_CONTEXT + header.body() + b"\n"
            + hashlib.sha256(ciphertext).hexdigest().encode("ascii"))


def seal(header: ArchiveHeader, plain: bytes, data_key: bytes, signing: SigningKey) -> str:
    """The archive file's text; ``plain`` is ``rows_bytes(rows)`` (its digest is in the
    header, so it is encoded once)."""
    if header.key_fingerprint != signing.fingerprint:
        raise ValueError("the header names another key")
    nonce = os.urandom(12)
    ciphertext = AESGCM(archive_key(data_key, header.store_id)).encrypt(
        nonce, plain, header.body())
    signature = signing.private.sign(_signed_bytes(header, ciphertext))
    return json.dumps({
        "format": ARCHIVE_FORMAT, "version": ARCHIVE_VERSION,
        "header": json.loads(header.body()),
        "public_key": signing.public_raw.hex(),
        "signature": base64.b64encode(signature).decode("ascii"),
        "nonce": base64.b64encode(nonce).decode("ascii"),
        "ciphertext": base64.b64encode(ciphertext).decode("ascii"),
        "note": "Access-log entries archived after five years. Keep a copy off the "
                "workstation. Verify with: alpr-desktop log-archive --verify FILE",
    }, sort_keys=True, ensure_ascii=False) + "\n"


@dataclass(frozen=True)
class OpenedArchive:
    header: ArchiveHeader
    rows: list[tuple]
    public_key: bytes


def open_archive(text: str, data_key: bytes) -> OpenedArchive:
    """Check the signature (against the key the file carries: the caller checks that the
    store pins it), decrypt, and check the rows' digest; LogArchiveError otherwise."""
    try:
        d = json.loads(text)
        if d.get("format") != ARCHIVE_FORMAT or d.get("version") != ARCHIVE_VERSION:
            raise LogArchiveError("The file is not an access-log archive of this program.")
        header = ArchiveHeader.from_dict(d["header"])
        public = bytes.fromhex(d["public_key"])
        signature = base64.b64decode(d["signature"], validate=True)
        nonce = base64.b64decode(d["nonce"], validate=True)
        ciphertext = base64.b64decode(d["ciphertext"], validate=True)
    except LogArchiveError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise LogArchiveError("The archive is damaged and cannot be read.") from exc
    if json.loads(header.body()) != d["header"]:
        raise LogArchiveError("The archive's header was altered: its signature does not hold.")
    if header.key_fingerprint != fingerprint(public):
        raise LogArchiveError("The archive names one signing key but carries another; it was "
                              "altered.")
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(
            signature, _signed_bytes(header, ciphertext))
    except (InvalidSignature, ValueError):
        raise LogArchiveError("The archive's signature is not valid: the file was altered or "
                              "was not signed by the key it names.") from None
    try:
        plain = AESGCM(archive_key(data_key, header.store_id)).decrypt(
            nonce, ciphertext, header.body())
    except InvalidTag:
        raise LogArchiveError("The archive does not decrypt with this store's key: it belongs "
                              "to another store or was altered.") from None
    if hashlib.sha256(plain).hexdigest() != header.rows_sha256:
        raise LogArchiveError("The archive's entries differ from what its header vouches for.")
    try:
        rows = [tuple(r) for r in json.loads(plain)]
    except (ValueError, TypeError) as exc:
        raise LogArchiveError("The archive's entries are damaged.") from exc
    return OpenedArchive(header, rows, public)


ANCHOR_CONTEXT = b"alpr-desktop log anchor v1\n"


def sign_anchor(signing: SigningKey, body: bytes) -> bytes:
    return signing.private.sign(ANCHOR_CONTEXT + body)


def anchor_signature_ok(public_key: bytes, body: bytes, signature: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, ANCHOR_CONTEXT + body)
    except (InvalidSignature, ValueError):
        return False
    return True
