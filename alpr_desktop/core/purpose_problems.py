"""What the purpose rules report and the text handling they share: a PurposeProblem per
reason, PurposeRejected carrying them all, the field limits, and how a typed field is read
(non-text counts as empty, invisible characters are refused, whitespace collapsed)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

MIN_NARRATIVE_CHARS = 40
MIN_NARRATIVE_WORDS = 8
MIN_CONTENT_WORDS = 5
MAX_NARRATIVE_LEN = 2000
MAX_CASE_NUMBER_LEN = 40
MAX_FIELD_LEN = 200
# Characters allowed in text fields that are neither printable nor plain spaces.
_ALLOWED_CONTROLS = frozenset("\n\r\t")


@dataclass(frozen=True)
class PurposeProblem:
    """One reason a purpose is refused: the field concerned and a sentence saying what to fix.

    ``code`` is a stable identifier for tests and the audit report's vague-purpose statistics.
    ``finding`` is what is wrong without the advice and example that ``message`` adds for the
    user; the audit report shows only the finding.
    """

    field: str
    message: str
    code: str = ""
    finding: str = ""


class PurposeRejected(ValueError):
    """The purpose was refused; ``problems`` lists every reason."""

    def __init__(self, problems: Sequence[PurposeProblem]) -> None:
        self.problems: tuple[PurposeProblem, ...] = tuple(problems)
        super().__init__(" ".join(p.message for p in self.problems))

    def __str__(self) -> str:
        return " ".join(p.message for p in self.problems)


def as_text(value: object) -> str:
    """A field as text: anything that is not a string counts as empty."""
    return value if isinstance(value, str) else ""


def has_bad_chars(text: str) -> bool:
    """Control or invisible format characters (bidi overrides, zero-width) in a field.

    They can hide or reorder what the audit report later shows, so they are refused.
    """
    if text.isprintable():  # the common case, decided in C
        return False
    for ch in text:
        if ch in _ALLOWED_CONTROLS:
            continue
        if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            return True
    return False


def clean_text(text: str) -> str:
    """NFKC-folded, whitespace collapsed to single spaces, stripped."""
    return " ".join(unicodedata.normalize("NFKC", text).split())
