"""The access-log archive file: AES-256-GCM under a key derived from the store's data key
(HKDF-SHA256, "log archive"), signed with the archiving custodian's checkpoint key (Ed25519).

Version 2 (written now; docs/retention.md) is JSON lines, so that it is written and read a
chunk at a time, in bounded memory whatever the log's size:

- line 1: the clear header (sequence range, hashes, who and when; no plate) and the public key;
- one line per chunk of at most ``CHUNK_ROWS`` entries: its index, its entry count, nonce and
  ciphertext; the associated data is the header plus "chunk I rows N", so a chunk can be
  neither moved, nor swapped into another archive, nor recounted;
- the last line: the trailer (chunks, entries, the SHA-256 of the plaintext and of the
  chunks' ciphertexts) and the signature over the header and the trailer.

A file without its trailer (cut short) or with chunks missing, added or reordered does not
verify. Version 1 (one JSON object, the whole log sealed at once) is still read, whole: it was
only ever written by a program that held it whole in memory.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from alpr_desktop.core.log_archive import (
    ARCHIVE_FORMAT,
    ARCHIVE_VERSION,
    ARCHIVE_VERSION_V1,
    ArchiveHeader,
    LogArchiveError,
)
from alpr_desktop.core.owner_only import sync_folder
from alpr_desktop.security.checkpoints import SigningKey, fingerprint

SIGNATURE_CONTEXT = b"alpr-desktop log archive v1\n"
SIGNATURE_CONTEXT_V2 = b"alpr-desktop log archive v2\n"
NOTE = ("Access-log entries archived after five years. Keep a copy off the workstation. "
        "Verify with: alpr-desktop log-archive --verify FILE")
MAX_LINE_BYTES = 256 * 1024**2  # a chunk line is a few MiB; anything longer is not ours
TRAILER_TAIL = 64 * 1024
MAX_HEADER_BYTES = 64 * 1024
V1_START = b'{"ciphertext": "'
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


@dataclass(frozen=True)
class OpenedArchive:
    header: ArchiveHeader
    rows: list[tuple]
    public_key: bytes


def open_archive(text: str, data_key: bytes) -> OpenedArchive:
    """A version-1 archive, whole. Check the signature (against the key the file carries:
    the caller checks that the store pins it), decrypt, and check the rows' digest;
    LogArchiveError otherwise."""
    try:
        d = json.loads(text)
        if d.get("format") != ARCHIVE_FORMAT or d.get("version") != ARCHIVE_VERSION_V1:
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



def _chunk_aad(header_body: bytes, index: int, count: int) -> bytes:
    return header_body + f"\nchunk {index} rows {count}".encode("ascii")


def _trailer_signed(header_body: bytes, end: dict[str, object]) -> bytes:
    return (SIGNATURE_CONTEXT_V2 + header_body + b"\n"
            + json.dumps(end, sort_keys=True, separators=(",", ":")).encode("ascii"))


def _line(value: dict[str, object]) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False).encode("utf-8") + b"\n"


class ArchiveWriter:
    """Writes a version-2 archive a chunk at a time into an owner-only temp file beside
    ``target``; ``finish`` signs it, ``install`` renames it into place. Until then ``target``
    is untouched, so a crash leaves no half archive under the archive's name (only a
    ``.partial`` file, removed by ``discard`` or the next run)."""

    def __init__(self, target: Path, header: ArchiveHeader, data_key: bytes,
                 signing: SigningKey) -> None:
        if header.key_fingerprint != signing.fingerprint:
            raise ValueError("the header names another key")
        if header.version != ARCHIVE_VERSION:
            raise ValueError("only the current version is written")
        self.target = target
        self.tmp = partial_name(target)
        self.header = header
        self._body = header.body()
        self._aead = AESGCM(archive_key(data_key, header.store_id))
        self._signing = signing
        self._plain = hashlib.sha256()
        self._cipher = hashlib.sha256()
        self._file = hashlib.sha256()
        self.chunks = 0
        self.rows = 0
        fd = os.open(self.tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self._fh: BinaryIO | None = os.fdopen(fd, "wb")
        self._write({"format": ARCHIVE_FORMAT, "version": ARCHIVE_VERSION,
                     "header": json.loads(self._body),
                     "public_key": signing.public_raw.hex(), "note": NOTE})

    def _write(self, value: dict[str, object]) -> None:
        assert self._fh is not None, "the archive is already finished"
        data = _line(value)
        self._file.update(data)
        self._fh.write(data)

    def add(self, rows: Sequence[tuple]) -> None:
        """Encrypt and write one chunk (the caller keeps chunks to ``CHUNK_ROWS``)."""
        if not rows:
            return
        plain = rows_bytes(list(rows))
        nonce = os.urandom(12)
        ciphertext = self._aead.encrypt(nonce, plain, _chunk_aad(self._body, self.chunks,
                                                                 len(rows)))
        self._plain.update(plain)
        self._cipher.update(hashlib.sha256(ciphertext).digest())
        self._write({"chunk": self.chunks, "rows": len(rows),
                     "nonce": base64.b64encode(nonce).decode("ascii"),
                     "ciphertext": base64.b64encode(ciphertext).decode("ascii")})
        self.chunks += 1
        self.rows += len(rows)

    def finish(self) -> str:
        """Write the signed trailer and make the temp file durable; the file's SHA-256."""
        end: dict[str, object] = {"chunks": self.chunks, "rows": self.rows,
                                  "rows_sha256": self._plain.hexdigest(),
                                  "chunks_sha256": self._cipher.hexdigest()}
        signature = self._signing.private.sign(_trailer_signed(self._body, end))
        self._write({"end": end, "signature": base64.b64encode(signature).decode("ascii")})
        assert self._fh is not None
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()
        self._fh = None
        return self._file.hexdigest()

    def install(self) -> None:
        """Rename the finished file into place (atomic; replaces a leftover of a killed run
        that no anchor names)."""
        os.replace(self.tmp, self.target)
        sync_folder(self.target.parent)

    def discard(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        self.tmp.unlink(missing_ok=True)


def partial_name(target: Path) -> Path:
    """The temp file beside ``target``: unique per process and thread."""
    return target.with_name(f"{target.name}.{os.getpid()}.{threading.get_ident()}.partial")


class ArchiveReader:
    """Reads an archive a chunk at a time (version 2) or whole (version 1). The header and the
    signature are checked on opening (a version-2 trailer is read from the end of the file);
    ``chunks`` decrypts and yields the entries, and raises LogArchiveError on any chunk that
    is damaged, missing, moved or extra. ``file_sha256`` is known once ``chunks`` is done."""

    def __init__(self, path: Path, data_key: bytes) -> None:
        self.path = path
        self._data_key = data_key
        self.file_sha256 = ""
        try:
            with path.open("rb") as fh:
                # Version 1 is one JSON object whose first key (sorted) is the ciphertext.
                v1 = fh.read(len(V1_START)) == V1_START
                fh.seek(0)
                first = b"" if v1 else fh.readline(MAX_HEADER_BYTES)
        except FileNotFoundError:
            raise LogArchiveError(f"No archive file at {path}.") from None
        except OSError as exc:
            raise LogArchiveError(f"{path.name} cannot be read as an archive.") from exc
        self._v1: OpenedArchive | None = None
        if v1:
            self.version = ARCHIVE_VERSION_V1
            text = self._read_v1()
            self._v1 = open_archive(text, data_key)
            self.header, self.public_key = self._v1.header, self._v1.public_key
            self._v1_sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
            return
        d = _json_object(first)
        if d.get("format") != ARCHIVE_FORMAT or d.get("version") != ARCHIVE_VERSION:
            raise LogArchiveError("The file is not an access-log archive of this program.")
        self.version = ARCHIVE_VERSION
        try:
            header = ArchiveHeader.from_dict(d["header"], ARCHIVE_VERSION)
            self.public_key = bytes.fromhex(d["public_key"])
        except (KeyError, TypeError, ValueError) as exc:
            raise LogArchiveError("The archive is damaged and cannot be read.") from exc
        self._body = header.body()
        if json.loads(self._body) != d["header"]:
            raise LogArchiveError("The archive's header was altered: its signature does not "
                                  "hold.")
        if header.key_fingerprint != fingerprint(self.public_key):
            raise LogArchiveError("The archive names one signing key but carries another; it "
                                  "was altered.")
        self._end = self._trailer()
        try:
            self.header = replace(header, rows_sha256=str(self._end["rows_sha256"]))
            self._chunks = int(str(self._end["chunks"]))
            self.rows = int(str(self._end["rows"]))
        except (KeyError, ValueError) as exc:
            raise LogArchiveError("The archive's trailer is damaged.") from exc

    def _read_v1(self) -> str:
        if self.path.stat().st_size > MAX_ARCHIVE_BYTES:
            raise LogArchiveError(f"{self.path.name} is too large to be an archive.")
        try:
            return self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise LogArchiveError(f"{self.path.name} cannot be read as an archive.") from exc

    def _trailer(self) -> dict[str, object]:
        """The last line, its signature checked against the key the file carries (the caller
        checks that the store pins it)."""
        with self.path.open("rb") as fh:
            size = fh.seek(0, os.SEEK_END)
            fh.seek(max(0, size - TRAILER_TAIL))
            tail = fh.read()
        lines = tail.rstrip(b"\n").rsplit(b"\n", 1)
        d = _json_object(lines[-1])
        end, sig = d.get("end"), d.get("signature")
        if not isinstance(end, dict) or not isinstance(sig, str):
            raise LogArchiveError("The archive has no trailer: it was cut short or altered.")
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(
                base64.b64decode(sig, validate=True), _trailer_signed(self._body, end))
        except (InvalidSignature, ValueError):
            raise LogArchiveError("The archive's signature is not valid: the file was altered "
                                  "or was not signed by the key it names.") from None
        return end

    def chunks(self) -> Iterator[list[tuple]]:
        if self._v1 is not None:
            self.file_sha256 = self._v1_sha256
            yield self._v1.rows
            return
        aead = AESGCM(archive_key(self._data_key, self.header.store_id))
        plain_sum, cipher_sum, file_sum = hashlib.sha256(), hashlib.sha256(), hashlib.sha256()
        index = rows = 0
        with self.path.open("rb") as fh:
            file_sum.update(fh.readline(MAX_LINE_BYTES))
            while True:
                raw = fh.readline(MAX_LINE_BYTES)
                if not raw:
                    raise LogArchiveError("The archive has no trailer: it was cut short.")
                file_sum.update(raw)
                d = _json_object(raw)
                if "end" in d:
                    if fh.read(1):
                        raise LogArchiveError("The archive has data after its trailer.")
                    break
                try:
                    count = int(d["rows"])
                    nonce = base64.b64decode(d["nonce"], validate=True)
                    ciphertext = base64.b64decode(d["ciphertext"], validate=True)
                    if d["chunk"] != index:
                        raise ValueError("out of order")
                except (KeyError, TypeError, ValueError) as exc:
                    raise LogArchiveError(f"The archive's chunk {index + 1} is damaged or "
                                          "out of order.") from exc
                try:
                    plain = aead.decrypt(nonce, ciphertext, _chunk_aad(self._body, index, count))
                except InvalidTag:
                    raise LogArchiveError(
                        f"The archive's chunk {index + 1} does not decrypt with this store's "
                        "key: it belongs to another store or was altered.") from None
                plain_sum.update(plain)
                cipher_sum.update(hashlib.sha256(ciphertext).digest())
                try:
                    chunk = [tuple(r) for r in json.loads(plain)]
                except (ValueError, TypeError) as exc:
                    raise LogArchiveError("The archive's entries are damaged.") from exc
                if len(chunk) != count:
                    raise LogArchiveError(f"The archive's chunk {index + 1} holds another "
                                          "number of entries than it says.")
                index += 1
                rows += count
                yield chunk
        if (index, rows) != (self._chunks, self.rows) \
                or cipher_sum.hexdigest() != self._end.get("chunks_sha256") \
                or plain_sum.hexdigest() != self.header.rows_sha256:
            raise LogArchiveError("The archive's entries differ from what its signed trailer "
                                  "vouches for: chunks were removed, added or replaced.")
        self.file_sha256 = file_sum.hexdigest()


def _json_object(raw: bytes) -> dict[str, Any]:
    try:
        d = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise LogArchiveError("The archive is damaged and cannot be read.") from exc
    if not isinstance(d, dict):
        raise LogArchiveError("The archive is damaged and cannot be read.")
    return d


ANCHOR_CONTEXT = b"alpr-desktop log anchor v1\n"


def sign_anchor(signing: SigningKey, body: bytes) -> bytes:
    return signing.private.sign(ANCHOR_CONTEXT + body)


def anchor_signature_ok(public_key: bytes, body: bytes, signature: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, ANCHOR_CONTEXT + body)
    except (InvalidSignature, ValueError):
        return False
    return True
