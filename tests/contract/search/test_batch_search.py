"""Batch search: a pasted or loaded list of plates under one purpose and one log entry,
grouped by plate, plates without reads listed too."""

from __future__ import annotations

import pytest
from search_helpers import T0, Seeded, log_entries

from alpr_desktop.core.patterns import PatternError
from alpr_desktop.core.search import (
    MAX_BATCH_PLATES,
    Filters,
    SearchInputError,
    parse_plate_list,
)


def test_groups_in_input_order_with_empty_groups(seeded: Seeded) -> None:
    res = seeded.svc.batch_search(seeded.ctx, ["4qrs555", "9NONE99", "7ABC123", "7abc-123"])
    assert [g.plate for g in res.groups] == ["4QRS555", "9NONE99", "7ABC123"]
    assert [len(g.rows) for g in res.groups] == [1, 0, 3]
    assert res.plates_without_reads == ["9NONE99"] and res.read_count == 4
    [e] = log_entries(seeded.world.store, "search.batch")
    assert e.query["plates"] == ["4QRS555", "9NONE99", "7ABC123"]
    assert e.query["mode"] == "batch_exact" and e.result_count == 4
    assert e.detail["plates_without_reads"] == ["9NONE99"]
    assert e.seq == res.log_seq
    assert not log_entries(seeded.world.store, "search")  # one entry for the whole batch


def test_filters_and_per_plate_cap(seeded: Seeded) -> None:
    res = seeded.svc.batch_search(seeded.ctx, ["7ABC123"], Filters(since=T0 - 40 * 3600))
    assert len(res.groups[0].rows) == 2
    res = seeded.svc.batch_search(seeded.ctx, ["7ABC123"], per_plate=1)
    assert len(res.groups[0].rows) == 1 and res.groups[0].truncated
    rows = res.groups[0].rows
    assert rows[0].read.recorded_at == T0 - 2 * 3600  # the newest


def test_refuses_wildcards_empty_and_oversized_lists(seeded: Seeded) -> None:
    with pytest.raises(PatternError, match="whole plates"):
        seeded.svc.batch_search(seeded.ctx, ["7AB*"])
    with pytest.raises(SearchInputError):
        seeded.svc.batch_search(seeded.ctx, [])
    with pytest.raises(SearchInputError):
        seeded.svc.batch_search(seeded.ctx, ["A1"] * (MAX_BATCH_PLATES + 1))
    assert not log_entries(seeded.world.store, "search.batch")


def test_plate_list_from_pasted_text() -> None:
    got = parse_plate_list("7abc123\n\n 8XYZ-999 \n7ABC123\nbad'plate\n7AB*\n")
    assert got.plates == ("7ABC123", "8XYZ999")
    assert len(got.problems) == 2
    assert got.problems[0].startswith("Line 5:") and "cannot appear" in got.problems[0]
    assert got.problems[1].startswith("Line 6:") and "whole plates" in got.problems[1]


def test_plate_list_from_csv_with_a_plate_column() -> None:
    text = 'case,Plate,note\n1,7ABC123,"seen, twice"\n2,4QRS555,x\n3,,empty\n'
    assert parse_plate_list(text).plates == ("7ABC123", "4QRS555")
    assert parse_plate_list("7ABC123,red\n4QRS555,blue\n").plates == ("7ABC123", "4QRS555")


def test_plate_list_refuses_too_many() -> None:
    text = "\n".join(f"A{i:05d}" for i in range(MAX_BATCH_PLATES + 1))
    with pytest.raises(SearchInputError, match="at most"):
        parse_plate_list(text)
