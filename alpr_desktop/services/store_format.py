"""Converting the open store to today's file format (issue 20): an administrator's act, logged.

A store made by an earlier version keeps its format (16 KiB pages, HMAC-SHA512) and misses
the speed-up of today's (storage/format_convert.py says how the conversion is made safe).
Converting is a change to the whole store, so it needs the administrator's store-level right
(MANAGE_SECURITY_SETTINGS); a refusal is logged by the gate as "gate.refused".

The log entry ("store.format_conversion", stage "started": both formats and every table's
row count) is written once the store is held alone and before the copy, so the converted
store carries it: the log never lacks the conversion that made the file it is in. Were the
entry written after the swap instead, a crash between the two would leave a converted store
with no record of it. A conversion that fails or is cancelled adds a second entry (outcome
failed, with the reason) to the original store, which is otherwise as it was; an attempt
refused because another connection has the store open is logged the same way.
"""

from __future__ import annotations

import contextlib

from alpr_desktop.core.accounts import AccessContext
from alpr_desktop.core.audit_log import Outcome
from alpr_desktop.core.clock import Clock, SystemClock
from alpr_desktop.core.errors import Cancelled
from alpr_desktop.core.roles import Action
from alpr_desktop.core.store_format import (
    COPY,
    PHASE_WORDS,
    PHASES,
    FormatConversion,
    StoreFileStatus,
)
from alpr_desktop.services.gate import require
from alpr_desktop.services.progress import CancelFn
from alpr_desktop.storage import format_convert
from alpr_desktop.storage.errors import StoreError
from alpr_desktop.storage.format_convert import Report
from alpr_desktop.storage.unit_of_work import UnitOfWork

__all__ = ["COPY", "EVENT", "PHASES", "PHASE_WORDS", "FormatConversion", "Report",
           "StoreFileStatus", "StoreFormatService"]

EVENT = "store.format_conversion"
_REASON_CHARS = 300


class StoreFormatService:
    def __init__(self, store: UnitOfWork, clock: Clock | None = None) -> None:
        self.store = store
        self.clock = clock or SystemClock()

    def formats(self) -> tuple[str, str]:
        """(the store's format, today's) in words; equal when there is nothing to convert."""
        return format_convert.current_format(self.store)

    def file_status(self) -> StoreFileStatus | None:
        """The store file's format for the admin's Security settings: None for a store that
        is not a file (nothing to convert). Store metadata, no data: not gated."""
        try:
            was, now = self.formats()
        except StoreError:
            return None
        return StoreFileStatus(str(self.store.location), was, now)

    def convert(self, ctx: AccessContext, progress: Report | None = None,
                cancel: CancelFn | None = None) -> FormatConversion:
        """Convert the store to today's format (an administrator, signed in). The store's
        connection is closed for the swap and open again afterwards, on the converted file
        or, after a failure, on the original; no other connection may have the store open
        (StoreBusy). ``progress(phase, share)`` names each phase as it begins (PHASES), and
        the copy's progress; ``cancel()`` True stops it before the swap (Cancelled)."""
        grant = require(self.store, ctx, Action.MANAGE_SECURITY_SETTINGS, needs_purpose=False,
                        clock=self.clock)
        before, after = self.formats()
        if before == after:
            return format_convert.convert_store(self.store)  # leftovers of a killed run go

        def started(was: str, becomes: str) -> None:
            rows = format_convert.row_counts(self.store)
            with self.store.transaction():
                grant.log(EVENT, query={}, detail={
                    "stage": "started", "from_format": was, "to_format": becomes,
                    "rows": rows, "rows_total": sum(rows.values())})

        try:
            return format_convert.convert_store(self.store, before_copy=started,
                                                report=progress, cancel=cancel)
        except (StoreError, Cancelled, OSError) as exc:
            stage = "cancelled" if isinstance(exc, Cancelled) else "failed"
            # The original store, open again: the attempt is on record even when it never
            # reached the copy. A log that cannot be written now does not hide the failure.
            with contextlib.suppress(StoreError), self.store.transaction():
                grant.log(EVENT, query={}, outcome=Outcome.FAILED, detail={
                    "stage": stage, "from_format": before, "to_format": after,
                    "reason": str(exc)[:_REASON_CHARS]})
            raise
