"""Search finds a corrected read through the corrections in force that name a resolved plate,
and reads only those (issue 20: every correction in force and its read were read on every
search: 34 ms an exact search at 10,000 corrections). A few plates are probed one by one in
the partial index, a broad pattern's many in one pass over it: both ways give the same rows."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from access_helpers import World, seed_reads

from alpr_desktop.core.accounts import AccessContext
from alpr_desktop.core.corrections import CorrectionInput
from alpr_desktop.core.patterns import MatchKind, Mode
from alpr_desktop.core.search import SearchQuery
from alpr_desktop.services.corrections import CorrectionService
from alpr_desktop.services.search import SearchService
from alpr_desktop.storage import corrections as corrections_mod
from alpr_desktop.storage.corrections import CorrectionQueries

REASON = "The overview shows an 8 where the reader saw a 3; checked at full size."
# (PROBE_MAX_PLATES, PASS_PLATES_PER_CORRECTION): probe a few plates; probe after counting;
# one pass over the corrections in force.
WAYS = {"probe": (256, 2), "probe after counting": (0, 1000), "one pass": (0, 0)}


@dataclass
class Corrected:
    """The seeded reads, an analyst's context and the correction service, one way set."""

    world: World
    way: str
    ids: list[int]
    ctx: AccessContext
    svc: CorrectionService

    def fix(self, index: int, plate: str) -> None:
        self.svc.correct(self.ctx, _fix(self.ids[index], plate))

    def rows(self, text: str, mode: Mode = Mode.EXACT) -> list[tuple[int, MatchKind]]:
        page = SearchService(self.world.store, self.world.clock).search(
            self.ctx, SearchQuery(text, mode))
        return [(r.read.id, r.kind) for r in page.rows]


@pytest.fixture(params=list(WAYS))
def c(world: World, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
      ) -> Corrected:
    probe_max, per_correction = WAYS[request.param]
    monkeypatch.setattr(corrections_mod, "PROBE_MAX_PLATES", probe_max)
    monkeypatch.setattr(corrections_mod, "PASS_PLATES_PER_CORRECTION", per_correction)
    ids = seed_reads(world.store)
    return Corrected(world, request.param, ids, world.with_purpose("officer"),
                     CorrectionService(world.store, world.clock))


def _fix(read_id: int, plate: str) -> CorrectionInput:
    return CorrectionInput(read_id, REASON, "overview", plate=plate)


def test_each_corrected_read_is_found_by_its_corrected_plate_only(c: Corrected) -> None:
    ids = c.ids
    c.fix(0, "7ABC128")
    c.fix(3, "5QRS777")  # another read, another plate
    c.fix(1, "5QRS778")
    assert c.rows("7ABC128") == [(ids[0], MatchKind.CORRECTED)]
    assert c.rows("5QRS777") == [(ids[3], MatchKind.CORRECTED)]
    assert [r for r in c.rows("5QRS77?", Mode.WILDCARD)
            if r[1] is MatchKind.CORRECTED] == [(ids[1], MatchKind.CORRECTED),
                                                (ids[3], MatchKind.CORRECTED)]
    # the read's own plate lists it in its own tier, not again as corrected
    own = c.rows("7ABC1??", Mode.WILDCARD)
    assert [rid for rid, _ in own].count(ids[0]) == 1
    assert (ids[0], MatchKind.WILDCARD) in own


def test_a_reverted_correction_is_not_found_either_way(c: Corrected) -> None:
    c.fix(0, "7ABC128")
    c.svc.revert(c.ctx, c.ids[0], "The second look at the overview shows a 3 after all.")
    assert c.rows("7ABC128") == []
    assert c.rows("7ABC12?", Mode.WILDCARD) == [
        (rid, MatchKind.WILDCARD) for rid in sorted(c.ids[:3], reverse=True)]


def test_only_the_corrections_naming_the_plates_asked_for_come_back(
    c: Corrected, monkeypatch: pytest.MonkeyPatch,
) -> None:
    world, ids = c.world, c.ids
    c.fix(0, "7ABC128")
    c.fix(3, "5QRS777")
    plate_of = {p: world.store.scalar("SELECT id FROM plates WHERE plate_norm = ?", (p,))
                for p in ("7ABC128", "5QRS777", "7ABC123")}
    q = CorrectionQueries(world.store)
    passes: list[int] = []
    real_pass = CorrectionQueries._named_by_pass

    def counted(self: CorrectionQueries, ids: object) -> object:
        passes.append(1)
        return real_pass(self, ids)  # type: ignore[arg-type]

    monkeypatch.setattr(CorrectionQueries, "_named_by_pass", counted)
    assert q.in_force_plates(set()) == []
    assert q.in_force_plates({plate_of["7ABC123"]}) == []
    assert q.in_force_plates({plate_of["7ABC128"]}) == [
        (ids[0], plate_of["7ABC128"], plate_of["7ABC123"], "7ABC128")]
    both = q.in_force_plates({plate_of["7ABC128"], plate_of["5QRS777"]})
    assert sorted(both) == sorted([
        (ids[0], plate_of["7ABC128"], plate_of["7ABC123"], "7ABC128"),
        (ids[3], plate_of["5QRS777"], world.store.scalar(
            "SELECT plate_id FROM reads WHERE id = ?", (ids[3],)), "5QRS777")])
    assert bool(passes) == (c.way == "one pass")  # the way asked for was taken


def test_corrections_found_by_the_text_of_their_plate(c: Corrected) -> None:
    """A page from the recent reads' postings does not read its pattern's plates: it finds
    the corrections in force by the corrected plate's text (migration 0029's index), and
    leaves out a read whose own plate matches too, and a reverted correction."""
    world, ids = c.world, c.ids
    c.fix(0, "7ABC128")  # its own plate, 7ABC123, matches 7ABC1* too
    c.fix(3, "7ABC199")
    c.fix(1, "7ABC177")
    c.svc.revert(c.ctx, ids[1], "The second look at the overview shows a 3 after all.")
    q = CorrectionQueries(world.store)

    def plate_id(p: str) -> int:
        return int(world.store.scalar("SELECT id FROM plates WHERE plate_norm = ?", (p,)))

    own = int(world.store.scalar("SELECT plate_id FROM reads WHERE id = ?", (ids[3],)))
    assert q.in_force_matching("7ABC1*") == [(ids[3], plate_id("7ABC199"), own, "7ABC199")]
    assert q.in_force_matching("*BC19*") == q.in_force_matching("7ABC1*")
    assert q.in_force_matching("7ABC12?") == []  # read 0's own plate matches: found as itself
    assert q.in_force_matching("7ABC17?") == []  # reverted
    sql = world.store.query("SELECT sql FROM sqlite_master WHERE name = "
                            "'read_corrections_text'")
    assert sql and "ended_ms IS NULL" in sql[0][0]
