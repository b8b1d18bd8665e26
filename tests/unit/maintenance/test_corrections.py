"""Corrections of misreads (policy §7, issue 16): the original stays, search finds the read by
both values and shows the correction, every correction and revert is logged with the five
elements, and only an analyst (or a contractor under written permission) may correct."""

from __future__ import annotations

import pytest
from access_helpers import DAY, READ_TIMES, World, log_entries, seed_reads

from alpr_desktop.core.access_errors import NotAuthorized, PurposeRequired
from alpr_desktop.core.corrections import CorrectionInput, EndKind
from alpr_desktop.core.patterns import MatchKind, Mode
from alpr_desktop.core.search import SearchQuery
from alpr_desktop.services.corrections import CorrectionInvalid, CorrectionService
from alpr_desktop.services.search import SearchService

REASON = "The overview shows an 8 where the reader saw a 3; checked at full size."


def _fix(read_id: int, plate: str = "7ABC128", **kw: object) -> CorrectionInput:
    return CorrectionInput(read_id, kw.pop("reason", REASON),  # type: ignore[arg-type]
                           kw.pop("evidence_kind", "overview"), plate=plate,  # type: ignore
                           **kw)  # type: ignore[arg-type]


def _plates(world: World, ctx: object, text: str, mode: Mode = Mode.EXACT
            ) -> list[tuple[int, MatchKind, str | None]]:
    page = SearchService(world.store, world.clock).search(ctx, SearchQuery(text, mode))
    return [(r.read.id, r.kind, r.corrected) for r in page.rows]


def test_analyst_corrects_and_search_finds_both_values(world: World) -> None:
    ids = seed_reads(world.store)
    ctx = world.with_purpose("officer")
    svc = CorrectionService(world.store, world.clock)
    saved = svc.correct(ctx, _fix(ids[0], state="nv"))
    assert saved.plate == "7ABC128" and saved.state == "NV" and saved.in_force
    # the read as the camera saw it is unchanged
    read = world.store.reads.get(ids[0])
    assert read is not None and read.plate_norm == "7ABC123" and read.state == "CA"
    # by the original: still found, with the correction shown
    by_original = _plates(world, ctx, "7ABC123")
    assert (ids[0], MatchKind.EXACT, "plate 7ABC128, state NV") in by_original
    # by the corrected plate: exact and partial
    assert _plates(world, ctx, "7ABC128") == [(ids[0], MatchKind.CORRECTED,
                                               "plate 7ABC128, state NV")]
    assert (ids[0], MatchKind.CORRECTED, "plate 7ABC128, state NV") in _plates(
        world, ctx, "BC128", Mode.SUBSTRING)
    assert [r[0] for r in _plates(world, ctx, "7ABC12?", Mode.WILDCARD)].count(ids[0]) == 1


def test_correction_is_logged_with_the_five_elements(world: World) -> None:
    ids = seed_reads(world.store)
    ctx = world.with_purpose("officer")
    CorrectionService(world.store, world.clock).correct(ctx, _fix(ids[0]))
    [e] = log_entries(world.store, "read.corrected")
    assert e.ts_ms == world.clock.now_ms()
    assert (e.username, e.organization, e.agency) == ("officer", "LASD Carson Station",
                                                      "LASD Carson Station")
    assert e.query == {"read_id": ids[0], "plate": "7ABC123"}
    assert e.purpose["case_number"] == "123-45678-2026-001"
    assert e.detail["original"]["plate"] == "7ABC123"
    assert e.detail["corrected"] == {"plate": "7ABC128"}
    assert e.detail["reason"] == REASON
    assert e.detail["evidence"]["kind"] == "overview" and len(e.detail["evidence"]["sha256"]) == 64


def test_revert_is_logged_and_search_no_longer_finds_the_corrected_value(world: World) -> None:
    ids = seed_reads(world.store)
    ctx = world.with_purpose("officer")
    svc = CorrectionService(world.store, world.clock)
    svc.correct(ctx, _fix(ids[0], plate="7ABC129"))
    world.clock.advance(60)
    second = svc.correct(ctx, _fix(ids[0]))
    world.clock.advance(60)
    ended = svc.revert(ctx, ids[0], "The second look at the overview shows a 3 after all.")
    assert ended.id == second.id and ended.end_kind is EndKind.REVERTED
    assert _plates(world, ctx, "7ABC128") == []
    assert _plates(world, ctx, "7ABC129") == []
    assert all(r[2] is None for r in _plates(world, ctx, "7ABC123"))
    history = svc.history(ctx, ids[0])
    assert [(c.plate, c.end_kind) for c in history] == [
        ("7ABC129", EndKind.SUPERSEDED), ("7ABC128", EndKind.REVERTED)]
    [rev] = log_entries(world.store, "read.correction_reverted")
    assert rev.detail["correction_id"] == second.id and rev.purpose["case_number"]
    assert log_entries(world.store, "read.corrected")[-1].detail["superseded"] == history[0].id


def test_bad_corrections_change_nothing(world: World) -> None:
    ids = seed_reads(world.store)
    ctx = world.with_purpose("officer")
    svc = CorrectionService(world.store, world.clock)
    for bad in (_fix(ids[0], reason="typo"), _fix(ids[0], plate="7ABC123"),
                _fix(ids[0], plate="7ABC-12$"), _fix(ids[0], evidence_kind="memory"),
                CorrectionInput(ids[0], REASON, "crop")):
        with pytest.raises(CorrectionInvalid):
            svc.correct(ctx, bad)
    with pytest.raises(CorrectionInvalid):
        svc.revert(ctx, ids[0], "Nothing to revert here at all.")
    assert world.store.corrections.history(ids[0]) == []
    assert not log_entries(world.store, "read.corrected")


def test_correction_needs_the_image_it_rests_on(world: World) -> None:
    ids = seed_reads(world.store)
    world.store.execute("DELETE FROM images WHERE read_id = ? AND kind = 'overview'", (ids[1],))
    ctx = world.with_purpose("officer")
    with pytest.raises(CorrectionInvalid, match="no overview image"):
        CorrectionService(world.store, world.clock).correct(ctx, _fix(ids[1]))


@pytest.mark.parametrize("who", ["keeper", "root"])
def test_custodian_and_admin_may_not_correct(world: World, who: str) -> None:
    ids = seed_reads(world.store)
    with pytest.raises(NotAuthorized):
        CorrectionService(world.store, world.clock).correct(world.ctx(who), _fix(ids[0]))
    assert log_entries(world.store, "gate.refused")[-1].detail["reason"] == "role"


def test_analyst_without_purpose_is_refused(world: World) -> None:
    ids = seed_reads(world.store)
    with pytest.raises(PurposeRequired):
        CorrectionService(world.store, world.clock).correct(world.ctx("officer"), _fix(ids[0]))


def _permission(world: World) -> None:
    world.permissions.record(
        world.ctx("keeper"), reference="CARSON-ACM-2026-020", contractor_username="vendor",
        purpose="Correct misreads found while checking camera 4's image quality.",
        data_from=READ_TIMES[1] - DAY, data_to=READ_TIMES[2] + DAY,
        expires_ms=world.clock.now_ms() + 7 * DAY * 1000)


def test_contractor_corrects_only_under_written_permission(world: World) -> None:
    ids = seed_reads(world.store)
    svc = CorrectionService(world.store, world.clock)
    with pytest.raises(NotAuthorized):
        svc.correct(world.ctx("vendor"), _fix(ids[1]))
    assert log_entries(world.store, "gate.refused")[-1].detail["reason"] == \
        "no_written_permission"
    _permission(world)
    ctx = world.with_purpose("vendor")
    with pytest.raises(NotAuthorized):  # recorded before the permission's data window
        svc.correct(ctx, _fix(ids[0]))
    saved = svc.correct(ctx, _fix(ids[1]))
    assert saved.corrected_by == "vendor"
    e = log_entries(world.store, "read.corrected")[-1]
    assert e.detail["permission_reference"] == "CARSON-ACM-2026-020"


def test_purge_takes_the_correction_and_its_plate_with_the_read(world: World) -> None:
    ids = seed_reads(world.store)
    ctx = world.with_purpose("officer")
    CorrectionService(world.store, world.clock).correct(ctx, _fix(ids[0], plate="9ZZZ999"))
    from alpr_desktop.storage.retention import RetentionRepo

    with world.store.transaction():
        RetentionRepo(world.store).delete_reads([ids[0]])
    assert world.store.corrections.history(ids[0]) == []
    assert world.store.query("SELECT id FROM plates WHERE plate_norm = '9ZZZ999'") == []
