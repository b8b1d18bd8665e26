"""Search planning for the embedded store (DESIGN "Plate search"): how a pattern resolves to
plates, which tiers they fall into, how each tier's reads are fetched and counted.

The service (services/search.py) gates, pages by cursor and logs; everything about how rows
are found lives here, below the seam, so a server backend plans its own searches behind the
same ``PlateSearch`` protocol (storage/protocols.py).

How a pattern resolves (against the distinct-plates table first, never the reads):

* exact: ``plates.plate_norm = ?``.
* wildcard / substring: FTS5 trigram index when the pattern has 3 contiguous characters, else
  a range on the plates index for a literal prefix, else a scan of the distinct plates (the
  plan says which; the access log records it). A page from the recent reads' postings only
  counts them that way: the postings carry each read's plate and are tested against the
  pattern itself.
* fuzzy: the plate's OCR-class key and every key one edit away (a few hundred), looked up with
  ``plates.ocr_key IN (...)``; plus reads whose alternate candidates are the plate or a
  look-alike of it (``read_candidates``).

Matched plates fall into tiers by MatchKind (exact, candidate, look-alike, one edit,
wildcard); results are ordered (kind, recorded_at DESC, id DESC) and paged by keyset on that
triple, so a later page costs what the first did.

How a tier of plates is fetched and counted is chosen per page by estimated cost (``plan``):
plate by plate through ``reads_plate_time`` (one index seek per plate, then its reads), or
one walk of ``reads_time`` (recorded_at, id, plate_id) newest first, testing each entry's
plate on the index (about page size / density entries; the newest entries are the same for
every search, so they stay in the page cache). Both give the same rows in the same order.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

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
from alpr_desktop.storage.read_grams import ReadGrams, pattern_grams
from alpr_desktop.storage.search_queries import (
    Order,
    PlateHit,
    SearchQueries,
    Sizes,
    Where,
    filter_sql,
)

MAX_PLATES = 100_000  # distinct plates one pattern may resolve to
TOTAL_CAP = 10_000  # the first page counts matching reads up to this many
BROAD_READS = 60_000  # estimated reads in a tier above which the time walk is always used
MIN_BROAD_PLATES = 50  # a few plates with many reads are still best fetched plate by plate
# The planner's cost model, in microseconds of CPU, fitted to the encrypted store at 1M and
# 10M reads (issue 20, branch srch7). A page read from the file costs its decryption
# (page_read_us); a page in the connection's cache costs nothing more. The plates of a tier
# share reads_plate_time leaves as far as their ids are close (plates first seen in one
# import batch get consecutive ids in plate order, so a plate start's plates cluster and a
# middle run's do not). A first page finds those leaves cached only as far as the cache holds
# that index (all of it at 1M, about a third at 10M); its count and later pages find the ones
# it read, if they fit. A walk of reads_time newest first reads the pages every such walk
# reads, which stay cached while they fit.
PAGE_READ_US = 40.0  # a 16 KiB page; smaller pages cost less (page_read_us)
PLATE_ENTRY_BYTES = 18  # a reads_plate_time entry, on average
TIME_ENTRY_BYTES = 22  # a reads_time entry
PAGE_PROBE_US = 0.4  # a plate's probe of the page query, into cached pages
COUNT_PROBE_US = 1.0  # a plate's probe of a count query (a subquery each), cached pages
PLATE_ENTRY_US = 0.1  # each of a plate's reads in the window: a step and a sort slot
IN_SET_US = 0.5  # a plate id put into the set a walk tests its entries against
WALK_ENTRY_US = 0.05  # one entry of a walk, its plate tested
# A walk is chosen only when estimated at most this share of the plate by plate way: where
# the two measured level (a two-character plate start at 10M) the estimate favoured the walk.
WALK_MARGIN = 0.85
ROW_US = 5.0  # a row read to test a filter
RESOLVED_CACHE_SIZE = 32  # patterns whose plate sets are kept for their next pages
RESULT_PLATES_LOGGED = 25  # a first page names the plates found when at most this many
# A tier of a pattern with a three-character run pages its reads in the postings' window from
# the run's postings (storage/read_grams.py) when it has at least POSTINGS_MIN_PLATES plates:
# the postings whose plate matches the tier's text (TextMatch), newest first, as many as the
# page needs (in chunks growing from POSTINGS_CHUNK when a filter on the rows may drop some);
# after POSTINGS_MAX of them without a full page the page goes on the tier's planned way from
# where the postings stopped, as it does below the window. Such a page needs only the count
# of the pattern's plates (``_resolve_by_count``), not the plates.
POSTINGS_MIN_PLATES = MIN_BROAD_PLATES  # fewer plates: a probe each is cheap
POSTINGS_CHUNK = 256
POSTINGS_MAX = 32_768
# warm(): a reads id every this many (an interior page of the reads table spans about 14,000
# ids), and this many plates probed in reads_plate_time (its interior pages: about 1,700 at
# 100M reads).
WARM_READS_STEP = 7_000
WARM_PLATE_PROBES = 4_000
# warm(): the rows of the newest this many reads too (about 130 MB of a 4 KiB-page store, a
# quarter of the search view's cache): a broad pattern's first page is its newest reads, one
# row page each (issue 20: a 10M wildcard page 20 % faster encrypted, 8 % plain).
WARM_RECENT_READS = 1_000_000
POSTINGS_PLAN = "; recent reads from the trigram postings"


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
class Counted:
    """A search's counts, as a first page that leaves more counts them (``find``), or as a
    count asked for after a page found without them (``count``): the same numbers."""

    total: int  # matching reads, at most TOTAL_CAP
    total_capped: bool
    plates_found: int  # distinct plates among them, at most TOTAL_CAP
    plates_capped: bool
    result_plates: tuple[str, ...] | None  # the plates found, when RESULT_PLATES_LOGGED at most
    plates_matched: int = 0
    plan: str = ""


@dataclass(frozen=True)
class TierPlan:
    """How one tier of plates is paged and counted, and the estimates the choice came from
    (microseconds of CPU; reads and entries are estimates from the store's sizes)."""

    kind: MatchKind
    plates: int
    est_reads: float  # the tier's reads in the window (before any other filter)
    window_reads: float  # reads_time entries in the window still to walk
    page_by_plate_us: float
    page_by_walk_us: float
    count_by_plate_us: float
    count_by_walk_us: float
    walk: bool  # the page walks reads_time newest first
    walk_count: bool  # the counts walk the window once (plate by plate otherwise)


@dataclass(frozen=True)
class SearchPlan:
    """The planner's decision for one page: a TierPlan per tier of plates (the candidate and
    corrected tiers have one way each)."""

    tiers: dict[MatchKind, TierPlan] = field(default_factory=dict)

    def walks(self, kind: MatchKind) -> bool:
        t = self.tiers.get(kind)
        return t is not None and t.walk

    def walks_count(self, kind: MatchKind) -> bool:
        t = self.tiers.get(kind)
        return t is not None and t.walk_count

    @property
    def any_walk(self) -> bool:
        return any(t.walk for t in self.tiers.values())


@dataclass(frozen=True)
class TextMatch:
    """A tier's plates by their text: those matching ``glob`` but ``not_plate``. The postings
    carry each read's plate (migration 0028), so a walk of them tests this alone."""

    glob: str
    not_plate: str = ""


@dataclass(frozen=True)
class _Tier:
    kind: MatchKind
    plate_ids: tuple[int, ...]
    candidates: tuple[int, ...] = ()  # CANDIDATE tier: alternate plates to look for
    own_excluded: tuple[int, ...] = ()  # CANDIDATE tier: reads of these plates are elsewhere
    exclude_candidates: tuple[int, ...] = ()  # plate tiers: reads already listed as candidates
    corrected: tuple[tuple[int, int, str], ...] = ()  # CORRECTED tier: (read, plate id, plate)
    text: TextMatch | None = None  # wildcard and substring tiers: their plates by text
    # A tier found by counting its plates, not reading them (plate_ids empty): how many.
    unread: int = 0

    @property
    def plates(self) -> int:
        return self.unread or len(self.plate_ids)


@dataclass(frozen=True)
class _Resolved:
    tiers: tuple[_Tier, ...]
    plates_matched: int
    plan: str
    names: dict[int, str] | None  # plate id -> plate for every plate in the tiers, if read
    grams: tuple[str, ...] = ()  # the runs every matching plate contains (read_grams.py)
    pattern: Pattern | None = None  # for a resolution by count (``unread``): to read them

    @property
    def unread(self) -> bool:
        """Whether a tier's plates were counted, not read (``_resolve_by_count``)."""
        return any(t.unread for t in self.tiers)


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


def page_read_us(page_size: int) -> float:
    """The CPU of one page read from the file: a part per page (the HMAC's set-up, the cache
    slot) and a part per byte. A 4 KiB page costs about 0.45 of a 16 KiB one (each written
    page in a commit measured 19 against 43 us on this machine, issue 20)."""
    return PAGE_READ_US * (0.27 + 0.73 * page_size / 16_384)


def plan_tier(
    kind: MatchKind, n: int, sizes: Sizes, window: float, left: float, *, size: int,
    row_filter: bool, walkable: bool, first_page: bool, leaves: float | None = None,
    read_before: bool = True, count: bool = True,
) -> TierPlan:
    """Page a tier of ``n`` plates plate by plate or by one walk of reads_time, and count it
    plate by plate or by one walk of the window, whichever is estimated cheaper.

    ``window``: reads in the search's time window; ``left``: the part of it this page's walk
    may cover (a later page resumes at its cursor); ``leaves``: the reads_plate_time leaves
    the plates' reads lie on (``plate_leaves``; one per plate if not given). The estimates
    assume the plates hold the store's average reads per plate spread evenly over time (so
    the tier's density is its share of the plates), and that other filters keep every read
    (both ways then read a row per plate-matching read tested; the walk tests only as many as
    the page needs). ``read_before``: on a later page, whether the first page read the
    plates' leaves (it did unless it both walked and counted by walking). A tier of fewer
    than MIN_BROAD_PLATES plates is always read plate by plate; one estimated above
    BROAD_READS reads is always walked. ``count=False``: the first page is found without its
    counts (they are asked for afterwards, ``SqlCipherPlateSearch.count``), so its way is
    chosen for the page alone; ``walk_count`` is then the count's way after that page."""
    need = size + 1
    est = n * sizes.reads_per_plate * (window / sizes.reads if sizes.reads else 0.0)
    rows = est * ROW_US if row_filter else 0.0
    cache = sizes.cache_pages
    index_pages = max(1.0, sizes.reads * PLATE_ENTRY_BYTES / sizes.page_size)
    page_us = page_read_us(sizes.page_size)
    touched = min(float(n) if leaves is None else leaves, index_pages)
    cold = max(0.0, 1.0 - cache / index_pages)  # a new pattern's leaves: not cached
    warm = max(0.0, touched - cache) / max(touched, 1.0)  # after a page read them
    miss = warm if not first_page and read_before else cold

    def by_plates(k: float, misses: float, probe: float = COUNT_PROBE_US) -> float:
        """A probe for each of ``k`` plates; their share of the leaves, ``misses`` read."""
        return k * probe + touched * (k / max(n, 1)) * misses * page_us

    by_plate = by_plates(n, miss, PAGE_PROBE_US) + est * PLATE_ENTRY_US + rows

    def walked(entries: float) -> float:
        """Pages read by a walk of ``entries`` newest entries: what the cache cannot hold."""
        return max(0.0, entries * TIME_ENTRY_BYTES / sizes.page_size - cache) * page_us

    walk_entries = left if est <= 0 else min(left, need * window / est)
    by_walk = (n * IN_SET_US + walk_entries * WALK_ENTRY_US + walked(walk_entries)
               + (min(est, need) * ROW_US if row_filter else 0.0))
    count_by_walk = n * IN_SET_US + window * WALK_ENTRY_US + walked(window) + rows

    def count_by_plate(after_walk: bool) -> float:
        """Two probes per plate: the reads' count (stopping at the cap) and the plates found
        (up to the cap). After a page read plate by plate, the plates' leaves are in the
        cache as far as they fit; after a walk the first probe reads them, as that page would
        have."""
        per_plate = max(est / max(n, 1), 1e-9)
        return (by_plates(min(n, TOTAL_CAP + 1), cold if after_walk else warm)
                + by_plates(min(n, (TOTAL_CAP + 1) / per_plate), warm)
                + (min(est, TOTAL_CAP + 1) * ROW_US if row_filter else 0.0))

    many = n >= MIN_BROAD_PLATES
    forced = walkable and many and n * sizes.reads_per_plate > BROAD_READS
    pages = [True] if forced else [False, True] if walkable and many else [False]
    # A first page that probably leaves more also counts: the page's way and the count's
    # way are chosen together (a walk that leaves the count a cold probe per plate saves
    # nothing).
    counting = count and first_page and est > size
    counts = [False, True] if counting and many else [False]
    cost = {(w, c): ((by_walk if w else by_plate)
                     + ((count_by_walk if c else count_by_plate(w)) if counting else 0.0))
            / (WALK_MARGIN if w or c else 1.0)
            for w in pages for c in counts}
    walk, walk_count = min(cost, key=lambda k: cost[k])
    if (first_page and many and not counting
            and count_by_walk < WALK_MARGIN * count_by_plate(walk)):
        walk_count = True  # if the page does leave more after all
    return TierPlan(kind, n, est, left, by_plate, by_walk, count_by_plate(walk),
                    count_by_walk, walk, walk_count)


def plate_leaves(plate_ids: Sequence[int], sizes: Sizes) -> int:
    """The reads_plate_time leaves these plates' reads lie on, about: plates whose ids fall
    in one leaf-sized run of ids share a leaf."""
    index_pages = max(1.0, sizes.reads * PLATE_ENTRY_BYTES / sizes.page_size)
    per_leaf = max(1, int(sizes.plates / index_pages))
    return len({i // per_leaf for i in plate_ids})


def random_plate_leaves(n: int, sizes: Sizes) -> int:
    """``plate_leaves`` expected of ``n`` plates whose ids are not known (a pattern's plates
    counted, not read): as if spread at random over the leaf-sized runs of ids."""
    index_pages = max(1.0, sizes.reads * PLATE_ENTRY_BYTES / sizes.page_size)
    runs = max(1.0, sizes.plates / max(1, int(sizes.plates / index_pages)))
    return max(1, round(runs * (1 - (1 - 1 / runs) ** n))) if n else 0


def _text_tiers(pattern: Pattern, exact: tuple[int, ...], rest: tuple[int, ...],
                unread: int = 0) -> tuple[_Tier, ...]:
    """A wildcard or substring pattern's tiers: its literal plate itself (``exact``, a
    substring's), then the other plates matching (``rest``, or ``unread`` of them counted,
    not read), each with the text its postings are tested against."""
    literal = pattern.literal if exact else ""
    kind = MatchKind.SUBSTRING if pattern.mode is Mode.SUBSTRING else MatchKind.WILDCARD
    tiers = [_Tier(MatchKind.EXACT, exact, text=TextMatch(literal))] if exact else []
    if rest or unread:
        tiers.append(_Tier(kind, rest, text=TextMatch(pattern.glob(), literal), unread=unread))
    return tuple(tiers)


def _tests_rows(f: Filters) -> bool:
    """Whether a filter needs each read's row (every filter but the time window)."""
    return bool(f.time_of_day is not None or f.camera_ids or f.states or f.makes or f.models
                or f.colors or f.body_types or f.speed_min is not None
                or f.speed_max is not None or f.min_confidence is not None)


class SqlCipherPlateSearch:
    """PlateSearch on one connection of the embedded store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._q = SearchQueries(store)
        self._corrections = CorrectionQueries(store)
        self._grams = ReadGrams(store)
        self._posted = False  # the last page used the postings

    # -- the protocol ------------------------------------------------------------------------
    def find(
        self, pattern: Pattern, filters: Filters, since: int | None, until: int | None, *,
        after: Cursor | None, size: int, column: SortColumn, descending: bool,
        count: bool = True,
    ) -> Found:
        """Up to ``size`` rows after ``after`` (None: the first page, which also counts
        unless ``count`` is False; a first page holding the whole result always has its
        counts, from its rows). On a later page ``count`` says how the first page was found
        (the planner's guess at what it left cached); the rows are the same either way."""
        where = self._where(filters, since, until)
        resolved = self._with_corrections(self._resolve(pattern, column, descending))
        plan = self._plan(resolved, filters, since, until, after=after, size=size,
                          column=column, descending=descending, count=count)
        self._posted = False
        if column.by_value:
            rows, more = self._fetch_sorted(resolved, plan, where, after, size,
                                            Order(str(column), descending))
        else:
            rows, more = self._fetch(resolved, plan, where, after, size,
                                     reverse=column is SortColumn.MATCH and descending)
        described = (resolved.plan + (POSTINGS_PLAN if self._posted else "")
                     + ("; reads walked newest first" if plan.any_walk else ""))
        rows = self._mark_corrected(rows)
        if after is not None:
            return Found(rows, more, resolved.plates_matched, described)
        if not more:
            # The whole result is on this page: its rows are the counts (issue 20: the first
            # page of a narrow search no longer walks the index a second and third time).
            shown = {r.matched_plate if r.kind is MatchKind.CORRECTED else r.read.plate_norm
                     for r in rows}
            return Found(rows, more, resolved.plates_matched, described, len(rows), False,
                         len(shown), False,
                         tuple(sorted(shown)) if len(shown) <= RESULT_PLATES_LOGGED else None)
        if not count:
            return Found(rows, more, resolved.plates_matched, described)
        if resolved.unread:  # the counts go plate by plate or walk against the plate set
            resolved = self._with_corrections(self._resolve(pattern))
        c = self._counted(resolved, plan, where)
        return Found(rows, more, resolved.plates_matched, described, c.total, c.total_capped,
                     c.plates_found, c.plates_capped, c.result_plates)

    def count(
        self, pattern: Pattern, filters: Filters, since: int | None, until: int | None, *,
        size: int, column: SortColumn, descending: bool,
    ) -> Counted:
        """The counts a first page of this search would carry, for a first page found with
        ``count=False`` (issue 20: the rows show before the total). Planned as the count
        after that page: each tier's count way given the way the page went."""
        where = self._where(filters, since, until)
        resolved = self._with_corrections(self._resolve(pattern))
        plan = self._plan(resolved, filters, since, until, after=None, size=size,
                          column=column, descending=descending, count=False)
        return self._counted(resolved, plan, where)

    def _counted(self, resolved: _Resolved, plan: SearchPlan, where: Where) -> Counted:
        """Matching reads and the distinct plates among them, each up to TOTAL_CAP, in the
        ways ``plan`` counts each tier."""
        walked = self._walk_counts(resolved.tiers, plan, where)
        total = self._count(resolved.tiers, where, walked)
        found_ids = self._plates_found(resolved.tiers, where, walked)
        plates = len(found_ids)
        names = (self._plate_names(found_ids, resolved.names)
                 if plates <= RESULT_PLATES_LOGGED else None)
        counted_by = resolved.plan + ("; counted by one walk of the window"
                                      if any(t.walk_count for t in plan.tiers.values()) else "")
        return Counted(min(total, TOTAL_CAP), total > TOTAL_CAP, min(plates, TOTAL_CAP),
                       plates > TOTAL_CAP, names, resolved.plates_matched, counted_by)

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

    def warm(self, stop: Callable[[], bool] = lambda: False) -> int:
        """Probe the reads table by id and reads_plate_time by plate at even steps, so that
        their upper (interior) pages sit in this connection's page cache before the first
        searches: at 100M reads a row lookup otherwise often reads an interior page as well
        as its leaf (a fuzzy page 10-15 % slower). Then read the newest reads' rows, which
        the first pages of broad patterns show. About 0.5 s at 100M reads, 0.25 s at 10M,
        seconds with the file out of the OS cache; only a count of probes that found a read
        and of rows read comes back. ``stop`` is asked before each pass, so a lock or
        sign-out during the warm-up does not wait for the passes left."""
        found = 0
        for step in (lambda: self._q.warm_upper_pages(WARM_READS_STEP, WARM_PLATE_PROBES),
                     lambda: self._q.warm_recent_rows(WARM_RECENT_READS)):
            if stop():
                break
            found += step()
        return found

    # -- planning ----------------------------------------------------------------------------
    def plan(
        self, pattern: Pattern, filters: Filters, since: int | None, until: int | None, *,
        after: Cursor | None = None, size: int = 100,
        column: SortColumn = SortColumn.BEST, descending: bool = True, count: bool = True,
    ) -> SearchPlan:
        """The plan ``find`` would follow for this page (for tests and the benchmark); with
        ``count=False``, the first page's and the later count's (``count``)."""
        resolved = self._with_corrections(self._resolve(pattern, column, descending))
        return self._plan(resolved, filters, since, until, after=after, size=size,
                          column=column, descending=descending, count=count)

    def _plan(
        self, resolved: _Resolved, filters: Filters, since: int | None, until: int | None,
        *, after: Cursor | None, size: int, column: SortColumn, descending: bool,
        count: bool = True,
    ) -> SearchPlan:
        """A TierPlan (plan_tier) for each tier of plates, given the store's sizes, the
        window and, on a later page, the part of it the cursor leaves to walk. ``count``:
        whether the search's first page counts (plan_tier); on a later page, whether it did
        (False: it was found alone and counted afterwards), for what it left cached."""
        plate_tiers = [t for t in resolved.tiers if t.plates >= MIN_BROAD_PLATES]
        if not plate_tiers:
            return SearchPlan()  # plate by plate: no sizes needed
        walkable = column in (SortColumn.BEST, SortColumn.MATCH, SortColumn.TIME)
        if not walkable and after is not None:
            return SearchPlan()  # later pages of other orders: plate by plate, no counts
        sizes = self._q.sizes()
        window = sizes.window_reads(since, until)
        out: dict[MatchKind, TierPlan] = {}
        for tier in plate_tiers:
            left = window  # what a walk of this page may have to cover
            if after is not None and (column is SortColumn.TIME or int(tier.kind) == after.rank):
                t = after.recorded_at  # the walk resumes at the cursor
                left = (sizes.window_reads(t if since is None else max(since, t), until)
                        if column is SortColumn.TIME and not descending else
                        sizes.window_reads(since, t if until is None else min(until, t)))
            n, rows = tier.plates, _tests_rows(filters)
            leaves = plate_leaves(tier.plate_ids, sizes) if not tier.unread else \
                random_plate_leaves(n, sizes)
            read_before = True
            if after is not None:  # what the first page did, with the same estimates
                first = plan_tier(tier.kind, n, sizes, window, window, size=size,
                                  row_filter=rows, walkable=walkable, first_page=True,
                                  leaves=leaves, count=count)
                read_before = not (first.walk and first.walk_count)
            out[tier.kind] = plan_tier(
                tier.kind, n, sizes, window, left, size=size, row_filter=rows,
                walkable=walkable, first_page=after is None, leaves=leaves,
                read_before=read_before, count=count)
        return SearchPlan(out)

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

    def _resolve(self, pattern: Pattern, column: SortColumn | None = None,
                 descending: bool = True) -> _Resolved:
        """The pattern's plates by tier, from the cache when the plates table has not
        changed since (exact patterns are one index probe: never cached). Given the page's
        order (``column``), a wildcard or substring pattern not in the cache whose page
        comes from the postings is resolved by counting its plates (``_resolve_by_count``)."""
        if pattern.mode is Mode.EXACT:
            return self._resolve_now(pattern)
        key = (str(self.store.path), self.store.store_id, pattern.text, str(pattern.mode),
               self._q.plates_version())
        hit = RESOLVED.get(key)
        if hit is None and column is not None and self._pages_by_text(pattern, column,
                                                                      descending):
            counted = self._resolve_by_count(pattern)
            if counted is not None:
                return counted
        if hit is None:
            hit = self._resolve_now(pattern)
            RESOLVED.put(key, hit)
        return hit

    def _pages_by_text(self, pattern: Pattern, column: SortColumn, descending: bool) -> bool:
        """Whether this page of the pattern comes from the postings, which test each read's
        plate against the pattern: newest first, the postings built and current."""
        return (pattern.mode in (Mode.WILDCARD, Mode.SUBSTRING)
                and bool(pattern_grams(pattern.glob()))
                and (not column.by_value or Order(str(column), descending) == Order())
                and self._grams.ready() is not None)

    def _resolve_by_count(self, pattern: Pattern) -> _Resolved | None:
        """The tiers of a wildcard or substring pattern with the broad tier's plates counted,
        not read (issue 20: a three-character start matches 5,000 plates at 100M reads, 3.6
        ms to read and hold, 0.3 ms to count); None when it has too few plates for the
        postings (the plate set is small, and its pages go plate by plate)."""
        n, plan = self._q.count_matching(pattern, MAX_PLATES + 1)
        if n > MAX_PLATES:
            raise PatternTooBroad(MAX_PLATES)
        exact = (self._q.exact(pattern.literal)
                 if pattern.mode is Mode.SUBSTRING and "?" not in pattern.text else [])
        if n - len(exact) < POSTINGS_MIN_PLATES:
            return None
        return _Resolved(_text_tiers(pattern, tuple(h.id for h in exact), (), n - len(exact)),
                         n, plan, {h.id: h.plate for h in exact},
                         tuple(pattern_grams(pattern.glob())), pattern)

    def _resolve_now(self, pattern: Pattern) -> _Resolved:
        if pattern.mode is Mode.EXACT:
            hits = self._q.exact(pattern.text)
            return _Resolved(
                (_Tier(MatchKind.EXACT, tuple(h.id for h in hits)),) if hits else (),
                len(hits), "plate index (exact)", {h.id: h.plate for h in hits},
            )
        if pattern.mode is Mode.FUZZY:
            return self._resolve_fuzzy(pattern)
        found, plan = self._q.wildcard(pattern, MAX_PLATES + 1)
        if len(found.ids) > MAX_PLATES:
            raise PatternTooBroad(MAX_PLATES)
        exact: tuple[int, ...] = ()
        if pattern.mode is Mode.SUBSTRING and "?" not in pattern.text:
            exact = tuple(h.id for h in self._q.exact(pattern.literal) if h.id in found.ids)
        rest = tuple(i for i in found.ids if i not in exact) if exact else found.ids
        # The trigram phrase plan does not read plates: the page joins them for its rows.
        return _Resolved(_text_tiers(pattern, exact, rest), len(found.ids), plan, found.names,
                         tuple(pattern_grams(pattern.glob())), pattern)

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
        not move the plate generation); only the corrections naming a resolved plate are read
        (storage/corrections.py), so a store's many corrections cost a search nothing."""
        plate_ids = {p for t in resolved.tiers for p in t.plate_ids}
        cands = {p for t in resolved.tiers for p in t.candidates}
        if resolved.unread:  # the plates by their text: the same corrections
            glob = next(t.text.glob for t in resolved.tiers if t.unread and t.text)
            hits = [(rid, pid, plate) for rid, pid, _own, plate
                    in self._corrections.in_force_matching(glob)]
        else:
            found = self._corrections.in_force_plates(plate_ids | cands)
            if not found:
                return resolved
            hits = [(rid, pid, plate) for rid, pid, own, plate in found
                    if (pid in plate_ids or pid in cands) and own not in plate_ids]
        if cands and hits:
            listed = self._corrections.reads_with_candidates([h[0] for h in hits], cands)
            hits = [h for h in hits if h[0] not in listed]
        if not hits:
            return resolved
        tier = _Tier(MatchKind.CORRECTED, (), corrected=tuple(hits))
        # A corrected plate outside the resolved plates adds to those matched (none does
        # when the plates were counted: each corrected plate matches the pattern).
        outside = set() if resolved.unread else {h[1] for h in hits} - plate_ids - cands
        return replace(resolved, tiers=(*resolved.tiers, tier),
                       plates_matched=resolved.plates_matched + len(outside))

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
        self, resolved: _Resolved, plan: SearchPlan, where: Where, pos: Cursor | None,
        size: int, reverse: bool = False,
    ) -> tuple[list[SearchRow], bool]:
        """Up to ``size`` rows from the tiers in rank order (weakest first when ``reverse``)
        after ``pos``; and whether any row follows them."""
        out: list[SearchRow] = []
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
                if self._tier_rows(resolved, tier, plan, where, after, 1):
                    return out, True
                continue
            got = self._tier_rows(resolved, tier, plan, where, after, need + 1)
            out.extend(got[:need])
            if len(got) > need:
                return out, True
        return out, False

    def _fetch_sorted(
        self, resolved: _Resolved, plan: SearchPlan, where: Where, pos: Cursor | None,
        size: int, order: Order,
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
            merged.extend(self._tier_rows(resolved, tier, plan, where, after, size + 1,
                                          order))
        column = SortColumn(order.column)
        merged.sort(key=lambda r: (sort_value(r, column), r.read.id), reverse=order.descending)
        return merged[:size], len(merged) > size

    def _tier_rows(
        self, resolved: _Resolved, tier: _Tier, plan: SearchPlan, where: Where,
        after: tuple[object, int] | None, limit: int, order: Order | None = None,
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
        posted: list[Read] = []
        if (resolved.grams and tier.text is not None and by == Order()
                and tier.plates >= POSTINGS_MIN_PLATES):
            walked = self._by_postings(tier, resolved.grams, where, after, limit)
            if walked is not None:
                posted, after, done = walked
                if done:
                    return [SearchRow(r, tier.kind, r.plate_norm) for r in posted]
                limit -= len(posted)
        names = resolved.names
        if tier.unread:  # below the postings: by the plates, read now (and cached)
            assert resolved.pattern is not None
            full = self._resolve(resolved.pattern)
            names = full.names
            tier = next((t for t in full.tiers if t.kind is tier.kind), replace(tier, unread=0))
        reads: list[Read] = self._q.page_by_plates(
            tier.plate_ids, where, after, limit, broad=plan.walks(tier.kind),
            exclude_candidates=tier.exclude_candidates, plate_names=names, order=by,
        )
        return [SearchRow(r, tier.kind, r.plate_norm) for r in (*posted, *reads)]

    def _by_postings(
        self, tier: _Tier, grams: tuple[str, ...], where: Where,
        after: tuple[object, int] | None, limit: int,
    ) -> tuple[list[Read], tuple[object, int] | None, bool] | None:
        """The tier's newest reads from the postings of one of the pattern's runs
        (storage/read_grams.py) whose plate matches the tier's ``text``, newest first after
        ``after``: (reads, where the rest of the page starts, whether the page is complete).
        None when the postings do not cover the window (not built, or reads added since)."""
        floor = self._grams.ready()
        if floor is None:
            return None
        lo = floor if where.since is None else max(floor, where.since)
        if where.until is not None and where.until < lo:
            return None  # the window lies wholly below the postings
        pos = None if after is None else (int(after[0]), after[1])  # type: ignore[call-overload]
        if pos is not None and pos[0] < lo:
            return None  # this page starts below them
        self._posted = True
        text = tier.text
        assert text is not None  # only tiers with a text are paged from the postings
        gram = self._grams.sparsest(grams, lo, where.until)
        out: list[Read] = []
        chunk, walked = POSTINGS_CHUNK, 0
        while True:
            # Without a filter on the rows, each posting found is a row of the page: no more
            # are asked for than the page still needs (each is a row read).
            ask = chunk if where.tests_rows else limit - len(out)
            got = self._grams.postings(gram, lo, where.until, pos, ask, glob=text.glob,
                                       not_plate=text.not_plate)
            if got:
                rows = self._q.reads_by_ids(
                    [p.read_id for p in got], where,
                    plate_names={p.plate_id: p.plate for p in got},
                    exclude_candidates=tier.exclude_candidates)
                out.extend(rows[:limit - len(out)])
                if len(out) >= limit:
                    return out, None, True
            if len(got) < ask:  # the window's postings are all read
                below = where.since is None or where.since < floor
                return out, (floor, 0) if below else None, not below
            pos = (got[-1].recorded_at, got[-1].read_id)
            walked += len(got)
            if walked >= POSTINGS_MAX:
                return out, pos, False
            chunk = min(chunk * 4, 8192)

    def _plate_names(self, ids: set[int], names: dict[int, str] | None) -> tuple[str, ...]:
        known = dict(names or {})
        missing = [i for i in ids if i not in known]
        if missing:
            known.update(OversightQueries(self.store).plate_names(missing))
        return tuple(sorted(known[i] for i in ids if i in known))

    def _walk_counts(
        self, tiers: Sequence[_Tier], plan: SearchPlan, where: Where
    ) -> dict[MatchKind, dict[int, int]]:
        """The matching reads per plate of each tier the plan counts by walking the window
        (one walk gives both the reads and the plates found)."""
        return {t.kind: self._q.counts_by_walk(t.plate_ids, where, t.exclude_candidates)
                for t in tiers if t.plate_ids and plan.walks_count(t.kind)}

    def _plates_found(
        self, tiers: Sequence[_Tier], where: Where,
        walked: dict[MatchKind, dict[int, int]] | None = None,
    ) -> set[int]:
        """Distinct plates among the matching reads (not the plates the pattern resolved
        to: a filter or a plate known only as an alternate reading leaves some without
        reads), counting no further than TOTAL_CAP + 1."""
        found: set[int] = set()
        for tier in tiers:
            left = TOTAL_CAP + 1 - len(found)
            if left <= 0:
                break
            if walked and tier.kind in walked:
                # The first ``left`` in the tier's order, as the probe per plate finds them.
                counts = walked[tier.kind]
                found |= set([p for p in tier.plate_ids if p in counts][:left])
            elif tier.kind is MatchKind.CORRECTED:
                kept = self._corrections.ids_matching([h[0] for h in tier.corrected], where)
                found |= {pid for rid, pid, _p in tier.corrected if rid in kept}
            elif tier.kind is MatchKind.CANDIDATE:
                found |= self._q.plates_of_candidate_reads(tier.candidates, tier.own_excluded,
                                                           where, left)
            else:
                found |= self._q.plates_with_reads(tier.plate_ids, where, left,
                                                   tier.exclude_candidates)
        return found

    def _count(
        self, tiers: Sequence[_Tier], where: Where,
        walked: dict[MatchKind, dict[int, int]] | None = None,
    ) -> int:
        """Matching reads of all tiers, counting no further than TOTAL_CAP + 1."""
        total = 0
        for tier in tiers:
            left = TOTAL_CAP + 1 - total
            if left <= 0:
                break
            if walked and tier.kind in walked:
                total += min(left, sum(walked[tier.kind].values()))
            elif tier.kind is MatchKind.CORRECTED:
                total += len(self._corrections.ids_matching([h[0] for h in tier.corrected], where))
            elif tier.kind is MatchKind.CANDIDATE:
                total += self._q.count_by_candidates(tier.candidates, tier.own_excluded,
                                                     where, left)
            else:
                total += self._q.count_by_plates(tier.plate_ids, where, left,
                                                 tier.exclude_candidates)
        return total
