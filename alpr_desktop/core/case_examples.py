"""Case-number formats written as an example, not as a regular expression.

An administrator types a number in the station's form ("123-45678-1234-567", "CR24-001234");
every digit of it stands for any digit, and letters and punctuation must appear as written
(letters in either case). The pattern is derived from the example, so nobody has to write or
read a regular expression; formats saved earlier as expressions keep working unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from alpr_desktop.core.purposes import CaseFormat

MAX_EXAMPLE_LEN = 40
_SPECIAL = frozenset(".^$*+?{}[]\\|()#")


def pattern_from_example(example: str) -> str:
    """The anchored pattern an example stands for: runs of digits become ``\\d{n}``, every
    other character is matched literally. ValueError (a sentence) for an unusable example."""
    text = example.strip()
    if not text:
        raise ValueError("Type an example case number, such as 123-45678-1234-567.")
    if len(text) > MAX_EXAMPLE_LEN:
        raise ValueError(f"An example is at most {MAX_EXAMPLE_LEN} characters.")
    if any(not ch.isprintable() for ch in text):
        raise ValueError("The example contains control or invisible characters.")
    if not any(ch.isascii() and ch.isdigit() for ch in text):
        raise ValueError("An example needs at least one digit: digits stand for any digit.")
    parts: list[str] = []
    for run in re.finditer(r"[0-9]+|[^0-9]", text.upper()):
        token = run.group()
        if token[0].isdigit():
            parts.append(r"\d" if len(token) == 1 else rf"\d{{{len(token)}}}")
        elif token.isspace():
            parts.append(r"\s")
        else:
            parts.append("\\" + token if token in _SPECIAL else token)
    return "^" + "".join(parts) + "$"


def shape_of(example: str) -> str:
    """The example's shape for people: each digit shown as '#' ("CR##-######")."""
    return "".join("#" if ch.isascii() and ch.isdigit() else ch for ch in example.strip().upper())


def from_example(label: str, example: str) -> CaseFormat:
    """A format whose pattern is derived from ``example``."""
    return CaseFormat(label.strip(), pattern_from_example(example), (example.strip(),))


def is_example_based(f: CaseFormat) -> bool:
    """Whether the format's pattern is exactly what its first example stands for (so it can
    be shown and edited as that example); other formats are expressions kept as written."""
    if not f.examples:
        return False
    try:
        return pattern_from_example(f.examples[0]) == f.pattern
    except ValueError:
        return False


def clean_number(text: str) -> str:
    """A typed case number as the purpose rules compare it: trimmed, upper case."""
    return " ".join(text.split()).upper()


def matching_labels(number: str, formats: Iterable[CaseFormat]) -> list[str]:
    """The labels of the formats that accept ``number`` (patterns that do not compile are
    skipped: the settings service refuses them when saving)."""
    text = clean_number(number)
    out = []
    for f in formats:
        try:
            rx = re.compile(f.pattern, re.IGNORECASE)
        except re.error:
            continue
        if text and rx.fullmatch(text):
            out.append(f.label)
    return out
