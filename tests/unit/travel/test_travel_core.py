"""The co-travel arithmetic without a store: repeats merged into one occasion, the closest
read kept per occasion, and the TF-IDF-like weight that puts a daily passer-by below a car
that comes only with the target."""

from __future__ import annotations

from alpr_desktop.core.cotravel import CoTravelRequest, Point, beside, occasions, rank

T0 = 1_767_600_000  # a Monday 00:00 in Carson
DAY = 86_400


def test_a_camera_reading_the_target_twice_is_one_occasion() -> None:
    target = [Point(1, "T", 5, T0), Point(2, "T", 5, T0 + 30), Point(3, "T", 6, T0 + 40),
              Point(4, "T", 5, T0 + 600)]
    assert [p.read_id for p in occasions(target, 120)] == [1, 3, 4]


def test_the_closest_read_is_kept_per_occasion_and_the_target_is_not_its_own_companion(
) -> None:
    target = [Point(1, "T", 5, T0)]
    nearby = [Point(1, "T", 5, T0), Point(7, "X", 5, T0 + 100), Point(8, "X", 5, T0 - 10),
              Point(9, "Y", 6, T0), Point(10, "Z", 5, T0 + 121)]
    pairs = beside(target, nearby, 120)
    assert set(pairs) == {"X"}  # Y at another camera, Z outside the tolerance
    assert [o.read_id for _, o in pairs["X"]] == [8]


def test_a_daily_passer_by_weighs_less_than_a_car_seen_only_with_the_target() -> None:
    trips = [T0 + d * DAY + 8 * 3600 for d in (0, 7, 14)]
    target = [Point(i * 10 + cam, "T", cam, t + off) for i, t in enumerate(trips)
              for cam, off in ((1, 0), (2, 300))]
    nearby, history = [], {"CONVOY": [], "DAILY": []}
    for p in target:
        for plate in ("CONVOY", "DAILY"):
            q = Point(1000 + len(nearby), plate, p.camera_id, p.recorded_at + 20)
            nearby.append(q)
            history[plate].append(q)
    for d in range(28):  # the daily one passes both cameras at 08:00 every day
        for cam in (1, 2):
            history["DAILY"].append(Point(5000 + d * 2 + cam, "DAILY", cam,
                                          T0 + d * DAY + 8 * 3600 + 60))
    req = CoTravelRequest("T", T0, T0 + 28 * DAY, include_common=True)
    convoy, daily = rank(beside(target, nearby, 120), history, req)
    assert (convoy.plate, daily.plate) == ("CONVOY", "DAILY")
    assert convoy.occasions == daily.occasions == 6
    assert convoy.score > 2 * daily.score
    assert convoy.share == 1.0 and not convoy.common
    assert daily.common and daily.share < 0.5
