"""What a checkpoint vouches for and how a chain is judged against it (issue 10 §2).

A checkpoint says: store S had N entries and entry #N's hash was H at time T, signed by a
custodian. The hash chain alone proves the entries agree with each other; only something kept
outside the store (the checkpoint file the City keeps, a workstation's witness) proves that
nothing was cut off the end, put back from an older copy, or rewritten consistently.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from alpr_desktop.core.audit_format import format_utc
from alpr_desktop.core.audit_log import VerifyResult

CHECKPOINT_FORMAT = "alpr-desktop-log-checkpoint"
CHECKPOINT_VERSION = 1


@dataclass(frozen=True)
class Checkpoint:
    """The signed statement. ``issuer`` names the custodian (username, name, organization)."""

    store_id: str
    entry_count: int
    head_hash: str
    issued_ms: int
    issuer: str
    key_fingerprint: str

    def body(self) -> bytes:
        """The exact bytes that are signed: canonical JSON with the format and version."""
        return json.dumps({
            "format": CHECKPOINT_FORMAT, "version": CHECKPOINT_VERSION,
            "store_id": self.store_id, "entry_count": self.entry_count,
            "head_hash": self.head_hash, "issued_ms": self.issued_ms,
            "issued_utc": format_utc(self.issued_ms), "issuer": self.issuer,
            "key_fingerprint": self.key_fingerprint,
        }, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")

    def describe(self) -> str:
        """"the checkpoint of <UTC time> issued by <custodian>", for sentences."""
        return f"the checkpoint of {format_utc(self.issued_ms)} issued by {self.issuer}"


def entries(n: int) -> str:
    """'1 entry', '1,204 entries'."""
    return f"{n:,} {'entry' if n == 1 else 'entries'}"


def entry_range(first: int, last: int) -> str:
    return f"entry {first:,} is" if first == last else f"entries {first:,}–{last:,} are"


@dataclass(frozen=True)
class ArchivedEntry:
    """The entry a checkpoint vouches for lies in a segment archived since (docs/retention.md):
    the store no longer holds it, which is retention, not a rewrite. ``hash`` is that entry's
    hash as the archive file (walked and verified) or the signed anchor (when the checkpoint's
    entry is the segment's last) holds it; None when neither can say without the file."""

    segment: str  # "entries 1–N archived in FILE"
    hash: str | None
    through: str  # "the archive file FILE", "the archive anchor"
    problem: str = ""  # the archive file given does not verify (a sentence)


@dataclass(frozen=True)
class AnchoredResult:
    """The chain walk held against a checkpoint. ``missing`` is the (first, last) sequence
    numbers the checkpoint vouches for that the log no longer has."""

    chain: VerifyResult
    checkpoint: Checkpoint
    intact: bool
    reason: str = ""
    missing: tuple[int, int] | None = None
    archived: ArchivedEntry | None = None  # the vouched entry was archived since

    @property
    def status(self) -> str:
        """"intact", "archived" (consistent as far as the archive shows) or "not intact"."""
        if not self.intact:
            return "not intact"
        return "archived" if self.archived is not None else "intact"

    def summary(self) -> str:
        if self.intact and self.archived is not None:
            a, n = self.archived, self.checkpoint.entry_count
            checked = (f"verified through {a.through}: its hash is the one the checkpoint "
                       "names" if a.hash is not None else
                       f"not checked here: the chain verifies from {a.through}, which is "
                       "signed; give the archive file to check the entry itself "
                       "(alpr-desktop verify-log --checkpoint FILE --archive ARCHIVE)")
            return (f"Archived: entry #{n:,} that {self.checkpoint.describe()} vouches for is "
                    f"no longer in the store but in {a.segment} (kept five years, then "
                    f"archived); {checked}. Chain head #{self.chain.head_seq} "
                    f"{self.chain.head_hash}.")
        if self.intact:
            later = self.chain.head_seq - self.checkpoint.entry_count
            return (f"Intact and consistent with {self.checkpoint.describe()}: its "
                    f"{self.checkpoint.entry_count:,} entries unchanged and {later:,} later "
                    f"{'entry' if later == 1 else 'entries'} chained to them. Chain head "
                    f"#{self.chain.head_seq} {self.chain.head_hash}.")
        return f"NOT INTACT: {self.reason}."


def judge(chain: VerifyResult, cp: Checkpoint, hash_at_count: str | None,
          archived: ArchivedEntry | None = None) -> AnchoredResult:
    """Hold a finished chain walk against ``cp``; ``hash_at_count`` is the stored hash of entry
    #``cp.entry_count`` (None when there is no such entry); ``archived`` says where that entry
    went when an archive anchor covers it."""
    if archived is not None and cp.entry_count:
        return _judge_archived(chain, cp, archived)
    if not chain.intact and chain.first_broken is not None \
            and chain.first_broken <= cp.entry_count:
        return AnchoredResult(chain, cp, False,
                              f"{chain.reason}, before the checkpoint's entry "
                              f"#{cp.entry_count:,}: the log was altered after the checkpoint "
                              "vouched for it")
    # The triggers' state (a chain break after the checkpoint, or protection removed) is
    # added to whatever the checkpoint finds, so neither hides the other.
    besides = "" if chain.intact else f"; besides, {chain.reason}"
    if chain.head_seq < cp.entry_count and chain.first_broken is None:
        first, last = chain.head_seq + 1, cp.entry_count
        return AnchoredResult(
            chain, cp, False,
            f"{entry_range(first, last)} missing: the log ends before the checkpoint. It has "
            f"{entries(chain.head_seq)} where {cp.describe()} vouches for "
            f"{cp.entry_count:,}: the log was cut short or an older copy of the store was put "
            f"back{besides}",
            missing=(first, last))
    if cp.entry_count and hash_at_count != cp.head_hash:
        return AnchoredResult(
            chain, cp, False,
            f"entry #{cp.entry_count:,} is not the entry {cp.describe()} vouches for: the log "
            f"was rewritten at or before entry #{cp.entry_count:,}{besides}")
    if not chain.intact:
        where = "" if chain.first_broken is None else " (after the checkpoint)"
        return AnchoredResult(chain, cp, False, f"{chain.reason}{where}")
    return AnchoredResult(chain, cp, True)


def _judge_archived(chain: VerifyResult, cp: Checkpoint, a: ArchivedEntry) -> AnchoredResult:
    besides = "" if chain.intact else f"; besides, {chain.reason}"
    if a.problem:
        return AnchoredResult(chain, cp, False, f"{a.problem}{besides}", archived=a)
    if a.hash is not None and a.hash != cp.head_hash:
        return AnchoredResult(
            chain, cp, False,
            f"entry #{cp.entry_count:,} in {a.segment} is not the entry {cp.describe()} "
            f"vouches for (checked through {a.through}): the log was rewritten at or before "
            f"entry #{cp.entry_count:,}{besides}", archived=a)
    if not chain.intact:
        return AnchoredResult(chain, cp, False, chain.reason, archived=a)
    return AnchoredResult(chain, cp, True, archived=a)


@dataclass(frozen=True)
class PinnedKeyInfo:
    """A checkpoint signing key as the audit report prints it."""

    username: str
    fingerprint: str
    public_key_hex: str
    pinned_ms: int


@dataclass(frozen=True)
class AnchorSummary:
    """What every audit report says about the anchors: the pinned keys, the newest checkpoint
    recorded in the store, and whether the log still holds the entry it vouches for."""

    pinned: tuple[PinnedKeyInfo, ...] = ()
    newest: Checkpoint | None = None
    newest_state: str = ""  # a sentence: consistent, or what is wrong
    newest_consistent: bool | None = None
