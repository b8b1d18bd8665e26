"""Decrypt every page of a SQLCipher 4 store file, the WAL included, with the store's raw key:
what someone holding the key (and a copy of the file) could read, free pages and old WAL
frames included, which SQL never shows.

SQLCipher 4 page layout with a raw key: AES-256-CBC over the page without its reserved tail
(the 16-byte IV, then the HMAC: 32 bytes of HMAC-SHA256 in today's format, 64 of HMAC-SHA512
in stores made before issue 20); page 1 keeps its first 16 bytes (the salt) in clear.
The HMAC is not checked here: a page that is not ciphertext decrypts to noise, which
is harmless for a search for known plaintext."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from alpr_desktop.storage.db import CIPHER_PAGE_SIZE, STORE_FORMAT

RESERVE = 16 + {"HMAC_SHA256": 32, "HMAC_SHA512": 64}[STORE_FORMAT.hmac]
WAL_HEADER, FRAME_HEADER = 32, 24


def _decrypt(key: bytes, page: bytes, pgno: int) -> bytes:
    if len(page) < CIPHER_PAGE_SIZE:
        return b""
    iv = page[CIPHER_PAGE_SIZE - RESERVE : CIPHER_PAGE_SIZE - RESERVE + 16]
    start = 16 if pgno == 1 else 0
    body = page[start : CIPHER_PAGE_SIZE - RESERVE]
    dec = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return dec.update(body) + dec.finalize()


def decrypted_pages(path: Path, key: bytes) -> Iterator[tuple[str, int, bytes]]:
    """(where, page number, plaintext) for every page of the file and every WAL frame."""
    data = path.read_bytes()
    for i in range(len(data) // CIPHER_PAGE_SIZE):
        page = data[i * CIPHER_PAGE_SIZE : (i + 1) * CIPHER_PAGE_SIZE]
        yield "file", i + 1, _decrypt(key, page, i + 1)
    wal = Path(f"{path}-wal")
    if wal.exists():
        raw = wal.read_bytes()
        pos = WAL_HEADER
        while pos + FRAME_HEADER + CIPHER_PAGE_SIZE <= len(raw):
            pgno = int.from_bytes(raw[pos : pos + 4], "big")
            page = raw[pos + FRAME_HEADER : pos + FRAME_HEADER + CIPHER_PAGE_SIZE]
            yield "wal", pgno, _decrypt(key, page, pgno)
            pos += FRAME_HEADER + CIPHER_PAGE_SIZE


def find(path: Path, key: bytes, needles: list[bytes]) -> set[bytes]:
    """The needles that appear in some decrypted page."""
    found: set[bytes] = set()
    for _, _, plain in decrypted_pages(path, key):
        for n in needles:
            if n not in found and n in plain:
                found.add(n)
    return found
