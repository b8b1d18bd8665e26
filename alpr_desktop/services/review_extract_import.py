"""The custodian imports a reviewer's log back into the City's audit (issue 15).

A custodian action (READ_AUDIT_LOG, no purpose: the custodian does not search reads): the file
must name an extract the City released, be signed by that extract's key (the public key
recorded at release), and hold an intact chain from genesis. Entries already imported from an
earlier export of the same extract are skipped; one that differs from what was imported before
is refused (the extract's log was rewritten), and a log that agrees up to an entry and then
parts from it is refused as a second copy of the extract and marked as such in the City's log
(ForkedReviewerLog: who used the copy and what they viewed). The import and every refusal are
written to the City's access log; the imported entries are kept in their own append-only table
and shown by the audit report's extract section.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from alpr_desktop.core.accounts import AccessContext
from alpr_desktop.core.audit_log import LogEntry, Outcome
from alpr_desktop.core.clock import Clock, SystemClock
from alpr_desktop.core.extract import ReviewerLogRefused
from alpr_desktop.core.reviewer_log import (
    MAX_LOG_BYTES,
    ExtractReviewSummary,
    ReviewedEntry,
    ReviewerLogFile,
    ReviewerLogImport,
    check_chain,
)
from alpr_desktop.core.roles import Action
from alpr_desktop.security import extract_keys
from alpr_desktop.services.gate import Grant, require
from alpr_desktop.storage.unit_of_work import UnitOfWork

_WHAT = {"review.list": "the list of reads", "review.view": "read", "review.sign_in":
         "signed in", "review.sign_out": "signed out", "review.log_export": "exported the log",
         "review.refused": "refused", "extract.created": "extract made"}


class ForkedReviewerLog(ReviewerLogRefused):
    """A second copy of one extract was opened: its log agrees with the log imported earlier
    up to ``fork_seq`` and then goes its own way. Refused (the City's record of the extract
    stays one chain), and marked: the refusal entry names the fork, who used the copy and
    which reads were viewed on it, so the audit shows it and the custodian can treat the
    release as compromised."""

    def __init__(self, extract_id: str, fork_seq: int, copy_entries: list[LogEntry]) -> None:
        self.extract_id = extract_id
        self.fork_seq = fork_seq
        self.copy_entries = copy_entries
        people = sorted({f"{e.username} ({e.organization})" for e in copy_entries
                         if e.username})
        super().__init__(
            f"This log comes from a second copy of the extract: it agrees with the log "
            f"imported earlier up to entry #{fork_seq} and then parts from it "
            f"({len(copy_entries)} entries on the copy"
            + (f", by {', '.join(people)}" if people else "") + "). The extract was copied "
            "and both copies were opened; nothing was imported. The refusal is in the "
            "access log with what was viewed on the copy: treat the release as compromised "
            "and record an incident.")

    def as_detail(self) -> dict[str, object]:
        viewed = sorted({int(e.query["read_id"]) for e in self.copy_entries
                         if e.event == "review.view" and isinstance(e.query.get("read_id"),
                                                                    int)})
        return {"refused": "forked_copy", "forked_after_seq": self.fork_seq,
                "copy_entries": len(self.copy_entries),
                "copy_reviewers": sorted({f"{e.username} ({e.organization})"
                                          for e in self.copy_entries if e.username}),
                "copy_read_ids": viewed,
                "copy_first_ms": min((e.ts_ms for e in self.copy_entries), default=0),
                "copy_workstations": sorted({e.workstation for e in self.copy_entries})}


@dataclass(frozen=True)
class ImportedLog:
    result: ReviewerLogImport
    entries: tuple[ReviewedEntry, ...]


def describe(extract_id: str, e: LogEntry) -> ReviewedEntry:
    q, p = e.query, e.purpose
    what = _WHAT.get(e.event, e.event)
    if e.event == "review.view":
        what = f"read {q.get('read_id')}" + (f" ({q['plate']})" if q.get("plate") else "")
    purpose = " ".join(x for x in (str(p.get("case_number", "")),
                                   str(p.get("offense", ""))) if x)
    return ReviewedEntry(extract_id, e.seq, e.ts_ms, e.event, e.outcome, e.username,
                         e.organization, e.workstation, purpose, what)


class ReviewerLogImportService:
    def __init__(self, store: UnitOfWork, clock: Clock | None = None) -> None:
        self.store = store
        self.clock = clock or SystemClock()

    def _grant(self, ctx: AccessContext, action: Action) -> Grant:
        return require(self.store, ctx, action, needs_purpose=False, clock=self.clock)

    def import_log(self, ctx: AccessContext, path: Path | str) -> ImportedLog:
        """Verify and import the reviewer's log at ``path``; ReviewerLogRefused (logged)
        when it cannot be trusted, and then nothing is imported."""
        grant = self._grant(ctx, Action.READ_AUDIT_LOG)
        path = Path(path)
        try:
            raw = _read(path)
            parsed = ReviewerLogFile.from_bytes(raw)
            entries = self._verified(parsed)
        except ReviewerLogRefused as exc:
            detail: dict[str, object] = {"reason": str(exc)[:300]}
            query: dict[str, object] = {"file_name": path.name[:120]}
            if isinstance(exc, ForkedReviewerLog):
                detail.update(exc.as_detail())
                query["extract_id"] = exc.extract_id
            with self.store.transaction():
                grant.log("extract.reviewer_log_import", query=query,
                          outcome=Outcome.REFUSED, detail=detail)
            raise
        release = self.store.extract_releases.release(parsed.extract_id)
        assert release is not None  # _verified checked it
        now = self.clock.now_ms()
        head_seq, head_hash = parsed.head
        result = ReviewerLogImport(parsed.extract_id, release.recipient_name,
                                   release.organization, path.name[:120], len(parsed.entries),
                                   len(entries), head_seq, head_hash, now)
        with self.store.transaction():
            self.store.extract_releases.record_import(
                result, grant.account.username, hashlib.sha256(raw).hexdigest(), entries)
            grant.log("extract.reviewer_log_import",
                      query={"extract_id": parsed.extract_id, "file_name": path.name[:120]},
                      result_count=len(entries),
                      detail={"recipient": release.recipient_name,
                              "recipient_agency": release.organization,
                              "entries_in_file": len(parsed.entries), "head_seq": head_seq,
                              "head_hash": head_hash})
        return ImportedLog(result, tuple(describe(parsed.extract_id, e) for e in entries))

    def _verified(self, f: ReviewerLogFile) -> list[LogEntry]:
        release = self.store.extract_releases.release(f.extract_id)
        if release is None:
            raise ReviewerLogRefused(
                "This reviewer's log belongs to an extract this store never released.")
        if f.public_key_hex != release.public_key_hex or not \
                extract_keys.verify_log_signature(bytes.fromhex(release.public_key_hex),
                                                  f.signed_payload(), f.signature):
            raise ReviewerLogRefused(
                "The reviewer's log is not signed by its extract's key: it was changed after "
                "it was exported, or it was made elsewhere. Nothing was imported.")
        check_chain(f.entries)
        before = self.store.extract_releases.imported_hashes(f.extract_id)
        fresh: list[LogEntry] = []
        for e in f.entries:
            known = before.get(e.seq)
            if known is None:
                fresh.append(e)
            elif known != e.hash:
                if e.seq > 1 and before.get(e.seq - 1) == e.prev_hash:
                    # An intact chain that agrees up to here and then parts: another copy
                    # of the extract was opened and kept its own log from that point.
                    raise ForkedReviewerLog(f.extract_id, e.seq - 1,
                                            [x for x in f.entries if x.seq >= e.seq])
                raise ReviewerLogRefused(
                    f"Entry #{e.seq} differs from the one imported earlier from this extract: "
                    "its log was rewritten. Nothing was imported.")
        if len(f.entries) < len(before):
            raise ReviewerLogRefused(
                "This file holds fewer entries than were imported earlier from the same "
                "extract: its log was cut short. Nothing was imported.")
        return fresh

    def summary(self, ctx: AccessContext, since_ms: int | None = None,
                until_ms: int | None = None) -> ExtractReviewSummary:
        """Releases, imports and imported entries for the audit report (logged)."""
        grant = self._grant(ctx, Action.READ_AUDIT_LOG)
        with self.store.transaction():
            out = report_summary(self.store, since_ms, until_ms)
            grant.log("extract.review_summary", query={}, result_count=len(out.entries))
        return out


def report_summary(store: UnitOfWork, since_ms: int | None = None,
                   until_ms: int | None = None) -> ExtractReviewSummary:
    """The section's data, for a caller that has already passed the gate and logs its own
    access (the audit report)."""
    repo = store.extract_releases
    entries = tuple(describe(x, e) for x, e in repo.entries()
                    if (since_ms is None or e.ts_ms >= since_ms)
                    and (until_ms is None or e.ts_ms < until_ms))
    return ExtractReviewSummary(tuple(repo.releases(since_ms, until_ms)),
                                tuple(repo.imports(since_ms, until_ms)), entries)


def _read(path: Path) -> bytes:
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_LOG_BYTES + 1)
    except OSError as exc:
        raise ReviewerLogRefused(f"{path.name} cannot be read: {exc.strerror}.") from None
    if len(raw) > MAX_LOG_BYTES:
        raise ReviewerLogRefused("The file is far too large to be a reviewer's log.")
    return raw
