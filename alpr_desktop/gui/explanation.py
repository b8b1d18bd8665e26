"""What the user is told about a failure: a sentence, what to do, and (for unexpected errors
only) details for whoever supports them. Plain data, shared by gui/errors.py and
gui/refusals.py so that neither imports the other's module."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Explanation:
    sentence: str
    advice: str
    details: str | None = None
