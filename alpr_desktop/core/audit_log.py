"""The access log's entries and their hash chain, independent of where they are stored.

Each entry's hash is SHA-256 over a canonical encoding of the entry, including its sequence
number and the previous entry's hash, so a changed, removed, inserted or reordered entry breaks
the chain at a nameable place (DESIGN rule 4).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

GENESIS_HASH = "0" * 64
ENCODING_TAG = "alpr-log-v1"


class Outcome:
    OK = "ok"
    REFUSED = "refused"
    FAILED = "failed"


def canonical_json(value: Any) -> str:
    """Stable JSON text: sorted keys, no spaces, UTF-8 kept as is."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True)
class LogEvent:
    """What a service asks to be logged. The policy's five elements live in these fields:
    date (stamped on append), agency, query elements, username and organization, purpose."""

    event: str
    outcome: str
    username: str
    organization: str = ""
    agency: str = ""
    workstation: str = ""
    purpose: dict[str, Any] = field(default_factory=dict)
    query: dict[str, Any] = field(default_factory=dict)
    result_count: int | None = None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class LogEntry:
    """One stored entry; JSON-valued fields are kept as their canonical text."""

    seq: int
    ts_ms: int
    event: str
    outcome: str
    username: str
    organization: str
    agency: str
    workstation: str
    purpose_json: str
    query_json: str
    result_count: int | None
    detail_json: str
    prev_hash: str
    hash: str

    @property
    def purpose(self) -> dict[str, Any]:
        return json.loads(self.purpose_json)

    @property
    def query(self) -> dict[str, Any]:
        return json.loads(self.query_json)

    @property
    def detail(self) -> dict[str, Any]:
        return json.loads(self.detail_json)


def _reference_encoding(fields: tuple[Any, ...]) -> str:
    """The canonical encoding as defined: compact JSON of the tag and the fields."""
    return json.dumps(
        [ENCODING_TAG, *fields], separators=(",", ":"), ensure_ascii=False
    )


# The string escaper json.dumps(ensure_ascii=False) itself uses. Formatting the list by hand
# with it gives the same bytes as _reference_encoding for the types the log stores (exact int,
# str, None) at a fraction of the cost; anything else takes the reference path.
_quote = json.encoder.encode_basestring


def _encoding(fields: tuple[Any, ...]) -> str:
    (seq, ts_ms, event, outcome, username, organization, agency, workstation, purpose_json,
     query_json, result_count, detail_json, prev_hash) = fields
    if (
        type(seq) is int and type(ts_ms) is int
        and (result_count is None or type(result_count) is int)
        and type(event) is str and type(outcome) is str and type(username) is str
        and type(organization) is str and type(agency) is str and type(workstation) is str
        and type(purpose_json) is str and type(query_json) is str
        and type(detail_json) is str and type(prev_hash) is str
    ):
        return (
            f'["{ENCODING_TAG}",{seq},{ts_ms},{_quote(event)},{_quote(outcome)},'
            f"{_quote(username)},{_quote(organization)},{_quote(agency)},"
            f"{_quote(workstation)},{_quote(purpose_json)},{_quote(query_json)},"
            f"{'null' if result_count is None else result_count},{_quote(detail_json)},"
            f"{_quote(prev_hash)}]"
        )
    return _reference_encoding(fields)


def entry_digest(
    seq: int,
    ts_ms: int,
    event: str,
    outcome: str,
    username: str,
    organization: str,
    agency: str,
    workstation: str,
    purpose_json: str,
    query_json: str,
    result_count: int | None,
    detail_json: str,
    prev_hash: str,
) -> str:
    """SHA-256 (hex) of the canonical encoding of one entry and its predecessor's hash."""
    encoded = _encoding((
        seq, ts_ms, event, outcome, username, organization, agency, workstation, purpose_json,
        query_json, result_count, detail_json, prev_hash,
    ))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class VerifyResult:
    """Outcome of walking the chain. ``first_broken`` names the first entry that fails."""

    intact: bool
    checked: int
    head_hash: str
    head_seq: int
    first_broken: int | None = None
    reason: str = ""
    protection_ok: bool = True
    # Entries 1 .. archived_to were archived (docs/retention.md): the walk began at the newest
    # archive anchor, not at entry 1. ``archive_note`` says which, for the summary.
    archived_to: int = 0
    archive_note: str = ""

    @property
    def start_seq(self) -> int:
        """The first entry the walk checked."""
        return self.archived_to + 1

    def summary(self) -> str:
        if self.intact:
            text = (
                f"Intact: {self.checked} entries checked; chain head #{self.head_seq} "
                f"{self.head_hash}."
            )
            if self.archived_to:
                text += " " + (self.archive_note or (
                    f"Checked from the archive anchor: entries 1–{self.archived_to} are "
                    "archived and were not checked here."))
            return text
        where = f" at entry #{self.first_broken}" if self.first_broken is not None else ""
        return f"NOT INTACT{where}: {self.reason} ({self.checked} entries checked)."


class ChainWalker:
    """Checks entries one at a time, in sequence order, against the running chain."""

    def __init__(self) -> None:
        self.expected_seq = 1
        self._first_seq = 1
        self.prev_hash = GENESIS_HASH
        self.checked = 0
        self.first_broken: int | None = None
        self.reason = ""

    def start_after(self, last_seq: int, last_hash: str) -> None:
        """Begin at an archive anchor: the next entry is ``last_seq + 1`` and must name
        ``last_hash`` (the archived segment's last hash) as its predecessor."""
        self.expected_seq = self._first_seq = last_seq + 1
        self.prev_hash = last_hash

    def feed_many(self, rows: list[tuple]) -> bool:
        """Check rows in order, as ``feed`` does one by one, without its per-call cost (a
        million entries must verify in seconds); False once the chain is broken."""
        if self.first_broken is not None:
            return False
        encoding, sha256 = _encoding, hashlib.sha256
        expected, prev = self.expected_seq, self.prev_hash
        for row in rows:
            try:
                good = (row[0] == expected and row[12] == prev
                        and sha256(encoding(row[:13]).encode("utf-8")).hexdigest() == row[13])
            except (TypeError, ValueError):  # a value no entry can hold: feed names it
                good = False
            if not good:
                self.expected_seq, self.prev_hash = expected, prev
                self.checked = expected - self._first_seq
                return self.feed(row)  # names the break exactly as the one-by-one walk does
            expected += 1
            prev = row[13]
        self.expected_seq, self.prev_hash = expected, prev
        self.checked = expected - self._first_seq
        return True

    def vouch(self, last_seq: int, last_hash: str) -> None:
        """Take entries ``expected_seq`` .. ``last_seq`` as checked: storage.log_verify proved
        in one query that they are all present, hash to their stored hashes and chain onto
        the entry before them. ``last_hash`` is the stored hash of ``last_seq``."""
        if self.first_broken is not None or last_seq < self.expected_seq:
            return
        self.checked += last_seq - self.expected_seq + 1
        self.expected_seq = last_seq + 1
        self.prev_hash = last_hash

    def feed(self, row: tuple) -> bool:
        """Check one row (columns in LogEntry order); False once the chain is broken."""
        if self.first_broken is not None:
            return False
        seq = row[0]
        stored_prev, stored_hash = row[12], row[13]
        if seq != self.expected_seq:
            self.first_broken = self.expected_seq if seq > self.expected_seq else seq
            self.reason = (
                f"entry #{self.expected_seq} is missing (the next entry is #{seq})"
                if seq > self.expected_seq
                else f"entry #{seq} is out of sequence"
            )
            return False
        if stored_prev != self.prev_hash:
            self.first_broken = seq
            self.reason = (
                f"entry #{seq} does not follow entry #{seq - 1}: an entry before it was "
                "removed, inserted or reordered"
            )
            return False
        try:
            digest = entry_digest(*row[:13])
        except (TypeError, ValueError):  # a value no entry can hold (bytes put in a column)
            digest = None
        if digest != stored_hash:
            self.first_broken = seq
            self.reason = f"entry #{seq} was altered after it was written"
            return False
        self.prev_hash = stored_hash
        self.expected_seq = seq + 1
        self.checked += 1
        return True
