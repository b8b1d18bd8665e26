"""The plate pattern language: parse what an analyst typed into a Pattern, or refuse it.

Pure Python, so the parser can be fuzzed without a store. A Pattern holds only the characters
A-Z, 0-9 and, for wildcard patterns, ``*`` and ``?``: nothing the user typed ever reaches SQL
or FTS5 syntax as written, so quotes, ``NEAR``/``OR``/``AND``, ``%`` or ``;`` are either plain
plate letters or refused here with a sentence. Look-alike letters from other scripts are folded
to Latin (core.plates), so a pasted Cyrillic "А" matches "A" instead of silently matching
nothing.

Fuzzy search works in OCR-key space (core.plates.ocr_key): one key for all look-alikes, and
every key one edit away (substitution, insertion, deletion over the class representatives),
which storage resolves with ``plates.ocr_key IN (...)`` index probes.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from functools import lru_cache

from alpr_desktop.core.plates import _CONFUSABLES, MAX_PLATE_LEN, OCR_CLASSES, ocr_key

MAX_INPUT_LEN = 64  # raw characters accepted before normalizing; longer text is refused
MAX_PATTERN_LEN = 16  # a wildcard pattern, after collapsing runs of '*'
MIN_LITERALS = 2  # wildcard/substring patterns need this many plate characters (not too broad)
MIN_FUZZY_LEN = 3  # one edit of a shorter plate matches nearly every short plate
TRIGRAM = 3  # the FTS5 trigram index needs this many contiguous characters
_SEPARATORS = frozenset(" -·.\t")
_WILD = frozenset("*?")
_PLATE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
# OCR-key alphabet: each look-alike class is represented by its first member only.
_NON_REPRESENTATIVES = frozenset(ch for cls in OCR_CLASSES for ch in cls[1:])
KEY_ALPHABET = "".join(ch for ch in _PLATE_ALPHABET if ch not in _NON_REPRESENTATIVES)


class Mode(StrEnum):
    """How the typed text is matched. AUTO is exact, or wildcard when it holds * or ?."""

    AUTO = "auto"
    EXACT = "exact"
    WILDCARD = "wildcard"
    SUBSTRING = "substring"
    FUZZY = "fuzzy"

    @property
    def label(self) -> str:
        return _MODE_LABELS[self]


_MODE_LABELS = {
    Mode.AUTO: "Automatic",
    Mode.EXACT: "Exact",
    Mode.WILDCARD: "Wildcard (* any run, ? one character)",
    Mode.SUBSTRING: "Contains",
    Mode.FUZZY: "Fuzzy (look-alikes, one edit, alternates)",
}


class MatchKind(IntEnum):
    """How a result matched; the value is its rank (best first), so it also sorts results."""

    EXACT = 0
    CANDIDATE = 1  # one of the reader's alternate readings is the plate (or a look-alike)
    LOOK_ALIKE = 2  # same plate once OCR look-alikes are collapsed (8ABC123 for BABC123)
    ONE_EDIT = 3  # a look-alike key one character dropped, added or changed
    WILDCARD = 4  # matched a wildcard pattern
    SUBSTRING = 5  # contains the characters searched for (a "Contains" search)
    CORRECTED = 6  # the read's correction in force (not the camera's reading) matched

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    MatchKind.EXACT: "exact",
    MatchKind.CANDIDATE: "candidate",
    MatchKind.LOOK_ALIKE: "look-alike",
    MatchKind.ONE_EDIT: "one edit",
    MatchKind.WILDCARD: "wildcard",
    MatchKind.SUBSTRING: "substring",
    MatchKind.CORRECTED: "corrected",
}


class PatternError(ValueError):
    """Text that is not a usable pattern; ``str()`` says why in a sentence."""


class PatternTooBroadError(PatternError):
    """A pattern that would match too many plates. The gate logs it as a refused attempt
    (``refusal_reason``): fishing with broad patterns is what an audit looks for."""

    refusal_reason = "too_broad"


@dataclass(frozen=True)
class Pattern:
    """A parsed pattern. ``text`` is normalized: A-Z0-9 plus (wildcard only) '*' and '?'."""

    text: str
    mode: Mode  # never AUTO: the mode actually used

    @property
    def literal(self) -> str:
        """The plate characters without wildcards."""
        return "".join(ch for ch in self.text if ch not in _WILD)

    @property
    def is_wild(self) -> bool:
        return self.mode in (Mode.WILDCARD, Mode.SUBSTRING)

    def glob(self) -> str:
        """The pattern as a GLOB over whole normalized plates (wildcard and substring)."""
        if self.mode is Mode.SUBSTRING:
            return f"*{self.text}*"
        return self.text

    def like(self) -> str:
        """The same as a LIKE pattern: safe because plates never hold '%', '_' or '\\'."""
        return self.glob().replace("*", "%").replace("?", "_")

    def longest_run(self) -> str:
        """The longest stretch of plate characters between wildcards."""
        runs = "".join(ch if ch not in _WILD else " " for ch in self.text).split()
        return max(runs, key=len, default="")

    def prefix(self) -> str:
        """Plate characters before the first wildcard (anchored patterns can range-scan)."""
        if self.mode is Mode.SUBSTRING:
            return ""
        out = []
        for ch in self.text:
            if ch in _WILD:
                break
            out.append(ch)
        return "".join(out)

    @property
    def uses_trigrams(self) -> bool:
        return self.is_wild and len(self.longest_run()) >= TRIGRAM

    def describe(self) -> str:
        return f"{self.mode.label}: {self.text}"


def _fold(text: str, allow_wild: bool) -> str:
    """NFKC, separators dropped, look-alikes from other scripts mapped to Latin, upper-cased;
    refuses anything else with a sentence naming the character."""
    folded = unicodedata.normalize("NFKC", text)
    out: list[str] = []
    for ch in folded:
        if ch in _SEPARATORS:
            continue
        if unicodedata.category(ch).startswith("C"):
            raise PatternError(
                f"The plate contains a control or invisible character (U+{ord(ch):04X}); "
                "type the plate again."
            )
        if ch in _WILD:
            if not allow_wild:
                raise PatternError(
                    "Fuzzy search takes a whole plate: remove * and ?, or use Wildcard mode."
                )
            out.append(ch)
            continue
        ch = _CONFUSABLES.get(ch, ch)
        up = ch.upper()
        if len(up) == 1 and ("A" <= up <= "Z" or "0" <= up <= "9"):
            out.append(up)
        else:
            shown = ch if ch.isprintable() else f"U+{ord(ch):04X}"
            raise PatternError(
                f"The character {shown!r} cannot appear in a plate. Use letters A-Z, digits, "
                "and * (any run) or ? (one character)."
            )
    return "".join(out)


def _collapse_stars(text: str) -> str:
    out: list[str] = []
    for ch in text:
        if ch == "*" and out and out[-1] == "*":
            continue
        out.append(ch)
    return "".join(out)


def parse(text: str, mode: Mode | str = Mode.AUTO) -> Pattern:
    """Parse ``text`` in ``mode``; raises PatternError with a sentence for anything unusable.

    AUTO and EXACT become WILDCARD when the text holds * or ?; SUBSTRING with * or ? is a
    wildcard pattern that may match anywhere in the plate; FUZZY refuses wildcards."""
    if not isinstance(text, str):
        raise PatternError("The plate must be text.")
    try:
        mode = Mode(mode)
    except ValueError:
        raise PatternError(f"Unknown match mode {mode!r}.") from None
    if len(text) > MAX_INPUT_LEN:
        raise PatternError(
            f"The plate is too long ({len(text)} characters); a plate has at most "
            f"{MAX_PLATE_LEN}."
        )
    return _parse(text, mode)


@lru_cache(maxsize=512)
def _parse(text: str, mode: Mode) -> Pattern:
    """parse() past its type and length checks. Pure, and asked twice per search (the
    attempt record and the search), so recent answers are kept; a refusal is not kept."""
    norm = _fold(text, allow_wild=mode is not Mode.FUZZY)
    if not norm:
        raise PatternError("Type a plate, or part of one, to search.")
    wild = any(ch in _WILD for ch in norm)
    if mode in (Mode.AUTO, Mode.EXACT):
        mode = Mode.WILDCARD if wild else Mode.EXACT
    if mode is Mode.SUBSTRING:
        norm = norm.strip("*")
    if mode in (Mode.WILDCARD, Mode.SUBSTRING):
        norm = _collapse_stars(norm)
    literal = "".join(ch for ch in norm if ch not in _WILD)
    if len(literal) > MAX_PLATE_LEN or len(norm) > MAX_PATTERN_LEN:
        raise PatternError(f"The plate is too long; a plate has at most {MAX_PLATE_LEN} "
                           "characters.")
    if mode in (Mode.WILDCARD, Mode.SUBSTRING):
        if not literal:
            raise PatternTooBroadError(
                "That pattern matches every plate. Add at least two plate characters."
            )
        if len(literal) < MIN_LITERALS:
            raise PatternTooBroadError(
                f"That pattern is too broad: add at least {MIN_LITERALS} plate characters."
            )
    if mode is Mode.FUZZY and len(literal) < MIN_FUZZY_LEN:
        raise PatternError(
            f"Fuzzy search needs at least {MIN_FUZZY_LEN} characters; one edit of a shorter "
            "plate matches almost every short plate."
        )
    return Pattern(norm, mode)


# -- fuzzy keys --------------------------------------------------------------------------------


def one_edit_keys(key: str, alphabet: str = KEY_ALPHABET) -> set[str]:
    """Every OCR key one substitution, insertion or deletion from ``key`` (``key`` excluded),
    limited to plate lengths (1 to MAX_PLATE_LEN)."""
    out: set[str] = set()
    n = len(key)
    for i in range(n):
        head, tail = key[:i], key[i + 1:]
        if n > 1:
            out.add(head + tail)  # deletion
        for ch in alphabet:
            if ch != key[i]:
                out.add(head + ch + tail)  # substitution
    if n < MAX_PLATE_LEN:
        for i in range(n + 1):
            for ch in alphabet:
                out.add(key[:i] + ch + key[i:])  # insertion
    out.discard(key)
    return out


@dataclass(frozen=True)
class FuzzyKeys:
    """The look-alike key of a plate and the keys one edit away from it."""

    plate: str
    key: str
    near: frozenset[str]


def fuzzy_keys(pattern: Pattern) -> FuzzyKeys:
    if pattern.mode is not Mode.FUZZY:
        raise ValueError("fuzzy keys are for fuzzy patterns")
    key = ocr_key(pattern.text)
    return FuzzyKeys(pattern.text, key, frozenset(one_edit_keys(key)))


def classify_fuzzy(plate: str, plate_key: str, fk: FuzzyKeys) -> MatchKind | None:
    """How a stored plate (with its OCR key) matches a fuzzy query, or None."""
    if plate == fk.plate:
        return MatchKind.EXACT
    if plate_key == fk.key:
        return MatchKind.LOOK_ALIKE
    if plate_key in fk.near:
        return MatchKind.ONE_EDIT
    return None
