"""The narrative check: does the narrative say what happened, where or when, and what the
search is meant to find, in the user's own words? Read with police shorthand spelled out and
California code sections counted as crimes; the vocabulary is purpose_words."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import replace

from alpr_desktop.core.code_sections import find_citations
from alpr_desktop.core.police_shorthand import expand_shorthand
from alpr_desktop.core.purpose_problems import (
    MAX_NARRATIVE_LEN,
    MIN_CONTENT_WORDS,
    MIN_NARRATIVE_CHARS,
    MIN_NARRATIVE_WORDS,
    PurposeProblem,
    as_text,
    clean_text,
    has_bad_chars,
)
from alpr_desktop.core.purpose_words import (
    EVENT_NOT,
    EVENT_PHRASE_RE,
    EVENT_PREFIXES,
    EVENT_WORDS,
    GENERIC,
    ICE_RE,
    KEYBOARD_RUN_RE,
    LABEL_WORDS,
    LETTER_RUN_RE,
    NOT_EVENT_PHRASE_RE,
    NOT_OBJECT,
    OBJECTIVE_RES,
    PLACE_TIME_RES,
    PLACE_TIME_WORD_RE,
    PLACE_WORDS,
    PLACEHOLDER_RE,
    PROHIBITED_RE,
    STOPWORDS,
    TIME_WORDS,
    TOKEN_RE,
    VERB_OBJECT_RE,
)

# Near-copy detection: word-set overlap at or above this, for narratives of at least this size.
COPY_JACCARD = 0.9
COPY_MIN_WORDS = 8
_OTHERS_SCAN_LEN = 10 * MAX_NARRATIVE_LEN


def narrative_fingerprint(text: str) -> str:
    """Lower-case letters and digits of a narrative, one space between words.

    Two narratives with the same fingerprint differ only in case, punctuation or spacing.
    """
    if not isinstance(text, str):
        return ""
    folded = unicodedata.normalize("NFKC", text[:_OTHERS_SCAN_LEN]).casefold()
    return " ".join(re.findall(r"[^\W_]+", folded))


class _CopyKey:
    """A narrative's fingerprint, digit-free fingerprint and word set, computed once."""

    __slots__ = ("fp", "no_digits", "words")

    def __init__(self, text: str) -> None:
        self.fp = narrative_fingerprint(text)
        self.no_digits = " ".join(re.sub(r"\d+", " ", self.fp).split())
        self.words = set(self.fp.split())

    def copies(self, other: _CopyKey) -> bool:
        """True when this narrative is ``other`` up to case, punctuation, digits or a few words."""
        if not self.fp or not other.fp:
            return False
        if self.fp == other.fp or (self.no_digits and self.no_digits == other.no_digits):
            return True
        a, b = self.words, other.words
        if len(a) < COPY_MIN_WORDS or len(b) < COPY_MIN_WORDS:
            return False
        return len(a & b) / len(a | b) >= COPY_JACCARD


def _is_mash(token: str) -> bool:
    """A letter token that looks typed at random: keyboard runs, no vowels, long letter runs."""
    if KEYBOARD_RUN_RE.search(token):
        return True
    if len(token) >= 6 and not re.search(r"[aeiouy]", token):
        return True
    return bool(LETTER_RUN_RE.search(token))


def _is_event(token: str) -> bool:
    return token in EVENT_WORDS or (
        token.startswith(EVENT_PREFIXES) and token not in EVENT_NOT
    )


def _has_place_or_time(text: str, tokens: Sequence[str]) -> bool:
    if any(t in PLACE_WORDS or t in TIME_WORDS for t in tokens):
        return True
    if PLACE_TIME_WORD_RE.search(text):
        return True
    return any(r.search(text) for r in PLACE_TIME_RES)


def _has_objective(text: str, lower: str) -> bool:
    if any(r.search(text) for r in OBJECTIVE_RES):
        return True
    return any(
        m.group("obj") not in NOT_OBJECT and m.group("obj") not in STOPWORDS
        for m in VERB_OBJECT_RE.finditer(lower)
    )


_ASK = "Say what happened, where or when, and what you are looking for."
# A good narrative, shown with the last narrative problem so the user sees what is wanted.
EXAMPLE_NARRATIVE = (
    "459 PC at a home on E 223rd St on 11/20 between 0900 and 1500 hrs; a neighbor saw a "
    "white Ford van in the driveway; need reads to identify the van and its registered owner."
)
_EXAMPLE = f"A good narrative reads like this: {EXAMPLE_NARRATIVE}"
# A date written out: 11/20, 11/20/2026, 2026-11-20, Nov 20, 20 November.
_MONTHS = (r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?")
_DATE_RE = re.compile(
    rf"\b\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b"
    rf"|\b{_MONTHS}\s\d{{1,2}}\b|\b\d{{1,2}}\s{_MONTHS}(?![a-z])",
    re.IGNORECASE,
)


def _narrative_problem(code: str, finding: str, advice: str = _ASK) -> PurposeProblem:
    return PurposeProblem("narrative", f"{finding} {advice}".strip(), code, finding)


def with_example(problems: list[PurposeProblem]) -> list[PurposeProblem]:
    """The last narrative problem also shows a good narrative: once, after what is missing."""
    for i in range(len(problems) - 1, -1, -1):
        p = problems[i]
        if p.field == "narrative" and p.code not in ("narrative_copied", "narrative_bad_chars",
                                                      "narrative_too_long"):
            problems[i] = replace(p, message=f"{p.message} {_EXAMPLE}")
            break
    return problems


_HAS_DIGIT = re.compile(r"\d").search
_NOT_LETTERS = re.compile(r"[\W\d_]+")


def _rule_tokens(lower: str) -> list[str]:
    tokens = []
    for raw_token in TOKEN_RE.findall(lower):
        token = raw_token.removesuffix("'s").replace("'", "")
        # "law-enforcement" is two words; "7-eleven" or a case number stays one identifier.
        if "-" not in token or _HAS_DIGIT(token):
            tokens.append(token)
        else:
            tokens.extend(part for part in token.split("-") if part)
    return tokens


def check_narrative(
    value: object, others: Iterable[str], *, agency_request: bool = False
) -> tuple[str, list[PurposeProblem]]:
    raw = as_text(value)
    if len(raw) > MAX_NARRATIVE_LEN * 2:
        # Refused before any normalization so that a huge paste costs nothing.
        return "", [
            _narrative_problem(
                "narrative_too_long",
                f"The narrative is longer than {MAX_NARRATIVE_LEN} characters; shorten it.", "",
            )
        ]
    if has_bad_chars(raw):
        return "", [
            _narrative_problem(
                "narrative_bad_chars",
                "The narrative contains control or invisible characters; type it again.", "",
            )
        ]
    text = clean_text(raw)
    if not text:
        return "", [_narrative_problem("narrative_missing", "Describe the purpose of this search.")]
    if len(text) > MAX_NARRATIVE_LEN:
        return "", [
            _narrative_problem(
                "narrative_too_long",
                f"The narrative is longer than {MAX_NARRATIVE_LEN} characters; shorten it.", "",
            )
        ]

    # The rules read the narrative with police shorthand spelled out ("S/ fled in wht veh");
    # the stored narrative stays as typed.
    typed_words = len(_rule_tokens(text.casefold().replace("\u2019", "'")))
    rule_text = expand_shorthand(text.replace("\u2019", "'"))
    lower = rule_text.casefold()
    tokens = _rule_tokens(lower)
    if not tokens:
        return "", [_narrative_problem("narrative_gibberish", "The narrative has no words.")]

    # A token with a digit is a number, a case number or a plate: not words that explain.
    identifiers = [t for t in tokens if _HAS_DIGIT(t)]
    words = [t for t in tokens if not _HAS_DIGIT(t)]
    content = [
        t
        for t in words
        if len(t) >= 2
        and t not in STOPWORDS
        and t not in GENERIC
        and t not in LABEL_WORDS
        and not (t.endswith("s") and (t[:-1] in GENERIC or t[:-1] in LABEL_WORDS))
    ]

    if not content:
        if identifiers and all(
            t in GENERIC or t in STOPWORDS or t in {"urn", "no", "number", "num"} for t in words
        ):
            return "", [
                _narrative_problem(
                    "narrative_bare_identifier", "The narrative is only a case number or a plate."
                )
            ]
        return "", [
            _narrative_problem(
                "narrative_generic",
                "The narrative has only generic words or filler (such as 'investigation', "
                "'bolo', 'search' or 'n/a') or the category or offense name.",
            )
        ]

    letter_tokens = [t for t in words if len(t) >= 3 and t.isalpha()]
    mash = [t for t in letter_tokens if _is_mash(t)]
    letters = _NOT_LETTERS.sub("", lower)
    if (
        PLACEHOLDER_RE.search(lower)
        or (letter_tokens and len(mash) * 2 >= len(letter_tokens))
        or LETTER_RUN_RE.search(lower)
        or (len(letters) >= 8 and len(set(letters)) < 6)
    ):
        return "", [
            _narrative_problem(
                "narrative_gibberish",
                "The narrative is not meaningful text (keyboard mash, repeated letters or "
                "placeholder text).",
            )
        ]
    if len(tokens) >= 6 and len(set(tokens)) / len(tokens) < 0.34:
        return "", [
            _narrative_problem(
                "narrative_repetitive", "The narrative repeats the same words over and over."
            )
        ]

    # An outside agency's request is specific through its own case number (the case-number
    # field) and the window it asks for: the crime is the agency's to name, so neither a crime
    # word nor a description of the case is required, only the dates.
    agency_window = agency_request and bool(_DATE_RE.search(text))
    problems: list[PurposeProblem] = []
    if len(text) < MIN_NARRATIVE_CHARS or typed_words < MIN_NARRATIVE_WORDS:
        problems.append(
            _narrative_problem(
                "narrative_too_short",
                f"The narrative is too short: write at least {MIN_NARRATIVE_WORDS} words "
                f"({MIN_NARRATIVE_CHARS} characters).",
            )
        )
    elif len(set(content)) < MIN_CONTENT_WORDS and not agency_window:
        problems.append(
            _narrative_problem(
                "narrative_generic",
                "The narrative is mostly generic words; describe this case in particular.",
            )
        )
    # A status or a record ("known dealer", "priors for 459 PC") is read as no event at all.
    event_text = NOT_EVENT_PHRASE_RE.sub(" ", lower)
    event_tokens = tokens if event_text == lower else _rule_tokens(event_text)
    citations = find_citations(event_text)
    has_event = (
        any(c.criminal for c in citations)
        or any(_is_event(t) for t in event_tokens)
        or bool(EVENT_PHRASE_RE.search(event_text))
    )
    if not has_event and not agency_window:
        non_crimes = [c for c in citations if not c.criminal]
        if non_crimes:
            named = "; ".join(f"{c.label} is {c.what}" for c in non_crimes)
            problems.append(
                _narrative_problem(
                    "narrative_not_a_crime",
                    f"The narrative names no crime: {named}, not a crime.",
                    "ALPR data may be used only to investigate and prosecute crimes; say what "
                    "crime happened (for example: 417 PC, he threatened a neighbor with a knife).",
                )
            )
        elif agency_request:
            problems.append(
                _narrative_problem(
                    "narrative_no_window",
                    "The narrative does not give the dates the other agency asked for, nor "
                    "what crime happened.",
                    "Give the requested window and what they want (for example: reads of "
                    "8ABC123 from 11/01 to 11/05 for their case), or name the crime.",
                )
            )
        else:
            problems.append(
                _narrative_problem(
                    "narrative_no_event",
                    "The narrative does not say what crime happened; a sighting alone is not "
                    "enough.",
                    "Name the crime or say what happened (for example: a car was stolen, shots "
                    "were fired, a pedestrian was struck, 10851 VC).",
                )
            )
    if not _has_place_or_time(rule_text, tokens):
        problems.append(
            _narrative_problem(
                "narrative_no_place_time",
                "The narrative does not say where or when it happened.",
                "Add the place or the time (for example: on Avalon Blvd near 223rd St, on 11/20 "
                "at 2310 hrs).",
            )
        )
    if not agency_window and not _has_objective(rule_text, lower):
        problems.append(
            _narrative_problem(
                "narrative_no_objective",
                "The narrative does not say what you are looking for.",
                "Say what the reads should show (for example: to identify the suspect vehicle, "
                "to confirm whether the van was in the area, need a timeline of its movements).",
            )
        )
    if PROHIBITED_RE.search(text) or ICE_RE.search(text):
        problems.append(
            _narrative_problem(
                "narrative_prohibited_use",
                "The narrative describes a use the policy does not authorize (a personal "
                "matter, immigration enforcement, a civil matter, a test or training).",
                "ALPR data may be used only to investigate and prosecute crimes.",
            )
        )
    mine = _CopyKey(text)
    for other in others:
        if isinstance(other, str) and mine.copies(_CopyKey(other)):
            problems.append(
                _narrative_problem(
                    "narrative_copied",
                    "The narrative copies a purpose entered by another user.",
                    "Describe in your own words why you are searching.",
                )
            )
            break
    return text, problems
