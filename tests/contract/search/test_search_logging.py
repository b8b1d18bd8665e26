"""Each search and each further page writes one access-log entry, with every query element,
the purpose and the row count, before the rows are returned."""

from __future__ import annotations

import pytest
from search_helpers import T0, Seeded, World, log_entries, permit_contractor

from alpr_desktop.core.access_errors import NotAuthorized, PurposeRequired
from alpr_desktop.core.search import Filters, SearchQuery, TimeOfDay
from alpr_desktop.services.search import SearchService
from alpr_desktop.storage.access_log import AccessLogRepo


def test_first_page_entry_holds_every_query_element(seeded: Seeded) -> None:
    f = Filters(since=T0 - 86_400, until=T0, time_of_day=TimeOfDay(22 * 60, 4 * 60),
                camera_ids=(seeded.cams["north"],), states=("CA",), makes=("Honda",),
                models=("Civic",), colors=("Silver",), body_types=("Sedan",),
                speed_min=10.0, speed_max=90.0, min_confidence=0.5)
    page = seeded.search("7abc123", "fuzzy", f, page_size=50)
    [e] = log_entries(seeded.world.store, "search")
    assert e.seq == page.log_seq
    q = e.query
    assert (q["pattern"], q["mode"], q["requested_mode"], q["page_size"]) == (
        "7ABC123", "fuzzy", "fuzzy", 50)
    assert q["filters"] == {
        "time_window": {"from": T0 - 86_400, "to": T0}, "time_of_day": "22:00-04:00",
        "camera_ids": [seeded.cams["north"]], "states": ["CA"], "makes": ["Honda"],
        "models": ["Civic"], "colors": ["Silver"], "body_types": ["Sedan"],
        "speed": {"min": 10.0, "max": 90.0}, "min_confidence": 0.5,
    }
    assert e.result_count == len(page.rows)
    assert e.purpose["case_number"] == "123-45678-2026-001"
    assert (e.username, e.organization, e.outcome) == ("officer", "LASD Carson Station", "ok")
    assert e.detail["plan"] == page.plan and e.detail["plates_matched"] == page.plates_matched


def test_each_next_page_is_its_own_entry(seeded: Seeded) -> None:
    first = seeded.search("7ABC123", "fuzzy", page_size=4)
    second = seeded.search("7ABC123", "fuzzy", page_size=4, cursor=first.next_cursor)
    entries = [e for e in log_entries(seeded.world.store) if e.event.startswith("search")]
    assert [e.event for e in entries] == ["search", "search.page"]
    assert [e.result_count for e in entries] == [4, len(second.rows)]
    after = entries[1].query["after"]
    last = first.rows[-1]
    assert after == {"rank": int(last.kind), "recorded_at": last.read.recorded_at,
                     "read_id": last.read.id}
    assert entries[1].query["pattern"] == "7ABC123"


def test_preset_is_logged_with_the_window_it_resolved_to(seeded: Seeded) -> None:
    from alpr_desktop.core.search import TimePreset

    seeded.search("7ABC123", filters=Filters(preset=TimePreset.LAST_7_DAYS))
    [e] = log_entries(seeded.world.store, "search")
    assert e.query["filters"]["preset"] == "last_7_days"
    assert e.query["time_window"] == {"from": T0 - 7 * 86_400, "to": T0}


def test_refused_input_writes_nothing(seeded: Seeded) -> None:
    from alpr_desktop.core.patterns import PatternError

    before = len(log_entries(seeded.world.store))
    with pytest.raises(PatternError):
        seeded.search("7AB'--")
    assert len(log_entries(seeded.world.store)) == before


def test_no_log_entry_no_results(seeded: Seeded, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: AccessLogRepo, ev: object, ts_ms: int) -> None:
        raise OSError("disk gone")

    monkeypatch.setattr(AccessLogRepo, "append", broken)
    with pytest.raises(OSError):
        seeded.search("7ABC123")


def test_without_purpose_or_role_nothing_is_searched(world: World) -> None:
    svc = SearchService(world.store, world.clock)
    with pytest.raises(PurposeRequired):
        svc.search(world.ctx("officer"), SearchQuery("7ABC123"))
    with pytest.raises(NotAuthorized):
        svc.search(world.ctx("keeper"), SearchQuery("7ABC123"))
    assert not log_entries(world.store, "search")
    assert [e.detail["reason"] for e in log_entries(world.store, "gate.refused")] == [
        "no_purpose", "role"]


def test_contractor_sees_only_the_permission_window(world: World) -> None:
    from search_helpers import seed

    seed(world.store)
    permit_contractor(world, T0 - 3 * 3600, T0)
    ctx = world.with_purpose("vendor")
    page = SearchService(world.store, world.clock).search(ctx, SearchQuery("7ABC123"))
    assert len(page.rows) == 1  # only the read 2 hours ago lies in the permitted window
    [e] = log_entries(world.store, "search")
    assert e.query["time_window"] == {"from": T0 - 3 * 3600, "to": T0}
    assert e.detail["permission_reference"] == "CARSON-ACM-2026-014"


def test_thumbnails_are_one_logged_image_view(world: World) -> None:
    import hashlib

    from access_helpers import seed_reads

    ids = seed_reads(world.store)
    ctx = world.with_purpose("officer")
    crops = SearchService(world.store, world.clock).plate_crops(ctx, [ids[0], ids[1], 999])
    assert set(crops) == {ids[0], ids[1]}
    fmt, data = crops[ids[0]]
    assert fmt == "jpeg" and hashlib.sha256(data).hexdigest()
    [e] = log_entries(world.store, "image.thumbnails")
    assert e.query == {"read_ids": [ids[0], ids[1], 999], "kind": "crop"}
    assert e.result_count == 2
