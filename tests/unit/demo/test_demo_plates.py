"""Plate formats, look-alike misreads and the camera list of the demo."""

from __future__ import annotations

import random
import re

from alpr_desktop.core.plates import normalize_plate, ocr_key
from alpr_desktop.demo.cameras import CAMERAS
from alpr_desktop.demo.plates import misread, random_plate

FORMATS = {
    "CA": re.compile(
        r"^([4-9][A-HJ-NPR-Z]{3}\d{3}|[1-9][A-HJ-NPR-Z]\d{5}|[1-9]\d{4}[A-HJ-NPR-Z]\d)$"
    ),
    "AZ": re.compile(r"^[A-Z]{3}\d{4}$"),
    "TX": re.compile(r"^[A-Z]{3}\d{4}$"),
    "WA": re.compile(r"^[A-Z]{3}\d{4}$"),
    "NV": re.compile(r"^(\d{3}[A-Z]\d{2}|\d{2}[A-Z]\d{3})$"),
    "OR": re.compile(r"^(\d{3}[A-Z]{3}|[A-Z]{3}\d{3})$"),
}


def test_plates_follow_their_state_format() -> None:
    rng = random.Random(7)
    plates = [random_plate(rng) for _ in range(5000)]
    states = {p.state for p in plates}
    assert states == set(FORMATS)
    for p in plates:
        assert FORMATS[p.state].match(p.text), p
        assert normalize_plate(p.text) == p.text
    ca = [p for p in plates if p.state == "CA"]
    assert 0.85 < len(ca) / len(plates) < 0.97
    assert 0.02 < sum(p.commercial for p in ca) / len(ca) < 0.12
    assert all(not set("IOQ") & set(p.text) for p in ca)


def test_plates_are_deterministic_per_seed() -> None:
    a = [random_plate(random.Random(3)).text for _ in range(3)]
    b = [random_plate(random.Random(3)).text for _ in range(3)]
    assert a == b
    many = {random_plate(random.Random(s)).text for s in range(50)}
    assert len(many) > 45


def test_misread_swaps_one_character_for_a_look_alike() -> None:
    rng = random.Random(1)
    for _ in range(500):
        truth = random_plate(rng).text
        wrong = misread(truth, rng)
        if wrong is None:
            continue
        diffs = [i for i, (a, b) in enumerate(zip(truth, wrong, strict=True)) if a != b]
        assert len(diffs) == 1
        assert ocr_key(wrong) == ocr_key(truth)  # fuzzy search can find it
    assert misread("AAA", rng) is None


def test_about_forty_cameras_at_carson_intersections() -> None:
    assert 35 <= len(CAMERAS) <= 45
    assert len({c.name for c in CAMERAS}) == len(CAMERAS)
    for c in CAMERAS:
        assert 33.80 < c.latitude < 33.90 and -118.30 < c.longitude < -118.21, c
        assert c.heading in {"NB", "SB", "EB", "WB"}
    locations = " ".join(c.location for c in CAMERAS)
    for street in ("Avalon Blvd & Carson St", "Main St", "Figueroa St", "Wilmington Ave",
                   "Sepulveda Blvd", "Del Amo Blvd", "Victoria St", "University Dr", "223rd St",
                   "Dominguez St", "Torrance Blvd", "Alameda St"):
        assert street in locations
