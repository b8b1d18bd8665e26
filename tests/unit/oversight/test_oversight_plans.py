"""What an entry means is worked out once per distinct content and re-used for every entry of
that content (``OversightAnalyzer._plan``), and what the checks do not read (a viewed read's
id, its images' hashes, a disclosed read's id) is left out of the content. Neither may change
a word, a seq or a count: each is compared with working every entry out afresh."""

from __future__ import annotations

import dataclasses
import hashlib

import pytest
from station_sim import STALKER, Simulation, everything

from alpr_desktop.core import oversight
from alpr_desktop.core.audit_filters import AuditFilter
from alpr_desktop.core.audit_log import LogEntry, canonical_json
from alpr_desktop.core.oversight import OversightAnalyzer
from alpr_desktop.core.oversight_config import OversightConfig
from alpr_desktop.core.oversight_state import restore, snapshot

PURPOSE = {"category": "criminal_investigation", "offense": "Robbery",
           "case_number": "123-00042-2026-001",
           "narrative": "Armed robbery of the market at 400 S Avalon Blvd on day 3; witnesses "
                        "saw a grey Camry flee north. Identify the suspect vehicle."}
T0 = 1_767_888_000_000  # 2026-01-08 16:00 UTC, a Thursday morning in Los Angeles


def _afresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """No content remembered: every entry is worked out as if it were the first."""
    monkeypatch.setattr(oversight, "_PLANS", 0)


def _entry(seq: int, event: str, username: str = "officer", *, outcome: str = "ok",
           query: dict | None = None, detail: dict | None = None,
           query_json: str | None = None, minutes: int = 0) -> LogEntry:
    return LogEntry(seq, T0 + minutes * 60_000, event, outcome, username, "LASD Carson Station",
                    "LASD", "ws", canonical_json(PURPOSE),
                    canonical_json(query or {}) if query_json is None else query_json, 1,
                    canonical_json(detail or {}), "0" * 64, "0" * 64)


def _views_and_disclosures() -> list[LogEntry]:
    """The same plate viewed through many reads (each with its own id and image hashes), the
    shapes a view's query may have, a permission named in a view's detail, disclosures of
    different reads to two agencies, and searches that repeat exactly."""
    out: list[LogEntry] = []
    for i in range(8):
        digest = hashlib.sha256(str(i).encode()).hexdigest()
        out.append(_entry(len(out) + 1, "image.view", query={"read_id": 1000 + i,
                                                             "plate": "7ABC123"},
                          detail={"kinds": ["crop"], "sha256": [digest],
                                  "integrity": {"crop": "ok"}}, minutes=3 * i))
    shapes = ['{"plate":"7ABC123","read_id":01}',  # not JSON: reaches no plate
              '{"plate":"7ABC123" "read_id":5}',  # not JSON either
              '{"read_id":77}',  # a read that was not found
              '{"plate":"7abc 123","read_id":78}',  # another form of the plate
              '{"plate":"7ABC123","read_id":79,"filters":{"camera_ids":[3,4]}}',
              '{"plate":"","read_id":80}']
    for text in shapes:
        out.append(_entry(len(out) + 1, "image.view", query_json=text, minutes=len(out)))
    out.append(_entry(len(out) + 1, "image.view", query={"read_id": 81, "plate": "7ABC123"},
                      detail={"permission_ref": "WP-2026-014"}, minutes=len(out)))
    for i in range(6):
        out.append(_entry(len(out) + 1, "disclosure", query={"read_id": 2000 + i,
                                                             "plate": "7ABC123"},
                          detail={"recipient_agency": ("Long Beach Police Department"
                                                       if i % 2 else "Torrance PD")},
                          minutes=len(out)))
        out.append(_entry(len(out) + 1, "search",
                          query={"pattern": "7ABC123", "mode": "exact"},
                          detail={"plates_found": 1, "result_plates": ["7ABC123"]},
                          minutes=len(out)))
        out.append(_entry(len(out) + 1, "search.page", query={"pattern": "7ABC12?",
                                                              "mode": "wildcard",
                                                              "after": {"read_id": i}},
                          minutes=len(out)))
    out.append(_entry(len(out) + 1, "image.view", outcome="refused",
                      query={"read_id": 82, "plate": "7ABC123"}, minutes=len(out)))
    return out


def test_the_planted_station_log_gives_the_same_flags_as_every_entry_worked_out(
        sim: Simulation, monkeypatch: pytest.MonkeyPatch) -> None:
    entries = list(sim.store.audit.iter_rows(AuditFilter()))
    remembered = OversightAnalyzer(OversightConfig())
    assert remembered.feed_rows(entries) == len(entries)
    _afresh(monkeypatch)
    afresh = OversightAnalyzer(OversightConfig())
    afresh.feed_rows(entries)
    vehicles = sim.store.oversight_queries.vehicle_words
    first = remembered.finish(vehicles)
    assert first.ranking[0].username == STALKER  # the planted world, not an empty one
    assert everything(first) == everything(afresh.finish(vehicles))
    assert 0 < len(remembered._plans) < len(entries)  # contents did repeat


def test_what_the_checks_do_not_read_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    entries = _views_and_disclosures()
    config = OversightConfig(repeat_threshold=3)
    remembered = OversightAnalyzer(config)
    for e in entries:
        remembered.feed(e)
    kept = snapshot(remembered)
    result = remembered.finish()
    _afresh(monkeypatch)
    afresh = OversightAnalyzer(config)
    for e in entries:
        afresh.feed(e)
    assert everything(result) == everything(afresh.finish())
    # The eight views of the plate through eight reads are eight look-ups of it, not one.
    repeat = next(f for f in result.findings() if f.key == "repeat|officer|7ABC123")
    assert [s for s in repeat.seqs if s <= 8] == list(range(1, 9))
    # The views whose query is not JSON reached nothing; the other forms of the plate did.
    assert 9 not in repeat.seqs and 10 not in repeat.seqs
    assert {12, 13} <= set(repeat.seqs)
    assert result.summary.disclosures_by_agency == {
        "Torrance PD": 3, "Long Beach Police Department": 3}
    contractor = next(f for f in result.flags if f.code == "contractor_access")
    assert [i.seqs for i in contractor.items] == [[15]]
    # Counters kept after them and fed the same entries again say the same as afresh.
    resumed = restore(kept, config)
    again = OversightAnalyzer(config)
    for e in entries:
        again.feed(e)
    more = [dataclasses.replace(e, seq=e.seq + len(entries)) for e in entries]
    for e in more:
        resumed.feed(e)
        again.feed(e)
    assert everything(resumed.finish()) == everything(again.finish())
