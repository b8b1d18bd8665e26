"""Search planning for the embedded store (DESIGN "Plate search"): how a pattern resolves to
plates, which tiers they fall into, how each tier's reads are fetched and counted.

The service (services/search.py) gates, pages by cursor and logs; everything about how rows
are found lives here, below the seam, so a server backend plans its own searches behind the
same ``PlateSearch`` protocol (storage/protocols.py).

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
triple, so a later page costs what the first did.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace

from alpr_desktop.core.models import Camera, Read
from alpr_desktop.core.patterns import (
    MatchKind,
    Mode,
    Pattern,
    PatternTooBroadError,
    classify_fuzzy,
    fuzzy_keys,
)
from alpr_desktop.core.search import (
    Cursor,
    Filters,
    SearchInputError,
    SearchRow,
    SortColumn,
    offset_segments,
    sort_value,
)
from alpr_desktop.storage.corrections import CorrectionQueries
from alpr_desktop.storage.db import Store
from alpr_desktop.storage.oversight import OversightQueries
from alpr_desktop.storage.search_queries import Order, PlateHit, SearchQueries, Where, filter_sql

MAX_PLATES = 100_000  # distinct plates one pattern may resolve to
TOTAL_CAP = 10_000  # the first page counts matching reads up to this many
BROAD_READS = 60_000  # estimated reads in a tier above which the time-ordered walk is used
MIN_BROAD_PLATES = 50  # a few plates with many reads are still best fetched plate by plate
RESOLVED_CACHE_SIZE = 32  # patterns whose plate sets are kept for their next pages
RESULT_PLATES_LOGGED = 25  # a first page names the plates found when at most this many


class PatternTooBroad(PatternTooBroadError):
    def __init__(self, n: int) -> None:
        super().__init__(
            f"That pattern matches more than {n:,} different plates. Add plate characters "
            "to narrow it."
        )


@dataclass(frozen=True)
class Found:
    """One page of a search as the store found it. The counts are None on later pages."""

    rows: list[SearchRow]
    more: bool
    plates_matched: int
    plan: str
    total: int | None = None  # matching reads, at most TOTAL_CAP
    total_capped: bool = False
    plates_found: int | None = None  # distinct plates among them, at most TOTAL_CAP
    plates_capped: bool = False
    # The plates found, when at most RESULT_PLATES_LOGGED (first page only): what the user
    # saw, for the log entry the oversight checks read (issue 21).
    result_plates: tuple[str, ...] | None = None


@dataclass(frozen=True)
class _Tier:
    kind: MatchKind
    plate_ids: tuple[int, ...]
    broad: bool = False
    candidates: tuple[int, ...] = ()  # CANDIDATE tier: alternate plates to look for
    own_excluded: tuple[int, ...] = ()  # CANDIDATE tier: reads of these plates are elsewhere
    exclude_candidates: tuple[int, ...] = ()  # plate tiers: reads already listed as candidates
    corrected: tuple[tuple[int, int, str], ...] = ()  # CORRECTED tier: (read, plate id, plate)


@dataclass(frozen=True)
class _Resolved:
    tiers: tuple[_Tier, ...]
    plates_matched: int
    plan: str
    names: dict[int, str] | None  # plate id -> plate for every plate in the tiers, if read


class _ResolvedCache:
    """Recently resolved patterns, so the next pages of a search do not resolve it again.

    In memory only, shared by the worker connections of one process, and keyed by the store
    file and its plate generation (migration 0004): a new or purged plate moves the
    generation, so an entry is never staler than the table it came from."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._items: OrderedDict[tuple[object, ...], _Resolved] = OrderedDict()

    def get(self, key: tuple[object, ...]) -> _Resolved | None:
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
            return hit

    def put(self, key: tuple[object, ...], value: _Resolved) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


RESOLVED = _ResolvedCache(RESOLVED_CACHE_SIZE)


class SqlCipherPlateSearch:
    """PlateSearch on one connection of the embedded store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._q = SearchQueries(store)
        self._corrections = CorrectionQueries(store)

    # -- the protocol ------------------------------------------------------------------------
    def find(
        self, pattern: Pattern, filters: Filters, since: int | None, until: int | None, *,
        after: Cursor | None, size: int, column: SortColumn, descending: bool,
    ) -> Found:
        """Up to ``size`` rows after ``after`` (None: the first page, which also counts)."""
        where = self._where(filters, since, until)
        resolved = self._with_corrections(self._resolve(pattern))
        if column.by_value:
            rows, more = self._fetch_sorted(resolved, where, after, size,
                                            Order(str(column), descending))
        else:
            rows, more = self._fetch(resolved, where, after, size,
                                     reverse=column is SortColumn.MATCH and descending)
        rows = self._mark_corrected(rows)
        if after is not None:
            return Found(rows, more, resolved.plates_matched, resolved.plan)
        if not more:
            # The whole result is on this page: its rows are the counts (issue 20: the first
            # page of a narrow search no longer walks the index a second and third time).
            shown = {r.matched_plate if r.kind is MatchKind.CORRECTED else r.read.plate_norm
                     for r in rows}
            return Found(rows, more, resolved.plates_matched, resolved.plan, len(rows), False,
                         len(shown), False,
                         tuple(sorted(shown)) if len(shown) <= RESULT_PLATES_LOGGED else None)
        total = self._count(resolved.tiers, where)
        found_ids = self._plates_found(resolved.tiers, where)
        plates = len(found_ids)
        names = (self._plate_names(found_ids, resolved.names)
                 if plates <= RESULT_PLATES_LOGGED else None)
        return Found(rows, more, resolved.plates_matched, resolved.plan,
                     min(total, TOTAL_CAP), total > TOTAL_CAP,
                     min(plates, TOTAL_CAP), plates > TOTAL_CAP, names)

    def exact_reads(
        self, plates: Sequence[str], filters: Filters, since: int | None, until: int | None,
        limit: int,
    ) -> dict[str, list[Read]]:
        """Up to ``limit`` reads of each normalized plate, newest first (batch search);
        a plate without reads is absent."""
        where = self._where(filters, since, until)
        ids = self._q.exact_many(plates)
        return {p: self._q.reads_of_plate(pid, where, limit) for p, pid in ids.items()}

    def crops(
        self, read_ids: Sequence[int], window: tuple[int, int] | None = None
    ) -> dict[int, tuple[str, bytes]]:
        return self._q.crops(read_ids, window)

    def cameras(self) -> list[Camera]:
        return self._q.cameras()

    # -- planning ----------------------------------------------------------------------------
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
        hit = RESOLVED.get(key)
        if hit is None:
            hit = self._resolve_now(pattern)
            RESOLVED.put(key, hit)
        return hit

    def _resolve_now(self, pattern: Pattern) -> _Resolved:
        if pattern.mode is Mode.EXACT:
            hits = self._q.exact(pattern.text)
            return _Resolved(
                (_Tier(MatchKind.EXACT, tuple(h.id for h in hits)),) if hits else (),
                len(hits), "plate index (exact)", {h.id: h.plate for h in hits},
            )
        if pattern.mode is Mode.FUZZY:
            return self._resolve_fuzzy(pattern)
        rpp = self._q.reads_per_plate()
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
            kind = classify_fuzzy(h.plate, h.key, fk)
            if kind is not None:  # the lookup asked for these keys only
                by_kind.setdefault(kind, []).append(h)
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

    # -- corrections (policy §7) -------------------------------------------------------------
    def _with_corrections(self, resolved: _Resolved) -> _Resolved:
        """The tiers plus a CORRECTED tier: reads whose correction in force names one of the
        resolved plates, unless a tier lists the read already. Not cached (a correction does
        not move the plate generation); one look at a small partial index, so a store
        without corrections pays one empty index probe."""
        found = self._corrections.in_force_plates()
        if not found:
            return resolved
        plate_ids = {p for t in resolved.tiers for p in t.plate_ids}
        cands = {p for t in resolved.tiers for p in t.candidates}
        hits = [(rid, pid, plate) for rid, pid, own, plate in found
                if (pid in plate_ids or pid in cands) and own not in plate_ids]
        if cands and hits:
            listed = self._corrections.reads_with_candidates([h[0] for h in hits], cands)
            hits = [h for h in hits if h[0] not in listed]
        if not hits:
            return resolved
        tier = _Tier(MatchKind.CORRECTED, (), corrected=tuple(hits))
        return _Resolved((*resolved.tiers, tier), resolved.plates_matched + len(
            {h[1] for h in hits} - plate_ids - cands), resolved.plan, resolved.names)

    def _mark_corrected(self, rows: list[SearchRow]) -> list[SearchRow]:
        """Each row with the correction in force on its read, in words."""
        if not rows:
            return rows
        found = self._corrections.in_force_for([r.read.id for r in rows])
        if not found:
            return rows
        return [replace(r, corrected=found[r.read.id].describe()) if r.read.id in found else r
                for r in rows]

    # -- fetching ----------------------------------------------------------------------------
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
        by = order or Order()
        if tier.kind is MatchKind.CORRECTED:
            plate_of = {rid: plate for rid, _pid, plate in tier.corrected}
            got = self._corrections.page_by_ids(list(plate_of), where, after, limit, order=by)
            return [SearchRow(r, tier.kind, plate_of[r.id]) for r in got]
        if tier.kind is MatchKind.CANDIDATE:
            pairs = self._q.page_by_candidates(tier.candidates, tier.own_excluded, where,
                                               after, limit, order=by)
            return [SearchRow(r, tier.kind, cand) for r, cand in pairs]
        reads: list[Read] = self._q.page_by_plates(
            tier.plate_ids, where, after, limit, broad=tier.broad,
            exclude_candidates=tier.exclude_candidates, plate_names=names, order=by,
        )
        return [SearchRow(r, tier.kind, r.plate_norm) for r in reads]

    def _plate_names(self, ids: set[int], names: dict[int, str] | None) -> tuple[str, ...]:
        known = dict(names or {})
        missing = [i for i in ids if i not in known]
        if missing:
            known.update(OversightQueries(self.store).plate_names(missing))
        return tuple(sorted(known[i] for i in ids if i in known))

    def _plates_found(self, tiers: Sequence[_Tier], where: Where) -> set[int]:
        """Distinct plates among the matching reads (not the plates the pattern resolved
        to: a filter or a plate known only as an alternate reading leaves some without
        reads), counting no further than TOTAL_CAP + 1."""
        found: set[int] = set()
        for tier in tiers:
            left = TOTAL_CAP + 1 - len(found)
            if left <= 0:
                break
            if tier.kind is MatchKind.CORRECTED:
                kept = self._corrections.ids_matching([h[0] for h in tier.corrected], where)
                found |= {pid for rid, pid, _p in tier.corrected if rid in kept}
            elif tier.kind is MatchKind.CANDIDATE:
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
            if tier.kind is MatchKind.CORRECTED:
                total += len(self._corrections.ids_matching([h[0] for h in tier.corrected], where))
            elif tier.kind is MatchKind.CANDIDATE:
                total += self._q.count_by_candidates(tier.candidates, tier.own_excluded,
                                                     where, left)
            else:
                total += self._q.count_by_plates(tier.plate_ids, where, left,
                                                 tier.exclude_candidates)
        return total
