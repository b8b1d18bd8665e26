"""Plate search (DESIGN "Plate search"): exact, wildcard, substring and fuzzy patterns with
filters, best match first, in keyset pages; and batch search of a list of plates.

How a pattern resolves (against the distinct-plates table first, never the reads):

* exact: ``plates.plate_norm = ?``.
* wildcard / substring: FTS5 trigram index when the pattern has 3 contiguous characters, else
  a range on the plates index for a literal prefix, else a scan of the distinct plates (the
  plan says which; the access log records it).
* fuzzy: the plate's OCR-class key and every key one edit away (a few hundred), looked up with
  ``plates.ocr_key IN (...)``; plus reads whose alternate candidates are the plate or a
  look-alike of it (``read_candidates``).

Matched plates fall into tiers by MatchKind (exact, candidate, look-alike, one edit,
wildcard); results are ordered (kind, recorded_at DESC, id DESC) and paged by keyset on that
triple, so a later page costs what the first did. Each page is a disclosure of rows, so each is
a gated call writing its own access-log entry ("search" for the first page, "search.page" for
the next ones, with the cursor position), in the same transaction and before rows return.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from alpr_desktop.core.clock import Clock, SystemClock
from alpr_desktop.core.models import Camera, Read
from alpr_desktop.core.patterns import (
    MatchKind,
    Mode,
    Pattern,
    PatternError,
    PatternTooBroadError,
    fuzzy_keys,
    parse,
)
from alpr_desktop.core.roles import Action
from alpr_desktop.core.search import (
    MAX_BATCH_PLATES,
    BatchGroup,
    BatchResult,
    Cursor,
    Filters,
    Page,
    SearchInputError,
    SearchQuery,
    SearchRow,
    SortColumn,
    SortValue,
    offset_segments,
    query_fingerprint,
)
from alpr_desktop.services.attempted import batch_attempt, crops_attempt, search_attempt
from alpr_desktop.services.gate import Grant, gated, refuse_window_outside
from alpr_desktop.storage.db import Store
from alpr_desktop.storage.oversight import OversightQueries
from alpr_desktop.storage.search_queries import (
    BROAD_READS,
    Order,
    PlateHit,
    SearchQueries,
    Where,
    filter_sql,
)

MAX_PLATES = 100_000  # distinct plates one pattern may resolve to
TOTAL_CAP = 10_000  # the first page counts matching reads up to this many
MIN_BROAD_PLATES = 50  # a few plates with many reads are still best fetched plate by plate
DEFAULT_BATCH_PER_PLATE = 500
MAX_THUMBNAILS = 1000
RESOLVED_CACHE_SIZE = 32  # patterns whose plate sets are kept for their next pages
RESULT_PLATES_LOGGED = 25  # a first page's entry names the plates found when at most this many


class _ResolvedCache:
    """Recently resolved patterns, so the next pages of a search do not resolve it again.

    In memory only, shared by the worker connections of one process, and keyed by the store
    and the plates table's version (SearchQueries.plates_version): a new or purged plate
    changes the key, so an entry is never staler than the table it came from."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._items: OrderedDict[tuple, _Resolved] = OrderedDict()

    def get(self, key: tuple) -> _Resolved | None:
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
            return hit

    def put(self, key: tuple, value: _Resolved) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


class PatternTooBroad(PatternTooBroadError):
    def __init__(self, n: int) -> None:
        super().__init__(
            f"That pattern matches more than {n:,} different plates. Add plate characters "
            "to narrow it."
        )


@dataclass(frozen=True)
class _Tier:
    kind: MatchKind
    plate_ids: tuple[int, ...]
    broad: bool = False
    candidates: tuple[int, ...] = ()  # CANDIDATE tier: alternate plates to look for
    own_excluded: tuple[int, ...] = ()  # CANDIDATE tier: reads of these plates are elsewhere
    exclude_candidates: tuple[int, ...] = ()  # plate tiers: reads already listed as candidates


@dataclass(frozen=True)
class _Resolved:
    tiers: tuple[_Tier, ...]
    plates_matched: int
    plan: str
    names: dict[int, str] | None  # plate id -> plate for every plate in the tiers, if read


_RESOLVED = _ResolvedCache(RESOLVED_CACHE_SIZE)


class SearchService:
    """The gated search API used by the GUI and the CLI."""

    def __init__(self, store: Store, clock: Clock | None = None) -> None:
        self.store = store
        self.clock = clock or SystemClock()
        self._q = SearchQueries(store)

    # -- the gated calls ---------------------------------------------------------------------
    @gated(Action.SEARCH_READS, attempted=search_attempt)
    def search(self, grant: Grant, query: SearchQuery, cursor: str | None = None) -> Page:
        """One page of results for ``query``: the first without ``cursor``, the next with the
        previous page's ``next_cursor``. Raises PatternError or SearchInputError (with a
        sentence) for input that cannot be searched; nothing is logged then."""
        started = time.perf_counter()
        pattern = query.pattern()
        filters = query.filters
        size = query.checked_page_size()
        column, descending = query.order
        fp = query_fingerprint(pattern, filters, size, query.order)
        pos: Cursor | None = None
        if cursor is not None:
            pos = Cursor.from_token(cursor)
            if pos.fingerprint != fp:
                raise SearchInputError("The page position belongs to another search; search "
                                       "again.")
            since, until = pos.since, pos.until
        else:
            since, until = filters.window(self.clock.now_ms() // 1000)
            refuse_window_outside(grant, since, until)
        since_eff, until_eff = _intersect(since, until, grant)
        where = self._where(filters, since_eff, until_eff)
        resolved = self._resolve(pattern)
        if column.by_value:
            order = Order(str(column), descending)
            rows, more = self._fetch_sorted(resolved, where, pos, size, order)
        else:
            rows, more = self._fetch(resolved, where, pos, size,
                                     reverse=column is SortColumn.MATCH and descending)
        next_token = None
        if more and rows:
            last = rows[-1]
            value = sort_value(last, column) if column.by_value else None
            next_token = Cursor(int(last.kind), last.read.recorded_at, last.read.id, fp,
                                since, until, value).token()
        total = capped = None
        plates_found: int | None = None
        plates_capped = False
        if pos is None:
            total = self._count(resolved.tiers, where)
            capped = total > TOTAL_CAP
            total = min(total, TOTAL_CAP)
            found_ids = self._plates_found(resolved.tiers, where)
            plates_found = len(found_ids)
            plates_capped = plates_found > TOTAL_CAP
            plates_found = min(plates_found, TOTAL_CAP)
        log_query: dict[str, Any] = {
            "pattern": pattern.text,
            "mode": str(pattern.mode),
            "requested_mode": str(Mode(query.mode)),
            "filters": filters.as_log_dict(),
            "page_size": size,
        }
        if column is not SortColumn.BEST:
            log_query["sort"] = {"by": str(column), "descending": descending}
        if since_eff is not None or until_eff is not None:
            log_query["time_window"] = {"from": since_eff, "to": until_eff}
        if pos is not None:
            log_query["after"] = {"rank": pos.rank, "recorded_at": pos.recorded_at,
                                  "read_id": pos.read_id}
            if pos.value is not None:
                log_query["after"]["value"] = pos.value
        detail: dict[str, Any] = {"plates_matched": resolved.plates_matched,
                                  "plan": resolved.plan, "more": next_token is not None}
        if total is not None:
            detail["total"] = total
            detail["total_capped"] = bool(capped)
            detail["plates_found"] = plates_found
            detail["plates_capped"] = plates_capped
            if len(found_ids) <= RESULT_PLATES_LOGGED:
                # What the user saw, not only what was typed (issue 21): the oversight checks
                # count a look-up of each plate a narrow search found, whatever the pattern.
                detail["result_plates"] = self._plate_names(found_ids, resolved.names)
        entry = grant.log("search" if pos is None else "search.page", query=log_query,
                          result_count=len(rows), detail=detail)
        return Page(
            tuple(rows), next_token, pattern, resolved.plates_matched, resolved.plan,
            (time.perf_counter() - started) * 1000, total, bool(capped), entry.seq,
            plates_found, plates_capped, column, descending,
        )

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
        where = self._where(filters, since, until)
        ids = self._q.exact_many(norms)
        groups = []
        for plate in norms:
            pid = ids.get(plate)
            reads = self._q.reads_of_plate(pid, where, per_plate + 1) if pid else []
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
        crops = self._q.crops(ids, (w.start, w.end) if w is not None else None)
        grant.log("image.thumbnails", query={"read_ids": ids, "kind": "crop"},
                  result_count=len(crops))
        return crops

    def cameras(self) -> list[Camera]:
        """Camera names and places for the filter panel (configuration, not read data)."""
        return self._q.cameras()

    # -- the engine --------------------------------------------------------------------------
    def _where(self, f: Filters, since: int | None, until: int | None) -> Where:
        segments: list[tuple[int, int]] = []
        if f.time_of_day is not None:
            lo, hi = since, until
            if lo is None or hi is None:
                bounds = self._q.time_bounds() or (0, 0)
                lo = bounds[0] if lo is None else lo
                hi = bounds[1] if hi is None else hi
            segments = offset_segments(lo, max(lo, hi))
        return filter_sql(f, since, until, segments)

    def _resolve(self, pattern: Pattern) -> _Resolved:
        """The pattern's plates by tier, from the cache when the plates table has not
        changed since (exact patterns are one index probe: never cached)."""
        if pattern.mode is Mode.EXACT:
            return self._resolve_now(pattern)
        key = (str(self.store.path), self.store.store_id, pattern.text, str(pattern.mode),
               self._q.plates_version())
        hit = _RESOLVED.get(key)
        if hit is None:
            hit = self._resolve_now(pattern)
            _RESOLVED.put(key, hit)
        return hit

    def _resolve_now(self, pattern: Pattern) -> _Resolved:
        rpp = self._q.reads_per_plate()
        if pattern.mode is Mode.EXACT:
            hits = self._q.exact(pattern.text)
            return _Resolved(
                (_Tier(MatchKind.EXACT, tuple(h.id for h in hits)),) if hits else (),
                len(hits), "plate index (exact)", {h.id: h.plate for h in hits},
            )
        if pattern.mode is Mode.FUZZY:
            return self._resolve_fuzzy(pattern)
        hits, plan = self._q.wildcard(pattern, MAX_PLATES + 1)
        if len(hits) > MAX_PLATES:
            raise PatternTooBroad(MAX_PLATES)
        exact: tuple[int, ...] = ()
        if pattern.mode is Mode.SUBSTRING and "?" not in pattern.text:
            found = {h.id for h in hits}
            exact = tuple(h.id for h in self._q.exact(pattern.literal) if h.id in found)
        rest = tuple(h.id for h in hits if h.id not in exact)
        # The trigram phrase plan does not read plates: the page joins them for its rows.
        names = {h.id: h.plate for h in hits} if all(h.plate for h in hits) else None
        tiers = []
        if exact:
            tiers.append(_Tier(MatchKind.EXACT, exact))
        if rest:
            broad = len(rest) >= MIN_BROAD_PLATES and len(rest) * rpp > BROAD_READS
            kind = MatchKind.SUBSTRING if pattern.mode is Mode.SUBSTRING else MatchKind.WILDCARD
            tiers.append(_Tier(kind, rest, broad))
        if any(t.broad for t in tiers):
            plan += "; reads walked newest first"
        return _Resolved(tuple(tiers), len(hits), plan, names)

    def _resolve_fuzzy(self, pattern: Pattern) -> _Resolved:
        fk = fuzzy_keys(pattern)
        hits = self._q.by_keys([fk.key, *sorted(fk.near)])
        by_kind: dict[MatchKind, list[PlateHit]] = {}
        for h in hits:
            if h.plate == fk.plate:
                by_kind.setdefault(MatchKind.EXACT, []).append(h)
            elif h.key == fk.key:
                by_kind.setdefault(MatchKind.LOOK_ALIKE, []).append(h)
            else:
                by_kind.setdefault(MatchKind.ONE_EDIT, []).append(h)
        exact = tuple(h.id for h in by_kind.get(MatchKind.EXACT, []))
        alike = tuple(h.id for h in by_kind.get(MatchKind.LOOK_ALIKE, []))
        edits = tuple(h.id for h in by_kind.get(MatchKind.ONE_EDIT, []))
        cands = exact + alike
        tiers = []
        if exact:
            tiers.append(_Tier(MatchKind.EXACT, exact))
        if cands:
            tiers.append(_Tier(MatchKind.CANDIDATE, (), candidates=cands, own_excluded=exact))
        if alike:
            tiers.append(_Tier(MatchKind.LOOK_ALIKE, alike, exclude_candidates=cands))
        if edits:
            tiers.append(_Tier(MatchKind.ONE_EDIT, edits, exclude_candidates=cands))
        plan = (f"look-alike key {fk.key} and {len(fk.near)} keys one edit away "
                "(plates index), alternates (read_candidates)")
        return _Resolved(tuple(tiers), len(hits), plan, {h.id: h.plate for h in hits})

    def _fetch(
        self, resolved: _Resolved, where: Where, pos: Cursor | None, size: int,
        reverse: bool = False,
    ) -> tuple[list[SearchRow], bool]:
        """Up to ``size`` rows from the tiers in rank order (weakest first when ``reverse``)
        after ``pos``; and whether any row follows them."""
        out: list[SearchRow] = []
        names = resolved.names
        tiers = resolved.tiers[::-1] if reverse else resolved.tiers
        for tier in tiers:
            if pos is not None and (int(tier.kind) > pos.rank if reverse
                                    else int(tier.kind) < pos.rank):
                continue
            after = (pos.recorded_at, pos.read_id) if pos and int(tier.kind) == pos.rank \
                else None
            need = size - len(out)
            if need <= 0:
                # The page is full: does anything follow? One row from this tier tells.
                if self._tier_rows(tier, where, after, 1, names):
                    return out, True
                continue
            got = self._tier_rows(tier, where, after, need + 1, names)
            out.extend(got[:need])
            if len(got) > need:
                return out, True
        return out, False

    def _fetch_sorted(
        self, resolved: _Resolved, where: Where, pos: Cursor | None, size: int, order: Order,
    ) -> tuple[list[SearchRow], bool]:
        """Up to ``size`` rows of all tiers in ``order`` after ``pos``: each tier gives its
        first ``size + 1`` rows after the position (tiers hold disjoint reads), and the merge
        of those is the page; a row beyond it means more follow."""
        after = (pos.value, pos.read_id) if pos is not None and pos.value is not None \
            else None
        if pos is not None and after is None:
            raise SearchInputError("The page position is not valid; search again.")
        merged: list[SearchRow] = []
        for tier in resolved.tiers:
            merged.extend(self._tier_rows(tier, where, after, size + 1, resolved.names,
                                          order))
        column = SortColumn(order.column)
        merged.sort(key=lambda r: (sort_value(r, column), r.read.id), reverse=order.descending)
        return merged[:size], len(merged) > size

    def _tier_rows(
        self, tier: _Tier, where: Where, after: tuple[object, int] | None, limit: int,
        names: dict[int, str] | None, order: Order | None = None,
    ) -> list[SearchRow]:
        extra = {} if order is None else {"order": order}
        if tier.kind is MatchKind.CANDIDATE:
            pairs = self._q.page_by_candidates(tier.candidates, tier.own_excluded, where,
                                               after, limit, **extra)
            return [SearchRow(r, tier.kind, cand) for r, cand in pairs]
        reads: list[Read] = self._q.page_by_plates(
            tier.plate_ids, where, after, limit, broad=tier.broad,
            exclude_candidates=tier.exclude_candidates, plate_names=names, **extra,
        )
        return [SearchRow(r, tier.kind, r.plate_norm) for r in reads]

    def _plate_names(self, ids: set[int], names: dict[int, str] | None) -> list[str]:
        known = names or {}
        missing = [i for i in ids if i not in known]
        found = dict(known)
        if missing:
            found.update(OversightQueries(self.store).plate_names(missing))
        return sorted(found[i] for i in ids if i in found)

    def _plates_found(self, tiers: Sequence[_Tier], where: Where) -> set[int]:
        """Distinct plates among the matching reads (not the plates the pattern resolved
        to: a filter or a plate known only as an alternate reading leaves some without
        reads), counting no further than TOTAL_CAP + 1."""
        found: set[int] = set()
        for tier in tiers:
            left = TOTAL_CAP + 1 - len(found)
            if left <= 0:
                break
            if tier.kind is MatchKind.CANDIDATE:
                found |= self._q.plates_of_candidate_reads(tier.candidates, tier.own_excluded,
                                                           where, left)
            else:
                found |= self._q.plates_with_reads(tier.plate_ids, where, left,
                                                   tier.exclude_candidates)
        return found

    def _count(self, tiers: Sequence[_Tier], where: Where) -> int:
        total = 0
        for tier in tiers:
            left = TOTAL_CAP + 1 - total
            if left <= 0:
                break
            if tier.kind is MatchKind.CANDIDATE:
                total += self._q.count_by_candidates(tier.candidates, tier.own_excluded,
                                                     where, left)
            else:
                total += self._q.count_by_plates(tier.plate_ids, where, left,
                                                 tier.exclude_candidates)
        return total


def sort_value(row: SearchRow, column: SortColumn) -> SortValue:
    """The value a row is sorted by, as the engine's SQL orders it (BINARY text order)."""
    r = row.read
    if column is SortColumn.TIME:
        return r.recorded_at
    if column is SortColumn.PLATE:
        return r.plate_norm
    if column is SortColumn.STATE:
        return r.state
    if column is SortColumn.CAMERA:
        return r.camera_name
    if column is SortColumn.CONFIDENCE:
        return r.confidence
    if column is SortColumn.DIRECTION:
        return r.direction
    if column is SortColumn.VEHICLE:
        return f"{r.make} / {r.model} / {r.color}"
    if column is SortColumn.SPEED:
        return -1.0 if r.speed is None else float(r.speed)
    return int(row.kind)


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
