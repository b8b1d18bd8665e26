"""The access log's own retention (issue 14, docs/retention.md): what an archived segment and
its anchor say, and how a verification that used (or lacked) the archive is told.

Entries older than five years go, exactly as stored, into a signed, encrypted archive file; an
anchor row in the store names the segment (sequence range, last hash, file name and SHA-256),
and the chain restarts from it: entry ``last_seq + 1`` names the anchor's ``last_hash`` as
its predecessor. Pure Python: the cipher and signature are in security/log_archive_crypto.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from alpr_desktop.core.audit_format import format_utc

ARCHIVE_FORMAT = "alpr-desktop-log-archive"
ANCHOR_FORMAT = "alpr-desktop-log-anchor"
ARCHIVE_VERSION = 2  # written since session 6: chunked, so it streams (v1 is still read)
ARCHIVE_VERSION_V1 = 1  # one JSON object, sealed in one piece (main before session 6)
ANCHOR_VERSION = 1
CHUNK_ROWS = 2_000  # entries per encrypted chunk: bounds the memory of writing and reading
ARCHIVE_SUFFIX = ".alprlog"
KEEP_MONTHS = 60  # each entry is kept in the store at least five years (CJIS: one; LASD: two)


class LogArchiveError(ValueError):
    """An archive that cannot be made or used, told as a sentence (not a fault)."""


def _canonical(value: object) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def archive_name(store_id: str, first_seq: int, last_seq: int) -> str:
    """``log-archive-<store id>-<first>-<last>.alprlog``: no plate, no user in it."""
    return f"log-archive-{store_id}-{first_seq}-{last_seq}{ARCHIVE_SUFFIX}"


def _int(v: object) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        raise TypeError("not a whole number")
    return v


def _str(v: object) -> str:
    if not isinstance(v, str):
        raise TypeError("not text")
    return v


@dataclass(frozen=True)
class ArchiveHeader:
    """The archive's clear, signed header. ``prev_hash`` is what the segment's first entry
    names as its predecessor (the genesis hash for the first segment, else the previous
    anchor's last hash); ``head_seq``/``head_hash`` the log's head when it was archived."""

    store_id: str
    first_seq: int
    last_seq: int
    prev_hash: str
    last_hash: str
    head_seq: int
    head_hash: str
    archived_ms: int
    archived_by: str
    key_fingerprint: str
    # Version 1: of the plaintext rows (canonical JSON), in the header. Version 2 streams, so
    # the digest is only known at the end: it is in the signed trailer and "" here.
    rows_sha256: str = ""
    version: int = ARCHIVE_VERSION

    def body(self) -> bytes:
        d: dict[str, object] = {k: v for k, v in self.__dict__.items() if k != "version"}
        if self.version != ARCHIVE_VERSION_V1:
            del d["rows_sha256"]
        return _canonical({"format": ARCHIVE_FORMAT, "version": self.version,
                           "archived_utc": format_utc(self.archived_ms), **d})

    @classmethod
    def from_dict(cls, d: dict[str, object], version: int = ARCHIVE_VERSION_V1) -> ArchiveHeader:
        try:
            return cls(_str(d["store_id"]), _int(d["first_seq"]), _int(d["last_seq"]),
                       _str(d["prev_hash"]), _str(d["last_hash"]), _int(d["head_seq"]),
                       _str(d["head_hash"]), _int(d["archived_ms"]), _str(d["archived_by"]),
                       _str(d["key_fingerprint"]),
                       _str(d["rows_sha256"]) if version == ARCHIVE_VERSION_V1 else "",
                       version)
        except (KeyError, TypeError, ValueError) as exc:
            raise LogArchiveError("The archive's header is damaged and cannot be read.") from exc


@dataclass(frozen=True)
class Anchor:
    """The store's record of one archived segment (its signed body and who signed it)."""

    first_seq: int
    last_seq: int
    last_hash: str
    archive_name: str
    archive_sha256: str
    archived_ms: int
    archived_by: str
    key_fingerprint: str
    store_id: str

    def body(self) -> bytes:
        return _canonical({"format": ANCHOR_FORMAT, "version": ANCHOR_VERSION,
                           "archived_utc": format_utc(self.archived_ms), **self.__dict__})

    def describe(self) -> str:
        return f"entries {self.first_seq:,}–{self.last_seq:,} archived in {self.archive_name}"


@dataclass(frozen=True)
class ArchiveResult:
    """What one archiving run did."""

    anchor: Anchor | None  # None: nothing was older than five years
    path: str = ""

    @property
    def summary(self) -> str:
        if self.anchor is None:
            return "log-archive: no entry is older than five years; nothing archived."
        a = self.anchor
        return (f"log-archive: entries {a.first_seq:,}–{a.last_seq:,} written to {self.path} "
                f"and removed from the store; the chain now verifies from their last hash "
                f"{a.last_hash[:16]}…. Keep a copy of the file off this workstation.")


@dataclass(frozen=True)
class SegmentCheck:
    """One anchor held against its archive file (or found without one)."""

    anchor: Anchor
    present: bool  # an archive file for this anchor was given
    intact: bool
    reason: str = ""


@dataclass(frozen=True)
class ArchiveVerification:
    """The whole chain's verification: archived segments and the store's part."""

    segments: tuple[SegmentCheck, ...]
    store_intact: bool
    store_summary: str
    anchors_genuine: bool
    anchor_problem: str = ""

    @property
    def end_to_end(self) -> bool:
        """Every entry from #1 to the head was checked (each archive present and intact)."""
        return self.intact and all(s.present for s in self.segments)

    @property
    def intact(self) -> bool:
        return (self.store_intact and self.anchors_genuine
                and all(s.intact for s in self.segments if s.present))

    def summary(self) -> str:
        if not self.intact:
            bad = [s.reason for s in self.segments if s.present and not s.intact]
            if not self.anchors_genuine:
                bad.insert(0, self.anchor_problem)
            if not self.store_intact:
                bad.append(self.store_summary)
            return "NOT INTACT: " + " ".join(bad)
        if not self.segments:
            return self.store_summary
        if self.end_to_end:
            last = self.segments[-1].anchor.last_seq
            return (f"Intact end to end: entries 1–{last:,} checked in "
                    f"{len(self.segments)} archive file(s), then the store. "
                    + self.store_summary)
        missing = [s.anchor.describe() for s in self.segments if not s.present]
        return (f"Intact from the archive anchor; {'; '.join(missing)}, not checked (give "
                f"the file to check them). " + self.store_summary)
