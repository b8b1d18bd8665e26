"""Location search (stakeout) and common plates (issue 19), each a gated query under the
analyst's active purpose, logged with every place, window and filter ("analysis.location",
"analysis.common_plates") in the same transaction, before anything returns.

Both check their bounds first (core.analysis_places), then the purpose rule
(core.analysis_scope: wider than the purpose's own dates needs a reason, logged with the
query), and a contractor's permission window (the gate's). ``analysis_use_flag`` gives the
audit report its oversight flag over every "analysis.*" entry of the report's selection.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from alpr_desktop.core.access_errors import PurposeRequired
from alpr_desktop.core.analysis_places import (
    MAX_READS,
    MAX_SCAN,
    AnalysisTooBroad,
    CommonPlatesQuery,
    CommonPlatesResult,
    Hit,
    LocationQuery,
    LocationResult,
    Place,
    PlateAtPlace,
    PlateFilter,
    at_place,
    per_plate,
    plate_matcher,
    rank_common,
    stakeout_plates,
)
from alpr_desktop.core.analysis_scope import check_scope
from alpr_desktop.core.analysis_use import analysis_use_flag
from alpr_desktop.core.audit_filters import AuditFilter
from alpr_desktop.core.clock import Clock, SystemClock
from alpr_desktop.core.errors import Cancelled
from alpr_desktop.core.oversight import Flag
from alpr_desktop.core.patterns import MatchKind
from alpr_desktop.core.roles import Action
from alpr_desktop.core.search import SearchRow
from alpr_desktop.core.sightings import CameraSite
from alpr_desktop.services.gate import Grant, gated, refuse_window_outside
from alpr_desktop.storage.unit_of_work import UnitOfWork

Cancel = Callable[[], bool]
Progress = Callable[[int, int], object]


def _attempt(query: Any, *_: object, **__: object) -> dict[str, Any]:
    if isinstance(query, LocationQuery | CommonPlatesQuery):
        try:
            return query.as_log_dict()
        except Exception:
            return {"mode": "location" if isinstance(query, LocationQuery) else "common_plates"}
    return {"mode": "analysis"}


class AnalysisCancelled(Cancelled):
    """The analyst stopped the analysis: nothing is returned, and nothing was logged as done."""


class LocationAnalysisService:
    def __init__(self, store: UnitOfWork, clock: Clock | None = None) -> None:
        self.store = store
        self.clock = clock or SystemClock()

    # -- shared -----------------------------------------------------------------------------
    def _scope(self, grant: Grant, windows: Sequence[Any], reason: str) -> tuple[dict[str, Any],
                                                                                bool]:
        if grant.purpose is None:
            raise PurposeRequired()
        for w in windows:
            refuse_window_outside(grant, w.since, w.until)
        span, wider = check_scope(windows, grant.purpose, self.clock.now_ms() // 1000, reason)
        return span.as_log_dict(), wider

    def _hits(self, place: Place, flt: PlateFilter, sites: dict[int, CameraSite],
              budget: list[int], cancel: Cancel | None) -> list[Hit]:
        """The reads at one place in its windows that pass the filters, oldest first."""
        cams = sorted(place.cameras_within(sites.values()))
        box = place.box()
        repo = self.store.location_analysis
        description = flt.description()
        fetched: list[Hit] = []
        for w in place.windows:
            if cancel is not None and cancel():
                raise AnalysisCancelled()
            rows = repo.window_hits(cams, box, w.since, w.until, description, budget[0] + 1)
            budget[0] -= len(rows)
            if budget[0] < 0:
                raise AnalysisTooBroad(
                    f"The analysis reaches more than {MAX_SCAN:,} reads; narrow the windows "
                    "or the places.")
            fetched += rows
        return at_place(place, fetched, sites, plate_matcher(flt.pattern()))

    def _rows(self, read_ids: Sequence[int]) -> tuple[SearchRow, ...]:
        reads = self.store.location_analysis.reads_by_ids(read_ids)
        return tuple(SearchRow(r, MatchKind.EXACT, r.plate_norm) for r in reads)

    def _sites(self) -> dict[int, CameraSite]:
        return {s.id: s for s in self.store.investigator_views.camera_sites()}

    # -- the location search ---------------------------------------------------------------
    @gated(Action.SEARCH_READS, attempted=_attempt)
    def location_search(self, grant: Grant, query: LocationQuery,
                        cancel: Cancel | None = None,
                        progress: Progress | None = None) -> LocationResult:
        """Reads at each place in its windows (oldest first, at most MAX_READS) and each
        plate's first and last sighting per place."""
        query.check()
        span, wider = self._scope(grant, query.windows(), query.reason)
        sites = self._sites()
        budget = [MAX_SCAN]
        found: list[dict[str, PlateAtPlace]] = []
        ids: dict[int, None] = {}
        for i, place in enumerate(query.places):
            hits = self._hits(place, query.filters, sites, budget, cancel)
            found.append(per_plate(place, i, hits))
            ids.update((h.read_id, None) for h in hits)
            if progress is not None:
                progress(i + 1, len(query.places) + 1)
        plates = stakeout_plates(found)
        truncated = len(ids) > MAX_READS
        rows = self._rows(list(ids)[:MAX_READS])
        per_place = [len(f) for f in found]
        entry = grant.log("analysis.location", query=query.as_log_dict(),
                          result_count=len(ids), detail={
                              "plates_per_place": per_place,
                              "plates_found": len({p.plate for p in plates}),
                              "truncated": truncated, "purpose_window": span,
                              "wider_than_purpose": wider, "broad": True})
        return LocationResult(query, rows, tuple(plates), len(ids), truncated, entry.seq,
                              wider)

    # -- common plates ----------------------------------------------------------------------
    @gated(Action.SEARCH_READS, attempted=_attempt)
    def common_plates(self, grant: Grant, query: CommonPlatesQuery,
                      cancel: Cancel | None = None,
                      progress: Progress | None = None) -> CommonPlatesResult:
        """Plates seen in at least k of the sets, ranked, with the sightings behind each."""
        query.check()
        span, wider = self._scope(grant, query.windows(), query.reason)
        sites = self._sites()
        budget = [MAX_SCAN]
        found = []
        for i, s in enumerate(query.sets):
            found.append(per_plate(s, i, self._hits(s, query.filters, sites, budget, cancel)))
            if progress is not None:
                progress(i + 1, len(query.sets) + 1)
        listed, qualified = rank_common(found, query.min_sets)
        ids = sorted({rid for c in listed for s in c.sightings for rid in s.read_ids})
        truncated = len(ids) > MAX_READS or qualified > len(listed)
        rows = self._rows(ids[:MAX_READS])
        entry = grant.log("analysis.common_plates", query=query.as_log_dict(),
                          result_count=len(listed), detail={
                              "plates_qualified": qualified,
                              "result_plates": [c.plate for c in listed[:50]],
                              "reads_shown": len(rows), "truncated": truncated,
                              "purpose_window": span, "wider_than_purpose": wider,
                              "broad": True})
        return CommonPlatesResult(query, tuple(listed), rows, qualified, truncated, entry.seq,
                                  wider)


def analysis_use(store: UnitOfWork, flt: AuditFilter) -> Flag:
    """The audit report's "analysis use" flag over the selection's period (and user, when the
    selection names one): every "analysis.*" entry, however the other filters read."""
    entries = store.location_analysis.analysis_entries(flt.from_ms, flt.to_ms, flt.through_seq,
                                                       flt.username)
    return analysis_use_flag(entries)
