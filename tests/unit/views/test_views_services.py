"""Issue 13: the plate profile, map sightings, description search and "My searches" go
through the gate and write their log entry (what was asked, under which purpose)."""

from __future__ import annotations

import pytest
from access_helpers import World, log_entries
from views_helpers import DAY, T0, Seeded, seed

from alpr_desktop.core.access_errors import NotAuthorized, PurposeRequired
from alpr_desktop.core.description_query import DescriptionQuery
from alpr_desktop.core.oversight import analyze
from alpr_desktop.core.patterns import MatchKind
from alpr_desktop.core.plate_profile import ProfileRequest
from alpr_desktop.core.search import SearchInputError, SearchQuery
from alpr_desktop.services.investigator_views import InvestigatorViewsService
from alpr_desktop.services.search import SearchService
from alpr_desktop.storage.access_log import AccessLogRepo


@pytest.fixture
def seeded(world: World) -> Seeded:
    return seed(world.store)


@pytest.fixture
def views(world: World) -> InvestigatorViewsService:
    return InvestigatorViewsService(world.store, world.clock)


def test_profile_lists_every_read_in_time_order_with_its_figures(
    world: World, seeded: Seeded, views: InvestigatorViewsService
) -> None:
    ctx = world.with_purpose("officer")
    profile = views.plate_profile(ctx, ProfileRequest("7abc 123", gap_hours=48))
    assert [r.read.id for r in profile.rows] == seeded.plate_ids
    assert profile.first_seen == T0 and profile.last_seen == T0 + 9 * DAY
    assert dict(profile.per_camera) == {"Avalon & Carson NB": 3, "Figueroa & 223rd SB": 2}
    assert sum(map(sum, profile.heatmap)) == 5
    # 2025-12-31 16:00 in Carson is a Wednesday (index 2), hour 16
    assert profile.heatmap[2][16] == 1
    assert [(g.start, g.end) for g in profile.gaps] == [
        (T0 + 2 * 3600, T0 + 5 * DAY), (T0 + 5 * DAY + 3600, T0 + 9 * DAY)]
    [e] = log_entries(world.store, "search.profile")
    assert e.query["pattern"] == "7ABC123" and e.query["mode"] == "exact"
    assert e.result_count == 5 and e.purpose["case_number"] == "123-45678-2026-001"
    assert e.seq == profile.log_seq


def test_profile_look_alikes_and_candidates_only_on_request_and_marked(
    world: World, seeded: Seeded, views: InvestigatorViewsService
) -> None:
    ctx = world.with_purpose("officer")
    plain = views.plate_profile(ctx, ProfileRequest("7ABC123"))
    assert {r.kind for r in plain.rows} == {MatchKind.EXACT}
    wide = views.plate_profile(ctx, ProfileRequest("7ABC123", lookalikes=True))
    kinds = {r.read.id: r.kind for r in wide.rows}
    assert kinds[seeded.lookalike_id] is MatchKind.LOOK_ALIKE
    assert kinds[seeded.candidate_id] is MatchKind.CANDIDATE
    assert wide.exact_count == 5 and len(wide.rows) == 7
    times = [r.read.recorded_at for r in wide.rows]
    assert times == sorted(times)
    assert log_entries(world.store, "search.profile")[-1].query["lookalikes"] is True


def test_profile_refuses_a_wildcard_and_without_a_purpose(
    world: World, seeded: Seeded, views: InvestigatorViewsService
) -> None:
    with pytest.raises(PurposeRequired):
        views.plate_profile(world.ctx("officer"), ProfileRequest("7ABC123"))
    [refused] = log_entries(world.store, "gate.refused")
    assert refused.query["pattern"] == "7ABC123"
    ctx = world.with_purpose("officer")
    with pytest.raises(SearchInputError):
        views.plate_profile(ctx, ProfileRequest("7AB*"))
    assert not log_entries(world.store, "search.profile")


def test_sightings_come_from_the_camera_and_are_logged(
    world: World, seeded: Seeded, views: InvestigatorViewsService
) -> None:
    ctx = world.with_purpose("officer")
    result = views.sightings(ctx, [*seeded.plate_ids[::-1], seeded.other_ids[0]])
    found = result.sightings
    assert result.unplaced == 0
    assert [s.read_id for s in found] == [*seeded.plate_ids[:2], seeded.other_ids[0],
                                          *seeded.plate_ids[2:]]  # oldest first
    assert (found[0].latitude, found[0].longitude) == (33.8317, -118.2620)
    assert not any(s.own_position for s in found)
    [e] = log_entries(world.store, "map.view")
    assert e.query["read_ids"][:5] == seeded.plate_ids[::-1] and e.result_count == 6


def _dq(**kw: object) -> DescriptionQuery:
    base: dict[str, object] = {"since": T0 - 3600, "until": T0 + 23 * 3600}
    base.update(kw)
    return DescriptionQuery(**base)  # type: ignore[arg-type]


def test_description_search_finds_by_elements_and_logs_every_one(
    world: World, seeded: Seeded, views: InvestigatorViewsService
) -> None:
    ctx = world.with_purpose("officer")
    res = views.describe(ctx, _dq(colors=("red",), body_types=("Pickup",)))
    assert {r.read.plate_norm for r in res.rows} == {"4TRK001", "4TRK002"}
    res = views.describe(ctx, _dq(colors=("Red",), directions=("sb",), camera_ids=(
        seeded.cams[0],)))
    assert [r.read.plate_norm for r in res.rows] == ["4TRK001"]
    e = log_entries(world.store, "search.description")[-1]
    assert e.query["colors"] == ["Red"] and e.query["directions"] == ["sb"]
    assert e.query["camera_ids"] == [seeded.cams[0]]
    assert e.query["time_window"] == {"from": T0 - 3600, "to": T0 + 23 * 3600}
    assert e.detail["broad"] is True


@pytest.mark.parametrize(("query", "says"), [
    (_dq(since=None, until=None, colors=("Red",)), "time window"),
    (_dq(), "at least one element"),
    (_dq(since=T0, until=T0 + 8 * DAY, colors=("Red",)), "at most 7 days"),
])
def test_description_search_refuses_what_is_not_narrow(
    world: World, seeded: Seeded, views: InvestigatorViewsService, query: DescriptionQuery,
    says: str,
) -> None:
    ctx = world.with_purpose("officer")
    with pytest.raises(SearchInputError, match=says):
        views.describe(ctx, query)
    assert not log_entries(world.store, "search.description")
    [refused] = log_entries(world.store, "gate.refused")  # on record, with what was asked
    assert refused.detail["reason"] == "too_broad" and refused.query["mode"] == "description"
    assert refused.query["time_window"] == {"from": query.since, "to": query.until}


def test_the_window_limit_is_an_admin_setting_and_logged(
    world: World, seeded: Seeded, views: InvestigatorViewsService
) -> None:
    with pytest.raises(NotAuthorized):
        views.set_description_max_days(world.with_purpose("officer"), 10)
    views.set_description_max_days(world.ctx("root"), 10)
    assert views.description_max_days() == 10
    changed = log_entries(world.store, "settings.changed")[-1]
    assert changed.detail["to"] == 10 and changed.username == "root"
    ctx = world.with_purpose("officer")
    res = views.describe(ctx, _dq(since=T0 - 35 * DAY, until=T0 - 26 * DAY, colors=("Red",)))
    assert [r.read.plate_norm for r in res.rows] == ["5OLD000"]


def test_description_searches_are_flagged_broad_in_oversight(
    world: World, seeded: Seeded, views: InvestigatorViewsService
) -> None:
    ctx = world.with_purpose("officer")
    views.describe(ctx, _dq(makes=("Ford",)))
    report = analyze(AccessLogRepo(world.store).entries(limit=10_000))
    broad = [f for f in report.findings() if f.kind == "broad"]
    assert broad and broad[0].username == "officer"
    assert "without a plate" in broad[0].sentence


def test_my_searches_lists_own_searches_under_this_purpose_and_reruns_them(
    world: World, seeded: Seeded, views: InvestigatorViewsService
) -> None:
    other = world.with_purpose("officer", case_number="123-45678-2026-002")
    SearchService(world.store, world.clock).search(other, SearchQuery("4TRK001"))
    ctx = world.with_purpose("officer")
    SearchService(world.store, world.clock).search(ctx, SearchQuery("7ABC*"))
    views.plate_profile(ctx, ProfileRequest("7ABC123", lookalikes=True))
    views.describe(ctx, _dq(colors=("Red",)))
    mine = views.my_searches(ctx).searches
    assert [p.event for p in mine] == ["search.description", "search.profile", "search"]
    assert "7ABC*" in mine[2].words and "Red" in mine[0].words
    assert log_entries(world.store, "history.own")[-1].result_count == 3
    rerun = mine[1].rerun
    assert isinstance(rerun, ProfileRequest) and rerun.lookalikes
    before = len(log_entries(world.store, "search.profile"))
    views.plate_profile(ctx, rerun)
    assert len(log_entries(world.store, "search.profile")) == before + 1
    q = mine[0].rerun
    assert isinstance(q, DescriptionQuery)
    assert [r.read.plate_norm for r in views.describe(ctx, q).rows] == ["4TRK002", "4TRK001"]


def test_the_audit_words_name_the_new_events_and_every_description_element(
    world: World, seeded: Seeded, views: InvestigatorViewsService
) -> None:
    from alpr_desktop.core.audit_words import EVENT_WORDS, query_words

    ctx = world.with_purpose("officer")
    views.describe(ctx, _dq(colors=("Red",), directions=("SB",)))
    e = log_entries(world.store, "search.description")[-1]
    words = query_words(e.event, e.query)
    assert "color Red" in words and "direction SB" in words
    for event in ("search.profile", "search.description", "map.view", "export.case_file"):
        assert event in EVENT_WORDS


def test_no_view_module_reaches_for_a_network() -> None:
    """The offline rule, statically: none of the issue-13 modules imports a network or web
    client (the qtbot tests also fail any socket connection at run time)."""
    from pathlib import Path

    import alpr_desktop

    root = Path(alpr_desktop.__file__).parent
    files = [*root.glob("gui/map/*.py"), root / "gui/views/plate_profile.py",
             root / "gui/views/description_search.py", root / "gui/views/investigator_actions.py",
             root / "services/investigator_views.py", root / "services/case_file.py",
             root / "reports/case_file.py", root / "storage/mbtiles.py",
             root / "core/basemap.py", root / "demo/streets.py"]
    for f in files:
        text = f.read_text("utf-8")
        for banned in ("QtNetwork", "QtWebEngine", "urllib", "http.client", "requests",
                       "socket", "QNetworkAccessManager"):
            assert banned not in text, (f.name, banned)


def test_a_read_with_its_own_position_is_placed_there(
    world: World, seeded: Seeded, views: InvestigatorViewsService
) -> None:
    """A mobile reader's read lands where the export says it was (issue 16), the others at
    their camera; before the merge every sighting took its camera's position."""
    from alpr_desktop.core.models import NewRead
    from alpr_desktop.storage.reads import ReadRepo

    cam = world.store.cameras.all()[0].id
    [moving] = ReadRepo(world.store).insert_many(
        [NewRead("7ABC123", T0 + 3 * 3600, cam, state="CA", latitude=33.8001,
                 longitude=-118.3002)])
    ctx = world.with_purpose("officer")
    found = {s.read_id: s for s in views.sightings(ctx, [moving, seeded.plate_ids[0]]).sightings}
    assert found[moving].own_position
    assert (found[moving].latitude, found[moving].longitude) == (33.8001, -118.3002)
    assert not found[seeded.plate_ids[0]].own_position
    assert (found[seeded.plate_ids[0]].latitude,
            found[seeded.plate_ids[0]].longitude) == (33.8317, -118.2620)
