"""The custodian's audit (policy §5, §6; CJIS 5.4.1.1): browse and filter the access log,
verify its chain, print the audit report. Reading the audit log is itself audited: every listing
and further page, count and pick list, verifying and printing leave an entry, written before
results are returned.

These methods use ``gate.require`` rather than ``@gated``: ``gated`` runs the body inside one
write transaction, and a 100,000-entry report or a million-entry verification must not hold
the store's write lock (every search and sign-in appends to the log) for seconds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from alpr_desktop.core.accounts import AccessContext
from alpr_desktop.core.audit_filters import AuditFilter
from alpr_desktop.core.audit_log import LogEntry, Outcome, VerifyResult
from alpr_desktop.core.clock import SITE_ZONE, Clock, SystemClock
from alpr_desktop.core.errors import Cancelled
from alpr_desktop.core.oversight import OversightAnalyzer, OversightResult, collector_paused
from alpr_desktop.core.purpose_verdicts import rules_key
from alpr_desktop.core.roles import Action
from alpr_desktop.reports.audit_appendix import appendix_path
from alpr_desktop.reports.audit_report import ReportMeta, build_audit_report
from alpr_desktop.services.checkpoints import CheckpointService
from alpr_desktop.services.gate import Grant, require
from alpr_desktop.services.location_analysis import analysis_use
from alpr_desktop.services.log_archive import with_anchors_judged
from alpr_desktop.services.maintenance import MaintenanceService
from alpr_desktop.services.retention import RetentionService
from alpr_desktop.services.review_extract_import import report_summary as extract_report_summary
from alpr_desktop.services.training import TrainingService
from alpr_desktop.storage.oversight import oversight_config
from alpr_desktop.storage.unit_of_work import UnitOfWork

Progress = Callable[[int, int], object]
CancelCheck = Callable[[], bool]
MAX_PAGE = 5000


@dataclass(frozen=True)
class ReportOptions:
    """Choices of one report. Working hours and thresholds are not among them: they are the
    store's oversight settings (services.oversight_service), so no report can be made looser
    than the custodian set them (issue 21)."""


@dataclass(frozen=True)
class AuditListing:
    """A listing's first (or next) page and how many entries the filter selects in all."""

    total: int
    entries: list[LogEntry]


@dataclass(frozen=True)
class ReportResult:
    path: Path
    entries: int
    pages: int
    verify: VerifyResult
    oversight: OversightResult
    appendix: Path | None = None  # the read ids the entries name, as CSV beside the PDF
    appendix_rows: int = 0


class AuditService:
    """One per store connection (a worker thread makes its own on ``store.reopen()``)."""

    def __init__(self, store: UnitOfWork, clock: Clock | None = None) -> None:
        self.store = store
        self.clock = clock or SystemClock()
        self._queries = store.audit
        self._log = store.access_log

    def _anchors(self) -> Any:
        return CheckpointService(self.store, self.clock).anchor_info()

    def _retention(self, flt: AuditFilter) -> Any:
        return RetentionService(self.store, self.clock).report_summary(flt.from_ms, flt.to_ms)

    def _grant(self, ctx: AccessContext, action: Action) -> Grant:
        return require(self.store, ctx, action, needs_purpose=False, clock=self.clock)

    # -- the audit view ----------------------------------------------------------------------
    # Every read of the log by the custodian leaves an entry (issue 10 §4), committed before
    # anything is returned (no entry, no answer): one per request, never one per row. No
    # query runs inside the entry's write transaction: a slow count over a million entries
    # must not hold the write lock every search needs. A listing's or page's entry is written
    # before its query, so the listing shows its own entry at the top (and an attempt that
    # fails is still on record); a count's or pick list's entry after it, with the number.
    # A listing (first page and total) is "audit.view", each further page "audit.view.page"
    # (the position in ``detail``), a bare count "audit.count", and the pick lists of one
    # screen opening one "audit.choices". The query column always holds the filter, so a
    # filter reads the same in all of them.
    def page(
        self,
        ctx: AccessContext,
        flt: AuditFilter,
        after_seq: int = 0,
        limit: int = 200,
        *,
        descending: bool = False,
    ) -> list[LogEntry]:
        """One page of the filtered log (keyset paging on seq), logged as "audit.view" when it
        starts a listing (``after_seq`` 0) and "audit.view.page" when it continues one."""
        grant = self._grant(ctx, Action.READ_AUDIT_LOG)
        limit = max(1, min(int(limit), MAX_PAGE))
        event = "audit.view" if after_seq == 0 else "audit.view.page"
        entry = grant.log(event, query=flt.as_log_dict(),
                          detail=self._view_detail(flt, after_seq, limit, descending))
        return self._queries.page(_as_of(flt, entry.seq), after_seq, limit,
                                  descending=descending)

    def listing(
        self,
        ctx: AccessContext,
        flt: AuditFilter,
        after_seq: int = 0,
        limit: int = 200,
        *,
        descending: bool = False,
    ) -> AuditListing:
        """The total ``flt`` selects and one page of it, under one "audit.view" entry (or
        "audit.view.page" past the start) that says the total was asked for too."""
        grant = self._grant(ctx, Action.READ_AUDIT_LOG)
        limit = max(1, min(int(limit), MAX_PAGE))
        event = "audit.view" if after_seq == 0 else "audit.view.page"
        entry = grant.log(event, query=flt.as_log_dict(),
                          detail={**self._view_detail(flt, after_seq, limit, descending),
                                  "with_total": True})
        flt = _as_of(flt, entry.seq)
        entries = self._queries.page(flt, after_seq, limit, descending=descending)
        return AuditListing(self._queries.count(flt), entries)

    def count(self, ctx: AccessContext, flt: AuditFilter) -> int:
        """How many entries ``flt`` selects; logged as "audit.count" (a count tells whether,
        say, a given plate was ever searched)."""
        grant = self._grant(ctx, Action.READ_AUDIT_LOG)
        n = self._queries.count(flt)
        grant.log("audit.count", query=flt.as_log_dict(), result_count=n,
                  detail={"filters": flt.describe(), "period": flt.describe_period()})
        return n

    def choices(self, ctx: AccessContext, columns: Sequence[str]) -> dict[str, list[str]]:
        """Values for the filters' pick lists (username, organization, agency, event,
        outcome), all under one "audit.choices" entry: one per screen opening."""
        grant = self._grant(ctx, Action.READ_AUDIT_LOG)
        wanted = list(dict.fromkeys(columns))
        found = {c: self._queries.distinct(c) for c in wanted}
        grant.log("audit.choices", query={"columns": wanted},
                  result_count=sum(len(v) for v in found.values()),
                  detail={"values": {c: len(v) for c, v in found.items()}})
        return found

    def distinct(self, ctx: AccessContext, column: str) -> list[str]:
        """Values for one filter's pick list (logged as ``choices`` is)."""
        return self.choices(ctx, [column])[column]

    @staticmethod
    def _view_detail(flt: AuditFilter, after_seq: int, limit: int,
                     descending: bool) -> dict[str, object]:
        return {"filters": flt.describe(), "period": flt.describe_period(),
                "page": {"after_seq": int(after_seq), "limit": limit,
                         "order": "newest first" if descending else "oldest first"}}

    # -- verification --------------------------------------------------------------------------
    def verify(self, ctx: AccessContext, progress: Progress | None = None) -> VerifyResult:
        """Walk the whole chain; logs "audit.verify" with the result and the head.
        ``progress(checked, total)`` may return False to cancel (raises Cancelled, logged)."""
        grant = self._grant(ctx, Action.READ_AUDIT_LOG)
        total = self._log.head()[0]
        step = None if progress is None else (lambda n: progress(n, total))
        try:
            result = with_anchors_judged(self.store, self._log.verify(step), self.clock)
        except Cancelled:
            grant.log("audit.verify", query={}, outcome=Outcome.FAILED,
                      detail={"cancelled": True})
            raise
        grant.log("audit.verify", query={}, result_count=result.checked,
                  outcome=Outcome.OK, detail=_verify_detail(result))
        return result

    # -- the report --------------------------------------------------------------------------
    def build_report(
        self,
        ctx: AccessContext,
        out: Path | str,
        flt: AuditFilter,
        options: ReportOptions | None = None,
        progress: Progress | None = None,
        cancel: CancelCheck | None = None,
    ) -> ReportResult:
        """Verify the chain, analyse the selection and write the PDF report to ``out``.

        Progress counts the chain walk and two passes over the selection as one total. The
        entries are those that existed when the build started (the report's own log entries
        come after). Logs "audit.report" with the period, filters, entry count and file name
        (never the content); a failed or cancelled build is logged as failed and leaves no
        file."""
        grant = self._grant(ctx, Action.PRINT_AUDIT_REPORT)
        options = options or ReportOptions()
        out = Path(out)
        head_seq, head_hash = self._log.head()
        flt = replace(flt, through_seq=head_seq)
        log_query = {**flt.as_log_dict(), "period": flt.describe_period()}
        log_query.pop("through_seq", None)
        try:
            count = self._queries.count(flt)
            total = head_seq + 2 * count
            done = 0

            def tick(n: int, base: int) -> bool:
                if cancel is not None and cancel():
                    return False
                if progress is not None:
                    progress(min(total, base + n), total)
                return True

            verified_at = self.clock.now_ms()
            verify = with_anchors_judged(self.store, self._log.verify(lambda n: tick(n, 0)),
                                         self.clock)
            done = head_seq
            config = oversight_config(self.store)
            # the purpose verdicts the oversight view kept (read only here: the report writes
            # nothing but its own log entry)
            analyzer = OversightAnalyzer(
                config, self.store.oversight_queries.purpose_verdicts(rules_key()))
            with collector_paused():
                for i, e in enumerate(self._queries.iter_entries(flt), 1):
                    analyzer.feed(e)
                    if i % 2000 == 0 and not tick(i, done):
                        raise Cancelled("report cancelled")
            oversight = analyzer.finish(self.store.oversight_queries.vehicle_words,
                                        self.store.oversight_reviews.latest())
            oversight.flags.append(analysis_use(self.store, flt))  # issue 19
            done += count
            account = grant.account
            meta = ReportMeta(
                period=flt.describe_period(config.zone),
                filters=flt.describe(),
                generated_by=f"{account.username} ({account.full_name}, "
                             f"{account.organization})",
                generated_at_ms=self.clock.now_ms(),
                store_id=self.store.store_id,
                store_file=self.store.location,
                zone=config.zone or SITE_ZONE,
            )
            base = done
            stats = build_audit_report(
                out, self._queries.iter_entries(flt), count, oversight, verify, meta,
                stored_head=(head_seq, head_hash), verified_at_ms=verified_at,
                progress=(lambda n, _t: tick(n, base)) if progress or cancel else None,
                cancel=cancel, anchors=self._anchors(), appendix=appendix_path(out),
                retention=self._retention(flt),
                hygiene=TrainingService(self.store,
                                        self.clock).report_summary(flt.from_ms, flt.to_ms),
                extract_reviews=extract_report_summary(self.store, flt.from_ms, flt.to_ms),
                maintenance=MaintenanceService(self.store, self.clock).summary(),
            )
        except Cancelled:
            grant.log("audit.report", query=log_query, outcome=Outcome.FAILED,
                      detail={"file": out.name, "cancelled": True})
            raise
        except Exception as exc:
            grant.log("audit.report", query=log_query, outcome=Outcome.FAILED,
                      detail={"file": out.name, "error": type(exc).__name__})
            raise
        try:
            grant.log(
                "audit.report", query=log_query, result_count=stats.entries,
                detail={"file": out.name, "pages": stats.pages, "filters": flt.describe(),
                        "appendix": stats.appendix.name if stats.appendix else "",
                        "appendix_rows": stats.appendix_rows,
                        **_verify_detail(verify)},
            )
        except BaseException:
            out.unlink(missing_ok=True)  # no log entry, no report
            if stats.appendix is not None:
                stats.appendix.unlink(missing_ok=True)
            raise
        return ReportResult(out, stats.entries, stats.pages, verify, oversight, stats.appendix,
                            stats.appendix_rows)


def _as_of(flt: AuditFilter, seq: int) -> AuditFilter:
    """``flt`` limited to the entries up to ``seq`` (the listing's own entry), so a page and
    its total describe the same log even while other entries are appended."""
    return flt if flt.through_seq is not None else replace(flt, through_seq=seq)


def _verify_detail(v: VerifyResult) -> dict[str, object]:
    d: dict[str, object] = {
        "intact": v.intact, "checked": v.checked, "head_seq": v.head_seq,
        "head_hash": v.head_hash,
    }
    if not v.intact:
        d["first_broken"] = v.first_broken
        d["reason"] = v.reason
    return d
