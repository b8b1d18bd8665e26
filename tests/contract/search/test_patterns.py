"""The pattern parser: modes, normalization, and refusal of hostile or useless input."""

from __future__ import annotations

import pytest

from alpr_desktop.core.patterns import (
    MAX_INPUT_LEN,
    Mode,
    PatternError,
    parse,
)


@pytest.mark.parametrize(
    ("text", "mode", "want_text", "want_mode"),
    [
        ("7abc123", "auto", "7ABC123", Mode.EXACT),
        (" 7-ABC 123 ", "exact", "7ABC123", Mode.EXACT),
        ("7ab*", "auto", "7AB*", Mode.WILDCARD),
        ("7?bc12?", "auto", "7?BC12?", Mode.WILDCARD),
        ("7AB*", "exact", "7AB*", Mode.WILDCARD),  # auto-detected even when exact was asked
        ("7A**B***", "wildcard", "7A*B*", Mode.WILDCARD),  # runs of * collapse
        ("B12", "substring", "B12", Mode.SUBSTRING),
        ("*B12*", "substring", "B12", Mode.SUBSTRING),  # the implied stars are stripped
        ("7abc123", "fuzzy", "7ABC123", Mode.FUZZY),
        ("７ＡＢＣ１２３", "auto", "7ABC123", Mode.EXACT),  # full-width folded (NFKC)
        ("7АВС123", "auto", "7ABC123", Mode.EXACT),  # Cyrillic А, В, С folded to Latin
        ("7ΑΒC123", "auto", "7ABC123", Mode.EXACT),  # Greek Alpha, Beta
        ("NEAR", "auto", "NEAR", Mode.EXACT),  # FTS5 keywords are plain plate letters
        ("OR", "auto", "OR", Mode.EXACT),
        ("and", "auto", "AND", Mode.EXACT),
    ],
)
def test_parses(text: str, mode: str, want_text: str, want_mode: Mode) -> None:
    p = parse(text, mode)
    assert (p.text, p.mode) == (want_text, want_mode)


@pytest.mark.parametrize(
    ("text", "mode", "says"),
    [
        ("", "auto", "Type a plate"),
        ("   ", "auto", "Type a plate"),
        ("- . -", "auto", "Type a plate"),
        ("*", "auto", "matches every plate"),
        ("**", "wildcard", "matches every plate"),
        ("?*?", "wildcard", "matches every plate"),
        ("A*", "wildcard", "too broad"),
        ("A", "substring", "too broad"),
        ("7AB", "fuzzy", None),  # fine: three characters
        ("7A", "fuzzy", "at least 3"),
        ("7AB*", "fuzzy", "Fuzzy search takes a whole plate"),
        ("7ABC123' OR 1=1 --", "auto", "cannot appear"),
        ('"7ABC"', "auto", "cannot appear"),
        ("7ABC%", "auto", "cannot appear"),
        ("7AB_C", "auto", "cannot appear"),
        ("NEAR(7AB 12)", "auto", "cannot appear"),
        ("7AB;DROP", "auto", "cannot appear"),
        ("7AB\x00C", "auto", "control"),
        ("7AB\u200bC", "auto", "control or invisible"),
        ("7AB\nC", "auto", "control"),
        ("7ÉBC", "auto", "cannot appear"),
        ("7ABЖ", "auto", "cannot appear"),  # a Cyrillic letter with no Latin twin
        ("7ABC1234567", "auto", "too long"),
        ("A" * (MAX_INPUT_LEN + 1), "auto", "too long"),
        ("7*A*B*C*1*2*3*4*5", "wildcard", "too long"),
        ("7ABC", "sideways", "Unknown match mode"),
    ],
)
def test_refuses_with_a_sentence(text: str, mode: str, says: str | None) -> None:
    if says is None:
        parse(text, mode)
        return
    with pytest.raises(PatternError) as err:
        parse(text, mode)
    assert says in str(err.value)
    assert str(err.value).endswith(".")


def test_non_text_is_refused() -> None:
    with pytest.raises(PatternError):
        parse(123, "auto")  # type: ignore[arg-type]


def test_glob_like_and_plan_helpers() -> None:
    p = parse("7?BC*", "wildcard")
    assert p.glob() == "7?BC*" and p.like() == "7_BC%"
    assert p.longest_run() == "BC" and p.prefix() == "7" and not p.uses_trigrams
    s = parse("B12", "substring")
    assert s.glob() == "*B12*" and s.like() == "%B12%" and s.prefix() == ""
    assert s.uses_trigrams and s.literal == "B12"
    w = parse("*B12*", "auto")
    assert w.mode is Mode.WILDCARD and w.uses_trigrams and w.prefix() == ""
    assert not parse("7ABC123").uses_trigrams  # exact patterns never need the trigram index


def test_only_plate_characters_and_wildcards_survive() -> None:
    for text in ("7ab-c 12·3", "７ａｂ＊", "x?y*z"):
        p = parse(text, "auto")
        assert set(p.text) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789*?")
