"""Corrections of misreads (policy §7). An analyst (or a contractor under the City's written
permission, for reads inside its data window) corrects a read's plate, state or vehicle with a
reason and the image that shows the right value; the read as the camera saw it stays, search
finds it by either plate, and a correction can be reverted. Each call is gated (a declared
purpose) and logs the policy's five elements, the read, the values before and after and the
image's SHA-256 in the transaction that does the work.
"""

from __future__ import annotations

from typing import Any

from alpr_desktop.core.access_errors import AccessError
from alpr_desktop.core.clock import Clock, SystemClock
from alpr_desktop.core.corrections import (
    MAX_REASON,
    MIN_REASON,
    Correction,
    CorrectionInput,
    check_correction,
)
from alpr_desktop.core.models import Read
from alpr_desktop.core.roles import Action
from alpr_desktop.services.gate import Grant, gated, refuse_outside_window
from alpr_desktop.storage.unit_of_work import UnitOfWork


class CorrectionInvalid(AccessError):
    """A correction that cannot be recorded; the message lists why. Nothing is changed."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__(" ".join(self.problems))


def _correct_attempt(correction: object, *_: object, **__: object) -> dict[str, Any]:
    return {"read_id": getattr(correction, "read_id", None), "operation": "correct"}


def _revert_attempt(read_id: object, *_: object, **__: object) -> dict[str, Any]:
    return {"read_id": read_id, "operation": "revert_correction"}


def _history_attempt(read_id: object, *_: object, **__: object) -> dict[str, Any]:
    return {"read_id": read_id, "operation": "correction_history"}


def _original(read: Read) -> dict[str, str]:
    return {"plate": read.plate_norm, "state": read.state, "make": read.make,
            "model": read.model, "color": read.color, "body_type": read.body_type}


class CorrectionService:
    def __init__(self, store: UnitOfWork, clock: Clock | None = None) -> None:
        self.store = store
        self.clock = clock or SystemClock()

    def _read(self, grant: Grant, read_id: int) -> Read:
        read = self.store.reads.get(int(read_id))
        if read is None:
            raise CorrectionInvalid([f"There is no read #{read_id} in the store."])
        refuse_outside_window(grant, read.recorded_at, "read")
        return read

    @gated(Action.CORRECT_READS, attempted=_correct_attempt)
    def correct(self, grant: Grant, correction: CorrectionInput) -> Correction:
        """Record a correction of a read (superseding the one in force, if any).
        Raises CorrectionInvalid, changing nothing, when it cannot be recorded."""
        read = self._read(grant, correction.read_id)
        problems = check_correction(correction, _original(read))
        blob = next((b for b in self.store.images.for_read(read.id)
                     if b.kind == correction.evidence_kind), None)
        if blob is None and correction.evidence_kind in ("crop", "overview"):
            problems.append(f"The read has no {correction.evidence_kind} image to rest the "
                            "correction on; choose the image you looked at.")
        if problems:
            raise CorrectionInvalid(problems)
        assert blob is not None
        before = self.store.corrections.in_force(read.id)
        saved = self.store.corrections.add(correction, blob.sha256, grant.account.id or 0,
                                           self.clock.now_ms())
        grant.log("read.corrected", query={"read_id": read.id, "plate": read.plate_norm},
                  result_count=1, detail={
                      "correction_id": saved.id, "original": _original(read),
                      "corrected": saved.changes(), "reason": saved.reason,
                      "evidence": {"kind": saved.evidence_kind,
                                   "sha256": saved.evidence_sha256},
                      "superseded": before.id if before is not None else None})
        return saved

    @gated(Action.CORRECT_READS, attempted=_revert_attempt)
    def revert(self, grant: Grant, read_id: int, reason: str) -> Correction:
        """End the correction in force on a read: the read stands as read again."""
        read = self._read(grant, read_id)
        current = self.store.corrections.in_force(read.id)
        problems = []
        if current is None:
            problems.append("This read has no correction in force to revert.")
        if not MIN_REASON <= len(reason.strip()) <= MAX_REASON:
            problems.append(f"Say why the correction is reverted ({MIN_REASON} to "
                            f"{MAX_REASON} characters).")
        if problems:
            raise CorrectionInvalid(problems)
        assert current is not None
        ended = self.store.corrections.revert(current.id, grant.account.id or 0, reason,
                                              self.clock.now_ms())
        grant.log("read.correction_reverted",
                  query={"read_id": read.id, "plate": read.plate_norm}, result_count=1,
                  detail={"correction_id": ended.id, "reverted": ended.changes(),
                          "reason": reason.strip()})
        return ended

    @gated(Action.SEARCH_READS, attempted=_history_attempt)
    def history(self, grant: Grant, read_id: int) -> list[Correction]:
        """Every correction of a read, oldest first (logged: it shows plates)."""
        read = self._read(grant, read_id)
        found = self.store.corrections.history(read.id)
        grant.log("read.correction_history", query={"read_id": read.id},
                  result_count=len(found))
        return found
