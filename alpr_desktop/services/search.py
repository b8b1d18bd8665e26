"""Plate search (DESIGN "Plate search"): exact, wildcard, substring and fuzzy patterns with
filters, best match first, in keyset pages; and batch search of a list of plates.

How rows are found is the store's business (the ``PlateSearch`` repository of the unit of
work: storage/plate_search.py for the embedded store). This service gates, keeps the cursor
and writes the log. Each page is a disclosure of rows, so each is a gated call writing its own
access-log entry ("search" for the first page, "search.page" for the next ones, with the
cursor position), in the same transaction and before rows return.

The first page may come without its counts (``count=False``, issue 20: the search view shows
the rows before the total); ``count`` then counts the search, logged as "search.count" with
the first page's query and the counts its entry would have carried. Counting discloses no
row, but it is an access, so it is gated and logged like a page.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from alpr_desktop.core.clock import Clock, SystemClock
from alpr_desktop.core.models import Camera
from alpr_desktop.core.patterns import MatchKind, Mode, Pattern, PatternError, parse
from alpr_desktop.core.roles import Action
from alpr_desktop.core.search import (
    MAX_BATCH_PLATES,
    BatchGroup,
    BatchResult,
    Cursor,
    Filters,
    Page,
    SearchCount,
    SearchInputError,
    SearchQuery,
    SearchRow,
    SortColumn,
    query_fingerprint,
    sort_value,
)
from alpr_desktop.services.attempted import (
    batch_attempt,
    count_attempt,
    crops_attempt,
    search_attempt,
)
from alpr_desktop.services.gate import Grant, gated, refuse_window_outside
from alpr_desktop.storage.plate_search import Counted, PatternTooBroad
from alpr_desktop.storage.unit_of_work import UnitOfWork

__all__ = ["PatternTooBroad", "SearchService", "sort_value"]

DEFAULT_BATCH_PER_PLATE = 500
MAX_THUMBNAILS = 1000
# The page cache of the search view's kept connection, in MiB: about a third of a
# 10,000,000-read store, what a station's PostgreSQL would be given as shared_buffers. Freed
# when the connection closes (the lock, sign-out).
SEARCH_CACHE_MIB = 512


class SearchService:
    """The gated search API used by the GUI and the CLI."""

    def __init__(self, store: UnitOfWork, clock: Clock | None = None) -> None:
        self.store = store
        self.clock = clock or SystemClock()

    # -- the gated calls ---------------------------------------------------------------------
    @gated(Action.SEARCH_READS, attempted=search_attempt)
    def search(self, grant: Grant, query: SearchQuery, cursor: str | None = None, *,
               count: bool = True) -> Page:
        """One page of results for ``query``: the first without ``cursor``, the next with the
        previous page's ``next_cursor``. A first page that leaves more carries the counts,
        unless ``count`` is False (then ``count`` with its ``next_cursor`` asks for them);
        later pages of such a search pass ``count=False`` too (the planner's cache guess).
        Raises PatternError or SearchInputError (with a sentence) for input that cannot be
        searched; nothing is logged then."""
        started = time.perf_counter()
        pattern = query.pattern()
        filters = query.filters
        size = query.checked_page_size()
        column, descending = query.order
        pos: Cursor | None = None
        if cursor is not None:
            pos = _position(cursor, query_fingerprint(pattern, filters, size, query.order))
            since, until = pos.since, pos.until
        else:
            since, until = filters.window(self.clock.now_ms() // 1000)
            refuse_window_outside(grant, since, until)
        since_eff, until_eff = _intersect(since, until, grant)
        found = self.store.search.find(pattern, filters, since_eff, until_eff, after=pos,
                                       size=size, column=column, descending=descending,
                                       count=count)
        rows = found.rows
        next_token = None
        if found.more and rows:
            last = rows[-1]
            value = sort_value(last, column) if column.by_value else None
            # The fingerprint only where a cursor is made (a page with no next has none).
            fp = query_fingerprint(pattern, filters, size, query.order)
            next_token = Cursor(int(last.kind), last.read.recorded_at, last.read.id, fp,
                                since, until, value).token()
        log_query = _log_query(query, pattern, since_eff, until_eff)
        if pos is not None:
            log_query["after"] = {"rank": pos.rank, "recorded_at": pos.recorded_at,
                                  "read_id": pos.read_id}
            if pos.value is not None:
                log_query["after"]["value"] = pos.value
        detail: dict[str, Any] = {"plates_matched": found.plates_matched,
                                  "plan": found.plan, "more": next_token is not None}
        if found.total is not None:
            detail.update(_counts_detail(Counted(
                found.total, found.total_capped, found.plates_found or 0, found.plates_capped,
                found.result_plates)))
        elif pos is None:
            detail["counted"] = False  # the counts follow in a "search.count" entry, if asked
        entry = grant.log("search" if pos is None else "search.page", query=log_query,
                          result_count=len(rows), detail=detail)
        return Page(
            tuple(rows), next_token, pattern, found.plates_matched, found.plan,
            (time.perf_counter() - started) * 1000, found.total, found.total_capped,
            entry.seq, found.plates_found, found.plates_capped, column, descending,
        )

    @gated(Action.SEARCH_READS, attempted=count_attempt)
    def count(self, grant: Grant, query: SearchQuery, cursor: str) -> SearchCount:
        """The counts of ``query``'s first page found with ``count=False``; ``cursor`` is
        that page's ``next_cursor`` (it holds the time window the page used; its position
        is not used). One "search.count" entry with the first page's query and the counts
        its entry would have carried; result_count is the total."""
        started = time.perf_counter()
        pattern = query.pattern()
        column, descending = query.order
        pos = _position(cursor, query_fingerprint(pattern, query.filters,
                                                  query.checked_page_size(), query.order))
        refuse_window_outside(grant, pos.since, pos.until)
        since_eff, until_eff = _intersect(pos.since, pos.until, grant)
        counted = self.store.search.count(pattern, query.filters, since_eff, until_eff,
                                          size=query.checked_page_size(), column=column,
                                          descending=descending)
        detail = {"plates_matched": counted.plates_matched, "plan": counted.plan,
                  **_counts_detail(counted)}
        entry = grant.log("search.count", query=_log_query(query, pattern, since_eff, until_eff),
                          result_count=counted.total, detail=detail)
        return SearchCount(counted.total, counted.total_capped, counted.plates_found,
                           counted.plates_capped, entry.seq,
                           (time.perf_counter() - started) * 1000)

    @gated(Action.SEARCH_READS, attempted=batch_attempt)
    def batch_search(
        self,
        grant: Grant,
        plates: Sequence[str],
        filters: Filters | None = None,
        per_plate: int = DEFAULT_BATCH_PER_PLATE,
    ) -> BatchResult:
        """Exact reads of each plate in ``plates`` under one purpose and one log entry,
        grouped by plate in input order; plates without reads get an empty group."""
        started = time.perf_counter()
        filters = filters or Filters()
        if not plates:
            raise SearchInputError("The list holds no plates.")
        if len(plates) > MAX_BATCH_PLATES:
            raise SearchInputError(f"A batch holds at most {MAX_BATCH_PLATES} plates.")
        norms: list[str] = []
        for text in plates:
            p = parse(text, Mode.EXACT)
            if p.mode is not Mode.EXACT:
                raise PatternError(f"{text!r}: a batch takes whole plates, without * or ?.")
            if p.text not in norms:
                norms.append(p.text)
        per_plate = max(1, min(int(per_plate), 10_000))
        since, until = filters.window(self.clock.now_ms() // 1000)
        refuse_window_outside(grant, since, until)
        since, until = _intersect(since, until, grant)
        found = self.store.search.exact_reads(norms, filters, since, until, per_plate + 1)
        groups = []
        for plate in norms:
            reads = found.get(plate, [])
            groups.append(BatchGroup(
                plate,
                tuple(SearchRow(r, MatchKind.EXACT, plate) for r in reads[:per_plate]),
                len(reads) > per_plate,
            ))
        total = sum(len(g.rows) for g in groups)
        query: dict[str, Any] = {
            "mode": "batch_exact", "plates": norms,
            "filters": filters.as_log_dict(),
            "per_plate": per_plate,
        }
        if since is not None or until is not None:
            query["time_window"] = {"from": since, "to": until}
        entry = grant.log("search.batch", query=query, result_count=total, detail={
            "plates_without_reads": [g.plate for g in groups if not g.rows],
            "truncated": [g.plate for g in groups if g.truncated],
        })
        return BatchResult(tuple(groups), (time.perf_counter() - started) * 1000, entry.seq)

    @gated(Action.VIEW_IMAGES, attempted=crops_attempt)
    def plate_crops(self, grant: Grant, read_ids: Sequence[int]) -> dict[int, tuple[str, bytes]]:
        """The plate crops of up to MAX_THUMBNAILS reads as (format, bytes), for the results
        table's thumbnails: one "image.thumbnails" entry per call, naming every read."""
        ids = list(dict.fromkeys(int(i) for i in read_ids))
        if len(ids) > MAX_THUMBNAILS:
            raise SearchInputError(f"At most {MAX_THUMBNAILS} thumbnails at a time.")
        w = grant.window
        crops = self.store.search.crops(ids, (w.start, w.end) if w is not None else None)
        grant.log("image.thumbnails", query={"read_ids": ids, "kind": "crop"},
                  result_count=len(crops))
        return crops

    def defer_checkpoints(self) -> None:
        """Keep WAL checkpoints out of this store connection's commits, so a page's durable
        log entry never waits for one (for a connection kept across searches: the search
        view's). Idempotent."""
        self.store.defer_checkpoints()

    def keep_pages_cached(self) -> None:
        """Give this store connection a page cache of SEARCH_CACHE_MIB (for a connection kept
        across searches: the search view's). Decrypting pages is most of a broad search's
        cost on a large store; kept, the pages recent searches read are not decrypted again
        (substring at 10M: 23–27 → 13 ms p50, docs/benchmarks.md). Idempotent."""
        self.store.enlarge_page_cache(SEARCH_CACHE_MIB)

    def warm_pages(self, stop: Callable[[], bool] = lambda: False) -> int:
        """Read the reads table's and its plate index's upper pages, and the newest reads'
        rows, into this connection's cache before the first searches (for the search view's
        kept connection, after keep_pages_cached). Not gated: no read leaves the store, only
        a count; the pages stay in this process's memory, like those any search leaves
        there. ``stop`` (asked between passes) and an interrupt of the connection end it
        early, for the lock and sign-out."""
        return self.store.search.warm(stop)

    def cameras(self) -> list[Camera]:
        """Camera names and places for the filter panel (configuration, not read data)."""
        return self.store.search.cameras()


def _position(token: str, fingerprint: str) -> Cursor:
    """The cursor in ``token``, refused when it belongs to another search."""
    pos = Cursor.from_token(token)
    if pos.fingerprint != fingerprint:
        raise SearchInputError("The page position belongs to another search; search again.")
    return pos


def _log_query(query: SearchQuery, pattern: Pattern, since: int | None,
               until: int | None) -> dict[str, Any]:
    """A search's query as its entries log it (the first page's, its count's; a later
    page adds its position): every element, and the window that ran."""
    column, descending = query.order
    out: dict[str, Any] = {
        "pattern": pattern.text,
        "mode": str(pattern.mode),
        "requested_mode": str(Mode(query.mode)),
        "filters": query.filters.as_log_dict(),
        "page_size": query.checked_page_size(),
    }
    if column is not SortColumn.BEST:
        out["sort"] = {"by": str(column), "descending": descending}
    if since is not None or until is not None:
        out["time_window"] = {"from": since, "to": until}
    return out


def _counts_detail(c: Counted) -> dict[str, Any]:
    """The counts as a first page's entry (or its count's) carries them."""
    d: dict[str, Any] = {"total": c.total, "total_capped": c.total_capped,
                         "plates_found": c.plates_found, "plates_capped": c.plates_capped}
    if c.result_plates is not None:
        # What the user saw, not only what was typed (issue 21): the oversight checks
        # count a look-up of each plate a narrow search found, whatever the pattern.
        d["result_plates"] = list(c.result_plates)
    return d


def _intersect(
    since: int | None, until: int | None, grant: Grant
) -> tuple[int | None, int | None]:
    """The query window narrowed to a contractor's permission window, if any."""
    w = grant.window
    if w is None:
        return since, until
    lo = w.start if since is None else max(since, w.start)
    hi = w.end if until is None else min(until, w.end)
    return lo, hi
