"""The demo's traffic model: proportions, times, misreads, determinism."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

import pytest

from alpr_desktop.core.clock import SITE_ZONE, to_local
from alpr_desktop.demo.cameras import CAMERAS
from alpr_desktop.demo.daylight import is_dark
from alpr_desktop.demo.plan import DEMO_END_UTC, WINDOW_DAYS, plan_reads

N = 20_000


@pytest.fixture(scope="module")
def plan():
    return plan_reads(N, seed=1)


def test_same_seed_same_plan_other_seed_differs() -> None:
    assert plan_reads(500, 5) == plan_reads(500, 5)
    assert plan_reads(500, 5) != plan_reads(500, 6)


def test_counts_order_and_window(plan) -> None:
    assert len(plan) == N
    assert [r.index for r in plan] == list(range(N))
    times = [r.recorded_at for r in plan]
    assert times == sorted(times)
    assert times[0] >= DEMO_END_UTC - WINDOW_DAYS * 86_400 - 3_600
    assert times[-1] < DEMO_END_UTC
    assert {r.camera for r in plan} == set(range(len(CAMERAS)))
    assert plan_reads(0, 1) == []


def test_commuters_are_few_plates_and_many_reads(plan) -> None:
    kind_of = {r.true_plate: r.kind for r in plan}
    plates = Counter(kind_of.values())
    reads = Counter(r.kind for r in plan)
    assert 0.02 <= plates["commuter"] / len(kind_of) <= 0.03
    assert 0.40 <= reads["commuter"] / N <= 0.50
    assert plates["once"] / len(kind_of) > 0.75
    per_plate = Counter(r.true_plate for r in plan)
    commuters = [p for p, k in kind_of.items() if k == "commuter"]
    assert min(per_plate[p] for p in commuters) >= 10 or len(commuters) < 3
    assert all(per_plate[p] == 1 for p, k in kind_of.items() if k == "once")


def test_rush_hours_and_night_frames(plan) -> None:
    hours = Counter(to_local(r.recorded_at).hour for r in plan)
    assert hours[7] + hours[8] > 4 * (hours[2] + hours[3])
    assert hours[16] + hours[17] > 2 * (hours[11] + hours[12]) * 0.8
    night = sum(r.night for r in plan) / N
    assert 0.20 <= night <= 0.30
    assert all(r.night == is_dark(r.recorded_at) for r in plan[:2000])


def test_daylight_model() -> None:
    noon = int(datetime(2026, 11, 20, 12, 0, tzinfo=SITE_ZONE).timestamp())
    midnight = int(datetime(2026, 11, 20, 0, 30, tzinfo=SITE_ZONE).timestamp())
    evening = int(datetime(2026, 11, 20, 18, 0, tzinfo=SITE_ZONE).timestamp())
    summer_evening = int(datetime(2026, 6, 20, 19, 0, tzinfo=SITE_ZONE).timestamp())
    assert not is_dark(noon) and is_dark(midnight) and is_dark(evening)
    assert not is_dark(summer_evening)


def test_misreads_keep_the_true_plate_among_candidates(plan) -> None:
    wrong = [r for r in plan if r.plate != r.true_plate]
    assert 0.03 <= len(wrong) / N <= 0.05
    for r in wrong:
        assert r.true_plate in [p for p, _ in r.candidates]
        assert all(c < r.confidence for _, c in r.candidates)
    with_alternates = [r for r in plan if r.candidates and r.plate == r.true_plate]
    assert len(with_alternates) > 0.05 * N
    for r in plan:
        assert r.plate not in [p for p, _ in r.candidates]
        assert 0.0 < r.confidence < 1.0


def test_vehicle_and_states_are_plausible(plan) -> None:
    vehicle_of: dict[str, object] = {}
    for r in plan:
        assert vehicle_of.setdefault(r.true_plate, r.vehicle) == r.vehicle  # one car per plate
        assert 0 < r.speed < 100
        assert r.direction == CAMERAS[r.camera].heading
    states = Counter(r.state for r in plan)
    assert states["CA"] / N > 0.85
    assert {"AZ", "NV", "TX", "OR", "WA"} <= set(states)
    colors = Counter(r.vehicle.color for r in plan)
    assert colors.most_common(1)[0][0] in {"White", "Black"}
    assert len({r.vehicle.body_type for r in plan}) >= 6
