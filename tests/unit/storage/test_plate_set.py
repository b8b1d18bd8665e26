"""SearchQueries.wildcard: the plates a pattern resolves to, built as one row of JSON arrays
in SQLite (issue 20), are exactly the plates the pattern matches, with their names when the
plan reads them, whatever the plan."""

from __future__ import annotations

import fnmatch

import pytest

from alpr_desktop.core.patterns import Mode, parse
from alpr_desktop.storage import Store
from alpr_desktop.storage.plates import resolve_plate_ids
from alpr_desktop.storage.search_queries import SearchQueries

PLATES = ["7ABC123", "7ABD456", "7AZ0001", "8XBC129", "ABC1234", "9ZZZ999", "1BC1000", "7AB0BC1"]


@pytest.fixture
def ids(store: Store) -> dict[str, int]:
    with store.transaction() as c:
        return resolve_plate_ids(c, PLATES)


@pytest.mark.parametrize(("text", "mode", "plan_word", "named"), [
    ("7AB*", Mode.WILDCARD, "prefix", True),
    ("BC1", Mode.SUBSTRING, "phrase", False),
    ("?BC1*", Mode.WILDCARD, "trigram index on", True),
    ("?A?C*", Mode.WILDCARD, "scan", True),
])
def test_each_plan_resolves_exactly_the_matching_plates(
    store: Store, ids: dict[str, int], text: str, mode: Mode, plan_word: str, named: bool,
) -> None:
    pattern = parse(text, mode)
    found, plan = SearchQueries(store).wildcard(pattern, 1000)
    assert plan_word in plan
    expected = {p for p in PLATES if fnmatch.fnmatchcase(p, pattern.glob())}
    assert expected  # the case means something
    assert sorted(found.ids) == sorted(ids[p] for p in expected)
    assert len(set(found.ids)) == len(found.ids)
    if named:
        assert found.names == {ids[p]: p for p in expected}
    else:
        assert found.names is None  # the phrase plan reads no plate: the page joins them


def test_the_limit_cuts_the_set_and_names_stay_paired(store: Store, ids: dict[str, int]) -> None:
    found, _ = SearchQueries(store).wildcard(parse("7A*", Mode.WILDCARD), 2)
    assert len(found.ids) == 2
    assert found.names is not None
    assert set(found.names) == set(found.ids)
    assert all(ids[plate] == pid for pid, plate in found.names.items())


def test_no_match_is_an_empty_set(store: Store, ids: dict[str, int]) -> None:
    found, _ = SearchQueries(store).wildcard(parse("QQ*", Mode.WILDCARD), 10)
    assert found.ids == ()
    assert not found.names


def test_the_set_carries_its_ids_as_json_for_the_queries(store: Store,
                                                         ids: dict[str, int]) -> None:
    """The ids' JSON text as SQLite built it goes to json_each as it is; ids of another
    origin (a tier split off the set) are encoded."""
    import json

    from alpr_desktop.storage.search_queries import PlateIds, ids_param

    found, _ = SearchQueries(store).wildcard(parse("7A*", Mode.WILDCARD), 100)
    assert json.loads(ids_param(found.ids)) == list(found.ids)
    assert isinstance(found.ids, PlateIds)
    assert ids_param(found.ids) is found.ids.json  # not encoded again
    assert ids_param((3, 1, 2)) == "[3, 1, 2]"
