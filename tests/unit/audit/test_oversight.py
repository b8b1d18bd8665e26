"""The report's summary counts and oversight flags, from a log with known content."""

from __future__ import annotations

import json
from datetime import time

from audit_helpers import known_events

from alpr_desktop.core.audit_log import GENESIS_HASH, LogEntry, LogEvent
from alpr_desktop.core.oversight import Flag, OversightConfig, OversightResult, analyze


def _entries(events: list[tuple[LogEvent, int]]) -> list[LogEntry]:
    out = []
    for seq, (ev, ts) in enumerate(events, 1):
        out.append(LogEntry(
            seq, ts, ev.event, ev.outcome, ev.username, ev.organization, ev.agency,
            ev.workstation, json.dumps(ev.purpose), json.dumps(ev.query), ev.result_count,
            json.dumps(ev.detail), GENESIS_HASH, GENESIS_HASH,
        ))
    return out


def _result(**config: object) -> OversightResult:
    return analyze(_entries(known_events()), OversightConfig(**config))  # type: ignore[arg-type]


def _flag(result: OversightResult, code: str) -> Flag:
    return next(f for f in result.flags if f.code == code)


def test_summary_counts() -> None:
    s = _result().summary
    assert s.total == 14 and (s.first_seq, s.last_seq) == (1, 14)
    assert s.by_event["search"] == 7
    assert s.by_event["signin.failed"] == 2
    assert s.queries == 6  # the refused search (#14) showed nothing: not a query
    assert s.queries_by_user == {
        "officer (LASD Carson Station)": 3,
        "officer2 (LASD Lakewood Station)": 2,
        "vendor (Acme ALPR Services)": 1,
    }
    assert s.queries_by_org == {"LASD Carson Station": 3, "LASD Lakewood Station": 2,
                                "Acme ALPR Services": 1}
    assert s.queries_by_category == {"Criminal investigation": 6}
    assert s.disclosures_by_agency == {"Long Beach Police Department": 1}
    assert s.failed_signins_by_user == {"officer2": 2}
    assert s.lockouts_by_user == {"officer2": 1}
    assert s.refusals == {"vendor: search_reads": 1, "officer: search": 1}


def test_vague_purposes_are_flagged_with_their_entries() -> None:
    flag = _flag(_result(), "vague_purpose")
    by_seq = {tuple(i.seqs): i for i in flag.items}
    assert set(by_seq) == {(5,), (6,)}
    assert "investigation" in by_seq[(5,)].subject
    assert "generic" in by_seq[(5,)].note
    # The report shows the finding only: the dialog's advice and example are for the user.
    assert "good narrative" not in by_seq[(5,)].note
    assert "Say what happened" not in by_seq[(5,)].note
    assert "case" in by_seq[(6,)].note.lower()
    assert flag.entry_count == 2


def test_repeated_lookups_count_one_plate_however_it_was_typed() -> None:
    flag = _flag(_result(), "repeated_lookup")
    # three searches and an image view (#13) under another case: not one case, not explained
    assert [(i.subject, i.seqs) for i in flag.items] == [
        ("officer (LASD Carson Station)", [2, 3, 4, 13])
    ]
    assert flag.items[0].note == ("Looked up plate 7ABC123 4 times over 8 days, 2026-01-05 to "
                                  "2026-01-12 (3 "
                                  "searches typing the plate, 1 image view), under 2 different "
                                  "case numbers.")
    assert _flag(_result(repeat_threshold=5), "repeated_lookup").items == []


def test_off_hours_in_site_time() -> None:
    assert _flag(_result(), "off_hours").items == []  # fewer than 3 per user
    flag = _flag(_result(off_hours_threshold=1), "off_hours")
    # Mon 23:30 is night on a working day, Sat 10:00 a weekend
    assert [(i.key, i.seqs) for i in flag.items] == [("weekend|vendor", [11]),
                                                     ("night|officer2", [6])]
    wide = _flag(_result(work_start=time(0, 0), work_end=time(23, 59), off_hours_threshold=1,
                         work_days=frozenset(range(7)), night_start=time(23, 59),
                         night_end=time(0, 0)), "off_hours")
    assert wide.items == []


def test_high_volume_against_the_median() -> None:
    assert _flag(_result(), "high_volume").items == []  # minimum not reached
    flag = _flag(_result(volume_factor=1.4, volume_minimum=3), "high_volume")
    # searches: officer 3 (the refused one is not), officer2 2, vendor 1 -> median 2; 3 > 2.8
    assert [(i.subject, i.seqs) for i in flag.items] == [
        ("officer (LASD Carson Station)", [2, 3, 4])
    ]


def test_contractor_access_lists_the_permission() -> None:
    flag = _flag(_result(), "contractor_access")
    assert [(i.subject, i.seqs) for i in flag.items] == [
        ("vendor (Acme ALPR Services), written permission WP-2026-007", [11])
    ]


def test_entries_with_junk_fields_are_tolerated() -> None:
    junk = LogEntry(1, 0, "search", "ok", "x", "", "", "", "[1,2]", "not json", None,
                    "null", GENESIS_HASH, GENESIS_HASH)
    odd = LogEntry(2, 0, "search", "ok", "x", "", "", "", '{"category": 5, "narrative": ["a"]}',
                   '{"pattern": 7}', None, "{}", GENESIS_HASH, GENESIS_HASH)
    result = analyze([junk, odd])
    assert result.summary.queries == 2
    assert result.summary.queries_by_category["(not recorded)"] == 1
