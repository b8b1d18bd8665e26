"""Issuing signed log checkpoints and verifying the log against one (issue 10 §2).

Issuing needs a signed-in custodian and their password: the password unwraps the custodian's
signing key, which exists nowhere else in usable form. The password is checked first through
the sign-in's lockout (AuthService.confirm_password): a wrong one counts toward locking the
account and is logged ("checkpoint.issue", failed), so the dialog is no way around the limit
on guessing. The first checkpoint a custodian issues
creates and pins their key (logged "checkpoint.key_pinned"); when their password has changed
since, the old wrap no longer opens and a new key is created and pinned the same way (the old
public key stays pinned, so checkpoints it signed still verify). Each checkpoint is recorded in
the store, logged ("checkpoint.issued") and written as a small owner-only file for the City to
keep elsewhere. Verifying against a checkpoint is an audit of the log and is logged like the
plain verification ("audit.verify", with the checkpoint it was held against).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from alpr_desktop.core.access_errors import AccessError, BadCredentials
from alpr_desktop.core.accounts import AccessContext, Account
from alpr_desktop.core.audit_log import Outcome
from alpr_desktop.core.clock import Clock, SystemClock
from alpr_desktop.core.errors import Cancelled
from alpr_desktop.core.log_anchors import (
    AnchoredResult,
    AnchorSummary,
    Checkpoint,
    PinnedKeyInfo,
    entry_range,
    judge,
)
from alpr_desktop.core.roles import Action
from alpr_desktop.security import secret_wrap
from alpr_desktop.security.checkpoints import (
    FILE_SUFFIX,
    CheckpointRefused,
    SignedCheckpoint,
    SigningKey,
    key_aad,
    read_checkpoint_file,
    write_checkpoint_file,
)
from alpr_desktop.services.auth import AuthService
from alpr_desktop.services.gate import Grant, require
from alpr_desktop.storage.unit_of_work import UnitOfWork

Progress = Callable[[int, int], object]


class CheckpointPasswordWrong(AccessError):
    def __init__(self) -> None:
        super().__init__("The password is not correct; no checkpoint was issued.")


class CheckpointTargetInvalid(AccessError):
    """The file name chosen for a new checkpoint cannot be used."""


@dataclass(frozen=True)
class IssueResult:
    path: Path
    checkpoint: Checkpoint
    key_pinned: bool  # a new signing key was created and pinned for this checkpoint

    def summary(self) -> str:
        cp = self.checkpoint
        return (f"Checkpoint issued: {cp.entry_count:,} entries, head {cp.head_hash[:16]}…, "
                f"signed with key {cp.key_fingerprint}. Saved as {self.path}.")


def issuer_of(account: Account) -> str:
    return f"{account.username} ({account.full_name}, {account.organization})"


def suggested_name(now_ms: int) -> str:
    """A default file name: the UTC time it was issued, no plate or user in it."""
    import time

    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime(now_ms / 1000))
    return f"log-checkpoint-{stamp}{FILE_SUFFIX}"


def check_target(out: Path | str) -> Path:
    """``out`` as a new checkpoint file: CheckpointTargetInvalid when it exists (an earlier
    checkpoint is evidence) or its folder does not."""
    out = Path(out)
    if out.exists():
        raise CheckpointTargetInvalid(f"{out.name} already exists; choose another name.")
    if not out.parent.is_dir():
        raise CheckpointTargetInvalid(f"There is no folder {out.parent}.")
    return out


def target_for(out: Path | str | None, now_ms: int) -> Path:
    """Where the command line writes: ``out``, or the suggested name inside ``out`` when it is
    a folder (the current folder when None); checked as ``check_target`` does."""
    folder = Path.cwd() if out is None else Path(out)
    return check_target(folder / suggested_name(now_ms) if folder.is_dir() else folder)


class CheckpointService:
    def __init__(self, store: UnitOfWork, clock: Clock | None = None) -> None:
        self.store = store
        self.clock = clock or SystemClock()
        self._log = store.access_log
        self._repo = store.checkpoints

    # -- issuing -------------------------------------------------------------------------------
    def issue(self, ctx: AccessContext, password: str, out: Path | str) -> IssueResult:
        """Sign a checkpoint of the log's current head and write it to ``out`` (a new file).

        Raises CheckpointPasswordWrong (logged, nothing written), CheckpointTargetInvalid, or
        the gate's refusal for anyone but a signed-in custodian."""
        grant = require(self.store, ctx, Action.PRINT_AUDIT_REPORT, needs_purpose=False,
                        clock=self.clock)
        out = check_target(out)
        account = grant.account
        try:  # counted toward the account's lockout like a sign-in, before any unwrap
            AuthService(self.store, self.clock).confirm_password(grant.session, password,
                                                                 "checkpoint.issue")
        except BadCredentials:
            raise CheckpointPasswordWrong() from None
        signing, pinned_before = self._signing_key(grant, password)
        key = self._repo.key_by_public(signing.public_raw)
        assert key is not None
        written = False
        try:
            with self.store.transaction():
                head_seq, head_hash = self._log.head()
                cp = Checkpoint(self.store.store_id, head_seq, head_hash, self.clock.now_ms(),
                                issuer_of(account), signing.fingerprint)
                signed = signing.sign(cp)
                self._repo.record(cp, key.id, signed.signature)
                grant.log("checkpoint.issued", query={}, result_count=head_seq, detail={
                    "entry_count": head_seq, "head_hash": head_hash,
                    "key_fingerprint": signing.fingerprint, "file": out.name})
                write_checkpoint_file(out, signed)  # last: a failure rolls the record back
                written = True
        except BaseException:
            if written:  # the commit failed: no record, no log entry, so no file
                out.unlink(missing_ok=True)
            raise
        return IssueResult(out, cp, not pinned_before)

    def _signing_key(self, grant: Grant, password: str) -> tuple[SigningKey, bool]:
        """The custodian's signing key, unwrapped with ``password`` (already confirmed); a new
        pinned one when there is none or the password changed since. Second item: whether it
        existed."""
        account = grant.account
        assert account.id is not None
        current = self._repo.current_key(account.id)
        if current is not None:
            try:
                return SigningKey.unwrap(current.wrapped, password, key_aad(
                    self.store.store_id, account.id, current.public_key)), True
            except secret_wrap.WrongPassword:
                pass  # a wrap from before a password change: a new key, as below
            except secret_wrap.WrapError:
                pass  # a damaged wrap: a new key, as below
        signing = SigningKey.generate()
        wrapped = signing.wrap(password, key_aad(self.store.store_id, account.id,
                                                 signing.public_raw))
        with self.store.transaction():
            self._repo.pin_key(account.id, account.username, signing.public_raw,
                               signing.fingerprint, wrapped, self.clock.now_ms())
            grant.log("checkpoint.key_pinned", query={}, detail={
                "key_fingerprint": signing.fingerprint,
                "public_key": signing.public_raw.hex(),
                **({"replaces": current.fingerprint} if current is not None else {})})
        return signing, False

    def signing_key(self, grant: Grant, password: str) -> tuple[SigningKey, bool]:
        """The custodian's checkpoint key for another signed statement (the log archive,
        services/log_archive.py); ``password`` must already be confirmed."""
        return self._signing_key(grant, password)

    # -- verifying -----------------------------------------------------------------------------
    def load(self, path: Path | str) -> SignedCheckpoint:
        """Read a checkpoint file and check its signature (no store access, not logged)."""
        return read_checkpoint_file(path)

    def verify(
        self, ctx: AccessContext, checkpoint: SignedCheckpoint | Path | str,
        progress: Progress | None = None, archives: Sequence[Path | str] = (),
    ) -> AnchoredResult:
        """Walk the chain and hold it against ``checkpoint``. Refuses (CheckpointRefused,
        logged) a checkpoint with a bad signature, for another store, or signed by a key this
        store does not pin. A checkpoint whose entry has been archived since is held against
        the archive file among ``archives`` (or the anchor) and reported "archived", not as a
        rewrite. Logs "audit.verify" with the checkpoint and the result."""
        grant = require(self.store, ctx, Action.READ_AUDIT_LOG, needs_purpose=False,
                        clock=self.clock)
        try:
            signed = (checkpoint if isinstance(checkpoint, SignedCheckpoint)
                      else read_checkpoint_file(checkpoint))
            if isinstance(checkpoint, SignedCheckpoint):
                signed.check_signature()
            self._check_belongs(signed)
        except CheckpointRefused as exc:
            grant.log("audit.verify", query={}, outcome=Outcome.REFUSED,
                      detail={"checkpoint_refused": str(exc)})
            raise
        cp = signed.checkpoint
        total = self._log.head()[0]
        step = None if progress is None else (lambda n: progress(n, total))
        anchor = {"entry_count": cp.entry_count, "head_hash": cp.head_hash,
                  "issued_ms": cp.issued_ms, "key_fingerprint": cp.key_fingerprint}
        try:
            chain = self._log.verify(step)
            from alpr_desktop.services.log_archive import with_anchors_judged

            chain = with_anchors_judged(self.store, chain, self.clock)  # archive anchors genuine
        except Cancelled:
            grant.log("audit.verify", query={}, outcome=Outcome.FAILED,
                      detail={"cancelled": True, "checkpoint": anchor})
            raise
        from alpr_desktop.services.log_archive import LogArchiveService

        archived = (LogArchiveService(self.store, self.clock).archived_entry(
            cp.entry_count, archives) if 0 < cp.entry_count <= chain.archived_to else None)
        result = judge(chain, cp, self._log.hash_at(cp.entry_count) if cp.entry_count else None,
                       archived)
        detail: dict[str, object] = {
            "checkpoint": anchor, "intact": result.intact, "checked": chain.checked,
            "head_seq": chain.head_seq, "head_hash": chain.head_hash,
            **({"archived": result.status == "archived",
                "archives": [Path(p).name for p in archives]} if archived else {})}
        if not result.intact:
            detail["reason"] = result.reason
            if result.missing:
                detail["missing"] = list(result.missing)
        grant.log("audit.verify", query={}, result_count=chain.checked, detail=detail)
        return result

    def _check_belongs(self, signed: SignedCheckpoint) -> None:
        cp = signed.checkpoint
        if cp.store_id != self.store.store_id:
            raise CheckpointRefused(
                f"The checkpoint is for another store ({cp.store_id}); this store is "
                f"{self.store.store_id}.")
        if self._repo.key_by_public(signed.public_key) is None:
            raise CheckpointRefused(
                f"The checkpoint is signed by key {signed.fingerprint}, which this store does "
                "not pin: it was not issued by this store's custodian, the store's pinned keys "
                "were changed, or the store was put back from a copy older than the key.")

    # -- for reports -----------------------------------------------------------------------------
    def anchor_info(self) -> AnchorSummary:
        """The pinned keys and the newest recorded checkpoint, held against the log's present
        state (one indexed read), for the audit report. Called by a service that has already
        passed the gate for the report."""
        pinned = tuple(PinnedKeyInfo(k.username, k.fingerprint, k.public_key.hex(), k.pinned_ms)
                       for k in self._repo.pinned_keys())
        issued = self._repo.newest()
        if issued is None:
            return AnchorSummary(pinned)
        cp = issued.checkpoint
        count = self._log.head()[0]
        covering = [s.anchor for s in self.store.log_archive.anchors()
                    if s.anchor.first_seq <= cp.entry_count <= s.anchor.last_seq]
        if cp.entry_count and covering:
            a = covering[0]
            state, ok = ((f"entry #{cp.entry_count:,} is archived ({a.describe()}): verify "
                          "against the kept file with the archive to check it"), True)
            if cp.entry_count == a.last_seq and a.last_hash != cp.head_hash:
                state, ok = (f"entry #{cp.entry_count:,} differs from this checkpoint in the "
                             "archive anchor: the log was rewritten"), False
        elif count < cp.entry_count:
            state, ok = (f"{entry_range(count + 1, cp.entry_count)} missing: the log ends "
                         "before this checkpoint"), False
        elif cp.entry_count and self._log.hash_at(cp.entry_count) != cp.head_hash:
            state, ok = (f"entry #{cp.entry_count:,} differs from this checkpoint: the log was "
                         "rewritten"), False
        else:
            state, ok = (f"the log still holds entry #{cp.entry_count:,} with this hash; "
                         "verify against the kept file to rule out a rewritten store"), True
        return AnchorSummary(pinned, cp, state, ok)
