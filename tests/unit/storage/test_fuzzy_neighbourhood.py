"""Fuzzy resolution through the key-deletion table (migration 0020) answers exactly what
probing every key one edit away answered (issue 20, plan step 3)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from alpr_desktop.core.patterns import MatchKind, Mode, classify_fuzzy, fuzzy_keys, parse
from alpr_desktop.core.plates import MAX_PLATE_LEN, ocr_key
from alpr_desktop.storage.db import Store, open_store
from alpr_desktop.storage.fuzzy import FuzzyPlates, deletions
from alpr_desktop.storage.plate_search import SqlCipherPlateSearch
from alpr_desktop.storage.plates import resolve_plate_ids
from alpr_desktop.storage.search_queries import SearchQueries

# A small alphabet dense in look-alikes, so random plates have many neighbours one edit away.
_ALPHABET = "AB8C1IL0OD7"
_EDGE = ["A", "B", "AB", "BA", "AAA", "AAAA", "AAAAA", "1I1", "11I1L", "8B8B", "ABAB",
         "AABB", "ABBA", "0OQD", "A" * MAX_PLATE_LEN, "AB" * (MAX_PLATE_LEN // 2),
         "7" * (MAX_PLATE_LEN - 1), "C7C7C7C"]


def _random_plates(rng: random.Random, n: int) -> list[str]:
    return ["".join(rng.choice(_ALPHABET) for _ in range(rng.randint(1, MAX_PLATE_LEN)))
            for _ in range(n)]


def _mutate(rng: random.Random, plate: str) -> str:
    """The plate with one random substitution, insertion or deletion (or none)."""
    i = rng.randrange(len(plate) + 1)
    op = rng.choice("sidn")
    ch = rng.choice(_ALPHABET)
    if op == "s" and i < len(plate):
        return plate[:i] + ch + plate[i + 1:]
    if op == "i" and len(plate) < MAX_PLATE_LEN:
        return plate[:i] + ch + plate[i:]
    if op == "d" and i < len(plate) and len(plate) > 3:
        return plate[:i] + plate[i + 1:]
    return plate


def _add(store: Store, plates: list[str]) -> dict[str, int]:
    with store.transaction() as c:
        return resolve_plate_ids(c, sorted(set(plates)))


def _matches(store: Store, text: str, *, probe_all: bool) -> dict[int, MatchKind]:
    """Plate id -> match kind for a fuzzy search of ``text``: through the deletion table, or
    (the resolution before migration 0020) by probing every key one edit away."""
    fk = fuzzy_keys(parse(text, Mode.FUZZY))
    hits = (SearchQueries(store).by_keys([fk.key, *sorted(fk.near)]) if probe_all
            else FuzzyPlates(store).candidates(fk.key))
    out = {}
    for h in hits:
        kind = classify_fuzzy(h.plate, h.key, fk)
        if kind is not None:
            out[h.id] = kind
    return out


def _levenshtein_le1(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) <= 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


@pytest.fixture
def plates(store: Store) -> dict[str, int]:
    rng = random.Random(20)
    return _add(store, _random_plates(rng, 3000) + _EDGE)


def test_same_plates_as_probing_every_key_one_edit_away(
        store: Store, plates: dict[str, int]) -> None:
    rng = random.Random(7)
    stored = sorted(plates)
    queries = [p for p in _EDGE if len(p) >= 3]
    queries += [_mutate(rng, rng.choice(stored)) for _ in range(300)]
    queries = [q for q in queries if len(q) >= 3]
    total = 0
    for q in queries:
        new = _matches(store, q, probe_all=False)
        assert new == _matches(store, q, probe_all=True), q
        key = ocr_key(q)
        assert set(new) == {i for p, i in plates.items() if _levenshtein_le1(ocr_key(p), key)}, q
        total += len(new)
    assert total > len(queries)  # the data is dense enough to have neighbours to find


def test_two_edits_sharing_a_deletion_are_left_out(store: Store) -> None:
    """ABCD and BACD share the deletions ACD and BCD (at different positions), yet a swap is
    two edits: the candidate is dropped, the plates one edit away are kept."""
    ids = _add(store, ["ABCD", "BACD", "ABCE", "ABC", "ABCDE", "XBCD"])
    found = _matches(store, "ABCD", probe_all=False)
    assert ids["BACD"] not in found
    assert {ids[p] for p in ("ABCE", "ABC", "ABCDE", "XBCD")} <= set(found)
    assert found[ids["ABCD"]] is MatchKind.EXACT


def test_repeated_characters_store_each_deletion_once(store: Store) -> None:
    ids = _add(store, ["AAAC"])
    rows = store.query("SELECT variant FROM plate_key_deletions WHERE plate_id = ? "
                       "ORDER BY variant", (ids["AAAC"],))
    assert [r[0] for r in rows] == deletions("AAAC") == ["AAA", "AAC"]


def test_a_deleted_plate_leaves_no_deletions(store: Store) -> None:
    """Every position of every length up to MAX_PLATE_LEN goes with the plate (the trigger
    spells the positions out)."""
    gone = ["7ABC123", "A1B2C3D4E5", "XYZ", "AAAA", "7"]
    ids = _add(store, [*gone, "7ABC124"])
    assert max(map(len, gone)) == MAX_PLATE_LEN
    with store.transaction() as c:
        c.executemany("DELETE FROM plates WHERE id = ?", [(ids[p],) for p in gone])
    left = {r[0] for r in store.query("SELECT DISTINCT plate_id FROM plate_key_deletions")}
    assert left == {ids["7ABC124"]}
    assert set(_matches(store, "7ABC123", probe_all=False)) == {ids["7ABC124"]}


def test_the_search_resolves_through_the_table(store: Store) -> None:
    """A plate one insertion away is found only through plate_key_deletions (no probe of
    plates_ocr_key can reach a longer key): emptied behind the search's back, it is missed."""
    ids = _add(store, ["7ABC123", "7ABC1234"])
    search = SqlCipherPlateSearch(store)
    pattern = parse("7ABC123", Mode.FUZZY)
    tiers = {t.kind: set(t.plate_ids) for t in search._resolve_now(pattern).tiers}
    assert tiers[MatchKind.ONE_EDIT] == {ids["7ABC1234"]}
    with store.transaction() as c:
        c.execute("DELETE FROM plate_key_deletions")
    tiers = {t.kind: set(t.plate_ids) for t in search._resolve_now(pattern).tiers}
    assert MatchKind.ONE_EDIT not in tiers


def test_migration_builds_the_table_for_an_existing_store(
        store: Store, store_path: Path, key: bytes, plates: dict[str, int]) -> None:
    """A store from before migration 0020 (its table and trigger dropped, its version row
    removed) gets the same rows the insert path writes."""
    before = store.query("SELECT variant, plate_id FROM plate_key_deletions ORDER BY 1, 2")
    assert len(before) > len(plates)
    with store.transaction() as c:
        c.execute("DROP TRIGGER plate_key_deletions_ad")
        c.execute("DROP TABLE plate_key_deletions")
        c.execute("DELETE FROM schema_version WHERE version = 20")
    store.close()
    again = open_store(store_path, key)
    try:
        after = again.query("SELECT variant, plate_id FROM plate_key_deletions ORDER BY 1, 2")
        assert after == before
        assert {r[0] for r in again.query(
            "SELECT name FROM sqlite_master WHERE name = 'plate_key_deletions_ad'")} == {
            "plate_key_deletions_ad"}
    finally:
        again.close()
