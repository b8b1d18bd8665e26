"""Issue 19: the location search (stakeout) and common plates, on generated data with planted
answers, through the gate with their log entries."""

from __future__ import annotations

import pytest
from access_helpers import World, log_entries
from places_helpers import BUS, COMMUTER, DAY, DAY0, HOUR, SUSPECT, Planted, plant

from alpr_desktop.core.access_errors import PurposeRequired
from alpr_desktop.core.analysis_places import (
    AnalysisInputError,
    AnalysisTooBroad,
    CommonPlatesQuery,
    LocationQuery,
    Place,
    PlateFilter,
    Window,
)
from alpr_desktop.core.analysis_scope import AnalysisReasonRequired
from alpr_desktop.services.location_analysis import AnalysisCancelled, LocationAnalysisService


@pytest.fixture
def planted(world: World) -> Planted:
    return plant(world.store)


@pytest.fixture
def places(world: World) -> LocationAnalysisService:
    return LocationAnalysisService(world.store, world.clock)


def _two_windows(day: int, h1: int, h2: int) -> tuple[Window, Window]:
    base = DAY0 + day * DAY
    return (Window(base + h1 * HOUR, base + (h1 + 2) * HOUR),
            Window(base + h2 * HOUR, base + (h2 + 2) * HOUR))


def test_stakeout_returns_the_right_plates_per_place_with_first_and_last(
        world: World, planted: Planted, places: LocationAnalysisService) -> None:
    ctx = world.with_purpose("officer")
    q = LocationQuery((
        Place("Scene 1", _two_windows(0, 10, 20), camera_ids=(planted.cams[0],)),
        Place("Scene 2", _two_windows(1, 14, 2), latitude=33.8240, longitude=-118.2820,
              radius_m=300),
        Place("Scene 3", _two_windows(2, 21, 5), camera_ids=(planted.cams[2],)),
    ))
    result = places.location_search(ctx, q)
    by = {(p.place, p.plate): p for p in result.plates}
    s1 = by[(0, SUSPECT)]
    # 10:15 and 11:40 are inside 10:00-12:00; 13:00 is in no window
    assert (s1.first_at, s1.last_at, s1.reads) == (planted.scene_times[0],
                                                    DAY0 + 11 * HOUR + 40 * 60, 2)
    assert (by[(1, SUSPECT)].first_at, by[(1, SUSPECT)].reads) == (planted.scene_times[1], 1)
    assert by[(2, SUSPECT)].first_at == planted.scene_times[2]
    # the mobile read at the far camera whose own position is at scene 2 is in; the one at
    # scene 2's camera whose own position is far away is out
    assert (1, "3MOB111") in by and (1, "3MOB999") not in by
    # the commuter passes scene 1 every hour 08-17: inside 10-12 three times (10:00, 11:00,
    # 12:00 inclusive), not in 20-22
    assert by[(0, COMMUTER)].reads == 3
    # every read listed is at its place and in one of its windows, oldest first
    times = [r.read.recorded_at for r in result.rows]
    assert times == sorted(times) and result.reads_found == len(result.rows)
    assert {r.read.plate_norm for r in result.rows} == {p.plate for p in result.plates}
    [e] = log_entries(world.store, "analysis.location")
    assert e.seq == result.log_seq and e.result_count == result.reads_found
    assert [p["label"] for p in e.query["places"]] == ["Scene 1", "Scene 2", "Scene 3"]
    assert e.query["places"][1]["radius_m"] == 300
    assert e.query["places"][0]["windows"][0] == {"from": DAY0 + 10 * HOUR,
                                                  "to": DAY0 + 12 * HOUR}
    assert e.purpose["case_number"] == "123-45678-2026-001"
    assert e.detail["wider_than_purpose"] is False


def test_stakeout_filters_by_plate_pattern_and_description(
        world: World, planted: Planted, places: LocationAnalysisService) -> None:
    ctx = world.with_purpose("officer")
    place = Place("Scene 1", _two_windows(0, 10, 20), camera_ids=(planted.cams[0],))
    by_plate = places.location_search(ctx, LocationQuery((place,), PlateFilter("6COM*")))
    assert {p.plate for p in by_plate.plates} == {SUSPECT}
    by_color = places.location_search(ctx, LocationQuery((place,), PlateFilter(
        colors=("black",), makes=("Nissan",))))
    assert {p.plate for p in by_color.plates} == {SUSPECT}
    last = log_entries(world.store, "analysis.location")[-1]
    assert last.query["colors"] == ["black"] and last.query["makes"] == ["Nissan"]
    assert log_entries(world.store, "analysis.location")[0].query["pattern"] == "6COM*"


def test_a_common_plate_across_three_scenes_ranks_first(
        world: World, planted: Planted, places: LocationAnalysisService) -> None:
    ctx = world.with_purpose("officer")
    sets = tuple(Place(f"Robbery {i + 1}", (Window(DAY0 + i * DAY, DAY0 + (i + 1) * DAY - 1),),
                       camera_ids=(planted.cams[i],)) for i in range(3))
    result = places.common_plates(ctx, CommonPlatesQuery(sets, min_sets=2))
    first = result.plates[0]
    assert first.plate == SUSPECT and first.sets == (0, 1, 2) and first.rank == 1
    assert [s.first_at for s in first.sightings] == planted.scene_times[:1] + \
        planted.scene_times[1:]
    # the commuter is at all three too but passes every hour: ranked after the suspect
    ranked = [c.plate for c in result.plates]
    assert ranked.index(COMMUTER) > 0
    assert all(len(c.sets) >= 2 for c in result.plates)
    # the bus was at scenes 1 and 2 only on day 0; set 2 is day 1: not common
    assert BUS not in ranked
    # the evidence: every sighting that put the suspect there is among the rows
    suspect_rows = {r.read.id for r in result.rows if r.read.plate_norm == SUSPECT}
    assert suspect_rows == {rid for s in first.sightings for rid in s.read_ids}
    [e] = log_entries(world.store, "analysis.common_plates")
    assert e.seq == result.log_seq and e.query["min_sets"] == 2 and len(e.query["sets"]) == 3
    assert e.detail["result_plates"][0] == SUSPECT
    k3 = places.common_plates(ctx, CommonPlatesQuery(sets, min_sets=3))
    assert {c.plate for c in k3.plates} == {SUSPECT, COMMUTER}


def test_refused_without_a_purpose_and_the_attempt_logged_with_its_places(
        world: World, planted: Planted, places: LocationAnalysisService) -> None:
    q = LocationQuery((Place("Clinic", _two_windows(0, 10, 14), camera_ids=(planted.cams[0],)),))
    with pytest.raises(PurposeRequired):
        places.location_search(world.ctx("officer"), q)
    [refused] = log_entries(world.store, "gate.refused")
    assert refused.query["mode"] == "location"
    assert refused.query["places"][0]["label"] == "Clinic"
    assert not log_entries(world.store, "analysis.location")
    with pytest.raises(PurposeRequired):
        places.common_plates(world.ctx("officer"), CommonPlatesQuery(
            (q.places[0], q.places[0]), 2))
    assert log_entries(world.store, "gate.refused")[-1].query["mode"] == "common_plates"


def test_wider_than_the_purpose_asks_for_a_reason_then_logs_it(
        world: World, planted: Planted, places: LocationAnalysisService) -> None:
    ctx = world.with_purpose("officer")
    old = DAY0 - 60 * DAY  # before the purpose's own 30 days
    q = LocationQuery((Place("Scene 1", (Window(old, old + 2 * HOUR),),
                             camera_ids=(planted.cams[0],)),))
    with pytest.raises(AnalysisReasonRequired, match="reaches outside this purpose"):
        places.location_search(ctx, q)
    refused = log_entries(world.store, "gate.refused")[-1]
    assert refused.detail["reason"] == "reason_required"
    assert not log_entries(world.store, "analysis.location")
    reason = "Suspect vehicle matched a robbery series that began in October"
    result = places.location_search(ctx, LocationQuery(q.places, reason=reason))
    assert result.wider_than_purpose
    [e] = log_entries(world.store, "analysis.location")
    assert e.query["reason"] == reason and e.detail["wider_than_purpose"] is True


def test_bounds_are_checked_before_anything_runs(
        world: World, planted: Planted, places: LocationAnalysisService) -> None:
    ctx = world.with_purpose("officer")
    with pytest.raises(AnalysisTooBroad):
        Window(DAY0, DAY0 + 8 * DAY)
    with pytest.raises(AnalysisInputError, match="no cameras and no radius"):
        places.location_search(ctx, LocationQuery((Place("x", (Window(DAY0, DAY0 + 60),)),)))
    with pytest.raises(AnalysisInputError, match="radius is"):
        places.location_search(ctx, LocationQuery((Place(
            "x", (Window(DAY0, DAY0 + 60),), latitude=33.8, longitude=-118.2,
            radius_m=50_000),)))
    one = Place("x", (Window(DAY0, DAY0 + 60),), camera_ids=(planted.cams[0],))
    with pytest.raises(AnalysisInputError, match="Give 2 to 10 sets"):
        places.common_plates(ctx, CommonPlatesQuery((one,), 2))
    with pytest.raises(AnalysisInputError, match="at least 2 and at most 2"):
        places.common_plates(ctx, CommonPlatesQuery((one, one), 3))
    wide = tuple(Place(f"p{i}", (Window(DAY0, DAY0 + 7 * DAY),), camera_ids=(planted.cams[0],))
                 for i in range(5))
    with pytest.raises(AnalysisTooBroad, match="at most 31 days"):
        places.location_search(ctx, LocationQuery(wide))
    assert log_entries(world.store, "gate.refused")[-1].detail["reason"] == "too_broad"
    assert not log_entries(world.store, "analysis.location")


def test_a_cancelled_analysis_returns_nothing_and_logs_nothing(
        world: World, planted: Planted, places: LocationAnalysisService) -> None:
    ctx = world.with_purpose("officer")
    q = LocationQuery((Place("Scene 1", _two_windows(0, 10, 20), camera_ids=(planted.cams[0],)),))
    with pytest.raises(AnalysisCancelled):
        places.location_search(ctx, q, cancel=lambda: True)
    assert not log_entries(world.store, "analysis.location")
