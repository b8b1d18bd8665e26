"""Oversight reviews (uow.oversight_reviews) and the oversight look-ups in the reads
(uow.oversight_queries)."""

from __future__ import annotations

from dataclasses import replace

from alpr_desktop.core.models import NewRead
from alpr_desktop.core.oversight import Review
from alpr_desktop.core.oversight_config import OversightConfig
from alpr_desktop.storage.oversight import oversight_config, set_oversight_config
from alpr_desktop.storage.unit_of_work import UnitOfWork


def test_the_newest_review_of_each_finding_counts(store: UnitOfWork) -> None:
    repo = store.oversight_reviews
    assert repo.latest() == {}
    with store.transaction():
        repo.add(Review("night:officer", "keeper", 1_000, "first look", 10))
        repo.add(Review("volume:officer", "keeper", 1_500, "fine", 12))
        repo.add(Review("night:officer", "keeper", 2_000, "looked again", 20))
    latest = repo.latest()
    assert set(latest) == {"night:officer", "volume:officer"}
    assert latest["night:officer"] == Review("night:officer", "keeper", 2_000, "looked again",
                                             20)


def test_plate_names_and_vehicle_words(store: UnitOfWork, camera_id: int) -> None:
    store.reads.insert_many([
        NewRead("7ABC123", 1_700_000_000, camera_id, make="TOYOTA", model="CAMRY LE"),
        NewRead("7ABC123", 1_700_000_060, camera_id, make="TOYOTA", model="CAMRY"),
        NewRead("8XYZ999", 1_700_000_120, camera_id, make="FORD", model="F"),
    ])
    words = store.oversight_queries.vehicle_words(["7ABC123", "8XYZ999", "NOSUCH1"])
    assert words == {"7ABC123": frozenset({"TOYOTA", "CAMRY", "LE"}),
                     "8XYZ999": frozenset({"FORD"})}  # one-letter words say nothing
    # Plate ids are the store's own; every id it answers names a plate that was read.
    names = store.oversight_queries.plate_names(range(1, 1_000))
    assert sorted(names.values()) == ["7ABC123", "8XYZ999"]
    assert store.oversight_queries.plate_names([10**9]) == {}


def test_the_checks_settings_round_trip_through_the_settings(store: UnitOfWork) -> None:
    assert oversight_config(store) == OversightConfig()
    changed = replace(OversightConfig(), repeat_threshold=5, volume_minimum=80)
    set_oversight_config(store, changed)
    assert oversight_config(store) == changed
