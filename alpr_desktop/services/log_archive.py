"""The access log's own retention (issue 14; docs/retention.md, "The access log's own
retention"): entries older than five years go to a signed, encrypted archive file, and the
chain restarts from an anchor naming the archived segment's last hash.

Archiving is a custodian's act with their password (it unwraps the checkpoint key that signs
the archive and the anchor). The file is written first, atomically; then one transaction
logs "log.archived", inserts the anchor and removes the prefix. A run killed before that
commit leaves the log whole (and at most an unreferenced file, replaced by the next run); no
entry is ever in neither place. Verifying with the archive walks the chain end to end; without
it, from the anchor, and says so.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from alpr_desktop.core.access_errors import BadCredentials
from alpr_desktop.core.accounts import AccessContext
from alpr_desktop.core.audit_log import GENESIS_HASH, ChainWalker, Outcome, VerifyResult
from alpr_desktop.core.clock import Clock, SystemClock
from alpr_desktop.core.log_anchors import ArchivedEntry
from alpr_desktop.core.log_archive import (
    CHUNK_ROWS,
    KEEP_MONTHS,
    Anchor,
    ArchiveHeader,
    ArchiveResult,
    ArchiveVerification,
    LogArchiveError,
    SegmentCheck,
    archive_name,
)
from alpr_desktop.core.retention import add_months
from alpr_desktop.core.roles import Action
from alpr_desktop.security.log_archive_crypto import (
    ArchiveReader,
    ArchiveWriter,
    anchor_signature_ok,
    partial_name,
    sign_anchor,
)
from alpr_desktop.services.auth import AuthService
from alpr_desktop.services.checkpoints import CheckpointService, issuer_of
from alpr_desktop.services.gate import require
from alpr_desktop.storage.unit_of_work import UnitOfWork

Progress = Callable[[int, int], object]
# Kept as a hook so a test can stop a run between writing the file and the commit (a kill).
_before_commit: Callable[[], None] = lambda: None  # noqa: E731


class LogArchiveService:
    def __init__(self, store: UnitOfWork, clock: Clock | None = None) -> None:
        self.store = store
        self.clock = clock or SystemClock()
        self.repo = store.log_archive

    # -- archiving ---------------------------------------------------------------------------
    def due_until(self) -> tuple[int, int]:
        """(first, last) seq of the segment archiving would take now (last < first: none)."""
        first = self.repo.archived_to() + 1
        threshold_ms = add_months(self.clock.now_ms() // 1000, -KEEP_MONTHS) * 1000
        return first, self.repo.segment_end(first, threshold_ms)

    def archive(self, ctx: AccessContext, password: str, folder: Path | str) -> ArchiveResult:
        """Archive every entry older than five years (after the last archived one) into a new
        file in ``folder``; see the module docstring. Logged as "log.archived" (or
        "log.archive" with nothing to do, or a wrong password)."""
        grant = require(self.store, ctx, Action.REVIEW_RETENTION, needs_purpose=False,
                        clock=self.clock)
        folder = Path(folder)
        if not folder.is_dir():
            raise LogArchiveError(f"There is no folder {folder}; choose where the archive goes.")
        first, last = self.due_until()
        if last < first:
            with self.store.transaction():
                grant.log("log.archive", query={}, result_count=0,
                          detail={"archived": 0, "reason": "no entry older than five years"})
            return ArchiveResult(None)
        try:  # counted toward the lockout like a sign-in, before any unwrap
            AuthService(self.store, self.clock).confirm_password(grant.session, password,
                                                                 "log.archive")
        except BadCredentials:
            raise LogArchiveError("The password is not correct; nothing was archived.") from None
        signing, _ = CheckpointService(self.store, self.clock).signing_key(grant, password)
        key = self.store.checkpoints.key_by_public(signing.public_raw)
        assert key is not None
        prev = self._prev_hash(first)
        last_hash = self.repo.hash_at(last) or ""
        head_seq, head_hash = self.store.access_log.head()
        now_ms = self.clock.now_ms()
        issuer = issuer_of(grant.account)
        store_id = self.store.store_id
        header = ArchiveHeader(store_id, first, last, prev, last_hash, head_seq, head_hash,
                               now_ms, issuer, signing.fingerprint)
        name = archive_name(store_id, first, last)
        path = folder / name
        _remove_stale_partials(path)
        writer = ArchiveWriter(path, header, self.store.data_key(), signing)
        installed = False
        try:
            file_sha256 = self._write_segment(writer, first, last, prev, last_hash)
            anchor = Anchor(first, last, last_hash, name, file_sha256, now_ms, issuer,
                            signing.fingerprint, store_id)
            with self.store.transaction():
                if self.repo.archived_to() != first - 1:  # under the write lock
                    raise LogArchiveError(
                        "Another archiving run archived these entries meanwhile; nothing "
                        "was archived by this one.")
                writer.install()  # complete, signed, durable: now under its own name
                installed = True
                grant.log("log.archived", query={}, result_count=last - first + 1, detail={
                    "first_seq": first, "last_seq": last, "last_hash": anchor.last_hash,
                    "file": name, "sha256": anchor.archive_sha256,
                    "key_fingerprint": signing.fingerprint})
                self.repo.add_anchor(anchor, key.id, sign_anchor(signing, anchor.body()))
                removed = self.repo.remove_prefix(last)
                if removed != last - first + 1:
                    raise LogArchiveError(
                        f"The log held {removed:,} entries where {last - first + 1:,} were "
                        "archived; nothing was removed.")
                _before_commit()
        except BaseException:
            writer.discard()
            if installed:  # no anchor names it: it is nobody's evidence
                path.unlink(missing_ok=True)
            raise
        return ArchiveResult(anchor, str(path))

    def _prev_hash(self, first: int) -> str:
        anchors = self.repo.anchors()
        return anchors[-1].anchor.last_hash if anchors else GENESIS_HASH

    def _write_segment(self, writer: ArchiveWriter, first: int, last: int, prev: str,
                       last_hash: str) -> str:
        """Stream the segment into ``writer`` a chunk at a time, checking the chain as it
        goes: a broken log is evidence as it stands and is not archived. The file's SHA-256."""
        walker = ChainWalker()
        walker.start_after(first - 1, prev)
        for chunk in self.repo.iter_rows(first, last, CHUNK_ROWS):
            if not walker.feed_many(chunk):
                break
            writer.add(chunk)
        if walker.first_broken is not None or writer.rows != last - first + 1 \
                or walker.prev_hash != last_hash:
            raise LogArchiveError(
                "The access log does not verify in the part to archive"
                + (f" ({walker.reason})" if walker.reason else "")
                + "; nothing was archived. Verify the log and report the break.")
        return writer.finish()

    # -- verifying ---------------------------------------------------------------------------
    def anchor_problems(self) -> list[str]:
        """Anchors that are not genuine: a bad signature, a body that differs from its columns,
        a key the store does not pin. Empty when all hold (or there are none)."""
        problems: list[str] = []
        stored = self.repo.anchors()
        if len(stored) != self.repo.anchor_count():
            problems.append("an archive anchor names a signing key the store does not pin")
        expected_first = 1
        for s in stored:
            a = s.anchor
            if a.first_seq != expected_first:
                problems.append(f"the anchor of {a.describe()} does not follow the one before")
            if s.body.encode("utf-8") != a.body() or not anchor_signature_ok(
                    s.public_key, s.body.encode("utf-8"), s.signature):
                problems.append(f"the anchor of {a.describe()} is not validly signed: it was "
                                "added or changed outside the program")
            expected_first = a.last_seq + 1
        return problems

    def verify(self, ctx: AccessContext, archives: Sequence[Path | str] = (),
               progress: Progress | None = None) -> ArchiveVerification:
        """The whole chain: each archive file given, held against its anchor and walked; the
        anchors' signatures; the store's part from the newest anchor. Logged as
        "audit.verify" with the files and whether it ran end to end."""
        grant = require(self.store, ctx, Action.READ_AUDIT_LOG, needs_purpose=False,
                        clock=self.clock)
        stored = self.repo.anchors()
        by_range = {(s.anchor.first_seq, s.anchor.last_seq): s.anchor for s in stored}
        checks: dict[tuple[int, int], SegmentCheck] = {}
        for path in archives:
            check, _ = self._check_file(Path(path), by_range)
            checks[(check.anchor.first_seq, check.anchor.last_seq)] = check
        segments = tuple(checks.get(k, SegmentCheck(a, False, True))
                         for k, a in by_range.items())
        problems = self.anchor_problems()
        total = self.store.access_log.head()[0]
        chain = self.store.access_log.verify(
            None if progress is None else (lambda n: progress(n, total)))
        chain = _with_note(chain, segments)
        result = ArchiveVerification(segments, chain.intact, chain.summary(), not problems,
                                     "; ".join(problems).capitalize() + "." if problems else "")
        grant.log("audit.verify", query={}, result_count=chain.checked,
                  outcome=Outcome.OK, detail={
                      "archives": [Path(p).name for p in archives],
                      "end_to_end": result.end_to_end, "intact": result.intact,
                      "archived_to": chain.archived_to, "head_seq": chain.head_seq,
                      "head_hash": chain.head_hash,
                      **({} if result.intact else {"reason": result.summary()})})
        return result

    def _check_file(self, path: Path, by_range: dict[tuple[int, int], Anchor],
                    want: int | None = None) -> tuple[SegmentCheck, str | None]:
        """Hold one archive file against its anchor, streaming it a chunk at a time; with
        ``want``, also the hash the archive holds for entry #``want`` (None: not in it)."""
        found: str | None = None
        try:
            reader = ArchiveReader(path, self.store.data_key())
        except LogArchiveError as exc:
            anchor = self._anchor_named(path.name)
            if anchor is None:
                raise
            return SegmentCheck(anchor, True, False, f"{path.name}: {exc}"), None
        h = reader.header
        anchor = by_range.get((h.first_seq, h.last_seq))
        if h.store_id != self.store.store_id:
            raise LogArchiveError(f"{path.name} is an archive of another store ({h.store_id}).")
        if anchor is None:
            raise LogArchiveError(
                f"{path.name} holds entries {h.first_seq:,}–{h.last_seq:,}, which no archive "
                "anchor of this store names.")
        bad = ""
        if self.store.checkpoints.key_by_public(reader.public_key) is None:
            bad = "it is signed by a key this store does not pin"
        elif h.prev_hash != self._expected_prev(anchor):
            bad = "its first entry does not follow the segment before it"
        else:
            walker = ChainWalker()
            walker.start_after(h.first_seq - 1, h.prev_hash)
            try:
                for chunk in reader.chunks():
                    if want is not None and chunk and chunk[0][0] <= want <= chunk[-1][0]:
                        found = next((str(r[13]) for r in chunk if r[0] == want), None)
                    if not walker.feed_many(chunk):
                        break
            except LogArchiveError as exc:
                bad = str(exc).rstrip(".")
            if bad:
                pass
            elif walker.first_broken is not None \
                    or walker.checked != h.last_seq - h.first_seq + 1:
                bad = f"its chain is broken ({walker.reason or 'entries missing'})"
            elif reader.file_sha256 != anchor.archive_sha256:
                bad = "it is not the file the anchor names (its SHA-256 differs)"
            elif walker.prev_hash != anchor.last_hash:
                bad = "its last entry is not the one the anchor names"
        if bad:
            return SegmentCheck(anchor, True, False, f"{path.name}: {bad}."), None
        return SegmentCheck(anchor, True, True), found

    def archived_entry(self, seq: int, archives: Sequence[Path | str] = ()) -> ArchivedEntry:
        """Where entry #``seq`` (archived, ``seq`` at or below the newest anchor) went, and
        its hash as far as can be told: from the archive file among ``archives`` that holds
        it (streamed and verified whole), else from the signed anchor when ``seq`` is its
        segment's last entry, else unknown. For a checkpoint older than the archive."""
        stored = self.repo.anchors()
        by_range = {(s.anchor.first_seq, s.anchor.last_seq): s.anchor for s in stored}
        anchor = next(a for a in by_range.values() if a.first_seq <= seq <= a.last_seq)
        for path in archives:
            p = Path(path)
            try:
                check, found = self._check_file(p, by_range, want=seq)
            except LogArchiveError:
                continue  # a file of another segment or store: not the one that holds it
            if check.anchor != anchor:
                continue
            if not check.intact:
                return ArchivedEntry(anchor.describe(), None, f"the archive file {p.name}",
                                     f"the archive that holds entry #{seq:,} does not "
                                     f"verify: {check.reason}")
            return ArchivedEntry(anchor.describe(), found, f"the archive file {p.name}")
        if seq == anchor.last_seq:
            return ArchivedEntry(anchor.describe(), anchor.last_hash, "the archive anchor")
        return ArchivedEntry(anchor.describe(), None, "the archive anchor")

    def _anchor_named(self, name: str) -> Anchor | None:
        return next((s.anchor for s in self.repo.anchors() if s.anchor.archive_name == name),
                    None)

    def _expected_prev(self, anchor: Anchor) -> str:
        before = [s.anchor for s in self.repo.anchors() if s.anchor.last_seq < anchor.first_seq]
        return before[-1].last_hash if before else GENESIS_HASH

    # -- for the retention view and the report -------------------------------------------------
    def anchors(self) -> list[Anchor]:
        return [s.anchor for s in self.repo.anchors()]


def _remove_stale_partials(target: Path) -> None:
    """Temp files of earlier runs for this archive that were killed while writing (their
    process is gone); a live run's file is left alone."""
    mine = partial_name(target).name
    for p in target.parent.glob(f"{target.name}.*.partial"):
        try:
            pid = int(p.name[len(target.name) + 1:].split(".")[0])
        except ValueError:
            continue
        if p.name != mine and not _alive(pid):
            p.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid() or os.name == "nt":  # on Windows os.kill would end the process
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists but not ours, or a platform that cannot tell: keep it
        return True
    return True


def _with_note(chain: VerifyResult, segments: Sequence[SegmentCheck]) -> VerifyResult:
    """The store's walk, told with what happened to the archived part."""
    if not chain.archived_to:
        return chain
    from dataclasses import replace

    missing = [s.anchor.describe() for s in segments if not s.present]
    note = ("Entries before the store's part were checked in the archive file(s) given."
            if not missing else
            f"Checked from the archive anchor: {'; '.join(missing)}, not checked here.")
    return replace(chain, archive_note=note)


def with_anchors_judged(store: UnitOfWork, chain: VerifyResult,
                        clock: Clock | None = None) -> VerifyResult:
    """A chain walk that began at an archive anchor holds only if the anchors are genuine
    (signed by a pinned custodian key, unaltered): every verification path passes its result
    through here, so a forged anchor cannot hide a deleted prefix."""
    if not chain.archived_to:
        return chain
    from dataclasses import replace

    problems = LogArchiveService(store, clock).anchor_problems()
    anchors = store.log_archive.anchors()
    where = "; ".join(s.anchor.describe() for s in anchors)
    note = (f"Checked from the archive anchor: {where}, not checked here (verify with the "
            "archive file: alpr-desktop log-archive --verify FILE).")
    if not problems:
        return replace(chain, archive_note=chain.archive_note or note)
    return replace(chain, intact=False, archive_note=note,
                   reason="; ".join(problems) + (f"; besides, {chain.reason}"
                                                 if chain.reason else ""))
