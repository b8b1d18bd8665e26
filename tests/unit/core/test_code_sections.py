"""California code sections and police shorthand, as the purpose gate reads them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alpr_desktop.core.code_sections import find_citations
from alpr_desktop.core.police_shorthand import expand_shorthand


@pytest.mark.parametrize(("text", "expected"), [
    ("487(d)(1) PC", [("PC", "487(d)(1)")]),
    ("246 PC", [("PC", "246")]),
    ("20002(a) VC", [("VC", "20002(a)")]),
    ("HS 11378", [("HS", "11378")]),
    ("PC 211", [("PC", "211")]),
    ("11350(a) H&S", [("HS", "11350(a)")]),
    ("H&S 11351.5", [("HS", "11351.5")]),
    ("hsc11379", [("HS", "11379")]),
    ("CVC 2800.2", [("VC", "2800.2")]),
    ("VC20001(a)", [("VC", "20001(a)")]),
    ("B&P 25662", [("BP", "25662")]),
    ("WIC 602", [("WIC", "602")]),
    ("Penal Code section 245(a)(1)", [("PC", "245(a)(1)")]),
    ("section 594(b)(1) of the Penal Code", [("PC", "594(b)(1)")]),
    ("PC §459", [("PC", "459")]),
    ("§ 459 PC", [("PC", "459")]),
    ("sec. 10851 VC", [("VC", "10851")]),
    ("459/487 PC", [("PC", "459"), ("PC", "487")]),
    ("11377/11378 H&S", [("HS", "11377"), ("HS", "11378")]),
    ("on 11/20 PC 211", [("PC", "211")]),
    ("a 211 suspect", [("PC", "211")]),
    ("the 459 call", [("PC", "459")]),
    ("10851 veh", [("VC", "10851")]),
])
def test_sections_are_found(text: str, expected: list[tuple[str, str]]) -> None:
    for written in (text, text.lower(), text.upper()):
        found = find_citations(written)
        assert [(c.code, c.section.lower()) for c in found] == expected, written
        assert all(c.criminal for c in found)


@pytest.mark.parametrize("text", [
    "211 E Carson St", "at 211 Main St", "on 11/20 at 2310 hrs", "the 405 freeway",
    "at the BP on Carson", "2 pc of chicken", "plate 8ABC123", "case 26-004512",
    "21900 S Avalon Blvd", "between 0800-1600 hrs",
])
def test_numbers_that_are_not_sections(text: str) -> None:
    assert [c for c in find_citations(text.lower()) if c.criminal] == []


@pytest.mark.parametrize(("text", "label", "what"), [
    ("W&I 5150", "W&I 5150", "mental-health hold"),
    ("wic 300", "W&I 300", "dependency"),
    ("5150 subject", "W&I 5150", "mental-health hold"),
    ("VC 22651", "VC 22651", "tow"),
    ("B&P 17200", "B&P 17200", "unfair-competition"),
    ("PC 14205", "PC 14205", "missing-person"),
])
def test_non_criminal_sections_are_found_but_not_crimes(text: str, label: str,
                                                        what: str) -> None:
    [c] = find_citations(text.lower())
    assert not c.criminal and c.label == label and what in c.what


@pytest.mark.parametrize(("text", "expected"), [
    ("S/ fled in wht veh", "suspect fled in white vehicle"),
    ("R/P saw it @ 0200, need RO", "reporting party saw it at 0200, need registered owner"),
    ("21500 blk Orrick, blk Honda", "21500 block Orrick, black Honda"),
    ("LBPD DR 26-004512, Gladwick Dr", "LBPD report 26-004512, Gladwick Dr"),
    ("S/veh a gry Altima", "suspect vehicle a gray Altima"),
    ("V/Honda", "victim Honda"),
    ("W/ a bat, w/b Carson, w/o plates", "with a bat, westbound Carson, without plates"),
    ("H&R TC at Avalon x Carson", "hit and run traffic collision at Avalon and Carson"),
    ("GTA, ADW, F/U", "grand theft auto, assault with a deadly weapon, follow-up"),
    ("approx 2300 hrs btwn 11/2-11/3", "approximately 2300 hours between 11/2-11/3"),
    ("LKL of susp", "last known whereabouts of suspect"),
    ("n/a, and/or, his/her, I'd", "n/a, and/or, his/her, I'd"),
    ("B&P 17200, W&I 5150", "B&P 17200, W&I 5150"),
    ("LKL DR, pull DR, GLADWICK DR, E 223RD DR", "last known whereabouts report, pull report, "
     "GLADWICK DR, E 223RD DR"),
    ("case 26-004512 blk Civic, VC 22651 blk Civic", "case 26-004512 black Civic, VC 22651 "
     "black Civic"),
])
def test_shorthand_is_spelled_out(text: str, expected: str) -> None:
    assert " ".join(expand_shorthand(text).split()) == expected


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_never_raise(text: str) -> None:
    assert isinstance(expand_shorthand(text), str)
    assert isinstance(find_citations(text), list)
