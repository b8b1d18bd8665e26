"""Issue 19 (travel): co-travel, locate and the cloned-plate check on generated data with
planted answers, each through the gate with its log entry holding every parameter."""

from __future__ import annotations

import pytest
from access_helpers import World, log_entries
from travel_world import (
    CLONE_T,
    CLONED,
    COMMUTERS,
    COMPANION,
    DAY,
    DRIVE,
    LOCATE,
    MIN,
    NEIGHBOURS,
    T0,
    TARGET,
    WINDOW,
    Planted,
    plant,
)

from alpr_desktop.core.access_errors import NotAuthorized, PurposeRequired
from alpr_desktop.core.cloned import ClonedLimits, ResultsCheck, StoreCheck, haversine_km
from alpr_desktop.core.cotravel import CoTravelRequest
from alpr_desktop.core.locate import LocateRequest
from alpr_desktop.core.search import SearchInputError
from alpr_desktop.services.travel_analysis import TravelAnalysisService


@pytest.fixture
def planted(world: World) -> Planted:
    return plant(world.store)


@pytest.fixture
def travel(world: World) -> TravelAnalysisService:
    return TravelAnalysisService(world.store, world.clock)


# -- co-travel --------------------------------------------------------------------------------

def test_the_convoy_is_found_and_the_commuters_are_not(
    world: World, planted: Planted, travel: TravelAnalysisService
) -> None:
    ctx = world.with_purpose("officer")
    result = travel.cotravel(ctx, CoTravelRequest(TARGET, *WINDOW))
    assert [t.plate for t in result.travellers] == [COMPANION]
    [convoy] = result.travellers
    assert (convoy.occasions, convoy.cameras) == (18, 3) and convoy.share == 1.0
    # the commuters met the target at A and B on every trip: they qualify, and are left out
    assert result.left_out_common >= len(COMMUTERS) - 2
    # the evidence: each meeting is the target's read and the companion's, 30 s apart
    assert {m.seconds_apart for m in convoy.meetings} == {30}
    assert {m.other_read_id for m in convoy.meetings} == set(planted.companion_ids)
    assert {r.read.plate_norm for r in result.rows} == {TARGET, COMPANION}
    [e] = log_entries(world.store, "analysis.cotravel")
    assert e.query == {"analysis": "cotravel", "pattern": TARGET, "mode": "exact",
                       "since": WINDOW[0], "until": WINDOW[1], "tolerance_s": 120,
                       "min_occasions": 2, "min_cameras": 2, "min_share": 0.5,
                       "include_common": False}
    assert e.result_count == 1 and e.detail["result_plates"] == [COMPANION]
    assert e.purpose["case_number"] == "123-45678-2026-001" and e.seq == result.log_seq


def test_commuters_shown_on_request_rank_below_the_convoy_and_are_marked(
    world: World, planted: Planted, travel: TravelAnalysisService
) -> None:
    ctx = world.with_purpose("officer")
    result = travel.cotravel(ctx, CoTravelRequest(TARGET, *WINDOW, include_common=True))
    first, *rest = result.travellers
    assert first.plate == COMPANION and not first.common
    commuters = [t for t in rest if t.plate in COMMUTERS]
    assert len(commuters) >= len(COMMUTERS) - 2
    assert all(t.common and t.score < first.score / 2 for t in commuters)
    # a commuter's reads at A and B on every weekday: the share beside the target is small
    assert all(t.share < 0.5 and t.reads_at_cameras >= 30 for t in commuters)
    assert not {t.plate for t in rest} & set(NEIGHBOURS)  # never two cameras with it


def test_n_and_m_and_the_tolerance_are_applied_and_logged(
    world: World, planted: Planted, travel: TravelAnalysisService
) -> None:
    ctx = world.with_purpose("officer")
    tight = travel.cotravel(ctx, CoTravelRequest(TARGET, *WINDOW, tolerance_s=20))
    assert tight.travellers == ()  # 30 s behind is outside 20 s
    many = travel.cotravel(ctx, CoTravelRequest(TARGET, *WINDOW, min_occasions=19))
    assert many.travellers == ()  # 18 occasions only
    four = travel.cotravel(ctx, CoTravelRequest(TARGET, *WINDOW, min_cameras=4))
    assert four.travellers == ()  # 3 cameras only
    logged = [(e.query["tolerance_s"], e.query["min_occasions"], e.query["min_cameras"])
              for e in log_entries(world.store, "analysis.cotravel")]
    assert logged == [(20, 2, 2), (120, 19, 2), (120, 2, 4)]


def test_cotravel_needs_a_purpose_and_refuses_bad_input_without_running(
    world: World, planted: Planted, travel: TravelAnalysisService
) -> None:
    with pytest.raises(PurposeRequired):
        travel.cotravel(world.ctx("officer"), CoTravelRequest(TARGET, *WINDOW))
    [refused] = log_entries(world.store, "gate.refused")
    assert refused.query["analysis"] == "cotravel" and refused.query["pattern"] == TARGET
    assert refused.query["tolerance_s"] == 120
    with pytest.raises(NotAuthorized):
        travel.cotravel(world.ctx("keeper"), CoTravelRequest(TARGET, *WINDOW))
    ctx = world.with_purpose("officer")
    for bad in (CoTravelRequest("7TG*", *WINDOW), CoTravelRequest(TARGET, WINDOW[1], WINDOW[0]),
                CoTravelRequest(TARGET, *WINDOW, tolerance_s=0),
                CoTravelRequest(TARGET, *WINDOW, min_share=1.5),
                CoTravelRequest(TARGET, T0, T0 + 400 * DAY)):
        with pytest.raises(SearchInputError):
            travel.cotravel(ctx, bad)
    assert not log_entries(world.store, "analysis.cotravel")


# -- locate -------------------------------------------------------------------------------------

def test_locate_ranks_the_planted_home_camera_and_hour_first(
    world: World, planted: Planted, travel: TravelAnalysisService
) -> None:
    ctx = world.with_purpose("officer")
    result = travel.locate(ctx, LocateRequest(LOCATE, T0 - 7 * DAY, WINDOW[1]))
    home, work = planted.cams["H Home street"], planted.cams["W Work lot"]
    assert [p.camera_id for p in result.places[:2]] == [home, work]
    top = result.places[0]
    assert top.sightings == 35 and top.days == 35
    assert top.likelihood == pytest.approx(35 / result.total)
    assert top.busiest[1] == 18 and sum(map(sum, top.heat)) == 35
    cell = result.cells[0]
    assert (cell.camera_id, cell.hour) == (home, 18)
    assert cell.sightings == 5 and cell.likelihood == 1.0 and cell.at_hour == 5
    assert result.total == 35 + 20 + 40 == len(result.rows)
    assert sum(p.sightings for p in result.places) == result.total
    assert sum(map(sum, result.heatmap)) == result.total
    [e] = log_entries(world.store, "analysis.locate")
    assert e.query == {"analysis": "locate", "pattern": LOCATE, "mode": "exact",
                       "since": T0 - 7 * DAY, "until": WINDOW[1]}
    assert e.result_count == result.total and e.seq == result.log_seq


def test_locate_needs_a_purpose(world: World, planted: Planted,
                                travel: TravelAnalysisService) -> None:
    with pytest.raises(PurposeRequired):
        travel.locate(world.ctx("officer"), LocateRequest(LOCATE, *WINDOW))
    assert log_entries(world.store, "gate.refused")[0].query["analysis"] == "locate"
    assert not log_entries(world.store, "analysis.locate")


# -- cloned plates --------------------------------------------------------------------------------

def test_haversine_knows_a_degree_of_latitude() -> None:
    assert haversine_km(33.0, -118.0, 34.0, -118.0) == pytest.approx(111.2, abs=0.2)
    assert haversine_km(33.8, -118.2, 33.8, -118.2) == 0


def test_a_cloned_plate_at_two_far_cameras_minutes_apart_is_flagged_and_a_drive_is_not(
    world: World, planted: Planted, travel: TravelAnalysisService
) -> None:
    ctx = world.with_purpose("officer")
    check = StoreCheck(CLONE_T - DAY // 2, CLONE_T + DAY // 2)
    result = travel.cloned_in_store(ctx, check)
    plates = dict(result.plates)
    assert CLONED in plates and "6MOB007" in plates  # the mobile read's own position
    assert DRIVE not in plates and "6NBR006" not in plates
    pair = next(p for p in result.pairs if p.plate == CLONED)
    assert {pair.first.read_id, pair.second.read_id} == set(planted.cloned_ids)
    assert pair.seconds == 10 * MIN and 80 < pair.distance_km < 90
    assert pair.speed_kmh > 400  # 84 km in 10 min (+1 min clock allowance)
    assert (pair.first_place, pair.second_place) == ("A Avalon & Carson", "P Palmdale Blvd")
    mobile = next(p for p in result.pairs if p.plate == "6MOB007")
    assert mobile.second_place == "A Avalon & Carson (read's own position)"
    assert {r.read.id for r in result.rows} >= set(planted.cloned_ids)
    [e] = log_entries(world.store, "analysis.cloned")
    assert e.query == {"analysis": "cloned", "scope": "store", "since": check.since,
                       "until": check.until, "max_speed_kmh": 200.0, "min_distance_km": 1.0,
                       "clock_slack_s": 60}
    assert e.result_count == result.total_pairs and CLONED in e.detail["result_plates"]


def test_the_limits_change_what_is_flagged(
    world: World, planted: Planted, travel: TravelAnalysisService
) -> None:
    ctx = world.with_purpose("officer")
    window = (CLONE_T - DAY // 2, CLONE_T + DAY // 2)
    slow = travel.cloned_in_store(ctx, StoreCheck(*window, ClonedLimits(max_speed_kmh=50)))
    assert DRIVE in dict(slow.plates)  # 84 km in 81 min is over 50 km/h
    # neighbouring cameras 5 s apart: only without the clock allowance and distance floor
    raw = travel.cloned_in_store(ctx, StoreCheck(*window, ClonedLimits(
        clock_slack_s=0, min_distance_km=0)))
    assert "6NBR006" in dict(raw.plates)
    floor = travel.cloned_in_store(ctx, StoreCheck(*window, ClonedLimits(clock_slack_s=0)))
    assert "6NBR006" not in dict(floor.plates)
    assert [e.query["max_speed_kmh"] for e in log_entries(world.store, "analysis.cloned")] \
        == [50.0, 200.0, 200.0]


def test_cloned_over_a_result_set_sees_only_those_reads(
    world: World, planted: Planted, travel: TravelAnalysisService
) -> None:
    ctx = world.with_purpose("officer")
    ids = tuple(planted.cloned_ids + planted.drive_ids)
    result = travel.cloned_in_results(ctx, ResultsCheck(ids))
    assert dict(result.plates) == {CLONED: 1} and result.checked_reads == 4
    [e] = log_entries(world.store, "analysis.cloned")
    assert e.query["scope"] == "results" and e.query["read_ids"] == list(ids)
    one = travel.cloned_in_results(ctx, ResultsCheck(tuple(planted.cloned_ids[:1])))
    assert one.pairs == ()


def test_the_whole_store_check_is_refused_to_a_custodian_and_bounded(
    world: World, planted: Planted, travel: TravelAnalysisService
) -> None:
    with pytest.raises(NotAuthorized):
        travel.cloned_in_store(world.ctx("keeper"), StoreCheck(CLONE_T, CLONE_T + DAY))
    refused = log_entries(world.store, "gate.refused")[-1]
    assert refused.username == "keeper" and refused.query["scope"] == "store"
    ctx = world.with_purpose("officer")
    with pytest.raises(SearchInputError):
        travel.cloned_in_store(ctx, StoreCheck(CLONE_T, CLONE_T + 40 * DAY))
    with pytest.raises(SearchInputError):
        travel.cloned_in_store(ctx, StoreCheck(CLONE_T, CLONE_T + DAY,
                                               ClonedLimits(max_speed_kmh=1)))
    assert not log_entries(world.store, "analysis.cloned")
