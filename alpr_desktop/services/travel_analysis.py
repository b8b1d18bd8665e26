"""Co-travel, locate and the cloned-plate check (issue 19), each a gated, logged query.

Each needs a signed-in analyst (or a contractor under written permission, inside its dates)
with an active purpose, and writes its entry in the same transaction before anything returns:
"analysis.cotravel", "analysis.locate", "analysis.cloned". The entry's query holds every
parameter (plate, window, tolerance, n, m, share; speed limit, distance, clock allowance,
scope), so the audit report can say who ran which analysis how wide.

The whole-store cloned-plate check is the same action as a search (SEARCH_READS): it lists
plates and reads, and only sworn analysts (policy §2) see those. The custodian, who never sees
reads, reviews its use in the access log and the audit report (scope "store" and its window);
see the help page "Analyses: co-travel, locate, cloned plates".
"""

from __future__ import annotations

from typing import Any

from alpr_desktop.core.clock import Clock, SystemClock
from alpr_desktop.core.cloned import (
    MAX_PAIRS,
    ClonedLimits,
    ClonedResult,
    Fix,
    ImpossiblePair,
    ResultsCheck,
    StoreCheck,
    impossible_pairs,
)
from alpr_desktop.core.cotravel import (
    MAX_TARGET_SIGHTINGS,
    CoTravelRequest,
    CoTravelResult,
    Point,
    beside,
    occasions,
    qualifying,
    rank,
)
from alpr_desktop.core.locate import (
    MAX_LOCATE_POINTS,
    MAX_LOCATE_ROWS,
    LocateRequest,
    LocateResult,
    locate,
)
from alpr_desktop.core.patterns import MatchKind
from alpr_desktop.core.roles import Action
from alpr_desktop.core.search import SearchInputError, SearchRow
from alpr_desktop.services.gate import Grant, gated, refuse_outside_window, refuse_window_outside
from alpr_desktop.storage.unit_of_work import UnitOfWork

HISTORY_LIMIT = 20_000  # reads of one co-travelling plate weighed (a bus has many)


def _as_log(request: Any, *_: object, **__: object) -> dict[str, Any]:
    log = getattr(request, "as_log_dict", None)
    return log() if callable(log) else {"analysis": "undescribed"}


def _rows(reads: list[Any]) -> tuple[SearchRow, ...]:
    return tuple(SearchRow(r, MatchKind.EXACT, r.plate_norm) for r in reads)


class TravelAnalysisService:
    def __init__(self, store: UnitOfWork, clock: Clock | None = None) -> None:
        self.store = store
        self.clock = clock or SystemClock()

    @gated(Action.SEARCH_READS, attempted=_as_log)
    def cotravel(self, grant: Grant, request: CoTravelRequest) -> CoTravelResult:
        """Plates read beside ``request.plate`` (same camera, within the tolerance) on at
        least n occasions at m cameras, best score first, with their evidence reads."""
        plate = request.checked()
        refuse_window_outside(grant, request.since, request.until)
        repo = self.store.travel_analysis
        target = repo.plate_points(plate, request.since, request.until,
                                   MAX_TARGET_SIGHTINGS + 1)
        if len(target) > MAX_TARGET_SIGHTINGS:
            raise SearchInputError(
                f"{plate} has more than {MAX_TARGET_SIGHTINGS:,} sightings in this window; "
                "narrow the window.")
        nearby = repo.points_near([(p.camera_id, p.recorded_at) for p in target],
                                  request.tolerance_s)
        pairs = beside(target, nearby, request.tolerance_s)
        found = qualifying(pairs, request)
        history = repo.plates_points(found, request.since, request.until, HISTORY_LIMIT)
        ranked = rank(pairs, history, request)
        shown = tuple(t for t in ranked if request.include_common or not t.common)
        ids = sorted({i for t in shown for i in t.read_ids})
        reads = repo.reads_by_ids(ids)
        n_occasions = len(occasions(target, request.tolerance_s))
        entry = grant.log("analysis.cotravel", query=request.as_log_dict(),
                          result_count=len(shown), detail={
                              "target_sightings": len(target),
                              "candidates": len(pairs),
                              "left_out_common": len(ranked) - len(shown),
                              "result_plates": [t.plate for t in shown][:50],
                              "evidence_reads": len(ids)})
        return CoTravelResult(plate, request, len(target), n_occasions, len(pairs),
                              len(ranked) - len(shown), shown, _rows(reads), entry.seq)

    @gated(Action.SEARCH_READS, attempted=_as_log)
    def locate(self, grant: Grant, request: LocateRequest) -> LocateResult:
        """Where and when the plate is usually seen, with the sightings behind each
        figure."""
        plate = request.checked()
        refuse_window_outside(grant, request.since, request.until)
        repo = self.store.travel_analysis
        reads = repo.plate_reads_newest(plate, request.since, request.until,
                                        MAX_LOCATE_ROWS + 1)
        truncated = len(reads) > MAX_LOCATE_ROWS
        if truncated:  # the figures count every sighting; the newest are listed
            reads = reads[1:]
            points = repo.plate_points(plate, request.since, request.until,
                                       MAX_LOCATE_POINTS + 1)
            if len(points) > MAX_LOCATE_POINTS:
                raise SearchInputError(f"{plate} has more than {MAX_LOCATE_POINTS:,} "
                                       "sightings in this window; narrow the window.")
        else:
            points = [Point(r.id, plate, r.camera_id, r.recorded_at) for r in reads]
        cameras = {k: (v[0], v[1]) for k, v in repo.camera_places().items()}
        entry = grant.log("analysis.locate", query=request.as_log_dict(),
                          result_count=len(points), detail={
                              "places": len({p.camera_id for p in points}),
                              "listed_reads": len(reads), "truncated": truncated})
        return locate(plate, request, points, cameras, _rows(reads), truncated, entry.seq)

    @gated(Action.SEARCH_READS, attempted=_as_log)
    def cloned_in_results(self, grant: Grant, check: ResultsCheck) -> ClonedResult:
        """Impossible travel among reads the analyst already has (a result set)."""
        ids = check.checked()
        fixes, unplaced = self.store.travel_analysis.fixes_of_reads(ids)
        if grant.window is not None:
            for f in fixes:
                refuse_outside_window(grant, f.recorded_at, "read")
        return self._cloned(grant, "results", check.as_log_dict(), check.limits, fixes,
                            unplaced, len(ids))

    @gated(Action.SEARCH_READS, attempted=_as_log)
    def cloned_in_store(self, grant: Grant, check: StoreCheck) -> ClonedResult:
        """Impossible travel among all reads of a window (at most 31 days a run)."""
        check.check()
        refuse_window_outside(grant, check.since, check.until)
        fixes, unplaced = self.store.travel_analysis.fixes_in_window(check.since, check.until)
        return self._cloned(grant, "store", check.as_log_dict(), check.limits, fixes,
                            unplaced, len(fixes) + unplaced)

    def _cloned(self, grant: Grant, scope: str, query: dict[str, Any], limits: ClonedLimits,
                fixes: list[Fix], unplaced: int, checked: int) -> ClonedResult:
        repo = self.store.travel_analysis
        found = impossible_pairs(fixes, limits)
        listed = found[:MAX_PAIRS]
        names = repo.plate_names([int(a.plate_key) for a, _, _, _ in listed])
        cameras = repo.camera_places() if listed else {}

        def place(f: Fix) -> str:
            name = cameras[f.camera_id][0] if f.camera_id in cameras else f"camera {f.camera_id}"
            return name + (" (read's own position)" if f.own_position else "")

        pairs = tuple(ImpossiblePair(names.get(int(a.plate_key), str(a.plate_key)), a, b,
                                     round(km, 3), b.recorded_at - a.recorded_at,
                                     round(speed, 1) if speed != float("inf") else speed,
                                     place(a), place(b))
                      for a, b, km, speed in listed)
        ids = sorted({f.read_id for p in pairs for f in (p.first, p.second)})
        reads = repo.reads_by_ids(ids)
        entry = grant.log("analysis.cloned", query=query, result_count=len(found), detail={
            "checked_reads": checked, "unplaced_reads": unplaced,
            "result_plates": sorted({p.plate for p in pairs})[:50],
            "listed_pairs": len(pairs)})
        return ClonedResult(scope, limits, checked, unplaced, pairs, len(found), _rows(reads),
                            entry.seq)
