"""The custodian's audit (policy §5, §6; CJIS 5.4.1.1): browse and filter the access log,
verify its chain, print the audit report. Reading the audit log is itself audited: listing a
filter, verifying and printing each leave an entry, written before results are returned.

These methods use ``gate.require`` rather than ``@gated``: ``gated`` runs the body inside one
write transaction, and a 100,000-entry report or a million-entry verification must not hold
the store's write lock (every search and sign-in appends to the log) for seconds.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from alpr_desktop.core.accounts import AccessContext
from alpr_desktop.core.audit_filters import AuditFilter
from alpr_desktop.core.audit_log import LogEntry, Outcome, VerifyResult
from alpr_desktop.core.clock import SITE_ZONE, Clock, SystemClock
from alpr_desktop.core.errors import Cancelled
from alpr_desktop.core.oversight import OversightAnalyzer, OversightConfig, OversightResult
from alpr_desktop.core.roles import Action
from alpr_desktop.reports.audit_appendix import appendix_path
from alpr_desktop.reports.audit_report import ReportMeta, build_audit_report
from alpr_desktop.services.gate import Grant, require
from alpr_desktop.storage.access_log import AccessLogRepo
from alpr_desktop.storage.audit_queries import AuditQueries
from alpr_desktop.storage.db import Store

Progress = Callable[[int, int], object]
CancelCheck = Callable[[], bool]
MAX_PAGE = 5000


@dataclass(frozen=True)
class ReportOptions:
    oversight: OversightConfig = field(default_factory=OversightConfig)


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

    def __init__(self, store: Store, clock: Clock | None = None) -> None:
        self.store = store
        self.clock = clock or SystemClock()
        self._queries = AuditQueries(store)
        self._log = AccessLogRepo(store)
        self._listed: tuple[str, AuditFilter] | None = None
        self._lock = threading.Lock()

    def _grant(self, ctx: AccessContext, action: Action) -> Grant:
        return require(self.store, ctx, action, needs_purpose=False, clock=self.clock)

    # -- the audit view ----------------------------------------------------------------------
    def page(
        self,
        ctx: AccessContext,
        flt: AuditFilter,
        after_seq: int = 0,
        limit: int = 200,
        *,
        descending: bool = False,
    ) -> list[LogEntry]:
        """One page of the filtered log (keyset paging on seq). The first listing of a filter
        (after_seq 0, or a filter other than the last one listed) logs "audit.view" with the
        filter; further pages of the same listing are part of it and are not logged again."""
        grant = self._grant(ctx, Action.READ_AUDIT_LOG)
        limit = max(1, min(int(limit), MAX_PAGE))
        key = (grant.session.token, flt)
        with self._lock:
            fresh = after_seq == 0 or self._listed != key
            self._listed = key
        if fresh:
            grant.log("audit.view", query=flt.as_log_dict(), result_count=None,
                      detail={"filters": flt.describe(), "period": flt.describe_period()})
        return self._queries.page(flt, after_seq, limit, descending=descending)

    def count(self, ctx: AccessContext, flt: AuditFilter) -> int:
        """How many entries ``flt`` selects (for the view's row count; not logged, as it
        reveals nothing the logged listing does not)."""
        self._grant(ctx, Action.READ_AUDIT_LOG)
        return self._queries.count(flt)

    def distinct(self, ctx: AccessContext, column: str) -> list[str]:
        """Values for a filter's pick list: username, organization, agency, event, outcome."""
        self._grant(ctx, Action.READ_AUDIT_LOG)
        return self._queries.distinct(column)

    # -- verification --------------------------------------------------------------------------
    def verify(self, ctx: AccessContext, progress: Progress | None = None) -> VerifyResult:
        """Walk the whole chain; logs "audit.verify" with the result and the head.
        ``progress(checked, total)`` may return False to cancel (raises Cancelled, logged)."""
        grant = self._grant(ctx, Action.READ_AUDIT_LOG)
        total = self._log.head()[0]
        step = None if progress is None else (lambda n: progress(n, total))
        try:
            result = self._log.verify(step)
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
            verify = self._log.verify(lambda n: tick(n, 0))
            done = head_seq
            analyzer = OversightAnalyzer(options.oversight)
            for i, e in enumerate(self._queries.iter_entries(flt), 1):
                analyzer.feed(e)
                if i % 2000 == 0 and not tick(i, done):
                    raise Cancelled("report cancelled")
            oversight = analyzer.finish()
            done += count
            account = grant.account
            meta = ReportMeta(
                period=flt.describe_period(options.oversight.zone),
                filters=flt.describe(),
                generated_by=f"{account.username} ({account.full_name}, "
                             f"{account.organization})",
                generated_at_ms=self.clock.now_ms(),
                store_id=self.store.store_id,
                store_file=str(self.store.path),
                zone=options.oversight.zone or SITE_ZONE,
            )
            base = done
            stats = build_audit_report(
                out, self._queries.iter_entries(flt), count, oversight, verify, meta,
                stored_head=(head_seq, head_hash), verified_at_ms=verified_at,
                progress=(lambda n, _t: tick(n, base)) if progress or cancel else None,
                cancel=cancel, appendix=appendix_path(out),
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


def _verify_detail(v: VerifyResult) -> dict[str, object]:
    d: dict[str, object] = {
        "intact": v.intact, "checked": v.checked, "head_seq": v.head_seq,
        "head_hash": v.head_hash,
    }
    if not v.intact:
        d["first_broken"] = v.first_broken
        d["reason"] = v.reason
    return d
