"""Review mode: an offline review extract opened by its recipient (issue 15).

An extract holds only the released reads, so nothing can be searched beyond them; this service
has no search, import or purge at all, and refuses any read id the extract was not released
with. The reviewer signs in with the name and organization on the release and a purpose that
passes the same rules as a search (core.purpose_rules), and every view (the list, each read and
its images) is written to the extract's own hash-chained access log in the same transaction as
the fetch, before anything is returned. Sign-ins, refusals and the export of the log are logged
too. The extract refuses to open after its expiry date (site's zone), and when this computer's
clock is earlier than its last log entry (a clock wound back to get round the expiry).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alpr_desktop.core.audit_log import LogEntry, LogEvent, Outcome
from alpr_desktop.core.clock import Clock, SystemClock
from alpr_desktop.core.extract import (
    ClockBehind,
    ExtractExpired,
    ExtractManifest,
    NotAnExtract,
    ReadNotInExtract,
    Reviewer,
    ReviewerRefused,
    WrongExtractPassphrase,
    same_name,
)
from alpr_desktop.core.models import Read
from alpr_desktop.core.owner_only import private_file
from alpr_desktop.core.purpose_problems import PurposeRejected
from alpr_desktop.core.purpose_rules import validate_purpose
from alpr_desktop.core.purposes import PurposeInput
from alpr_desktop.core.reviewer_log import LOG_SUFFIX, ReviewerLogFile
from alpr_desktop.imaging.integrity import verify
from alpr_desktop.security import extract_keys
from alpr_desktop.services.audit import log_event
from alpr_desktop.services.images import CheckedImage, OpenedRead, ReadImages, decode_opened
from alpr_desktop.storage.errors import StoreError, WrongKey
from alpr_desktop.storage.extract_store import open_extract_file
from alpr_desktop.storage.unit_of_work import UnitOfWork

REVIEW_WORKSTATION_NOTE = "offline review"


@dataclass(frozen=True)
class ReviewedRead:
    read: Read
    crop: CheckedImage | None
    overview: CheckedImage | None


@dataclass(frozen=True)
class ExtractInfo:
    """What the unlock dialog may show before sign-in: no read data."""

    manifest: ExtractManifest
    path: Path
    read_count: int


class NotSignedInToExtract(ReviewerRefused):
    def __init__(self) -> None:
        super().__init__("Sign in to the extract with the name and organization on the "
                         "release and a purpose first.")


def check_expiry(manifest: ExtractManifest, now_ms: int) -> None:
    if now_ms >= manifest.expires_at_ms:
        raise ExtractExpired(manifest.expires_on)


def peek_expiry(path: Path | str, clock: Clock | None = None) -> None:
    """Refuse an expired extract from its key file alone, before a passphrase is asked for
    (the date is checked again, authenticated, after unlocking)."""
    from alpr_desktop.core.extract import expiry_ms

    header = extract_keys.read_key_file(Path(path))
    if (clock or SystemClock()).now_ms() >= expiry_ms(header.expires_on):
        raise ExtractExpired(header.expires_on)


class ReviewSession:
    """One open extract. Not thread-safe: a worker opens its own with ``open``."""

    def __init__(self, store: UnitOfWork, manifest: ExtractManifest, path: Path,
                 clock: Clock) -> None:
        self.store = store
        self.manifest = manifest
        self.path = path
        self.clock = clock
        self._reviewer: Reviewer | None = None
        self._released = frozenset(manifest.read_ids)

    # -- opening -------------------------------------------------------------------------------
    @classmethod
    def open(cls, path: Path | str, passphrase: str, clock: Clock | None = None,
             ) -> ReviewSession:
        """Unlock the extract at ``path``. Raises NotAnExtract, WrongExtractPassphrase,
        ExtractExpired or ClockBehind (sentences); an expired extract's file is not changed."""
        clock = clock or SystemClock()
        path = Path(path)
        if not path.is_file():
            raise NotAnExtract(f"No extract at {path}.")
        peek_expiry(path, clock)
        header = extract_keys.read_key_file(path)
        key = header.unwrap(passphrase)
        try:
            store = open_extract_file(path, key)
        except WrongKey:
            raise WrongExtractPassphrase() from None
        except StoreError as exc:
            raise NotAnExtract(f"The extract cannot be opened: {exc}") from None
        try:
            text = store.extract_content.manifest_json()
            if not store.extract_content.is_extract() or text is None:
                raise NotAnExtract(f"{path.name} is a store, not a review extract.")
            manifest = ExtractManifest.from_json(text)
            if manifest.extract_id != header.extract_id or \
                    manifest.expires_on != header.expires_on:
                raise NotAnExtract("The extract and its key file do not belong together.")
            now = clock.now_ms()
            check_expiry(manifest, now)
            last = store.extract_content.last_log_ms()
            if last is not None and now < last:
                raise ClockBehind()
        except BaseException:
            store.close()
            raise
        return cls(store, manifest, path, clock)

    def info(self) -> ExtractInfo:
        return ExtractInfo(self.manifest, self.path, len(self.manifest.read_ids))

    def close(self) -> None:
        self.store.close()

    # -- signing in ----------------------------------------------------------------------------
    @property
    def reviewer(self) -> Reviewer | None:
        return self._reviewer

    def sign_in(self, name: str, organization: str, purpose: PurposeInput) -> Reviewer:
        """Sign the reviewer in: the name and organization must be those on the release and
        the purpose must pass the purpose rules. Refusals are logged and raise
        ReviewerRefused (or PurposeRejected, whose sentences say what is missing)."""
        self._guard_time()
        m = self.manifest
        who = " ".join(name.split())[:120]
        org = " ".join(organization.split())[:200]
        if not (same_name(who, m.recipient_name) and same_name(org, m.organization)):
            self._log_refusal("review.sign_in", who, org, "not_the_recipient", {})
            raise ReviewerRefused(
                "This extract was released to someone else. Type your name and organization "
                "exactly as they appear on the release record.")
        try:
            accepted = validate_purpose(purpose)
        except PurposeRejected as exc:
            self._log_refusal("review.sign_in", who, org, "purpose", {
                "problems": [p.field for p in exc.problems]})
            raise
        reviewer = Reviewer(m.recipient_name, m.organization, accepted.as_log_dict(),
                            self.clock.now_ms())
        with self.store.transaction():
            self._log(reviewer, "review.sign_in", query={}, detail={"typed_name": who})
        self._reviewer = reviewer
        return reviewer

    def sign_out(self) -> None:
        if self._reviewer is not None:
            with self.store.transaction():
                self._log(self._reviewer, "review.sign_out", query={})
        self._reviewer = None

    # -- views (each logged before anything is returned) ----------------------------------------
    def reads(self, reviewer: Reviewer) -> list[Read]:
        """Every read of the extract (logged as "review.list")."""
        with self._view(reviewer):
            found = [r for r in self.store.extract_content.all_reads() if r.id in self._released]
            self._log(reviewer, "review.list", query={"extract_id": self.manifest.extract_id},
                      result_count=len(found))
        return found

    def open_read(self, reviewer: Reviewer, read_id: int) -> ReviewedRead:
        """One read with its images, hashes checked; logged as "review.view". A read the
        extract was not released with is refused (and the attempt logged)."""
        try:
            rid = int(read_id)
        except (TypeError, ValueError):
            rid = -1
        with self._view(reviewer):
            read = self.store.reads.get(rid) if rid in self._released else None
            if read is None:
                self._log(reviewer, "review.view", query={"read_id": str(read_id)[:40]},
                          result_count=0, outcome=Outcome.REFUSED,
                          detail={"reason": "not_in_extract"})
                refused = True
            else:
                refused = False
                found = {b.kind: CheckedImage(b, verify(b.data, b.sha256))
                         for b in self.store.images.for_read(read.id)}
                self._log(reviewer, "review.view",
                          query={"read_id": read.id, "plate": read.plate_norm},
                          result_count=len(found),
                          detail={"kinds": sorted(found),
                                  "integrity": {k: "ok" if c.integrity.ok else "mismatch"
                                                for k, c in sorted(found.items())}})
        if refused or read is None:
            raise ReadNotInExtract(read_id)
        return ReviewedRead(read, found.get("crop"), found.get("overview"))

    # -- the reviewer's log --------------------------------------------------------------------
    def log_entries(self) -> list[LogEntry]:
        out: list[LogEntry] = []
        while True:
            batch = self.store.access_log.entries(after_seq=out[-1].seq if out else 0,
                                                  limit=5000)
            if not batch:
                return out
            out.extend(batch)

    def export_log(self, reviewer: Reviewer, dest: Path | str) -> Path:
        """Write the extract's whole log, signed with the extract's key, to ``dest`` (owner
        only). The export is itself logged first, so the file includes its own entry."""
        with self._view(reviewer):
            self._log(reviewer, "review.log_export", query={},
                      detail={"file_name": Path(dest).name[:120]})
        raw_key = self.store.extract_content.signing_key()
        if raw_key is None:
            raise NotAnExtract("The extract holds no signing key; it was not made by this "
                               "program.")
        key = extract_keys.signing_key_from_raw(raw_key)
        unsigned = ReviewerLogFile(self.manifest.extract_id, self.clock.now_ms(),
                                   key.public_raw.hex(), tuple(self.log_entries()))
        signed = ReviewerLogFile(unsigned.extract_id, unsigned.exported_at_ms,
                                 unsigned.public_key_hex, unsigned.entries,
                                 extract_keys.sign_log(key, unsigned.signed_payload()))
        target = Path(dest)
        if not target.name.endswith(LOG_SUFFIX):
            target = target.with_name(target.name + LOG_SUFFIX)
        with private_file(target) as fh:
            fh.write(signed.to_bytes())
        return target

    # -- inner workings ------------------------------------------------------------------------
    def _guard_time(self) -> None:
        check_expiry(self.manifest, self.clock.now_ms())

    @contextmanager
    def _view(self, reviewer: Reviewer) -> Iterator[None]:
        """The extract's gate: the signed-in reviewer of this session, before expiry."""
        if self._reviewer is None or reviewer.token != self._reviewer.token:
            self._log_refusal("review.refused", reviewer.name, reviewer.organization,
                              "not_signed_in", {})
            raise NotSignedInToExtract()
        try:
            self._guard_time()
        except ExtractExpired:
            self._log_refusal("review.refused", reviewer.name, reviewer.organization,
                              "expired", {})
            self._reviewer = None
            raise
        with self.store.transaction():
            yield

    def _log(self, reviewer: Reviewer, event: str, *, query: dict[str, Any],
             result_count: int | None = None, detail: dict[str, Any] | None = None,
             outcome: str = Outcome.OK) -> LogEntry:
        return log_event(self.store, LogEvent(
            event, outcome, reviewer.name, organization=reviewer.organization,
            agency=reviewer.organization, purpose=reviewer.purpose, query=query,
            result_count=result_count,
            detail={"extract_id": self.manifest.extract_id, "mode": REVIEW_WORKSTATION_NOTE,
                    **(detail or {})}), self.clock)

    def _log_refusal(self, event: str, name: str, org: str, reason: str,
                     detail: dict[str, Any]) -> None:
        log_event(self.store, LogEvent(
            event, Outcome.REFUSED, name or "(no name given)", organization=org, agency=org,
            query={}, detail={"extract_id": self.manifest.extract_id, "reason": reason,
                              **detail}), self.clock)


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def open_for_review(session: ReviewSession, reviewer: Reviewer, read_id: int) -> OpenedRead:
    """The review window's worker body: the logged view first, then both images decoded
    (each failure its own sentence)."""
    shown = session.open_read(reviewer, read_id)
    return decode_opened(ReadImages(shown.read, shown.crop, shown.overview))
