"""Search finds a corrected read through the corrections in force that name a resolved plate,
and reads only those (issue 20: every correction in force and its read were read on every
search, 29 ms an exact search at 10,000 corrections). A few plates are probed one by one in
the partial index, a broad pattern's many in one pass over it: both ways give the same rows."""

from __future__ import annotations

import pytest
from access_helpers import World, seed_reads

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


def _way(monkeypatch: pytest.MonkeyPatch, way: str) -> None:
    probe_max, per_correction = WAYS[way]
    monkeypatch.setattr(corrections_mod, "PROBE_MAX_PLATES", probe_max)
    monkeypatch.setattr(corrections_mod, "PASS_PLATES_PER_CORRECTION", per_correction)


def _fix(read_id: int, plate: str) -> CorrectionInput:
    return CorrectionInput(read_id, REASON, "overview", plate=plate)


def _rows(world: World, ctx: object, text: str, mode: Mode = Mode.EXACT
          ) -> list[tuple[int, MatchKind]]:
    page = SearchService(world.store, world.clock).search(ctx, SearchQuery(text, mode))
    return [(r.read.id, r.kind) for r in page.rows]


@pytest.mark.parametrize("way", list(WAYS))
def test_each_corrected_read_is_found_by_its_corrected_plate_only(
    world: World, monkeypatch: pytest.MonkeyPatch, way: str,
) -> None:
    _way(monkeypatch, way)
    ids = seed_reads(world.store)
    ctx = world.with_purpose("officer")
    svc = CorrectionService(world.store, world.clock)
    svc.correct(ctx, _fix(ids[0], "7ABC128"))
    svc.correct(ctx, _fix(ids[3], "5QRS777"))  # another read, another plate
    svc.correct(ctx, _fix(ids[1], "5QRS778"))
    assert _rows(world, ctx, "7ABC128") == [(ids[0], MatchKind.CORRECTED)]
    assert _rows(world, ctx, "5QRS777") == [(ids[3], MatchKind.CORRECTED)]
    assert [r for r in _rows(world, ctx, "5QRS77?", Mode.WILDCARD)
            if r[1] is MatchKind.CORRECTED] == [(ids[1], MatchKind.CORRECTED),
                                                (ids[3], MatchKind.CORRECTED)]
    # the read's own plate lists it in its own tier, not again as corrected
    own = _rows(world, ctx, "7ABC1??", Mode.WILDCARD)
    assert [rid for rid, _ in own].count(ids[0]) == 1
    assert (ids[0], MatchKind.WILDCARD) in own


@pytest.mark.parametrize("way", list(WAYS))
def test_a_reverted_correction_is_not_found_either_way(
    world: World, monkeypatch: pytest.MonkeyPatch, way: str,
) -> None:
    _way(monkeypatch, way)
    ids = seed_reads(world.store)
    ctx = world.with_purpose("officer")
    svc = CorrectionService(world.store, world.clock)
    svc.correct(ctx, _fix(ids[0], "7ABC128"))
    svc.revert(ctx, ids[0], "The second look at the overview shows a 3 after all.")
    assert _rows(world, ctx, "7ABC128") == []
    assert _rows(world, ctx, "7ABC12?", Mode.WILDCARD) == [
        (rid, MatchKind.WILDCARD) for rid in sorted(ids[:3], reverse=True)]


@pytest.mark.parametrize("way", list(WAYS))
def test_only_the_corrections_naming_the_plates_asked_for_come_back(
    world: World, monkeypatch: pytest.MonkeyPatch, way: str,
) -> None:
    _way(monkeypatch, way)
    ids = seed_reads(world.store)
    ctx = world.with_purpose("officer")
    svc = CorrectionService(world.store, world.clock)
    svc.correct(ctx, _fix(ids[0], "7ABC128"))
    svc.correct(ctx, _fix(ids[3], "5QRS777"))
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
    assert bool(passes) == (way == "one pass")  # the way asked for was taken
