"""The reviewer's log as a file: the extract's own hash-chained entries, exported for the City
and signed (the signature is security/extract_keys.py's; this module is the format and the
chain check, pure Python).

The file is JSON: the extract's id, the moment of export, the chain head and every entry as
its fourteen stored columns (core.audit_log.LogEntry order), with a detached Ed25519
signature over the canonical encoding of everything else. Importing checks the signature
against the public key the City recorded at release, then walks the chain from genesis with
core.audit_log.ChainWalker, so an entry changed, dropped or reordered after export (or before,
inside the extract) is named.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from alpr_desktop.core.audit_log import ChainWalker, LogEntry, canonical_json
from alpr_desktop.core.extract import ReviewerLogRefused

LOG_FORMAT = "alpr-reviewer-log-v1"
LOG_SUFFIX = ".alprreviewlog"
MAX_LOG_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class ReviewerLogFile:
    extract_id: str
    exported_at_ms: int
    public_key_hex: str
    entries: tuple[LogEntry, ...]
    signature: str = ""

    @property
    def head(self) -> tuple[int, str]:
        if not self.entries:
            return (0, "0" * 64)
        return (self.entries[-1].seq, self.entries[-1].hash)

    def signed_payload(self) -> bytes:
        """The bytes the signature covers: every field but the signature, canonical JSON."""
        return canonical_json(self._body()).encode("utf-8")

    def _body(self) -> dict[str, Any]:
        return {
            "format": LOG_FORMAT, "extract_id": self.extract_id,
            "exported_at_ms": self.exported_at_ms, "public_key": self.public_key_hex,
            "head": list(self.head),
            "entries": [list(_row(e)) for e in self.entries],
        }

    def to_bytes(self) -> bytes:
        return json.dumps({**self._body(), "signature": self.signature}, indent=0,
                          ensure_ascii=False).encode("utf-8")

    @classmethod
    def from_bytes(cls, raw: bytes) -> ReviewerLogFile:
        if len(raw) > MAX_LOG_BYTES:
            raise ReviewerLogRefused("The file is far too large to be a reviewer's log.")
        try:
            d = json.loads(raw.decode("utf-8"))
            if not isinstance(d, dict) or d.get("format") != LOG_FORMAT:
                raise ReviewerLogRefused("The file is not a reviewer's log of an extract.")
            entries = tuple(_entry(r) for r in d["entries"])
            made = cls(str(d["extract_id"]), int(d["exported_at_ms"]), str(d["public_key"]),
                       entries, str(d["signature"]))
            if list(made.head) != list(d["head"]):
                raise ReviewerLogRefused(
                    "The reviewer's log names a chain head that is not its last entry: it "
                    "was altered after it was signed.")
            return made
        except ReviewerLogRefused:
            raise
        except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
            raise ReviewerLogRefused("The reviewer's log file is damaged or incomplete.") \
                from exc


def _row(e: LogEntry) -> tuple:
    return (e.seq, e.ts_ms, e.event, e.outcome, e.username, e.organization, e.agency,
            e.workstation, e.purpose_json, e.query_json, e.result_count, e.detail_json,
            e.prev_hash, e.hash)


def _entry(r: Any) -> LogEntry:
    if not isinstance(r, list) or len(r) != 14:
        raise ValueError("an entry has fourteen fields")
    seq, ts, rc = r[0], r[1], r[10]
    if type(seq) is not int or type(ts) is not int or not (rc is None or type(rc) is int):
        raise ValueError("numbers where numbers belong")
    texts = [r[i] for i in (2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13)]
    if not all(isinstance(t, str) for t in texts):
        raise ValueError("text where text belongs")
    return LogEntry(*r)


def check_chain(entries: tuple[LogEntry, ...]) -> None:
    """Walk the chain from genesis; ReviewerLogRefused naming the first broken entry."""
    walker = ChainWalker()
    for e in entries:
        if not walker.feed(_row(e)):
            raise ReviewerLogRefused(
                f"The reviewer's log is not intact at entry #{walker.first_broken}: "
                f"{walker.reason}. It was changed after the extract wrote it; nothing was "
                "imported.")


@dataclass(frozen=True)
class ReviewerLogImport:
    """What one import brought in (the custodian's answer, and a row of the report)."""

    extract_id: str
    recipient_name: str
    organization: str
    file_name: str
    entries_in_file: int
    new_entries: int
    head_seq: int
    head_hash: str
    imported_ms: int


@dataclass(frozen=True)
class ReviewedEntry:
    """One imported entry in words: who looked at what, when, and from which computer."""

    extract_id: str
    seq: int
    ts_ms: int
    event: str
    outcome: str
    reviewer: str
    organization: str
    workstation: str
    purpose: str
    what: str


@dataclass(frozen=True)
class ExtractReviewSummary:
    """The audit report's section on extracts: releases and what their reviewers did."""

    releases: tuple[tuple[str, str, str, str, int, str], ...]  # id, to, org, case, reads, exp
    imports: tuple[ReviewerLogImport, ...]
    entries: tuple[ReviewedEntry, ...]
