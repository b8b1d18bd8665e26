"""Images in segment files beside the store, each under a key of its own kept in the store.

Why: an image stored inside the database costs, when it is purged, overwriting every page it
filled (secure_delete) and handing those pages back (incremental vacuum): 380 s for one day's
100,000 reads with images on a large store (issue 14). Here an image is AES-256-GCM ciphertext
appended to a segment file holding one UTC day of recordings, under a random key that exists
only in the image's row of the encrypted store. Deleting the row (secure_delete overwrites the
key's bytes, the purge cuts the WAL) makes the image unrecoverable at once, from the file and
from any copy of it: a cryptographic erase. The file itself is unlinked once no row refers to
it and its day has expired.

Concurrency: a ``Store`` writes only to segments named with its own random token, opens them
inside its write transaction and closes them before the commit; the purge unlinks a segment
only inside its own write transaction after checking that no committed row refers to it. The
write lock orders the two, so a file is never unlinked between a writer's append and its
commit (a writer that comes later creates the file afresh). Bytes appended by a transaction
that rolled back stay in the file under a key that was never stored: unreadable, and gone
with the day.
"""

from __future__ import annotations

import calendar
import errno
import os
import re
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from alpr_desktop.core.owner_only import sync_folder
from alpr_desktop.storage.errors import DiskFull, StoreCorrupt, StoreError

MAGIC = b"ALPRSEG1"  # the first bytes of every segment file
KEY_BYTES = 32
_NONCE = bytes(12)  # every image has its own key, used once: a fixed nonce is safe
_NAME = re.compile(r"^(\d{8})-([0-9a-f]{16})\.seg$")
_DAY = 86_400
_O_BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation


# An image row's columns that ``ImageSegments.row_data`` takes, in its order.
DATA_COLUMNS = ("data", "seg", "seg_off", "seg_len", "seg_key")


def data_columns(alias: str = "") -> str:
    """``DATA_COLUMNS`` for a SELECT list, qualified with ``alias`` when the query joins."""
    return ", ".join(f"{alias}.{c}" if alias else c for c in DATA_COLUMNS)


@dataclass(frozen=True)
class SegmentRef:
    """Where an image's ciphertext is, and the key that opens it (the row's columns)."""

    name: str
    offset: int
    length: int
    key: bytes


def segment_dir(store_path: Path | str) -> Path:
    """The folder of a store's image segments: ``<store>.images`` beside the store file."""
    p = Path(store_path)
    return p.with_name(p.name + ".images")


def day_of(recorded_at: int) -> str:
    """The UTC day (YYYYMMDD) a recording time falls on: the segment it goes to."""
    return time.strftime("%Y%m%d", time.gmtime(int(recorded_at)))


def day_end(day: str) -> int:
    """Seconds since the epoch at the end of ``day`` (the next UTC midnight)."""
    start = calendar.timegm(time.strptime(day, "%Y%m%d"))
    return start + _DAY


def _aad(name: str, offset: int) -> bytes:
    # Binds the ciphertext to its place: bytes moved elsewhere do not open.
    return f"{name}:{offset}".encode("ascii")


class ImageSegments:
    """Appending, reading and unlinking one store's segment files (see the module docstring).

    One per ``Store`` (connection): its token names the files it writes."""

    def __init__(self, store_path: Path | str) -> None:
        self.store_path = Path(store_path)
        self.dir = segment_dir(store_path)
        self.token = secrets.token_hex(8)

    # -- writing -------------------------------------------------------------------------
    def append(self, items: Sequence[tuple[int, bytes]]) -> list[SegmentRef]:
        """Encrypt and append each ``(recorded_at, data)``; the refs, in the same order. The
        bytes are on disk (fsync) before this returns, so a row committed after it never
        points at bytes a crash could lose. Call inside the store's write transaction."""
        if not items:
            return []
        by_day: dict[str, list[int]] = {}
        for i, (recorded_at, _) in enumerate(items):
            by_day.setdefault(day_of(recorded_at), []).append(i)
        out: list[SegmentRef | None] = [None] * len(items)
        try:
            self._make_dir()
            for day, idx in by_day.items():
                name = f"{day}-{self.token}.seg"
                for i, ref in zip(idx, self._append_file(name, [items[i][1] for i in idx]),
                                  strict=True):
                    out[i] = ref
        except OSError as exc:
            if exc.errno == errno.ENOSPC:
                raise DiskFull("The disk is full: the images could not be stored.",
                               path=self.dir) from exc
            raise StoreError(f"The images could not be stored: {exc.strerror or exc}.",
                             path=self.dir) from exc
        return [r for r in out if r is not None]

    def _make_dir(self) -> None:
        if not self.dir.is_dir():
            self.dir.mkdir(mode=0o700, exist_ok=True)
            sync_folder(self.dir.parent)

    def _append_file(self, name: str, blobs: list[bytes]) -> list[SegmentRef]:
        path = self.dir / name
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | _O_BINARY, 0o600)
        try:
            offset = os.fstat(fd).st_size
            created = offset == 0
            chunks: list[bytes] = []
            if created:
                chunks.append(MAGIC)
                offset = len(MAGIC)
            refs = []
            for data in blobs:
                key = AESGCM.generate_key(bit_length=8 * KEY_BYTES)
                ct = AESGCM(key).encrypt(_NONCE, data, _aad(name, offset))
                refs.append(SegmentRef(name, offset, len(ct), key))
                chunks.append(ct)
                offset += len(ct)
            _write_all(fd, b"".join(chunks))
            os.fsync(fd)
        finally:
            os.close(fd)
        if created:
            sync_folder(self.dir)
        return refs

    # -- reading -------------------------------------------------------------------------
    def read(self, ref: SegmentRef) -> bytes:
        """The image's bytes. Raises StoreError when its segment is missing (purged
        meanwhile, or the store was copied without its ``.images`` folder) and StoreCorrupt
        when the bytes do not open with their key (damaged or altered)."""
        if not _NAME.match(ref.name) or len(ref.key) != KEY_BYTES or ref.offset < len(MAGIC):
            raise StoreCorrupt("An image row of this store is damaged.", path=self.store_path)
        path = self.dir / ref.name
        try:
            with open(path, "rb") as f:
                f.seek(ref.offset)
                ct = f.read(ref.length)
        except FileNotFoundError:
            raise StoreError(
                "An image of this store is missing from its images folder "
                f"({self.dir.name}): it was purged, or the store was copied without that "
                "folder.", path=self.store_path) from None
        except OSError as exc:
            raise StoreError(f"An image could not be read: {exc.strerror or exc}.",
                             path=self.store_path) from exc
        try:
            return AESGCM(ref.key).decrypt(_NONCE, ct, _aad(ref.name, ref.offset))
        except InvalidTag:
            raise StoreCorrupt("An image of this store is damaged or was altered.",
                               path=self.store_path) from None

    def row_data(self, data: bytes | None, name: str | None, offset: int | None,
                 length: int | None, key: bytes | None) -> bytes:
        """An image row's bytes: inline (a store from before segments, an extract) or from
        its segment (the row's ``DATA_COLUMNS``)."""
        if name is None:
            return bytes(data or b"")
        if offset is None or length is None or key is None:
            raise StoreCorrupt("An image row of this store is damaged.", path=self.store_path)
        return self.read(SegmentRef(str(name), int(offset), int(length), bytes(key)))

    # -- unlinking -----------------------------------------------------------------------
    def expired(self, cutoff: int) -> list[str]:
        """Names of the segments whose whole day is at or before ``cutoff`` (every read of
        that day is due, unless held)."""
        try:
            entries = list(os.scandir(self.dir))
        except FileNotFoundError:
            return []
        out = []
        for e in entries:
            m = _NAME.match(e.name)
            if m and day_end(m.group(1)) - 1 <= cutoff:
                out.append(e.name)
        return sorted(out)

    def unlink(self, names: Sequence[str], referenced: Callable[[str], bool]) -> int:
        """Unlink each of ``names`` that no row refers to; the number unlinked. Call inside
        the store's write transaction (see the module docstring)."""
        gone = 0
        for name in names:
            if not _NAME.match(name) or referenced(name):
                continue
            try:
                (self.dir / name).unlink()
                gone += 1
            except FileNotFoundError:
                continue  # another purge was first
        if gone:
            sync_folder(self.dir)
        return gone


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]
