"""Evidence holds past retention (LAPD Special Order 31, State Auditor report 2019-118).

An analyst, under a declared purpose, asks that named reads be kept for a case; a custodian
approves (setting the review date, two years on by default) or refuses; an approved hold keeps
its reads from the purge until it is released or its review date passes (the custodian may
renew it after review). Every step is logged ("hold.requested", "hold.approved",
"hold.refused", "hold.renewed", "hold.released", "hold.list"). A disclosed evidence package
is not a hold.
"""

from __future__ import annotations

from collections.abc import Sequence

from alpr_desktop.core.accounts import AccessContext
from alpr_desktop.core.clock import Clock, SystemClock
from alpr_desktop.core.retention import HoldRecord, RetentionError, next_review_ms
from alpr_desktop.core.roles import Action
from alpr_desktop.services.gate import Grant, require
from alpr_desktop.storage.unit_of_work import UnitOfWork

MAX_HOLD_READS = 10_000
MIN_REASON = 20


class HoldError(RetentionError):
    """A hold request or decision that cannot be made, told as a sentence."""


class HoldService:
    def __init__(self, store: UnitOfWork, clock: Clock | None = None) -> None:
        self.store = store
        self.clock = clock or SystemClock()
        self.repo = store.holds

    def _grant(self, ctx: AccessContext, action: Action, *, purpose: bool = False) -> Grant:
        return require(self.store, ctx, action, needs_purpose=purpose, clock=self.clock)

    # -- the analyst ---------------------------------------------------------------------------
    def request(self, ctx: AccessContext, read_ids: Sequence[int], case_number: str,
                reason: str) -> HoldRecord:
        """Ask that these reads be kept past retention for ``case_number``."""
        ids = sorted({int(i) for i in read_ids})
        case_number, reason = case_number.strip(), reason.strip()
        if not ids:
            raise HoldError("Choose the reads to hold.")
        if len(ids) > MAX_HOLD_READS:
            raise HoldError(f"One hold names at most {MAX_HOLD_READS:,} reads.")
        if not case_number:
            raise HoldError("A hold names the case number it is evidence for.")
        if len(reason) < MIN_REASON:
            raise HoldError("Say why the reads are needed past retention (a sentence: the "
                            "proceeding, the court date, the evidence it supports).")
        grant = self._grant(ctx, Action.REQUEST_HOLD, purpose=True)
        with self.store.transaction():
            present = self.repo.existing_reads(ids)
            if len(present) != len(ids):
                raise HoldError(f"{len(ids) - len(present)} of those reads are no longer in the "
                                "store; a hold can only keep reads that are still there.")
            now = self.clock.now_ms()
            hold_id = self.repo.add(case_number, reason, grant.account.username, now, ids)
            oldest, newest = self.repo.recorded_span(ids)
            grant.log("hold.requested", query={"read_ids": ids},
                      result_count=len(ids),
                      detail={"hold_id": hold_id, "case_number": case_number,
                              "reason": reason, "oldest_recorded": oldest,
                              "newest_recorded": newest})
        return self._get(hold_id)

    # -- the custodian -----------------------------------------------------------------------
    def all_holds(self, ctx: AccessContext) -> list[HoldRecord]:
        grant = self._grant(ctx, Action.REVIEW_RETENTION)
        with self.store.transaction():
            holds = self.repo.all()
            grant.log("hold.list", query={}, result_count=len(holds))
        return holds

    def approve(self, ctx: AccessContext, hold_id: int, note: str = "",
                review_ms: int | None = None) -> HoldRecord:
        grant = self._grant(ctx, Action.REVIEW_RETENTION)
        now = self.clock.now_ms()
        review = review_ms if review_ms is not None else next_review_ms(now)
        if review <= now:
            raise HoldError("The review date must lie in the future.")
        if review > next_review_ms(now):
            raise HoldError("A hold is reviewed at least every two years: choose a review "
                            "date within two years.")
        with self.store.transaction():
            self._waiting(hold_id, grant)
            self.repo.decide(hold_id, "approved", grant.account.username, now, note.strip(),
                             review)
            grant.log("hold.approved", query={"hold_id": hold_id},
                      detail={"hold_id": hold_id, "note": note.strip(), "review_ms": review})
        return self._get(hold_id)

    def refuse(self, ctx: AccessContext, hold_id: int, note: str) -> HoldRecord:
        if len(note.strip()) < 5:
            raise HoldError("Say why the hold is refused: the analyst reads it.")
        grant = self._grant(ctx, Action.REVIEW_RETENTION)
        with self.store.transaction():
            self._waiting(hold_id, grant)
            self.repo.decide(hold_id, "refused", grant.account.username, self.clock.now_ms(),
                             note.strip(), None)
            grant.log("hold.refused", query={"hold_id": hold_id},
                      detail={"hold_id": hold_id, "note": note.strip()})
        return self._get(hold_id)

    def renew(self, ctx: AccessContext, hold_id: int) -> HoldRecord:
        """After review: keep the hold two more years from now."""
        grant = self._grant(ctx, Action.REVIEW_RETENTION)
        review = next_review_ms(self.clock.now_ms())
        with self.store.transaction():
            if not self.repo.renew(hold_id, review):
                raise HoldError("Only an approved hold can be renewed.")
            grant.log("hold.renewed", query={"hold_id": hold_id},
                      detail={"hold_id": hold_id, "review_ms": review})
        return self._get(hold_id)

    def release(self, ctx: AccessContext, hold_id: int, note: str) -> HoldRecord:
        """End a hold: its reads that are past retention go at the next purge."""
        if len(note.strip()) < 5:
            raise HoldError("Say why the hold is released (the case closed, the court ruled).")
        grant = self._grant(ctx, Action.REVIEW_RETENTION)
        with self.store.transaction():
            if not self.repo.release(hold_id, grant.account.username, self.clock.now_ms(),
                                     note.strip()):
                raise HoldError("Only an approved hold can be released.")
            grant.log("hold.released", query={"hold_id": hold_id},
                      detail={"hold_id": hold_id, "note": note.strip()})
        return self._get(hold_id)

    # -- helpers -------------------------------------------------------------------------------
    def _waiting(self, hold_id: int, grant: Grant) -> HoldRecord:
        hold = self.repo.get(hold_id)
        if hold is None or hold.status != "requested":
            raise HoldError("That hold is not waiting for a decision.")
        if hold.requested_by.casefold() == grant.account.username.casefold():
            raise HoldError("A hold cannot be decided by the person who asked for it.")
        return hold

    def _get(self, hold_id: int) -> HoldRecord:
        hold = self.repo.get(hold_id)
        if hold is None:
            raise HoldError("That hold does not exist.")
        return hold
