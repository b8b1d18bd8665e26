"""Fuzzy keys: one OCR-class key for look-alikes, and every key one edit away from it."""

from __future__ import annotations

import itertools
import random

import pytest
from search_helpers import Seeded

from alpr_desktop.core.patterns import (
    KEY_ALPHABET,
    FuzzyKeys,
    MatchKind,
    PatternError,
    classify_fuzzy,
    fuzzy_keys,
    one_edit_keys,
    parse,
)
from alpr_desktop.core.plates import MAX_PLATE_LEN, ocr_key


def _levenshtein(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def test_key_alphabet_is_the_class_representatives() -> None:
    assert len(KEY_ALPHABET) == 36 - 9
    for gone in "ODQILZSBG":
        assert gone not in KEY_ALPHABET
    assert set("0125869") <= set(KEY_ALPHABET)


@pytest.mark.parametrize(("a", "b"), [("8ABC123", "BABC123"), ("0O0", "DQO"), ("1IL", "LI1"),
                                       ("2Z", "Z2"), ("5S6G", "S5G6")])
def test_look_alikes_share_a_key(a: str, b: str) -> None:
    assert ocr_key(a) == ocr_key(b)


def test_one_edit_keys_count_and_content() -> None:
    key = "7A8C123"
    keys = one_edit_keys(key)
    n, k = len(key), len(KEY_ALPHABET)
    # deletions are distinct here (no repeated neighbours); insertions may coincide
    assert key not in keys
    assert len(keys) <= n + n * (k - 1) + (n + 1) * k
    assert len(keys) > 300  # a few hundred index probes, not thousands
    assert "7A8C12" in keys and "7A8C1234" in keys and "7A8X123" in keys
    assert all(set(x) <= set(KEY_ALPHABET) for x in keys)
    assert all(_levenshtein(key, x) == 1 for x in keys)


def test_one_edit_keys_are_complete() -> None:
    """Every key at edit distance one (over the key alphabet) is generated: brute force."""
    rng = random.Random(5)
    key = "".join(rng.choice(KEY_ALPHABET) for _ in range(4))
    keys = one_edit_keys(key)
    for length in (3, 4, 5):
        for cand in itertools.product("7A8C", repeat=length):
            s = "".join(cand)
            if _levenshtein(key, s) == 1:
                assert s in keys


def test_lengths_stay_within_a_plate() -> None:
    full = "A" * MAX_PLATE_LEN
    assert all(len(x) <= MAX_PLATE_LEN for x in one_edit_keys(full))
    assert "" not in one_edit_keys("A")


def test_fuzzy_keys_and_classification() -> None:
    fk = fuzzy_keys(parse("7abc123", "fuzzy"))
    assert fk.key == "7A8C123"
    assert classify_fuzzy("7ABC123", ocr_key("7ABC123"), fk) is MatchKind.EXACT
    assert classify_fuzzy("7A8C123", ocr_key("7A8C123"), fk) is MatchKind.LOOK_ALIKE
    assert classify_fuzzy("7ABC12", ocr_key("7ABC12"), fk) is MatchKind.ONE_EDIT
    assert classify_fuzzy("7ABX123", ocr_key("7ABX123"), fk) is MatchKind.ONE_EDIT
    # a look-alike plus an edit is one edit in key space: 8 for B, then X for C
    assert classify_fuzzy("7A8X123", ocr_key("7A8X123"), fk) is MatchKind.ONE_EDIT
    assert classify_fuzzy("7XYZ999", ocr_key("7XYZ999"), fk) is None
    assert classify_fuzzy("7ABC1", ocr_key("7ABC1"), fk) is None  # two edits


def test_fuzzy_keys_need_a_fuzzy_pattern() -> None:
    with pytest.raises(ValueError):
        fuzzy_keys(parse("7ABC123", "exact"))
    with pytest.raises(PatternError):
        parse("7A", "fuzzy")


def test_match_kinds_rank_best_first() -> None:
    order = sorted(MatchKind)
    assert [k.label for k in order] == ["exact", "candidate", "look-alike", "one edit",
                                       "wildcard", "substring", "corrected"]  # issue 16


@pytest.mark.backend_specific("sqlcipher")
def test_the_search_engine_classifies_with_the_tested_function(
    seeded: Seeded, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Production used its own copy of the tiering; it now calls classify_fuzzy, so the
    test above covers what searches do."""
    from alpr_desktop.storage import plate_search

    seen: list[str] = []

    def spy(plate: str, plate_key: str, fk: FuzzyKeys) -> MatchKind | None:
        seen.append(plate)
        return classify_fuzzy(plate, plate_key, fk)

    monkeypatch.setattr(plate_search, "classify_fuzzy", spy)
    page = seeded.search("7ABC123", "fuzzy")
    assert "7ABC123" in seen and page.plates_matched == len(seen)
