"""The custodian's oversight (issue 21): the ranking of users to look at first, findings marked
reviewed with a note, and the checks' settings (working hours, night, thresholds).

Every call is gated and logged: listing the findings is reading the audit log
("audit.oversight"); a review ("oversight.reviewed") and a settings change
("settings.changed") are written in the same transaction as what they record. The analysis
runs outside any write transaction, as the audit report's does: a pass over a million entries
must not hold the lock every search needs.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from itertools import islice
from typing import cast

from alpr_desktop.core.access_errors import AccessError
from alpr_desktop.core.accounts import AccessContext
from alpr_desktop.core.audit_filters import AuditFilter
from alpr_desktop.core.clock import Clock, SystemClock
from alpr_desktop.core.errors import Cancelled
from alpr_desktop.core.oversight import (
    Entry,
    EntryRow,
    OversightAnalyzer,
    OversightResult,
    Review,
    collector_paused,
)
from alpr_desktop.core.oversight_config import OversightConfig, config_changes
from alpr_desktop.core.oversight_state import (
    KeptState,
    StateUnreadable,
    restore,
    snapshot,
    state_key,
)
from alpr_desktop.core.purpose_verdicts import rules_key
from alpr_desktop.core.roles import Action
from alpr_desktop.services.gate import Grant, require
from alpr_desktop.storage.errors import StoreBusy
from alpr_desktop.storage.oversight import (
    OVERSIGHT_SETTINGS,
    oversight_config,
    set_oversight_config,
)
from alpr_desktop.storage.unit_of_work import UnitOfWork

MAX_NOTE = 1000
MAX_KEY = 300
KEEP_AFTER = 5_000  # new entries read before a pass keeps the counters again
CancelCheck = Callable[[], bool]


class ReviewRejected(AccessError):
    """A review that cannot be recorded as given; the message says why."""


@dataclass(frozen=True)
class ReviewReceipt:
    seq: int
    review: Review


def analyze_entries(store: UnitOfWork, entries: Iterable[Entry], config: OversightConfig,
                    cancel: CancelCheck | None = None) -> OversightResult:
    """Feed ``entries`` to the checks and finish with the store's vehicles and reviews. The
    purpose rules' verdicts kept in the store are used; purposes judged for the first time are
    kept for the next pass (a derived cache: if the store is busy they are judged again)."""
    rules = rules_key()
    analyzer = OversightAnalyzer(config, store.oversight_queries.purpose_verdicts(rules))
    _feed(analyzer, entries, cancel)
    result = analyzer.finish(store.oversight_queries.vehicle_words,
                             store.oversight_reviews.latest())
    _keep(store, rules, analyzer, None)
    return result


def analyze_log(store: UnitOfWork, through_seq: int, config: OversightConfig,
                cancel: CancelCheck | None = None,
                keep_after: int = KEEP_AFTER) -> OversightResult:
    """The checks over the whole log up to ``through_seq``: from the counters the last pass
    kept when they are valid for these settings and this log (reading only the entries after
    them), else from the first entry. The counters are kept again when the pass read at least
    ``keep_after`` new entries, or had none to start from. The result is the same either way
    (core.oversight_state says why)."""
    with collector_paused():  # restoring and finishing build millions of plain values too
        return _analyze_log(store, through_seq, config, cancel, keep_after)


def _analyze_log(store: UnitOfWork, through_seq: int, config: OversightConfig,
                 cancel: CancelCheck | None, keep_after: int) -> OversightResult:
    rules = rules_key()
    verdicts = store.oversight_queries.purpose_verdicts(rules)
    key = state_key(config)
    kept = _usable(store, key, through_seq)
    analyzer: OversightAnalyzer | None = None
    if kept is not None:
        with contextlib.suppress(StateUnreadable):
            analyzer = restore(kept.blob, config, verdicts)
    after = kept.last_seq if analyzer is not None and kept is not None else 0
    if analyzer is None:
        analyzer = OversightAnalyzer(config, verdicts)
    fed = _feed(analyzer, store.audit.iter_rows(AuditFilter(through_seq=through_seq),
                                                after_seq=after), cancel)
    state = None
    last = analyzer.summary.last_seq
    first = analyzer.summary.first_seq
    if last is not None and first is not None and (after == 0 or fed >= keep_after):
        first_hash, last_hash = store.access_log.hash_at(first), store.access_log.hash_at(last)
        if first_hash and last_hash:
            state = KeptState(key, first, first_hash, last, last_hash, snapshot(analyzer))
    result = analyzer.finish(store.oversight_queries.vehicle_words,
                             store.oversight_reviews.latest())
    _keep(store, rules, analyzer, state)
    return result


def _usable(store: UnitOfWork, key: str, through_seq: int) -> KeptState | None:
    """The kept counters if they were built under ``key`` from this log's first entries,
    up to an entry the pass covers."""
    kept = store.oversight_state.load()
    if kept is None or kept.key != key or kept.last_seq > through_seq:
        return None
    first = store.audit.page(AuditFilter(), 0, 1)
    if not first or first[0].seq != kept.first_seq or first[0].hash != kept.first_hash:
        return None  # entries archived, or another log
    if store.access_log.hash_at(kept.last_seq) != kept.last_hash:
        return None
    return kept


def _feed(analyzer: OversightAnalyzer, entries: Iterable[Entry],
          cancel: CancelCheck | None) -> int:
    """Feed every entry, asking ``cancel`` every 2,000; storage's light rows (tuples) go to
    ``feed_rows`` a batch at a time."""
    fed = 0
    it = iter(entries)
    with collector_paused():
        while rows := list(islice(it, 2000)):
            if isinstance(rows[0], tuple):  # storage's EntryRow, never mixed with LogEntry
                analyzer.feed_rows(cast(list[EntryRow], rows))
            else:
                for e in rows:
                    analyzer.feed(e)
            fed += len(rows)
            if cancel is not None and len(rows) == 2000 and cancel():
                raise Cancelled("oversight cancelled")
    return fed


def _keep(store: UnitOfWork, rules: str, analyzer: OversightAnalyzer,
          state: KeptState | None) -> None:
    """Keep new purpose verdicts and the counters: derived caches, so a busy store keeps
    them next time instead."""
    queries = store.oversight_queries
    if not analyzer.new_verdicts and state is None and not queries.has_stale_verdicts(rules):
        return
    try:
        with store.transaction():
            queries.keep_purpose_verdicts(rules, analyzer.new_verdicts)  # drops stale ones
            if state is not None:
                store.oversight_state.keep(state)
    except StoreBusy:
        pass  # the result does not depend on them


class OversightService:
    """One per store connection."""

    def __init__(self, store: UnitOfWork, clock: Clock | None = None) -> None:
        self.store = store
        self.clock = clock or SystemClock()

    def config(self) -> OversightConfig:
        """The checks' settings as stored (defaults when none): not secret, shown beside the
        findings and printed on the report."""
        return oversight_config(self.store)

    def set_config(self, ctx: AccessContext, config: OversightConfig) -> OversightConfig:
        """Custodian only. Logged as "settings.changed" with each setting's old and new
        value; an unchanged config changes and logs nothing."""
        grant = self._grant(ctx, Action.REVIEW_OVERSIGHT)
        old = self.config()
        changes = config_changes(old, config)
        if not changes:
            return old
        with self.store.transaction():
            set_oversight_config(self.store, config)
            grant.log("settings.changed", query={},
                      detail={"key": OVERSIGHT_SETTINGS, "changes": changes})
        return config

    def findings(self, ctx: AccessContext, flt: AuditFilter | None = None,
                 cancel: CancelCheck | None = None) -> OversightResult:
        """The ranking and flags over the entries ``flt`` selects (the whole log by default),
        with earlier reviews applied. Logged as "audit.oversight" first (no entry, no
        answer), saying which entries are analysed."""
        grant = self._grant(ctx, Action.READ_AUDIT_LOG)
        flt = flt or AuditFilter()
        head = self.store.access_log.head()[0]
        through = head if flt.through_seq is None else flt.through_seq
        flt = replace(flt, through_seq=through)
        log_query = {**flt.as_log_dict(), "period": flt.describe_period()}
        log_query.pop("through_seq", None)
        grant.log("audit.oversight", query=log_query,
                  detail={"filters": flt.describe(), "through_seq": flt.through_seq})
        if flt.is_empty():  # the whole log: from the counters kept, when they hold
            return analyze_log(self.store, through, self.config(), cancel)
        return analyze_entries(self.store, self.store.audit.iter_rows(flt),
                               self.config(), cancel)

    def mark_reviewed(self, ctx: AccessContext, finding_key: str, note: str,
                      through_seq: int | None = None) -> ReviewReceipt:
        """Record that the custodian looked at a finding, with a note saying what was found.
        ``through_seq`` is the last entry the reviewed finding covered (the log's head by
        default): later entries of the same finding show as new on the next report."""
        grant = self._grant(ctx, Action.REVIEW_OVERSIGHT)
        key = finding_key.strip()
        text = " ".join(note.split())
        problems = []
        if not key or len(key) > MAX_KEY or "|" not in key:
            problems.append("Choose a finding to mark reviewed.")
        if len(text) < 10:
            problems.append("Say in a sentence what the review found (at least 10 "
                            "characters).")
        if len(text) > MAX_NOTE:
            problems.append(f"The note is longer than {MAX_NOTE} characters.")
        if problems:
            raise ReviewRejected(" ".join(problems))
        with self.store.transaction():
            head = self.store.access_log.head()[0]
            upto = head if through_seq is None else max(0, min(int(through_seq), head))
            review = Review(key, grant.account.username, self.clock.now_ms(), text, upto)
            self.store.oversight_reviews.add(review)
            entry = grant.log("oversight.reviewed", query={"finding_key": key},
                              detail={"note": text, "through_seq": upto})
        return ReviewReceipt(entry.seq, review)

    def _grant(self, ctx: AccessContext, action: Action) -> Grant:
        return require(self.store, ctx, action, needs_purpose=False, clock=self.clock)
