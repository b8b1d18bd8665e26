"""Vehicle descriptions for demo reads: make, model, body type and colour.

The mix leans on what is common on Los Angeles County roads, so filters by make or colour return
believable counts. Each plate keeps one vehicle for all its reads, as a real car would.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

# Body types; render.py draws each one with its own outline.
SEDAN, SUV, PICKUP, VAN, HATCHBACK, COUPE, MINIVAN, TRUCK = (
    "Sedan", "SUV", "Pickup", "Van", "Hatchback", "Coupe", "Minivan", "Box truck",
)
BODY_TYPES = (SEDAN, SUV, PICKUP, VAN, HATCHBACK, COUPE, MINIVAN, TRUCK)

# (make, model, body type, weight)
MODELS: tuple[tuple[str, str, str, float], ...] = (
    ("Toyota", "Camry", SEDAN, 6.0), ("Toyota", "Corolla", SEDAN, 6.0),
    ("Toyota", "RAV4", SUV, 5.0), ("Toyota", "Tacoma", PICKUP, 3.0),
    ("Toyota", "Prius", HATCHBACK, 2.5), ("Toyota", "Sienna", MINIVAN, 1.5),
    ("Toyota", "Highlander", SUV, 2.0), ("Honda", "Civic", SEDAN, 6.0),
    ("Honda", "Accord", SEDAN, 5.0), ("Honda", "CR-V", SUV, 4.0),
    ("Honda", "Odyssey", MINIVAN, 1.5), ("Honda", "Pilot", SUV, 1.2),
    ("Nissan", "Altima", SEDAN, 3.5), ("Nissan", "Sentra", SEDAN, 3.0),
    ("Nissan", "Rogue", SUV, 2.5), ("Nissan", "Frontier", PICKUP, 1.0),
    ("Ford", "F-150", PICKUP, 4.0), ("Ford", "Explorer", SUV, 2.0),
    ("Ford", "Mustang", COUPE, 1.5), ("Ford", "Transit", VAN, 1.5),
    ("Ford", "Escape", SUV, 1.5), ("Chevrolet", "Silverado", PICKUP, 3.0),
    ("Chevrolet", "Malibu", SEDAN, 2.0), ("Chevrolet", "Equinox", SUV, 2.0),
    ("Chevrolet", "Express", VAN, 1.0), ("Tesla", "Model 3", SEDAN, 3.5),
    ("Tesla", "Model Y", SUV, 4.0), ("Hyundai", "Elantra", SEDAN, 2.5),
    ("Hyundai", "Tucson", SUV, 2.0), ("Kia", "Forte", SEDAN, 1.8),
    ("Kia", "Sportage", SUV, 1.5), ("BMW", "3 Series", SEDAN, 1.8),
    ("BMW", "X5", SUV, 1.0), ("Mercedes-Benz", "C-Class", SEDAN, 1.5),
    ("Mercedes-Benz", "Sprinter", VAN, 0.8), ("Lexus", "RX", SUV, 1.3),
    ("Lexus", "ES", SEDAN, 1.0), ("Jeep", "Wrangler", SUV, 1.2),
    ("Jeep", "Grand Cherokee", SUV, 1.2), ("Ram", "1500", PICKUP, 1.8),
    ("GMC", "Sierra", PICKUP, 1.2), ("Subaru", "Outback", SUV, 0.8),
    ("Mazda", "CX-5", SUV, 1.2), ("Mazda", "Mazda3", HATCHBACK, 1.0),
    ("Volkswagen", "Jetta", SEDAN, 1.0), ("Dodge", "Charger", SEDAN, 1.0),
    ("Chrysler", "Pacifica", MINIVAN, 0.8), ("Isuzu", "NPR", TRUCK, 0.4),
)
# Commercial plates mostly sit on work vehicles.
COMMERCIAL_MODELS: tuple[tuple[str, str, str, float], ...] = (
    ("Ford", "F-250", PICKUP, 3.0), ("Ford", "Transit", VAN, 3.0),
    ("Chevrolet", "Express", VAN, 2.0), ("Ram", "ProMaster", VAN, 1.5),
    ("Mercedes-Benz", "Sprinter", VAN, 2.0), ("Isuzu", "NPR", TRUCK, 2.0),
    ("Hino", "195", TRUCK, 1.0), ("Chevrolet", "Silverado 2500", PICKUP, 1.5),
    ("Toyota", "Tacoma", PICKUP, 1.0),
)

# (colour name, BGR for rendering, weight)
COLORS: tuple[tuple[str, tuple[int, int, int], float], ...] = (
    ("White", (236, 238, 240), 24.0), ("Black", (28, 28, 30), 20.0),
    ("Gray", (118, 118, 114), 16.0), ("Silver", (186, 186, 180), 12.0),
    ("Blue", (150, 70, 30), 9.0), ("Red", (40, 35, 175), 9.0),
    ("Brown", (45, 70, 105), 2.5), ("Beige", (160, 190, 205), 2.0),
    ("Green", (60, 100, 40), 2.0), ("Gold", (70, 160, 200), 1.0),
    ("Orange", (20, 110, 230), 1.0), ("Yellow", (40, 200, 235), 0.8),
)
COLOR_BGR: dict[str, tuple[int, int, int]] = {name: bgr for name, bgr, _ in COLORS}


@dataclass(frozen=True)
class Vehicle:
    make: str
    model: str
    body_type: str
    color: str


def random_vehicle(rng: random.Random, commercial: bool = False) -> Vehicle:
    table = COMMERCIAL_MODELS if commercial else MODELS
    make, model, body, _ = rng.choices(table, weights=[m[3] for m in table])[0]
    color = rng.choices([c[0] for c in COLORS], weights=[c[2] for c in COLORS])[0]
    if commercial and rng.random() < 0.6:
        color = "White"  # fleet vans and trucks are mostly white
    return Vehicle(make, model, body, color)
