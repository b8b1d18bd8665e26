"""Today's purpose rules' verdict on a logged purpose, and the key of the rules that gave it.

The oversight check "purposes the current rules would reject" re-judges every distinct
logged purpose; judging one costs about a millisecond, and a station's million entries carry
tens of thousands of purposes, so the verdicts are kept in the store and re-used until the
rules change. ``rules_key`` names the rules: a digest of the source of the rule modules (found
by following their imports), so that any edit of a rule makes every kept verdict stale without
anyone remembering to bump a number; where the source is not there to read (a frozen
installer build) it is the program's version, whose code cannot change. Pure Python; no SQL.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import re
from typing import Any

from alpr_desktop.core.audit_format import text_of
from alpr_desktop.core.purpose_rules import check_purpose
from alpr_desktop.core.purposes import PurposeInput

# Problems that make a logged purpose no purpose at all. The offense list, acknowledgment and
# case-number formats have changed over time and are checked when the purpose is declared;
# re-judging them against today's settings would flag honest old entries.
VAGUE_FIELDS = frozenset({"narrative"})
VAGUE_CODES = frozenset({"case_number_missing", "category_missing"})
_ROOTS = ("alpr_desktop.core.purpose_rules", __name__)
_CORE_IMPORT = re.compile(r"^\s*from\s+(alpr_desktop\.core\.\w+)\s+import", re.MULTILINE)


def judge(p: dict[str, Any]) -> tuple[str, ...]:
    """The findings (in order, without repeats) of today's rules that make the logged purpose
    ``p`` vague; empty when it would pass."""
    candidate = PurposeInput(
        category=text_of(p.get("category", "")),
        offense=text_of(p.get("offense", "")),
        case_number=text_of(p.get("case_number", "")),
        narrative=text_of(p.get("narrative", "")),
        acknowledged=True,
        requesting_agency=text_of(p.get("requesting_agency", "")),
        requester_name=text_of(p.get("requester_name", "")),
    )
    try:
        found = check_purpose(candidate)
    except ValueError:  # a misconfigured rule must not stop the audit
        found = []
    return tuple(
        dict.fromkeys(
            # the finding alone: the dialog's advice and example are for the user
            pr.finding or pr.message
            for pr in found if pr.field in VAGUE_FIELDS or pr.code in VAGUE_CODES
        )
    )


def rule_modules() -> list[str]:
    """The modules whose code decides a verdict: the rules and every core module they import,
    in a stable order."""
    return modules_of(_ROOTS)


def modules_of(roots: tuple[str, ...]) -> list[str]:
    """``roots`` and every core module they import, directly or not, in a stable order."""
    seen: dict[str, None] = {}
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen[name] = None
        source = _source(name)
        if source is not None:
            todo.extend(m for m in _CORE_IMPORT.findall(source.decode("utf-8")) if m not in seen)
    return sorted(seen)


@functools.cache
def rules_key() -> str:
    """A short name for the rules in force: verdicts kept under another key are stale."""
    return modules_key(_ROOTS)


def modules_key(roots: tuple[str, ...]) -> str:
    """A digest of the source of ``roots`` and the core modules they import ("source:..."),
    or the program's version where the source is not there to read (a frozen build)."""
    digest = hashlib.sha256()
    for name in modules_of(roots):
        source = _source(name)
        if source is None:
            from alpr_desktop import __version__

            return f"release:{__version__}"
        digest.update(name.encode() + b"\0" + source + b"\0")
    return "source:" + digest.hexdigest()[:32]


def _source(module: str) -> bytes | None:
    try:
        spec = importlib.util.find_spec(module)
        if spec is None or not spec.origin or not spec.origin.endswith(".py"):
            return None
        with open(spec.origin, "rb") as f:
            return f.read()
    except (ImportError, OSError, ValueError):
        return None
