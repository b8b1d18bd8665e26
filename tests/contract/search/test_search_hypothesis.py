"""Random text into the parser and the engine: a Pattern of plate characters or a sentence,
never a crash, never SQL or FTS5 syntax, and every result really matches."""

from __future__ import annotations

import fnmatch

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from search_helpers import Seeded

from alpr_desktop.core.patterns import Mode, PatternError, parse
from alpr_desktop.core.search import SearchInputError

PLATE_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
# Plate-ish characters, wildcards, SQL/FTS syntax, separators, control and look-alike letters.
ALPHABET = st.sampled_from(list(
    "7ABC1238XZ0OIl5S*?*%_'\";()-. \t\n\x00\x1b\u200bАВСЕ\uff21NEAROR^:{}[]\\|"
))
TEXT = st.one_of(st.text(ALPHABET, max_size=20), st.text(max_size=80))
MODES = st.sampled_from(list(Mode))


@given(text=TEXT, mode=MODES)
@settings(max_examples=800, deadline=None)
def test_parser_returns_a_clean_pattern_or_a_sentence(text: str, mode: Mode) -> None:
    try:
        p = parse(text, mode)
    except PatternError as exc:
        assert str(exc) and str(exc)[-1] == "."
        return
    assert set(p.text) <= PLATE_CHARS | {"*", "?"}
    assert p.mode is not Mode.AUTO
    assert p.literal and len(p.literal) <= 10
    if p.mode in (Mode.EXACT, Mode.FUZZY):
        assert set(p.text) <= PLATE_CHARS
    assert "**" not in p.text


@given(text=st.text(ALPHABET, max_size=14), mode=MODES)
@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_engine_answers_or_refuses_and_results_match(
    seeded: Seeded, text: str, mode: Mode
) -> None:
    try:
        page = seeded.search(text, mode, page_size=50)
    except (PatternError, SearchInputError):
        return
    p = page.pattern
    for row in page.rows:
        plate = row.read.plate_norm
        if p.mode is Mode.EXACT:
            assert plate == p.text
        elif p.mode in (Mode.WILDCARD, Mode.SUBSTRING):
            assert fnmatch.fnmatchcase(plate, p.glob())
        else:
            assert row.kind.label in ("exact", "candidate", "look-alike", "one edit")
