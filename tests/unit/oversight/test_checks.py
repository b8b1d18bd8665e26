"""Issue 21, one defect at a time: the contractor's search before its permission's window is
refused (not answered with 0 rows logged "ok"), a too-broad pattern is a refused attempt on
record, a search's entry names the few plates it found, further pages are not look-ups, and a
wildcard is never called a plate. Each fails on the code before issue 21."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "access"))

from access_helpers import DAY, READ_TIMES, World, log_entries, purpose_input, seed_reads

from alpr_desktop.core.access_errors import NotAuthorized
from alpr_desktop.core.audit_log import GENESIS_HASH, LogEntry
from alpr_desktop.core.narrative_similarity import group_similar
from alpr_desktop.core.oversight import OversightConfig, analyze
from alpr_desktop.core.patterns import PatternTooBroadError
from alpr_desktop.core.search import Filters, SearchQuery
from alpr_desktop.services.search import SearchService


def _contractor(world: World):  # type: ignore[no-untyped-def]
    world.permissions.record(
        world.ctx("keeper"), reference="WP-7", contractor_username="vendor",
        purpose="Check camera 3's reads against the vendor's service ticket.",
        data_from=READ_TIMES[1] - DAY, data_to=READ_TIMES[2] + DAY,
        expires_ms=world.clock.now_ms() + 7 * DAY * 1000)
    return world.with_purpose("vendor")


def test_a_contractor_search_before_the_window_is_refused_not_empty(world: World) -> None:
    seed_reads(world.store)
    ctx = _contractor(world)
    svc = SearchService(world.store, world.clock)
    before = Filters(since=READ_TIMES[0] - DAY, until=READ_TIMES[0] + DAY)
    with pytest.raises(NotAuthorized, match="reaches outside the data dates"):
        svc.search(ctx, SearchQuery("7ABC123", "exact", before))
    assert log_entries(world.store, "search") == []  # no "ok" with 0 rows
    [refused] = log_entries(world.store, "gate.refused")
    assert refused.detail["reason"] == "outside_permission_window"
    assert refused.query["pattern"] == "7ABC123"  # what was tried is on record
    with pytest.raises(NotAuthorized):
        svc.batch_search(ctx, ["7ABC123"], before)
    # Inside the window, or with no dates (the window's own), the search runs.
    inside = Filters(since=READ_TIMES[1] - DAY, until=READ_TIMES[2])
    assert len(svc.search(ctx, SearchQuery("7ABC123", "exact", inside)).rows) == 2
    assert len(svc.search(ctx, SearchQuery("7ABC123", "exact")).rows) == 2


def test_a_too_broad_pattern_is_a_refused_attempt_on_record(world: World) -> None:
    seed_reads(world.store)
    ctx = world.with_purpose("officer")
    with pytest.raises(PatternTooBroadError):
        SearchService(world.store, world.clock).search(ctx, SearchQuery("7*"))
    [refused] = log_entries(world.store, "gate.refused")
    assert refused.username == "officer" and refused.detail["reason"] == "too_broad"
    assert refused.purpose["case_number"] == purpose_input().case_number


def test_a_search_entry_names_the_few_plates_it_found(world: World) -> None:
    seed_reads(world.store)
    ctx = world.with_purpose("officer")
    SearchService(world.store, world.clock).search(ctx, SearchQuery("*XYZ*"))
    SearchService(world.store, world.clock).search(ctx, SearchQuery("7ABC12?"))
    first, second = log_entries(world.store, "search")
    assert first.detail["result_plates"] == ["8XYZ999"]
    assert second.detail["result_plates"] == ["7ABC123"]


def _entry(seq: int, event: str, query: dict, detail: dict | None = None,
           purpose: dict | None = None, user: str = "ann", hour: int = 10) -> LogEntry:
    ts = 1_767_636_000_000 + seq * 60_000 + (hour - 10) * 3_600_000  # Mon 2026-01-05
    return LogEntry(seq, ts, event, "ok", user, "LASD", "LASD", "ws", json.dumps(
        purpose or {"case_number": f"CR-26-{seq:04d}", "narrative": f"case {seq}"}),
        json.dumps(query), 3, json.dumps(detail or {}), GENESIS_HASH, GENESIS_HASH)


def test_further_pages_are_not_look_ups_and_patterns_are_not_plates() -> None:
    wild = {"pattern": "7AB*", "mode": "wildcard"}
    entries = [_entry(1, "search", wild, {"result_plates": ["7ABC123"], "plates_found": 1})]
    entries += [_entry(n, "search.page", {**wild, "after": {"read_id": n}}) for n in (2, 3, 4)]
    result = analyze(entries)
    assert result.summary.queries == 1
    assert result.findings() == []  # one look-up, not four
    entries += [_entry(n, "search", wild, {"result_plates": ["7ABC123"]}) for n in (5, 6)]
    [f] = analyze(entries).findings()
    assert f.key == "repeat|ann|7ABC123" and "plate 7ABC123 3 times" in f.sentence
    assert "7AB*" not in f.sentence


def test_many_plates_found_are_not_look_ups_of_each() -> None:
    plates = [f"7AB{i:04d}" for i in range(30)]
    entries = [_entry(n, "search", {"pattern": "7AB*", "mode": "wildcard"},
                      {"plates_found": 30}) for n in (1, 2, 3)]
    entries[0] = _entry(1, "search", {"pattern": "7AB*", "mode": "wildcard"},
                        {"plates_found": 30, "result_plates": plates})
    result = analyze(entries, OversightConfig(broad_threshold=3))
    assert [f.kind for f in result.findings()] == ["broad"]


def test_near_identical_narratives_group_and_others_do_not() -> None:
    texts = [
        "Suspicious vehicle loitering near closed businesses at night, casing for burglary.",
        "Suspicious vehicle loitering near closed businesses at night; casing for burglary!",
        "Suspicious vehicles loitering near closed businesses at night, casing for burglary",
        "A white van was seen at a burglary on Avalon Blvd; need its route.",
    ]
    groups = sorted(group_similar(texts, 0.8), key=len)
    assert [len(g) for g in groups] == [1, 3]
    assert groups[0] == [texts[3]]


def test_refused_and_page_entries_in_words() -> None:
    from alpr_desktop.core.audit_words import event_words, query_words

    assert event_words("oversight.reviewed") == "Oversight finding marked reviewed"
    assert query_words("gate.refused", {"pattern": "7*", "pattern_unparsed": True,
                                         "action": "search_reads"}).endswith(
        "tried to search reads")
