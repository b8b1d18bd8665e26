"""What the audit report's added sections (retention, hygiene, maintenance, offline review)
need of its page writer, and the count wording they share."""

from __future__ import annotations

from typing import Protocol


class SectionWriter(Protocol):
    def heading(self, text: str, size: float = 12) -> None: ...
    def field(self, label: str, value: str, *, value_font: str = ..., size: float = 9) -> None: ...
    def paragraph(self, text: str, *, font: str = ..., size: float = 8, indent: float = 0,
                  max_width: float | None = None) -> None: ...
    def need(self, height: float) -> None: ...
    def gap(self, h: float) -> None: ...


def count_of(n: int, word: str) -> str:
    """``1 read``, ``2,000 reads``."""
    return f"{n:,} {word}{'' if n == 1 else 's'}"
