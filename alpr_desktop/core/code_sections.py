"""California code sections in a purpose narrative: "487(d)(1) PC", "HS 11378", "W&I 5150".

Officers name the crime by its section far more often than by its legal name, so the purpose
gate must read a section as a crime. Five codes are recognized: Penal (PC), Vehicle (VC),
Health and Safety (HS, H&S), Welfare and Institutions (WIC, W&I) and Business and Professions
(BP, B&P), with the code's name before or after the number, with subsections, and with or
without "section", "sec." or "§".

Not every section is a crime. A Welfare and Institutions section is mostly not (5150 is a
mental-health hold, 300 a dependency petition, 601 a truant or runaway minor); only the few
criminal ones below count. Some sections of the other codes are civil or administrative (a
tow, an impound, a missing-person report, B&P 17200's unfair competition): those are found but
marked as not a crime, so the gate can say why it refuses a narrative that names only them.
Infractions of the Vehicle Code are public offenses (Penal Code §16) and count as crimes.

Police radio shorthand also names crimes by a bare number ("a 211 suspect", "the 459 call");
a bare number counts only for well-known crime sections and only next to a word that makes it
a crime reference, so "211 E Carson St" stays an address.

Pure standard library; every pattern is linear (no nested unbounded quantifiers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Citation", "find_citations"]

# Canonical code -> the ways officers write its name.
_CODE_NAMES: dict[str, tuple[str, ...]] = {
    "PC": ("pc", "cpc", "penal code", "penal"),
    "VC": ("vc", "cvc", "vehicle code", "veh code", "veh\\. code"),
    "HS": ("hs", "h&s", "h & s", "h/s", "hsc", "h&sc", "health and safety code",
           "health & safety code", "health and safety", "health & safety"),
    "WIC": ("wic", "w&i", "w & i", "w/i", "wi", "w&ic", "welfare and institutions code",
            "welf\\. & inst\\. code", "welfare & institutions code"),
    "BP": ("bp", "b&p", "b & p", "b/p", "bpc", "b&pc", "business and professions code",
           "bus\\. & prof\\. code", "business & professions code"),
}
_NAME_TO_CODE = {
    re.sub(r"\\", "", alias).replace(" ", ""): code
    for code, aliases in _CODE_NAMES.items()
    for alias in aliases
}
_NAMES = "|".join(
    sorted((a.replace(" ", r"\s*") for aliases in _CODE_NAMES.values() for a in aliases),
           key=len, reverse=True)
)
# A section number: two to five digits, an optional decimal part ("273.5", "2800.2") and up to
# four subsections ("(d)(1)").
_NUMBER = r"\d{2,5}(?:\.\d{1,3})?(?:\s?\([a-z0-9]{1,4}\)){0,4}"
_SECTION_WORD = r"(?:sections?|secs?\.?|§{1,2})"
# Several numbers joined by "/", "," or "and": "459/487 PC", "PC 211, 245(a)(1)".
_NUMBERS = (
    rf"(?!\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?(?!\d))"  # not a date such as 11/20 or 3/4/26
    rf"{_NUMBER}(?:\s?(?:/|,|&|and)\s?{_NUMBER}){{0,4}}"
)
_AFTER_RE = re.compile(
    rf"(?<![\w./])(?:{_SECTION_WORD}\s?)?(?P<nums>{_NUMBERS})\s?(?:of\s(?:the\s)?)?"
    rf"(?P<code>{_NAMES})(?![\w&])",
    re.IGNORECASE,
)
_BEFORE_RE = re.compile(
    rf"(?<![\w&])(?P<code>{_NAMES})\s?(?:{_SECTION_WORD}\s?)?(?P<nums>{_NUMBERS})(?![\w.])",
    re.IGNORECASE,
)
_ONE_NUMBER_RE = re.compile(_NUMBER, re.IGNORECASE)
_TWO_DIGITS = re.compile(r"\d\d").search

# Sections of a code that are a crime, where most of the code is not (WIC).
_CRIMINAL_ONLY: dict[str, frozenset[str]] = {
    # juvenile law violation, escape from juvenile custody, welfare and Medi-Cal fraud
    "WIC": frozenset({"602", "871", "1768.7", "1768.8", "10980", "11483", "14107"}),
}
# Sections of a mostly criminal code that are not a crime.
_NOT_CRIMINAL: dict[str, frozenset[str]] = {
    "PC": frozenset({"14205", "14213", "1524", "1203.2", "11105", "13300"}),
    "VC": frozenset({"22651", "22669", "14602.6", "22850", "22852", "14607.6", "2814.2"}),
    "BP": frozenset({"17200", "17500"}),
}
# What a non-criminal section is, for the refusal message.
_NON_CRIME_NAMES: dict[tuple[str, str], str] = {
    ("WIC", "5150"): "a mental-health hold",
    ("WIC", "5585"): "a mental-health hold of a minor",
    ("WIC", "5250"): "a mental-health certification",
    ("WIC", "5008"): "a mental-health definition",
    ("WIC", "300"): "a child-dependency matter",
    ("WIC", "601"): "a truant or runaway minor",
    ("PC", "14205"): "a missing-person report",
    ("PC", "14213"): "a missing-person definition",
    ("VC", "22651"): "a tow",
    ("VC", "14602.6"): "an impound",
    ("BP", "17200"): "a civil unfair-competition matter",
}

# Bare numbers that officers use as the name of a crime, and the words that make them one.
_RADIO_CODES = frozenset(
    """
    148 187 207 209 211 215 220 236 242 243 245 246 261 264 266 273.5 273a 278 288 314 368
    415 417 422 451 459 470 476 484 487 488 496 503 530.5 594 646.9 664 666 10851 10852 20001
    20002 2800.2 2800.4 23103 23152 23153 11350 11351 11352 11357 11359 11377 11378 11379
    25850 29800 12022 32310
    """.split()  # noqa: SIM905 (a table, easier to read as one block)
)
_BARE_AFTER = (
    r"(?:susps?|suspects?|s/|veh|vehs|vehicles?|victims?|vict?s?|v/|call|calls|case|crew|"
    r"scene|report|rpt|occurred|occ|ip|in\sprogress|investigation|inv|arrest|incident|"
    r"attempt|spree|series|pattern|crime|crimes|offense|charge|charges|count|counts|"
    r"location|loc|at\sthe|w/|with|from|of|resd?|resi|residence|residential|comm|commercial|"
    r"auto|burg|burglary|robbery|theft|shooting|stabbing|assault|collision|tc|h&r)"
)
_BARE_BEFORE = (
    r"(?:a|an|the|re|ref|reference|poss|possible|attempted|att|felony|fel|misd|reported|"
    r"for|rptd|prior|multiple|two|three|several|this|that|another|separate|night's)"
)
_RADIO = "|".join(sorted((re.escape(c) for c in _RADIO_CODES), key=len, reverse=True))
_BARE_RE = re.compile(
    rf"(?:(?<![\w.#/-])(?P<a>{_RADIO})(?:/(?:{_RADIO}))*(?![\w.]|\s?-\s?\d|:\d)\s?{_BARE_AFTER}\b"
    rf"|\b{_BARE_BEFORE}\s(?P<b>{_RADIO})(?![\w.]|\s?-\s?\d|:\d|\s(?:[nsew]\.?\s|north|south|"
    r"east|west|block|blk|st\b|ave\b|blvd\b|rd\b|dr\b|way\b|ln\b|pl\b|ct\b)))",
    re.IGNORECASE,
)

# A bare "5150" is always the mental-health hold: found so the refusal can say it is no crime.
_BARE_HOLD_RE = re.compile(r"(?<![\w.#/-])(?:5150|5585)(?![\w.]|\s?-\s?\d)")


@dataclass(frozen=True)
class Citation:
    """One code section named in a narrative; ``criminal`` is False for a civil or
    administrative section, whose ``what`` says what it is."""

    code: str
    section: str
    criminal: bool
    what: str = ""

    @property
    def label(self) -> str:
        name = {"HS": "H&S", "WIC": "W&I", "BP": "B&P"}.get(self.code, self.code)
        return f"{name} {self.section}"


def _classify(code: str, section: str) -> Citation:
    base = section.split("(")[0].strip()
    only = _CRIMINAL_ONLY.get(code)
    criminal = base in only if only is not None else base not in _NOT_CRIMINAL.get(code, ())
    what = "" if criminal else _NON_CRIME_NAMES.get((code, base), "not a crime")
    return Citation(code, section.replace(" ", ""), criminal, what)


def find_citations(text: str) -> list[Citation]:
    """Every code section named in ``text`` (any case), in order of appearance, deduplicated.

    Bare radio-code numbers count as Penal/Vehicle/H&S sections of a crime when the words
    around them make them one; a bare number outside that list is never a citation.
    """
    if not _TWO_DIGITS(text):  # every citation has a number of two digits or more
        return []
    found: dict[tuple[str, str], Citation] = {}
    spans: list[tuple[int, int]] = []
    for rx in (_AFTER_RE, _BEFORE_RE):
        for m in rx.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in spans):
                continue
            spans.append(m.span())
            name = re.sub(r"[\s\\]", "", m.group("code").lower())
            code = _NAME_TO_CODE.get(name)
            if code is None:
                continue
            for num in _ONE_NUMBER_RE.findall(m.group("nums")):
                c = _classify(code, num)
                found.setdefault((c.code, c.section), c)
    for m in _BARE_RE.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in spans):
            continue
        for num in re.findall(r"[\d.]+a?", m.group(0)):
            if num in _RADIO_CODES:
                code = "VC" if num in {"10851", "10852", "20001", "20002", "2800.2",
                                       "2800.4", "23103", "23152", "23153"} else (
                    "HS" if num.startswith("11") and len(num) == 5 else "PC")
                found.setdefault((code, num), Citation(code, num, True))
    for m in _BARE_HOLD_RE.finditer(text):
        found.setdefault(("WIC", m.group(0)), _classify("WIC", m.group(0)))
    return list(found.values())
