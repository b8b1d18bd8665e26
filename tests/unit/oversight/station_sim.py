"""Sixty days of simulated station work, built through the services with a test clock (issue
21): an honest crowd, and each misuse pattern the oversight checks must find.

Reusable: ``simulate(path)`` builds the store and returns what was planted, so a test asserts
the report's ranking and wording against it. Seeded: the same seed gives the same log.

The cast (2026-01-05, a Monday, to 2026-03-05, site time America/Los_Angeles):

* adams, baker, chen, diaz: the honest crowd. Weekdays in working hours, one case per plate,
  narratives that describe the vehicle; chen once looks one plate up three times under one case
  in one morning (a legitimate repeat).
* evans: the stalker. Reaches plate 8ABC123 25 times over about 40 days, 20 of them at night
  (22:00-02:00), by exact, wildcard and look-alike searches and image views, under 3 case
  numbers.
* ford: the evasive stalker. Never types 6XYZ789: wildcard and look-alike patterns and image
  views only, mostly at night.
* garcia: one case number recycled for 12 unrelated plates over a month.
* hill: one narrative, lightly edited, under new case numbers for 8 unrelated plates.
* irwin: fishing. Broad patterns, description and location searches, patterns refused as too
  broad, a search without a purpose, a lockout. Pages through results (pages are not look-ups).
* jones: weekend-only use, honest purposes.
* vendor: the contractor, under written permission WP-2026-014 for December 2025 data; one
  search before that window (refused).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from alpr_desktop.core.access_errors import AccessError
from alpr_desktop.core.accounts import AccessContext, Account
from alpr_desktop.core.audit_filters import AuditFilter
from alpr_desktop.core.clock import SITE_ZONE, FixedClock
from alpr_desktop.core.models import Camera, ImageBlob, NewRead
from alpr_desktop.core.oversight import OversightResult
from alpr_desktop.core.patterns import PatternError
from alpr_desktop.core.purposes import PurposeInput
from alpr_desktop.core.roles import Role
from alpr_desktop.core.search import Filters, SearchQuery
from alpr_desktop.security import passwords
from alpr_desktop.services.audit_service import AuditService, ReportResult
from alpr_desktop.services.auth import AuthService, BadCredentials
from alpr_desktop.services.images import ImageService
from alpr_desktop.services.permissions import PermissionService
from alpr_desktop.services.purposes import PurposeService
from alpr_desktop.services.search import SearchService
from alpr_desktop.storage import Store, create_store
from alpr_desktop.storage.accounts import AccountRepo
from alpr_desktop.storage.reads import CameraRepo, ImageRepo, ReadRepo
from alpr_desktop.storage.training import TrainingRepo

START = datetime(2026, 1, 5, tzinfo=SITE_ZONE)  # a Monday
DAYS = 60
PASSWORD = "Station-Sim-Passw0rd-Q7"
HONEST = ("adams", "baker", "chen", "diaz")
STALKER, EVASIVE, RECYCLER, COPIER, FISHER, WEEKENDER = (
    "evans", "ford", "garcia", "hill", "irwin", "jones")
STALKED, STALKED_2 = "8ABC123", "6XYZ789"
RECYCLED_CASE = "CR-26-000777"
PERMISSION = "WP-2026-014"
DEC1 = int(datetime(2025, 12, 1, tzinfo=SITE_ZONE).timestamp())
DEC31 = int(datetime(2025, 12, 31, 23, 59, tzinfo=SITE_ZONE).timestamp())

MAKES = (("Honda", "Civic"), ("Toyota", "Camry"), ("Ford", "F150"), ("Nissan", "Altima"),
         ("Chevrolet", "Malibu"), ("Tesla", "Model3"), ("Kia", "Soul"), ("Dodge", "Charger"),
         ("Subaru", "Outback"), ("Hyundai", "Elantra"), ("Jeep", "Wrangler"), ("BMW", "X5"))
COLORS = ("silver", "white", "black", "grey", "red", "blue", "green", "gold")
PLACES = ("Avalon Blvd and 223rd St", "the Carson Mall lot", "Main St near Victoria St",
          "Dominguez Hills campus", "Figueroa St at 190th", "the Del Amo Blvd shops",
          "Wilmington Ave near Sepulveda", "the Carson Civic Center lot",
          "University Dr by the stadium", "Central Ave and 213th St")

# Each honest officer writes in their own way (the rules refuse copying another user's text).
HONEST_TEMPLATES = {
    "adams": ("A {color} {make} {model} was seen leaving a residential burglary at {place} on "
              "{day}; the homeowner gave the partial plate. Seeking the vehicle's route and "
              "registered owner.", "Burglary"),
    "baker": ("Witnesses to the armed robbery of a pharmacy near {place} on {day} described "
              "the getaway car as a {color} {make} {model}. Need its camera hits that evening.",
              "Robbery"),
    "chen": ("Stolen vehicle report: {color} {make} {model} taken from {place} overnight "
             "before {day}. Locate recent reads to recover it.", "Vehicle theft"),
    "diaz": ("Hit and run injuring a cyclist at {place} on {day}; the fleeing {make} {model} "
             "({color}) should show damage on the front. Identify the driver.", "Hit and run"),
}
WEEKEND_TEMPLATE = ("Weekend patrol follow-up: catalytic converter theft reported at {place} "
                    "on {day}; a {color} {make} {model} was seen circling the lot. Find where "
                    "it went next.", "Theft")
COPIER_TEXT = ("Suspicious vehicle loitering near closed businesses at night, possible "
               "casing for commercial burglaries in the area; identify the registered owner "
               "and any associates for follow-up{tail}")
RECYCLED_TEXT = ("Ongoing series of tool thefts from construction sites across the city since "
                 "November; identify vehicles seen near the sites at odd hours.")
STALKER_TEXTS = (
    ("Vandalism to a parked car on Avalon Blvd on the night of January 6, tires slashed; a "
     "neighbor saw this vehicle nearby. Identify the registered owner.", "CR-26-001101",
     "Vandalism"),
    ("Hit and run at Carson St and Main St on January 9, a pedestrian was struck; this car may "
     "have witnessed it. Need its movements to contact the driver.", "CR-26-001245",
     "Hit and run"),
    ("A prowler tried car doors near Dolphin Park after dark on January 14, attempted vehicle "
     "burglary; confirm whether this car belongs to a resident.", "CR-26-001390", "Burglary"),
)
EVASIVE_TEXTS = (
    ("Vandalism to parked cars on Main St overnight; a car matching a witness sketch was "
     "seen; review the cameras for plates near the scene.", "CR-26-002201", "Vandalism"),
    ("Shots fired call near 220th St, vehicle leaving fast; check look-alike reads of a "
     "partial plate from a bystander video.", "CR-26-002307", "Shooting / firearm offense"),
)


@dataclass
class Simulation:
    """The built store and what was planted in it."""

    path: Path
    key: bytes
    store: Store
    clock: FixedClock
    plates: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # plate -> vehicle
    honest_plates: set[str] = field(default_factory=set)
    legit_repeat_plate: str = ""
    recycled_plates: list[str] = field(default_factory=list)
    copier_plates: list[str] = field(default_factory=list)
    refused_outside: int = 0

    def ctx(self, username: str) -> AccessContext:
        auth = AuthService(self.store, self.clock)
        return auth.context(auth.sign_in(username, PASSWORD))

    def report(self, out: Path, flt: AuditFilter | None = None) -> ReportResult:
        return AuditService(self.store, self.clock).build_report(
            self.ctx("keeper"), out, flt or AuditFilter())


def _at(day: int, hour: int, minute: int = 0) -> int:
    local = START + timedelta(days=day, hours=hour, minutes=minute)
    return int(local.timestamp() * 1000)


class _Builder:
    def __init__(self, sim: Simulation, rnd: random.Random, page_size: int = 50,
                 count_later: bool = False) -> None:
        self.sim = sim
        self.rnd = rnd
        self.page_size = page_size
        self.count_later = count_later  # first pages without counts, then the count
        self.store = sim.store
        self.clock = sim.clock
        self.auth = AuthService(self.store, self.clock)
        self.purposes = PurposeService(self.store, self.clock)
        self.search = SearchService(self.store, self.clock)
        self.images = ImageService(self.store, self.clock)
        self.read_ids: dict[str, list[int]] = {}
        self.case_seq = 100
        self.episodes: list[tuple[int, int, Callable[[], None]]] = []

    # -- setup ---------------------------------------------------------------------------------
    def people(self) -> None:
        repo = AccountRepo(self.store)
        people = [
            Account(None, "root", "Robin Root", "City of Carson IT", roles=frozenset({Role.ADMIN})),
            Account(None, "keeper", "Kim Keeper", "City of Carson",
                    roles=frozenset({Role.CUSTODIAN})),
            Account(None, "vendor", "Val Vendor", "Acme ALPR Services",
                    roles=frozenset({Role.CONTRACTOR})),
        ]
        names = (*HONEST, STALKER, EVASIVE, RECYCLER, COPIER, FISHER, WEEKENDER)
        for i, name in enumerate(names):
            people.append(Account(None, name, f"{name.capitalize()} Deputy",
                                  "LASD Carson Station", badge_number=str(4400 + i), sworn=True,
                                  roles=frozenset({Role.ANALYST})))
        hashed = passwords.hash_password(PASSWORD)
        now = self.clock.now_ms()
        with self.store.transaction():
            added = [repo.add(person, hashed, now) for person in people]
        # Every deputy has confirmed policy training (issue 17): the station's misuse is what
        # the checks must find, not a training refusal.
        training = TrainingRepo(self.store)
        root, keeper = added[0], added[1]
        for person in added[3:]:
            att = training.add(person.id or 0, now, "Carson ALPR policy", root.id or 0, now)
            training.confirm(att.id, keeper.id or 0, now)

    def reads(self) -> None:
        cams = CameraRepo(self.store)
        cam_ids = [cams.add(Camera(None, f"Cam {i}", p)) for i, p in enumerate(PLACES)]
        self.cams = cam_ids
        plates: dict[str, tuple[str, str, str]] = {}

        def plate(text: str) -> str:
            make, model = self.rnd.choice(MAKES)
            plates[text] = (self.rnd.choice(COLORS), make, model)
            return text

        plate(STALKED)
        plates[STALKED] = ("blue", "Toyota", "Prius")
        plate("8ABC128")  # a neighbour: wildcard 8ABC12? finds two plates
        plate(STALKED_2)
        plates[STALKED_2] = ("red", "Mazda", "Mazda3")
        plate("6XYZ788")
        for i in range(150):  # the crowd's plates: 5 digits, unique
            plate(f"5{chr(65 + i % 26)}{chr(65 + (i // 26) % 26)}{i:04d}")
        for i in range(40):  # a block of 7K plates for the fisher's broad patterns
            p = plate(f"7K{chr(65 + i % 26)}{i:03d}")
            if i % 2 == 0:
                plates[p] = ("white", "Honda", "Accord")
        new: list[NewRead] = []
        for text, (color, make, model) in plates.items():
            for k in range(3):
                t = DEC1 + self.rnd.randrange(0, DEC31 - DEC1)
                cam = cam_ids[0] if text.startswith("7K") and k == 0 else \
                    self.rnd.choice(cam_ids)
                new.append(NewRead(text, t, cam, state="CA", make=make, model=model,
                                   color=color.capitalize(), confidence=0.9))
        ids = ReadRepo(self.store).insert_many(new)
        blobs = []
        for r, rid in zip(new, ids, strict=True):
            self.read_ids.setdefault(r.plate, []).append(rid)
            for kind in ("crop", "overview"):
                data = f"{kind}-{rid}".encode()
                blobs.append(ImageBlob(rid, kind, "jpeg", data,
                                       hashlib.sha256(data).hexdigest()))
        ImageRepo(self.store).put_many(blobs)
        self.sim.plates = plates

    # -- acting --------------------------------------------------------------------------------
    def at(self, day: int, hour: int, minute: int, fn: Callable[[], None]) -> None:
        self.episodes.append((_at(day, hour, minute), len(self.episodes), fn))

    def case(self, prefix: str = "CR-26") -> str:
        self.case_seq += 1
        return f"{prefix}-{self.case_seq:06d}"

    def session(self, user: str, narrative: str, case: str, offense: str) -> AccessContext:
        ctx = self.auth.context(self.auth.sign_in(user, PASSWORD))
        self.purposes.declare(ctx, PurposeInput(
            "criminal_investigation", offense, case, narrative, acknowledged=True))
        return self.auth.context(ctx.session)

    def tick(self, minutes: float = 2) -> None:
        self.clock.advance(minutes * 60)

    def find(self, ctx: AccessContext, text: str, mode: str = "auto",
             filters: Filters | None = None, pages: int = 1) -> None:
        q = SearchQuery(text, mode, filters or Filters(), self.page_size)
        page = self.search.search(ctx, q, count=not self.count_later)
        if page.total is None and page.next_cursor is not None:  # as the search view asks
            self.search.count(ctx, q, page.next_cursor)
        for _ in range(pages - 1):
            if page.next_cursor is None:
                break
            self.tick(1)
            page = self.search.search(ctx, q, page.next_cursor)
        self.tick()

    def view(self, ctx: AccessContext, plate: str) -> None:
        self.images.open_read_images(ctx, self.read_ids[plate][0])
        self.tick()

    def describe(self, template: str, plate: str, day: int) -> str:
        color, make, model = self.sim.plates[plate]
        date = (START + timedelta(days=day - 1)).strftime("%B %d")
        return template.format(color=color, make=make, model=model,
                               place=self.rnd.choice(PLACES), day=date)

    # -- the cast ------------------------------------------------------------------------------
    def honest(self) -> None:
        crowd = [p for p in self.sim.plates if p.startswith("5")]
        self.rnd.shuffle(crowd)
        for n, user in enumerate(HONEST):
            template, offense = HONEST_TEMPLATES[user]
            for day in range(n % 2, DAYS, 2):
                if (START + timedelta(days=day)).weekday() >= 5:
                    continue
                plate = crowd.pop()
                self.sim.honest_plates.add(plate)
                hour = 8 + self.rnd.randrange(0, 8)

                def work(user: str = user, plate: str = plate, day: int = day,
                         template: str = template, offense: str = offense) -> None:
                    ctx = self.session(user, self.describe(template, plate, day), self.case(),
                                       offense)
                    self.find(ctx, plate)
                    self.view(ctx, plate)

                self.at(day, hour, self.rnd.randrange(60), work)
        plate = crowd.pop()
        self.sim.honest_plates.add(plate)
        self.sim.legit_repeat_plate = plate

        def repeat() -> None:  # three look-ups of one plate under one case, one morning
            template, offense = HONEST_TEMPLATES["chen"]
            ctx = self.session("chen", self.describe(template, plate, 10), self.case(), offense)
            self.find(ctx, plate)
            self.view(ctx, plate)
            self.tick(10)
            self.find(ctx, plate)

        self.at(10, 9, 5, repeat)
        self.crowd = crowd

    def stalker(self) -> None:
        ways = ["exact", "exact", "wild", "fuzzy", "image"] * 5
        self.rnd.shuffle(ways)
        nights = set(self.rnd.sample(range(25), 20))
        for i, way in enumerate(ways):
            day = 3 + (i * 40) // 25
            hour, minute = ((22 + self.rnd.randrange(4)) % 24, self.rnd.randrange(60)) \
                if i in nights else (10 + self.rnd.randrange(6), self.rnd.randrange(60))
            if i in nights and hour < 22:
                day += 1  # after midnight: the next calendar day
            text, case, offense = STALKER_TEXTS[i % 3]

            def act(way: str = way, text: str = text, case: str = case,
                    offense: str = offense) -> None:
                ctx = self.session(STALKER, text, case, offense)
                if way == "exact":
                    self.find(ctx, STALKED)
                elif way == "wild":
                    self.find(ctx, "8ABC12?")
                elif way == "fuzzy":
                    self.find(ctx, "8A8C123", "fuzzy")
                else:
                    self.view(ctx, STALKED)

            self.at(day, hour, minute, act)

    def evasive(self) -> None:
        for i in range(12):
            day = 5 + i * 4
            night = i % 4 != 0
            hour = 23 if night else 11
            text, case, offense = EVASIVE_TEXTS[i % 2]
            way = ("wild", "fuzzy", "image")[i % 3]

            def act(way: str = way, text: str = text, case: str = case,
                    offense: str = offense) -> None:
                ctx = self.session(EVASIVE, text, case, offense)
                if way == "wild":
                    self.find(ctx, "6XYZ78*")
                elif way == "fuzzy":
                    self.find(ctx, "6XY2789", "fuzzy")
                else:
                    self.view(ctx, STALKED_2)

            self.at(day, hour, 20, act)

    def recycler(self) -> None:
        plates = [self.crowd.pop() for _ in range(12)]
        self.sim.recycled_plates = plates
        for i, plate in enumerate(plates):
            day = 8 + i * 2 + (1 if (START + timedelta(days=8 + i * 2)).weekday() >= 5 else 0)
            while (START + timedelta(days=day)).weekday() >= 5:
                day += 1

            def act(plate: str = plate) -> None:
                ctx = self.session(RECYCLER, RECYCLED_TEXT, RECYCLED_CASE, "Theft")
                self.find(ctx, plate)

            self.at(day, 14, 10, act)

    def copier(self) -> None:
        plates = [self.crowd.pop() for _ in range(8)]
        self.sim.copier_plates = plates
        tails = (".", "!", " in the area.", ".", " soon.", ".", " asap.", ".")
        for i, plate in enumerate(plates):
            day = 12 + i * 5
            while (START + timedelta(days=day)).weekday() >= 5:
                day += 1

            def act(plate: str = plate, tail: str = tails[i]) -> None:
                ctx = self.session(COPIER, COPIER_TEXT.format(tail=tail), self.case("CR-26"),
                                   "Burglary")
                self.find(ctx, plate)

            self.at(day, 15, 40, act)

    def fisher(self) -> None:
        text = ("Series of catalytic converter thefts around {place}; the suspects drive a "
                "white Honda seen on several cameras. Find candidate vehicles.")
        for i in range(6):
            day = 15 + i * 6
            while (START + timedelta(days=day)).weekday() >= 5:
                day += 1

            def act(i: int = i) -> None:
                ctx = self.session(FISHER, text.format(place=PLACES[i]), self.case(), "Theft")
                self.find(ctx, "7K*", pages=3)  # pages are not look-ups
                self.find(ctx, "7K*", filters=Filters(makes=("Honda",)))
                self.find(ctx, "7K*", filters=Filters(camera_ids=(self.cams[0],)))
                try:
                    self.search.search(ctx, SearchQuery("7*"))
                except PatternError:
                    self.tick()

            self.at(day, 13, 0, act)

        def no_purpose() -> None:
            ctx = self.auth.context(self.auth.sign_in(FISHER, PASSWORD))
            try:
                self.search.search(ctx, SearchQuery("7KA000"))
            except AccessError:
                self.tick()
            for _ in range(5):
                try:
                    self.auth.sign_in(FISHER, "wrong-password-typed")
                except (BadCredentials, AccessError):
                    self.tick(0.2)
            self.tick(15)

        self.at(20, 16, 0, no_purpose)

    def weekender(self) -> None:
        template, offense = WEEKEND_TEMPLATE
        days = [d for d in range(DAYS) if (START + timedelta(days=d)).weekday() >= 5][:10]
        for day in days:
            plate = self.crowd.pop()

            def act(plate: str = plate, day: int = day) -> None:
                ctx = self.session(WEEKENDER, self.describe(template, plate, day), self.case(),
                                   offense)
                self.find(ctx, plate)

            self.at(day, 11, 0, act)

    def contractor(self) -> None:
        def grant() -> None:
            keeper = self.auth.context(self.auth.sign_in("keeper", PASSWORD))
            PermissionService(self.store, self.clock).record(
                keeper, reference=PERMISSION, contractor_username="vendor",
                purpose="Verify camera 3 plate reads against the vendor's service ticket",
                data_from=DEC1, data_to=DEC31,
                expires_ms=self.clock.now_ms() + 30 * 86_400_000)

        def use() -> None:
            ctx = self.session(
                "vendor", "Camera 3 misread plates after a lens swap on December 12 at Avalon "
                "Blvd and missed a stolen Honda Civic; compare its reads to the ticket photos.",
                self.case(), "Vehicle theft")
            self.find(ctx, "5AA0000", filters=Filters(since=DEC1, until=DEC31))
            try:  # before the window: refused, not answered with 0 rows
                self.search.search(ctx, SearchQuery(
                    "5AA0000", filters=Filters(since=DEC1 - 30 * 86_400, until=DEC1 - 86_400)))
            except AccessError:
                self.sim.refused_outside += 1
            self.tick()

        self.at(25, 9, 0, grant)
        self.at(25, 10, 0, use)

    def run(self) -> None:
        for ms, _, fn in sorted(self.episodes, key=lambda x: (x[0], x[1])):
            self.clock.ms = max(self.clock.ms, ms)
            fn()


def simulate(path: Path, seed: int = 21, *, page_size: int = 50,
             count_later: bool = False) -> Simulation:
    """Build the 60-day store at ``path`` (a new file) and return what was planted.
    ``count_later``: searches ask for their first page without counts and then for the count
    (two entries, as the search view logs them) instead of one counting first page."""
    key = os.urandom(32)
    store = create_store(path, key)
    clock = FixedClock(_at(-1, 12))
    sim = Simulation(path, key, store, clock)
    b = _Builder(sim, random.Random(seed), page_size, count_later)
    b.people()
    b.reads()
    b.honest()
    b.stalker()
    b.evasive()
    b.recycler()
    b.copier()
    b.fisher()
    b.weekender()
    b.contractor()
    b.run()
    clock.ms = _at(DAYS, 12)
    return sim


def everything(result: OversightResult) -> list[object]:
    """All the report and the audit view print of the findings, with every entry and time,
    and the summary's counts: what two ways of computing them must agree on."""
    return [
        [(r.username, r.line, round(r.score, 6),
          [(f.key, f.sentence, f.seqs, f.times, f.explained) for f in r.findings])
         for r in result.ranking],
        [(f.code, f.title, f.explanation,
          [(i.subject, i.note, i.seqs, i.times, i.key, i.reviewed) for i in f.items])
         for f in result.flags],
        [(f.key, f.sentence, f.seqs) for f in result.explained],
        dataclasses.asdict(result.summary),
        result.last_seq,
    ]
