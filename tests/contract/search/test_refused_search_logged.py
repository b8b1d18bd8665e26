"""Issue 10 §4 "the log tells the truth" for searches: a refused search is on record with the
query that was attempted (pattern, mode, filters), and a search whose entry cannot be written
is refused with a sentence, returning nothing."""

from __future__ import annotations

import pytest
from search_helpers import T0, Seeded, World, log_entries

from alpr_desktop.core.access_errors import NotAuthorized, NotSignedIn, PurposeRequired
from alpr_desktop.core.accounts import ANONYMOUS
from alpr_desktop.core.search import Filters, SearchQuery
from alpr_desktop.services.images import ImageService
from alpr_desktop.services.search import SearchService
from alpr_desktop.storage.errors import LogUnavailable

FILTERS = Filters(since=T0 - 86_400, until=T0, states=("CA",), makes=("Honda",))


def test_a_search_without_a_purpose_logs_what_was_asked(world: World) -> None:
    svc = SearchService(world.store, world.clock)
    with pytest.raises(PurposeRequired):
        svc.search(world.ctx("officer"), SearchQuery("7abc-123", "fuzzy", FILTERS, 50))
    [e] = log_entries(world.store, "gate.refused")
    assert e.outcome == "refused" and e.detail["reason"] == "no_purpose"
    assert e.query == {
        "action": "search_reads", "pattern": "7ABC123", "mode": "fuzzy",
        "requested_mode": "fuzzy", "page_size": 50,
        "filters": {"time_window": {"from": T0 - 86_400, "to": T0}, "states": ["CA"],
                    "makes": ["Honda"]},
    }


def test_refusals_for_role_and_sign_in_log_the_attempt_too(world: World) -> None:
    svc = SearchService(world.store, world.clock)
    with pytest.raises(NotAuthorized):
        svc.search(world.ctx("keeper"), SearchQuery("8XYZ*"))
    with pytest.raises(NotSignedIn):
        svc.search(ANONYMOUS, SearchQuery("9DEF456"))
    refused = log_entries(world.store, "gate.refused")
    assert [(e.username, e.query["pattern"], e.query["mode"]) for e in refused] == [
        ("keeper", "8XYZ*", "wildcard"), ("(not signed in)", "9DEF456", "exact")]


def test_an_unparseable_pattern_is_logged_as_typed(world: World) -> None:
    svc = SearchService(world.store, world.clock)
    with pytest.raises(PurposeRequired):
        svc.search(world.ctx("officer"), SearchQuery("7A#B\x00C" + "1" * 100))
    [e] = log_entries(world.store, "gate.refused")
    assert e.query["pattern_unparsed"] is True
    assert e.query["pattern"] == "7A#BC" + "1" * 59  # printable, at most 64 characters


def test_refused_batch_and_image_calls_name_their_plates_and_reads(world: World) -> None:
    ctx = world.ctx("officer")
    with pytest.raises(PurposeRequired):
        SearchService(world.store, world.clock).batch_search(ctx, ["7abc123", "8 XYZ 999"])
    with pytest.raises(PurposeRequired):
        ImageService(world.store, world.clock).open_read_images(ctx, 42)
    batch, image = log_entries(world.store, "gate.refused")
    assert batch.query["plates"] == ["7ABC123", "8XYZ999"]
    assert image.query == {"action": "view_images", "read_id": 42}


@pytest.mark.backend_specific("sqlcipher")
def test_a_search_whose_entry_cannot_be_written_is_refused(seeded: Seeded) -> None:
    store = seeded.world.store
    store.execute("CREATE TEMP TRIGGER log_broken BEFORE INSERT ON access_log "
                  "WHEN NEW.event LIKE 'search%' BEGIN SELECT RAISE(ABORT, 'no room'); END")
    with pytest.raises(LogUnavailable) as caught:
        seeded.search("7ABC123")
    assert "could not be written" in str(caught.value) and "refused" in str(caught.value)
    assert log_entries(store, "search") == []
