"""The investigator's views (issue 13): a plate's profile, the sightings a map draws, the
description search and "My searches". Each is gated (an analyst with an active purpose) and
writes its access-log entry in the same transaction, before anything returns.

* ``plate_profile``: every read of one plate in time order (with its look-alikes and
  candidates on request, marked), logged as "search.profile" with the plate and mode exact,
  so the oversight checks count it as a look-up of that plate.
* ``sightings``: where each of a set of reads was seen ("map.view", naming the reads).
* ``describe``: the description search ("search.description", every element logged; the
  oversight report lists each one as a broad search).
* ``my_searches``: the analyst's own searches under the active purpose ("history.own").
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from alpr_desktop.core.accounts import AccessContext
from alpr_desktop.core.audit_log import LogEvent, Outcome
from alpr_desktop.core.basemap import (
    BASEMAP_SETTING,
    GRID,
    MAX_BASEMAP_BYTES,
    Basemap,
    BasemapError,
    parse_street_lines,
)
from alpr_desktop.core.clock import Clock, SystemClock
from alpr_desktop.core.description_query import (
    DEFAULT_MAX_WINDOW_DAYS,
    MAX_WINDOW_DAYS_LIMIT,
    MAX_WINDOW_SETTING,
    DescriptionQuery,
    DescriptionResult,
)
from alpr_desktop.core.map_projection import Bounds
from alpr_desktop.core.past_searches import MySearches, past_search
from alpr_desktop.core.patterns import MatchKind
from alpr_desktop.core.plate_profile import (
    MAX_PROFILE_READS,
    PlateProfile,
    ProfileRequest,
    build_profile,
)
from alpr_desktop.core.roles import Action
from alpr_desktop.core.search import SearchInputError, SearchRow
from alpr_desktop.core.sightings import CameraSite, MapSightings
from alpr_desktop.demo.streets import street_layer_bytes
from alpr_desktop.services.audit import log_event
from alpr_desktop.services.gate import Grant, gated, refuse_window_outside, require
from alpr_desktop.storage.geopackage import read_street_lines
from alpr_desktop.storage.mbtiles import read_tiles
from alpr_desktop.storage.unit_of_work import UnitOfWork

MAX_MAP_READS = 20_000
MAX_OWN_SEARCHES = 200
_KINDS = {"look-alike": MatchKind.LOOK_ALIKE, "candidate": MatchKind.CANDIDATE}


def _profile_attempt(request: Any, *_: object, **__: object) -> dict[str, Any]:
    return {"mode": "exact", "pattern": str(getattr(request, "plate", ""))[:64],
            "profile": True}


def _describe_attempt(query: Any, *_: object, **__: object) -> dict[str, Any]:
    return query.as_log_dict() if isinstance(query, DescriptionQuery) else {"mode": "description"}


def _ids_attempt(read_ids: Sequence[int], *_: object, **__: object) -> dict[str, Any]:
    return {"read_ids": [int(i) for i in list(read_ids)[:1000]]}


def _history_attempt(*_: object, **__: object) -> dict[str, Any]:
    return {"own_searches": True}


class InvestigatorViewsService:
    def __init__(self, store: UnitOfWork, clock: Clock | None = None) -> None:
        self.store = store
        self.clock = clock or SystemClock()

    # -- configuration (not read data) ------------------------------------------------------
    def camera_sites(self) -> list[CameraSite]:
        """Cameras with coordinates, for the map (configuration, like the filter's list)."""
        return self.store.investigator_views.camera_sites()

    def description_max_days(self) -> int:
        raw = self.store.settings.get(MAX_WINDOW_SETTING)
        try:
            days = int(raw) if raw is not None else DEFAULT_MAX_WINDOW_DAYS
        except ValueError:
            days = DEFAULT_MAX_WINDOW_DAYS
        return max(1, min(days, MAX_WINDOW_DAYS_LIMIT))

    def set_description_max_days(self, ctx: AccessContext, days: int) -> None:
        """An administrator's setting, logged as a settings change."""
        if isinstance(days, bool) or not isinstance(days, int) or not (
                1 <= days <= MAX_WINDOW_DAYS_LIMIT):
            raise SearchInputError(
                f"The widest description-search window is 1 to {MAX_WINDOW_DAYS_LIMIT} days.")
        grant = require(self.store, ctx, Action.MANAGE_SECURITY_SETTINGS, needs_purpose=False,
                        clock=self.clock)
        with self.store.transaction():
            old = self.description_max_days()
            self.store.settings.put(MAX_WINDOW_SETTING, str(days))
            log_event(self.store, LogEvent(
                "settings.changed", Outcome.OK, grant.account.username,
                organization=grant.account.organization, agency=grant.account.organization,
                detail={"key": MAX_WINDOW_SETTING, "from": old, "to": days}), self.clock)

    # -- the basemap (an administrator's file; nothing from any network) --------------------
    def basemap_path(self) -> str:
        return self.store.settings.get(BASEMAP_SETTING) or ""

    def set_basemap_path(self, ctx: AccessContext, path: str) -> Basemap:
        """Name the agency's basemap file (GeoJSON or GeoPackage street lines, or MBTiles
        raster tiles), or "" for the coordinate grid. The file is checked first; the change
        is logged."""
        grant = require(self.store, ctx, Action.MANAGE_SECURITY_SETTINGS, needs_purpose=False,
                        clock=self.clock)
        path = path.strip()
        loaded = _load_basemap(path, None) if path else GRID
        if loaded.problem:
            raise BasemapError(loaded.problem)
        with self.store.transaction():
            old = self.basemap_path()
            self.store.settings.put(BASEMAP_SETTING, path)
            log_event(self.store, LogEvent(
                "settings.changed", Outcome.OK, grant.account.username,
                organization=grant.account.organization, agency=grant.account.organization,
                detail={"key": BASEMAP_SETTING, "from": old, "to": path}), self.clock)
        return loaded

    def basemap(self, bounds: Bounds | None) -> Basemap:
        """The configured basemap over ``bounds``; the demo store's generated street layer
        when none is set on a demo store; else the grid. A file that cannot be used gives the
        grid with the reason (never an error: the map still works)."""
        path = self.basemap_path()
        if path:
            return _load_basemap(path, bounds)
        if self.store.is_demo:
            return parse_street_lines(street_layer_bytes(), "demo street layer")
        return GRID

    # -- the gated calls ----------------------------------------------------------------------
    @gated(Action.SEARCH_READS, attempted=_profile_attempt)
    def plate_profile(self, grant: Grant, request: ProfileRequest) -> PlateProfile:
        """Every read of the plate, oldest first (at most MAX_PROFILE_READS: the newest
        are kept when there are more), with its figures."""
        plate = request.normalized()
        gap_s = request.gap_seconds()
        w = grant.window
        since, until = (w.start, w.end) if w is not None else (None, None)
        repo = self.store.investigator_views
        reads = repo.plate_reads(plate, since, until, MAX_PROFILE_READS + 1)
        rows = [SearchRow(r, MatchKind.EXACT, plate) for r in reads]
        if request.lookalikes:
            rows += [SearchRow(r, _KINDS[kind], r.plate_norm)
                     for r, kind in repo.lookalike_reads(plate, since, until,
                                                         MAX_PROFILE_READS + 1)]
        truncated = len(rows) > MAX_PROFILE_READS
        if truncated:
            rows = sorted(rows, key=lambda r: (r.read.recorded_at, r.read.id))[
                -MAX_PROFILE_READS:]
        query = {"pattern": plate, "mode": "exact", "lookalikes": request.lookalikes,
                 "gap_hours": request.gap_hours}
        plates = sorted({r.read.plate_norm for r in rows})
        entry = grant.log("search.profile", query=query, result_count=len(rows), detail={
            "result_plates": plates[:50], "truncated": truncated,
        })
        return build_profile(plate, rows, gap_hours=gap_s / 3600, lookalikes=request.lookalikes,
                             truncated=truncated, log_seq=entry.seq)

    @gated(Action.SEARCH_READS, attempted=_ids_attempt)
    def sightings(self, grant: Grant, read_ids: Sequence[int]) -> MapSightings:
        """Where these reads were seen, oldest first, for the map and the route."""
        ids = list(dict.fromkeys(int(i) for i in read_ids))
        if len(ids) > MAX_MAP_READS:
            raise SearchInputError(f"A map shows at most {MAX_MAP_READS:,} reads.")
        found = self.store.investigator_views.sightings(ids)
        w = grant.window
        if w is not None:
            found = [s for s in found if w.contains(s.recorded_at)]
        entry = grant.log("map.view", query={"read_ids": ids}, result_count=len(found),
                  detail={"plates": sorted({s.plate for s in found})[:50]})
        return MapSightings(tuple(found), len(ids) - len(found), entry.seq)

    @gated(Action.SEARCH_READS, attempted=_describe_attempt)
    def describe(self, grant: Grant, query: DescriptionQuery) -> DescriptionResult:
        """Reads matching a vehicle description in a narrow window, newest first."""
        query.check(self.description_max_days())
        assert query.since is not None and query.until is not None
        refuse_window_outside(grant, query.since, query.until)
        reads = self.store.investigator_views.description_reads(
            query, query.since, query.until, query.limit + 1)
        truncated = len(reads) > query.limit
        rows = tuple(SearchRow(r, MatchKind.EXACT, r.plate_norm) for r in reads[:query.limit])
        plates = {r.read.plate_norm for r in rows}
        entry = grant.log("search.description", query=query.as_log_dict(),
                          result_count=len(rows),
                          detail={"plates_found": len(plates), "truncated": truncated,
                                  "broad": True})
        return DescriptionResult(rows, truncated, entry.seq, len(plates))

    @gated(Action.SEARCH_READS, attempted=_history_attempt)
    def my_searches(self, grant: Grant) -> MySearches:
        """The analyst's own searches under the active purpose, newest first."""
        assert grant.purpose is not None
        entries = self.store.investigator_views.own_searches(
            grant.account.username, grant.purpose.id, MAX_OWN_SEARCHES)
        found = tuple(past_search(e) for e in entries)
        grant.log("history.own", query={"own_searches": True, "purpose_id": grant.purpose.id},
                  result_count=len(found), detail={"seqs": [p.seq for p in found]})
        return MySearches(grant.purpose.id, found)


def _load_basemap(path: str, bounds: Bounds | None) -> Basemap:
    name = Path(path).name
    try:
        if path.lower().endswith(".mbtiles"):
            box = bounds or Bounds(-118.30, 33.80, -118.20, 33.90)
            return Basemap("tiles", name, raster=read_tiles(path, box))
        if path.lower().endswith(".gpkg"):
            return read_street_lines(path, name)
        if path.lower().endswith((".geojson", ".json")):
            size = Path(path).stat().st_size
            if size > MAX_BASEMAP_BYTES:
                raise BasemapError("The GeoJSON file is larger than 64 MB.")
            return parse_street_lines(Path(path).read_bytes(), name)
        raise BasemapError("A basemap is a GeoJSON (.geojson), GeoPackage (.gpkg) or MBTiles "
                           "(.mbtiles) file.")
    except BasemapError as exc:
        return Basemap("grid", name, problem=str(exc))
    except OSError as exc:
        return Basemap("grid", name, problem=f"the file cannot be read: "
                                             f"{exc.strerror or type(exc).__name__}")
