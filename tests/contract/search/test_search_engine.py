"""The engine through SearchService: each match kind, best match first, hostile input."""

from __future__ import annotations

import pytest
from search_helpers import Seeded, log_entries

from alpr_desktop.core.patterns import MatchKind, PatternError, PatternTooBroadError
from alpr_desktop.storage import plate_search as search_mod


def _kinds(page_rows: list) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for row in page_rows:
        out.setdefault(row.kind.label, set()).add(row.read.plate_norm)
    return out


def test_exact(seeded: Seeded) -> None:
    page = seeded.search("7abc 123")
    assert [r.read.plate_norm for r in page.rows] == ["7ABC123"] * 3
    assert {r.kind for r in page.rows} == {MatchKind.EXACT}
    assert [r.read.recorded_at for r in page.rows] == sorted(
        (r.read.recorded_at for r in page.rows), reverse=True)
    assert page.total == 3 and not page.has_more and page.plates_matched == 1


def test_exact_with_no_such_plate_returns_nothing(seeded: Seeded) -> None:
    page = seeded.search("9ZZZ999")
    assert page.rows == () and page.total == 0 and page.plates_matched == 0


def test_exact_does_not_return_look_alikes_or_candidates(seeded: Seeded) -> None:
    plates = {r.read.plate_norm for r in seeded.search("7ABC123", "exact").rows}
    assert plates == {"7ABC123"}


def test_fuzzy_finds_every_kind_best_first(seeded: Seeded) -> None:
    page = seeded.search("7ABC123", "fuzzy")
    kinds = _kinds(list(page.rows))
    assert kinds["exact"] == {"7ABC123"}
    assert kinds["candidate"] == {"7XYZ999"}
    assert kinds["look-alike"] == {"7A8C123"}
    # 7ABC12 drops a character, 7ABX123 changes one; 8ABC123 and BABC123 change the 7
    assert kinds["one edit"] == {"7ABC12", "7ABX123", "8ABC123", "BABC123"}
    assert "4QRS555" not in {r.read.plate_norm for r in page.rows}
    ranks = [int(r.kind) for r in page.rows]
    assert ranks == sorted(ranks)
    cand = next(r for r in page.rows if r.kind is MatchKind.CANDIDATE)
    assert cand.matched_plate == "7ABC123"  # the alternate that matched, for the analyst
    assert page.total == len(page.rows) == 3 + 1 + 1 + 4


def test_fuzzy_look_alike_pairs_both_ways(seeded: Seeded) -> None:
    a = _kinds(list(seeded.search("8ABC123", "fuzzy").rows))
    b = _kinds(list(seeded.search("BABC123", "fuzzy").rows))
    assert a["exact"] == {"8ABC123"} and a["look-alike"] == {"BABC123"}
    assert b["exact"] == {"BABC123"} and b["look-alike"] == {"8ABC123"}


def test_fuzzy_typed_with_a_look_alike_still_finds_the_plate(seeded: Seeded) -> None:
    kinds = _kinds(list(seeded.search("7A8CI23", "fuzzy").rows))  # 8 for B, I for 1
    assert kinds["look-alike"] >= {"7ABC123", "7A8C123"}
    assert "exact" not in kinds


def test_a_read_appears_once_with_its_best_kind(seeded: Seeded) -> None:
    rows = seeded.all_rows("7ABC123", "fuzzy", page_size=2)
    ids = [r.read.id for r in rows]
    assert len(ids) == len(set(ids)) == 9


def test_wildcard_prefix_and_single_character(seeded: Seeded) -> None:
    page = seeded.search("7AB*")
    assert {r.read.plate_norm for r in page.rows} == {"7ABC123", "7ABC12", "7ABX123"}
    assert {r.kind for r in page.rows} == {MatchKind.WILDCARD}
    page = seeded.search("7?BC12?")
    assert {r.read.plate_norm for r in page.rows} == {"7ABC123"}
    page = seeded.search("*BC12*")
    assert {r.read.plate_norm for r in page.rows} == {"7ABC123", "7ABC12", "8ABC123",
                                                        "BABC123"}


def test_substring_puts_the_exact_plate_first(seeded: Seeded) -> None:
    page = seeded.search("7ABC12", "substring")
    assert [(r.read.plate_norm, r.kind) for r in page.rows][:1] == [("7ABC12",
                                                                       MatchKind.EXACT)]
    assert {r.read.plate_norm for r in page.rows[1:]} == {"7ABC123"}
    # a "Contains" search is labelled as such, not "wildcard"
    assert {r.kind for r in page.rows[1:]} == {MatchKind.SUBSTRING}
    assert {r.kind.label for r in page.rows[1:]} == {"substring"}


def test_plan_says_how_the_pattern_resolved(seeded: Seeded) -> None:
    assert "trigram index phrase 'ABC'" in seeded.search("*ABC*").plan
    assert "trigram index on 'BC1'" in seeded.search("*BC1?3").plan
    assert "prefix '7A'" in seeded.search("7A?C*").plan
    scan = seeded.search("*A?C*")
    assert "scan of all distinct plates" in scan.plan
    assert {r.read.plate_norm for r in scan.rows} >= {"7ABC123", "8ABC123"}
    assert "look-alike key" in seeded.search("7ABC123", "fuzzy").plan


@pytest.mark.parametrize("text", ["NEAR", "near", "OR1AND", "or1and"])
def test_fts_keywords_are_literal_plates(seeded: Seeded, text: str) -> None:
    for mode in ("exact", "substring", "fuzzy"):
        plates = {r.read.plate_norm for r in seeded.search(text, mode).rows}
        assert text.upper() in plates, mode
    assert {r.read.plate_norm for r in seeded.search("NEA*").rows} == {"NEAR"}
    assert {r.read.plate_norm for r in seeded.search("*1AND").rows} == {"OR1AND"}
    # FTS5 operators between words are just more plate letters, never query syntax
    assert seeded.search("7AB OR *").pattern.text == "7ABOR*"
    assert seeded.search("7AB OR *").rows == ()


@pytest.mark.parametrize("text", [
    "7ABC123' OR '1'='1", "7AB\" OR \"", "NEAR(7AB, 2)", "%", "_", "7ABC\x00",
    "", "*", "**", "7ABC123; DROP TABLE reads", "^7AB", "7AB{1}", "7AB[C]",
])
def test_hostile_input_is_refused_and_changes_nothing(seeded: Seeded, text: str) -> None:
    before = len(log_entries(seeded.world.store))
    with pytest.raises(PatternError) as caught:
        seeded.search(text)
    after = log_entries(seeded.world.store)
    if isinstance(caught.value, PatternTooBroadError):
        # a pattern that matches every plate is a refused attempt (issue 21), on record
        [refused] = after[before:]
        assert (refused.event, refused.detail["reason"]) == ("gate.refused", "too_broad")
    else:
        assert len(after) == before  # nothing searched, nothing logged
    assert seeded.search("7ABC123").total == 3  # the store is untouched


def test_cyrillic_look_alike_letters_match_the_latin_plate(seeded: Seeded) -> None:
    page = seeded.search("7АВС123")  # Cyrillic А, В, С
    assert page.pattern.text == "7ABC123" and page.total == 3


@pytest.mark.backend_specific("sqlcipher")
def test_too_broad_patterns_are_refused(seeded: Seeded, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_mod, "MAX_PLATES", 3)
    with pytest.raises(PatternError, match="more than 3 different plates"):
        seeded.search("*BC*")
    assert seeded.search("7AB*").plates_matched == 3


def test_rows_carry_the_read(seeded: Seeded) -> None:
    [row] = [r for r in seeded.search("4QRS555").rows]
    read = row.read
    assert (read.make, read.color, read.state, read.camera_name) == (
        "Tesla", "White", "CA", "Avalon & 223rd NB")
    assert read.location == "Avalon Blvd at 223rd St"
