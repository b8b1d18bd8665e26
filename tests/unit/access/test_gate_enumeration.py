"""DESIGN rule 3: every gated service method refuses without a session, a role or a purpose,
logging "gate.refused"; with all three it returns results and writes exactly one access entry
holding the policy's five elements (§5). The registry is enumerated, so a new gated method
without a case here fails test_every_gated_method_has_a_case."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from access_helpers import DAY, READ_TIMES, World, approve_agencies, log_entries, seed_reads

from alpr_desktop.core.access_errors import (
    AccessError,
    NotAuthorized,
    NotSignedIn,
    PurposeRequired,
    SessionLocked,
)
from alpr_desktop.core.accounts import ANONYMOUS, AccessContext
from alpr_desktop.core.analysis_places import CommonPlatesQuery, LocationQuery, Place, Window
from alpr_desktop.core.case_file import CaseFileRequest
from alpr_desktop.core.cloned import ResultsCheck, StoreCheck
from alpr_desktop.core.corrections import CorrectionInput
from alpr_desktop.core.cotravel import CoTravelRequest
from alpr_desktop.core.description_query import DescriptionQuery
from alpr_desktop.core.extract import ExtractOrder
from alpr_desktop.core.locate import LocateRequest
from alpr_desktop.core.patterns import Mode
from alpr_desktop.core.plate_profile import ProfileRequest
from alpr_desktop.core.roles import MATRIX, Action, Role
from alpr_desktop.core.search import Cursor, SearchQuery, query_fingerprint
from alpr_desktop.services import gate
from alpr_desktop.services.case_file import CaseFileService
from alpr_desktop.services.corrections import CorrectionService
from alpr_desktop.services.gate import GATED_METHODS, Grant, NotLogged, gated
from alpr_desktop.services.images import DisclosureRequest, ExportRequest, ImageService
from alpr_desktop.services.investigator_views import InvestigatorViewsService
from alpr_desktop.services.location_analysis import LocationAnalysisService
from alpr_desktop.services.review_extract import ExtractReleaseService
from alpr_desktop.services.search import SearchService
from alpr_desktop.services.travel_analysis import TravelAnalysisService
from alpr_desktop.storage.access_log import AccessLogRepo
from alpr_desktop.storage.db import Store

gate.load_service_modules()

def _corrected(w: World) -> CorrectionService:
    """The correction service, with a correction in force on the first read (for revert and
    history), recorded below the services as if an analyst had made it earlier."""
    first = int(w.store.scalar("SELECT min(id) FROM reads"))
    officer = w.store.accounts.get("officer")
    assert officer is not None
    w.store.corrections.add(CorrectionInput(first, "Seeded correction for the case.", "crop",
                                            plate="7ABC128"), "0" * 64, officer.id or 0,
                            w.clock.now_ms())
    return CorrectionService(w.store, w.clock)


def _first_page_token(query: SearchQuery) -> str:
    """The ``next_cursor`` a first page of ``query`` would hand back (for the count): built
    here, so the count's case calls nothing else of the gate."""
    pattern = query.pattern()
    fp = query_fingerprint(pattern, query.filters, query.checked_page_size(), query.order)
    return Cursor(0, READ_TIMES[0], 1, fp).token()


# qualname → (service factory, method name, args builder from the seeded read ids)
Case = tuple[Callable[[World], Any], str, Callable[[list[int]], tuple[Any, ...]]]
CASES: dict[str, Case] = {
    "alpr_desktop.services.images.ImageService.open_read_images": (
        lambda w: ImageService(w.store, w.clock), "open_read_images", lambda ids: (ids[0],)
    ),
    "alpr_desktop.services.images.ImageService.record_disclosure": (
        lambda w: ImageService(w.store, w.clock), "record_disclosure",
        lambda ids: (DisclosureRequest(ids[0], "copy", "crop", "Long Beach Police Department",
                                       "LBPD request 2026-14", True),),
    ),
    "alpr_desktop.services.images.ImageService.record_export": (
        lambda w: ImageService(w.store, w.clock), "record_export",
        lambda ids: (ExportRequest(ids[0], "save", "crop"),),
    ),
    "alpr_desktop.services.search.SearchService.search": (
        lambda w: SearchService(w.store, w.clock), "search",
        lambda ids: (SearchQuery("7ABC123"),),
    ),
    "alpr_desktop.services.search.SearchService.count": (
        lambda w: SearchService(w.store, w.clock), "count",
        lambda ids: (SearchQuery("7ABC123", page_size=1),
                     _first_page_token(SearchQuery("7ABC123", page_size=1))),
    ),
    "alpr_desktop.services.search.SearchService.batch_search": (
        lambda w: SearchService(w.store, w.clock), "batch_search",
        lambda ids: (["7ABC123", "8XYZ999"],),
    ),
    "alpr_desktop.services.corrections.CorrectionService.correct": (
        lambda w: CorrectionService(w.store, w.clock), "correct",
        lambda ids: (CorrectionInput(ids[0], "The crop shows an 8, not a 3.", "crop",
                                     plate="7ABC128"),),
    ),
    "alpr_desktop.services.corrections.CorrectionService.revert": (
        _corrected, "revert", lambda ids: (ids[0], "The crop shows a 3 after all."),
    ),
    "alpr_desktop.services.corrections.CorrectionService.history": (
        _corrected, "history", lambda ids: (ids[0],),
    ),
    "alpr_desktop.services.search.SearchService.plate_crops": (
        lambda w: SearchService(w.store, w.clock), "plate_crops", lambda ids: (ids[:2],)
    ),
    "alpr_desktop.services.review_extract.ExtractReleaseService.release_extract": (
        lambda w: ExtractReleaseService(w.store, w.clock), "release_extract",
        lambda ids: (ExtractOrder(tuple(ids[:2]), "Dana Prosecutor", "Los Angeles County "
                                  "District Attorney", "Preliminary hearing review",
                                  "123-45678-2026-001", date(2026, 1, 31), "DA 2026-7"),
                     Path(tempfile.mkdtemp()) / "case"),
    ),
    # issue 13: the investigator's views and the case file
    "alpr_desktop.services.investigator_views.InvestigatorViewsService.plate_profile": (
        lambda w: InvestigatorViewsService(w.store, w.clock), "plate_profile",
        lambda ids: (ProfileRequest("7ABC123"),),
    ),
    "alpr_desktop.services.investigator_views.InvestigatorViewsService.sightings": (
        lambda w: InvestigatorViewsService(w.store, w.clock), "sightings", lambda ids: (ids,),
    ),
    "alpr_desktop.services.investigator_views.InvestigatorViewsService.describe": (
        lambda w: InvestigatorViewsService(w.store, w.clock), "describe",
        lambda ids: (DescriptionQuery(READ_TIMES[2] - DAY, READ_TIMES[2] + DAY,
                                      makes=("Honda",)),),
    ),
    "alpr_desktop.services.investigator_views.InvestigatorViewsService.my_searches": (
        lambda w: InvestigatorViewsService(w.store, w.clock), "my_searches", lambda ids: (),
    ),
    # issue 19 (travel): co-travel, locate, cloned plates
    "alpr_desktop.services.travel_analysis.TravelAnalysisService.cotravel": (
        lambda w: TravelAnalysisService(w.store, w.clock), "cotravel",
        lambda ids: (CoTravelRequest("7ABC123", READ_TIMES[0] - DAY, READ_TIMES[2] + DAY,
                                     min_occasions=1, min_cameras=1),),
    ),
    "alpr_desktop.services.travel_analysis.TravelAnalysisService.locate": (
        lambda w: TravelAnalysisService(w.store, w.clock), "locate",
        lambda ids: (LocateRequest("7ABC123", READ_TIMES[0] - DAY, READ_TIMES[2] + DAY),),
    ),
    "alpr_desktop.services.travel_analysis.TravelAnalysisService.cloned_in_results": (
        lambda w: TravelAnalysisService(w.store, w.clock), "cloned_in_results",
        lambda ids: (ResultsCheck(tuple(ids)),),
    ),
    "alpr_desktop.services.travel_analysis.TravelAnalysisService.cloned_in_store": (
        lambda w: TravelAnalysisService(w.store, w.clock), "cloned_in_store",
        lambda ids: (StoreCheck(READ_TIMES[0] - DAY, READ_TIMES[0] + DAY),),
    ),
    "alpr_desktop.services.case_file.CaseFileService.export": (
        lambda w: CaseFileService(w.store, w.clock), "export",
        lambda ids: (CaseFileRequest(tuple(ids), Path(tempfile.mkdtemp()) / "case.pdf",
                                     confirmed=True),),
    ),
    # issue 19: location search and common plates (camera 1 is seed_reads' only camera)
    "alpr_desktop.services.location_analysis.LocationAnalysisService.location_search": (
        lambda w: LocationAnalysisService(w.store, w.clock), "location_search",
        lambda ids: (LocationQuery((Place("Scene", (Window(READ_TIMES[2] - DAY,
                                                           READ_TIMES[2] + DAY),),
                                          camera_ids=(1,)),)),),
    ),
    "alpr_desktop.services.location_analysis.LocationAnalysisService.common_plates": (
        lambda w: LocationAnalysisService(w.store, w.clock), "common_plates",
        lambda ids: (CommonPlatesQuery(tuple(
            Place(f"Scene {i}", (Window(t - DAY, t + DAY),), camera_ids=(1,))
            for i, t in enumerate(READ_TIMES[1:])), 2),),
    ),
}


def test_every_gated_method_has_a_case() -> None:
    assert set(GATED_METHODS) == set(CASES)


@pytest.mark.parametrize(("service", "ungated"), [
    (ImageService, set()),
    # cameras: names and places, configuration, not read data; defer_checkpoints and
    # keep_pages_cached: when the connection's WAL checkpoints run and how many pages it
    # keeps (issue 20), return and read nothing; warm_pages: upper index pages into the
    # connection's cache, a count back (issue 20)
    (SearchService, {"cameras", "defer_checkpoints", "keep_pages_cached", "warm_pages"}),
])
def test_read_and_image_services_public_methods_are_all_gated(
    service: type, ungated: set[str]
) -> None:
    public = [n for n in vars(service) if not n.startswith("_")]
    assert public and all(hasattr(getattr(service, n), "__gated__")
                          for n in public if n not in ungated)
    assert ungated <= set(public)


def _call(world: World, qualname: str, ctx: AccessContext | None, ids: list[int]) -> Any:
    factory, name, args = CASES[qualname]
    return getattr(factory(world), name)(ctx, *args(ids))


def _refused_once(world: World, before: int, reason: str, action: str) -> None:
    new = AccessLogRepo(world.store).entries(after_seq=before)
    refused = [e for e in new if e.event == "gate.refused"]
    assert len(refused) == 1, [e.event for e in new]
    assert refused[0].detail["reason"] == reason and refused[0].detail["action"] == action
    assert refused[0].outcome == "refused"
    assert all(e.event in ("gate.refused", "session.locked", "purpose.ended") for e in new)


def _head(store: Store) -> int:
    return AccessLogRepo(store).head()[0]


@pytest.fixture
def ids(world: World) -> list[int]:
    approve_agencies(world.store, world.clock, "Long Beach Police Department",
                     "Los Angeles County District Attorney")
    return seed_reads(world.store)


METHODS = sorted(CASES)


@pytest.mark.parametrize("qualname", METHODS)
def test_refuses_without_a_session(world: World, ids: list[int], qualname: str) -> None:
    action = GATED_METHODS[qualname].action.value
    for ctx in (None, ANONYMOUS):
        before = _head(world.store)
        with pytest.raises(NotSignedIn):
            _call(world, qualname, ctx, ids)
        _refused_once(world, before, "not_signed_in", action)


@pytest.mark.parametrize("qualname", METHODS)
def test_refuses_a_signed_out_or_replaced_session(
    world: World, ids: list[int], qualname: str
) -> None:
    action = GATED_METHODS[qualname].action.value
    stale = world.with_purpose("officer")
    world.sign_in("keeper")  # another user signs in: the first session ends
    before = _head(world.store)
    with pytest.raises(NotSignedIn):
        _call(world, qualname, stale, ids)
    _refused_once(world, before, "not_signed_in", action)


@pytest.mark.parametrize("qualname", METHODS)
@pytest.mark.parametrize("who", ["keeper", "root", "vendor"])
def test_refuses_a_role_without_the_right(
    world: World, ids: list[int], qualname: str, who: str
) -> None:
    action = GATED_METHODS[qualname].action.value
    ctx = world.ctx(who)
    before = _head(world.store)
    with pytest.raises(NotAuthorized):
        _call(world, qualname, ctx, ids)
    # a contractor holds data actions only under a written permission; export not at all
    conditional = GATED_METHODS[qualname].action in MATRIX[Role.CONTRACTOR]
    reason = "no_written_permission" if who == "vendor" and conditional else "role"
    _refused_once(world, before, reason, action)
    assert log_entries(world.store, "gate.refused")[-1].username == who


@pytest.mark.parametrize("qualname", METHODS)
def test_refuses_without_a_purpose(world: World, ids: list[int], qualname: str) -> None:
    assert GATED_METHODS[qualname].needs_purpose
    action = GATED_METHODS[qualname].action.value
    ctx = world.ctx("officer")
    before = _head(world.store)
    with pytest.raises(PurposeRequired):
        _call(world, qualname, ctx, ids)
    _refused_once(world, before, "no_purpose", action)


@pytest.mark.parametrize("qualname", METHODS)
def test_refuses_after_the_purpose_ended(world: World, ids: list[int], qualname: str) -> None:
    ctx = world.with_purpose("officer")
    world.purposes.end(ctx)
    with pytest.raises(PurposeRequired):
        _call(world, qualname, ctx, ids)


@pytest.mark.parametrize("qualname", METHODS)
def test_refuses_after_idle_lock(world: World, ids: list[int], qualname: str) -> None:
    ctx = world.with_purpose("officer")
    world.clock.advance(15 * 60)
    before = _head(world.store)
    with pytest.raises(SessionLocked):
        _call(world, qualname, ctx, ids)
    _refused_once(world, before, "not_signed_in", GATED_METHODS[qualname].action.value)
    assert log_entries(world.store, "session.locked")[-1].detail["reason"] == "idle"


@pytest.mark.parametrize("qualname", METHODS)
def test_with_everything_returns_and_logs_once(
    world: World, ids: list[int], qualname: str
) -> None:
    ctx = world.with_purpose("officer")
    before = _head(world.store)
    result = _call(world, qualname, ctx, ids)
    assert result  # reads, a read, or images
    new = AccessLogRepo(world.store).entries(after_seq=before)
    assert len(new) == 1
    [e] = new
    # the policy's five elements (§5) and CJIS's outcome
    assert e.ts_ms == world.clock.now_ms()  # (1) date
    assert e.agency == "LASD Carson Station"  # (2) agency
    assert e.query and any(v for v in e.query.values())  # (3) query elements
    assert (e.username, e.organization) == ("officer", "LASD Carson Station")  # (4)
    assert e.purpose["case_number"] == "123-45678-2026-001"  # (5) purpose
    assert e.purpose["narrative"] and e.purpose["category"] == "criminal_investigation"
    assert e.outcome == "ok" and e.workstation
    assert e.detail["purpose_id"] == ctx.purpose.id  # type: ignore[union-attr]


def test_search_entry_names_the_plate_and_mode(world: World, ids: list[int]) -> None:
    ctx = world.with_purpose("officer")
    page = SearchService(world.store, world.clock).search(
        ctx, SearchQuery("7abc 123", Mode.EXACT))
    assert len(page.rows) == 3
    [e] = log_entries(world.store, "search")
    assert e.query["pattern"] == "7ABC123" and e.query["mode"] == "exact"
    assert e.result_count == 3


def test_image_view_is_logged_before_bytes_return(world: World, ids: list[int]) -> None:
    ctx = world.with_purpose("officer")
    images = ImageService(world.store, world.clock).open_read_images(ctx, ids[0])
    assert images is not None
    assert {im.blob.kind for im in (images.crop, images.overview) if im} == {"crop", "overview"}
    [e] = log_entries(world.store, "image.view")
    assert e.query["read_id"] == ids[0] and e.result_count == 2


def test_no_log_entry_no_results(
    world: World, ids: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx = world.with_purpose("officer")
    svc = SearchService(world.store, world.clock)

    def broken(self: AccessLogRepo, ev: object, ts_ms: int) -> None:
        raise OSError("disk gone")

    monkeypatch.setattr(AccessLogRepo, "append", broken)
    with pytest.raises(OSError):
        svc.search(ctx, SearchQuery("7ABC123", Mode.EXACT))


def test_a_gated_method_that_forgets_to_log_returns_nothing(world: World) -> None:
    class Forgetful:
        def __init__(self, w: World) -> None:
            self.store, self.clock = w.store, w.clock

        @gated(Action.SEARCH_READS)
        def peek(self, grant: Grant) -> str:
            return "secret"

    try:
        ctx = world.with_purpose("officer")
        with pytest.raises(NotLogged):
            Forgetful(world).peek(ctx)
    finally:
        GATED_METHODS.pop(f"{__name__}.{Forgetful.peek.__qualname__}", None)
        for key in [k for k in GATED_METHODS if k.endswith("Forgetful.peek")]:
            GATED_METHODS.pop(key)


def test_hand_made_context_gains_nothing(world: World, ids: list[int]) -> None:
    real = world.with_purpose("officer")
    assert real.session is not None
    forged = AccessContext(session=real.session.__class__(**{**real.session.__dict__,
                                                              "token": "forged"}),
                           purpose=real.purpose)
    with pytest.raises(NotSignedIn):
        SearchService(world.store, world.clock).search(forged, SearchQuery("7ABC123", Mode.EXACT))


def test_all_refusals_are_access_errors() -> None:
    for err in (NotSignedIn, NotAuthorized, PurposeRequired, SessionLocked):
        assert issubclass(err, AccessError)
