"""Police shorthand in a purpose narrative, spelled out for the purpose gate's rules only.

Officers write "S/ fled in wht veh, R/P saw it @ 0200, need RO", not prose. The gate reads such
a narrative through ``expand_shorthand``; the stored narrative is always the officer's own text,
never the expansion (the access log must show what the user typed).

Only abbreviations with one reading in a narrative are expanded. Where one depends on its
neighbours it is decided by them: "21500 blk" is a block and "blk Honda" is black; "DR 26-1234"
is a report number and "Gladwick Dr" a street. Ambiguous ones ("PT", "GT", "cat", "V" alone)
are left as they are.
"""

from __future__ import annotations

import re

from alpr_desktop.core.purpose_words import GENERIC

__all__ = ["expand_shorthand"]

# Written with a slash: matched anywhere a word may start, longest first.
_SLASHED: dict[str, str] = {
    "r/p": "reporting party",
    "r/o": "registered owner",
    "s/v": "suspect vehicle",
    "v/v": "victim vehicle",
    "s/veh": "suspect vehicle",
    "v/veh": "victim vehicle",
    "f/u": "follow-up",
    "t/c": "traffic collision",
    "h/r": "hit and run",
    "h&r": "hit and run",
    "n/b": "northbound",
    "s/b": "southbound",
    "e/b": "eastbound",
    "w/b": "westbound",
    "b/t": "between",
    "b/w": "between",
    "w/o": "without",
    "w/in": "within",
    "b/c": "because",
    "y/o": "year old",
    "s/": "suspect ",
    "v/": "victim ",
    "w/": "with ",
}
# Whole words, matched case-insensitively.
_WORDS: dict[str, str] = {
    "susp": "suspect", "susps": "suspects", "sus": "suspect",
    "veh": "vehicle", "vehs": "vehicles", "vehi": "vehicle",
    "ro": "registered owner", "lkl": "last known whereabouts", "lka": "last known whereabouts",
    "rp": "reporting party",
    "wht": "white", "wh": "white", "gry": "gray", "gy": "gray", "slv": "silver",
    "silv": "silver", "blu": "blue", "grn": "green", "brn": "brown", "gld": "gold",
    "dk": "dark", "blk": "black",
    "gta": "grand theft auto", "adw": "assault with a deadly weapon",
    "awdw": "assault with a deadly weapon", "uuv": "vehicle taken without consent",
    "tc": "traffic collision", "gsw": "gunshot wound", "dv": "domestic violence",
    "burg": "burglary", "resi": "residential", "resd": "residence", "res": "residence",
    "vand": "vandalism", "graf": "graffiti", "atl": "attempt to locate",
    "voi": "vehicle of interest", "poi": "person of interest",
    "hrs": "hours", "hr": "hour", "approx": "approximately", "apx": "approximately",
    "appx": "approximately", "btwn": "between", "btw": "between", "thru": "through",
    "occ": "occurred", "occd": "occurred", "rptd": "reported", "rpt": "report",
    "req": "request", "reqs": "requests", "rqst": "request", "reqd": "requested",
    "vic": "victim", "vics": "victims", "vict": "victim", "victs": "victims",
    "wit": "witness", "wits": "witnesses", "ped": "pedestrian", "peds": "pedestrians",
    "id": "identify", "loc": "location", "intx": "intersection", "apt": "apartment",
    "apts": "apartments", "bldg": "building", "prkg": "parking", "pkg": "parking",
    "obs": "observed", "obsd": "observed", "poss": "possible", "att": "attempted",
    "attd": "attempted", "lic": "license", "plt": "plate", "lp": "license plate",
    "reg": "registration", "dl": "driver license", "pls": "please", "plz": "please",
    "emp": "employee", "mgr": "manager", "yo": "year old", "tfc": "traffic",
    "chk": "check", "chkd": "checked", "chkg": "checking", "qry": "query", "srch": "search",
    "hist": "history", "info": "information", "subj": "subject", "juv": "juvenile",
    "juvs": "juveniles", "wks": "weeks", "wk": "week", "mos": "months",
}
# One generic matcher each, looked up in the tables: a big alternation of literal words is
# slow to scan under IGNORECASE, a dictionary look-up is not.
_SLASHED_RE = re.compile(r"(?<![\w/&])[a-z]{1,3}[/&][a-z]*(?![/&])", re.IGNORECASE)
_WORDS_RE = re.compile(
    rf"(?<![\w'/&-])[a-z]{{2,{max(map(len, _WORDS))}}}(?![\w'&]|/\w)", re.IGNORECASE
)
# In context: a block number, a report number, "@" for "at", "x" between two street names.
_BLOCK_RE = re.compile(r"((?<![\w-])\d{2,6}\s?)blk\b", re.IGNORECASE)  # an address number
_REPORT_RE = re.compile(
    r"\bDR\s?(?:#|no\.?|num\.?)\s?(?=\d)|\bDR\s?(?=\d{2,4}-\d{3})"
    r"|(?<=\b(?:see|per|ref|the) )DR\b",
    re.IGNORECASE,
)
# "DR" in capitals is a Drive only after a street's name ("Gladwick DR", "GLADWICK DR"); after
# anything else ("LKL DR", "pull DR", "see DR") it is a report.
_DR_AFTER_RE = re.compile(r"(?:^|(?<=\s))(?P<prev>[\w/&#.-]*)(?P<sp>\s*)DR\b")
# A name in capitals with no vowel, or an agency's initials ("LBPD", "LASD"), is no street's.
_AGENCY_LIKE_RE = re.compile(r"[^AEIOUY]+|[A-Z]{1,3}(?:PD|SD|SO)")
_AT_RE = re.compile(r"\s?@\s?")
_CROSS_RE = re.compile(r"(?<=[A-Za-z0-9])\s[xX]\s(?=[A-Z0-9])")


def _dr(m: re.Match[str]) -> str:
    prev = m.group("prev").strip(".,;:")
    name = prev.isalpha() and prev.lower() not in GENERIC and (  # "BOLO DR" is no street
        prev.istitle() or (prev.isupper() and len(prev) >= 3 and prev.lower() not in _WORDS
                           and not _AGENCY_LIKE_RE.fullmatch(prev))
    )
    ordinal = bool(re.fullmatch(r"\d+(?:st|nd|rd|th)", prev, re.IGNORECASE))
    if name or ordinal:
        return m.group(0)
    return f"{m.group('prev')}{m.group('sp')}report"


_CODE_BEFORE_RE = re.compile(r"(?:pc|vc|hs|h&s|wic|w&i|bp|b&p|§|sec\.?|section)\s*$",
                             re.IGNORECASE)


def _block(m: re.Match[str], text: str) -> str:
    """"21500 blk" is a block; after a code section ("VC 22651 blk") the number is no address."""
    if _CODE_BEFORE_RE.search(text[max(0, m.start() - 8) : m.start()]):
        return f"{m.group(1)}black"
    return f"{m.group(1)}block"


def _word(m: re.Match[str]) -> str:
    return _WORDS.get(m.group(0).lower(), m.group(0))


def _slashed(m: re.Match[str]) -> str:
    """A slashed abbreviation; "S/" or "V/" written against the next word ("S/Honda") is
    split from it."""
    found = m.group(0)
    low = found.lower()
    expansion = _SLASHED.get(low)
    if expansion is not None:
        return expansion
    head, sep, rest = low.partition("/")
    expansion = _SLASHED.get(head + sep) if sep else None
    if expansion is None or not rest:
        return found
    return f"{expansion.strip()} {_WORDS.get(rest, found[len(head) + 1:])}"


def expand_shorthand(text: str) -> str:
    """``text`` with police shorthand spelled out, for the rules only; everything else kept
    as written (case included, so a capitalized street name still reads as one)."""
    if not text:
        return text
    out = _BLOCK_RE.sub(lambda m: _block(m, text), text)
    out = _REPORT_RE.sub("report ", out)
    out = _DR_AFTER_RE.sub(_dr, out)
    out = _AT_RE.sub(" at ", out)
    out = _CROSS_RE.sub(" and ", out)
    out = _SLASHED_RE.sub(_slashed, out)
    return _WORDS_RE.sub(_word, out)
