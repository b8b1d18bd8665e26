"""The oversight checks' counters kept between passes, so a pass reads only the log's new
entries (issue 21: the flags over a million entries within 30 s).

The checks are a fold over the log in seq order (``OversightAnalyzer.feed``), and the log is
append-only and hash-chained: the counters after entry N, fed entries N+1..M, are the counters
after entry M. So a pass over the whole log can start from the counters the last pass kept and
feed only what came after. They are kept with what makes them valid, and are used only when
all of it still holds; otherwise the pass starts from nothing, as the first one did:

- ``key``: a digest of the settings (working hours, night, thresholds), the code of the checks
  and of the purpose rules (their source, followed through their imports; the version in a
  frozen build) and the Python that wrote them. A custodian's settings change, a rule change or
  a new program makes the kept counters stale.
- the first and the last entry they cover, by seq and hash: the archive that removes the log's
  oldest entries (issue 14) changes the first; a log that is not the one they were built from
  (another store's, a restored copy) differs at one end or the other.

The counters are written with ``marshal`` as plain values (dicts, lists, tuples, sets, ints,
strings): nothing in them names code to run when they are read back, and a blob that does not
read back as expected is ignored (the pass starts from nothing). Pure Python; no SQL.
"""

from __future__ import annotations

import functools
import hashlib
import marshal
import sys
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, fields
from typing import Any

from alpr_desktop.core.oversight import (
    AuditSummary,
    FlagItem,
    OversightAnalyzer,
    OversightConfig,
    Verdicts,
    _Lookups,
    _Use,
    _UserTime,
)
from alpr_desktop.core.purpose_verdicts import modules_key

FORMAT = 2  # 2: the per-plate counters apart, in marshal version 2
_CODE_ROOTS = ("alpr_desktop.core.oversight", __name__)
_MARSHAL_VERSION = 4


class StateUnreadable(ValueError):
    """Kept counters that do not read back as this program writes them."""


@dataclass(frozen=True)
class KeptState:
    """The counters after entry ``last_seq``, and what makes them valid."""

    key: str
    first_seq: int
    first_hash: str
    last_seq: int
    last_hash: str
    blob: bytes


@functools.cache
def code_key() -> str:
    """A name for the checks' code (and the purpose rules it calls)."""
    return modules_key(_CODE_ROOTS)


def state_key(config: OversightConfig) -> str:
    """What kept counters must have been built under to be used with ``config``."""
    times = ",".join(t.isoformat() for t in (config.work_start, config.work_end,
                                             config.night_start, config.night_end))
    material = "\n".join((
        f"format {FORMAT}", config.to_json(), times, code_key(),
        f"python {sys.version_info[:3]} marshal {_MARSHAL_VERSION}",
    ))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def _item(i: FlagItem) -> tuple[Any, ...]:
    return (i.subject, i.note, i.seqs, i.times, i.key, i.reviewed)


def snapshot(a: OversightAnalyzer) -> bytes:
    """The analyzer's counters as bytes (a copy: feeding or finishing later changes nothing
    in them). Caches that are only shortcuts (local times, plate forms, purpose keys) are
    left out."""
    s = a.summary
    # The per-plate counters (hundreds of thousands, most of the state) are written apart
    # with marshal's version 2, which does not track shared objects: tracking them cost half
    # the time. What they share that is long (the purposes) goes by its index in a table;
    # a plate's case numbers are its purposes' (they are added together).
    purposes: dict[tuple[str, str], int] = {}
    number = purposes.setdefault
    plates = marshal.dumps(
        {k: (lk.seqs, lk.times, lk.hows, tuple(number(p, len(purposes)) for p in lk.purposes),
             lk.days, lk.night_secs) for k, lk in a._plates.items()}, 2)
    summary = tuple(dict(v) if isinstance(v, Counter) else v
                    for v in (getattr(s, f.name) for f in fields(AuditSummary)))
    state = {
        "format": FORMAT,
        "summary": summary,
        "used_verdicts": a._used,
        "case_shown": a._case_shown,
        "vague": {k: _item(v) for k, v in a._vague.items()},
        "purposes": list(purposes),
        "plates": plates,
        "labels": a._labels,
        "time": {u: (t.total, t.weekend, t.night, t.other, t.weekend_days)
                 for u, t in a._time.items()},
        "user_queries": dict(a._user_queries),
        "contractor": {k: _item(v) for k, v in a._contractor.items()},
        "by_purpose": {k: (u.text, u.plates, u.direct, u.days, u.cases, u.cameras, u.seqs,
                           u.times) for k, u in a._by_purpose.items()},
        "broad": dict(a._broad),
        "refused": dict(a._refused),
    }
    return zlib.compress(marshal.dumps(state, _MARSHAL_VERSION), 1)


def restore(blob: bytes, config: OversightConfig,
            verdicts: Verdicts | None = None) -> OversightAnalyzer:
    """An analyzer holding the counters of ``snapshot``, to be fed the entries after them.
    Raises StateUnreadable for anything else, and for counters built with a purpose verdict
    that ``verdicts`` (those kept in the store now) gives otherwise: a pass from the first
    entry would use the kept one."""
    try:
        # Plain values only: written by snapshot into the encrypted store, and nothing read
        # here is called; what does not have the expected shape raises below.
        state = marshal.loads(zlib.decompress(blob))  # noqa: S302
        if not isinstance(state, dict) or state.get("format") != FORMAT:
            raise StateUnreadable("kept oversight counters of another format")
        a = OversightAnalyzer(config, verdicts)
        used = state["used_verdicts"]
        kept = verdicts or {}
        if any(kept.get(text, found) != found for text, found in used.items()):
            raise StateUnreadable("kept oversight counters used a purpose verdict since changed")
        a._used = dict(used)
        s = a.summary
        for f, v in zip(fields(AuditSummary), state["summary"], strict=True):
            setattr(s, f.name, Counter(v) if isinstance(getattr(s, f.name), Counter) else v)
        a._case_shown = dict(state["case_shown"])
        a._vague = {k: FlagItem(*v) for k, v in state["vague"].items()}
        plates = a._plates
        table = state["purposes"]
        for k, (seqs, times, hows, chosen, days, night) in marshal.loads(  # noqa: S302
                state["plates"]).items():
            lk = _Lookups.__new__(_Lookups)
            lk.seqs, lk.times, lk.hows, lk.days, lk.night_secs = seqs, times, hows, days, night
            lk.purposes = {table[i] for i in chosen}
            lk.cases = {p[0] for p in lk.purposes}
            plates[k] = lk
        a._labels = dict(state["labels"])
        for u, (total, weekend, night, other, days) in state["time"].items():
            a._time[u] = _UserTime(total, weekend, night, other, days)
        a._user_queries = defaultdict(list, state["user_queries"])
        a._contractor = {k: FlagItem(*v) for k, v in state["contractor"].items()}
        uses = a._by_purpose
        for k, v in state["by_purpose"].items():
            use = _Use.__new__(_Use)
            (use.text, use.plates, use.direct, use.days, use.cases, use.cameras, use.seqs,
             use.times) = v
            uses[k] = use
        a._broad = defaultdict(list, state["broad"])
        a._refused = defaultdict(list, state["refused"])
    except StateUnreadable:
        raise
    except (ValueError, TypeError, KeyError, IndexError, EOFError, zlib.error) as exc:
        raise StateUnreadable(f"kept oversight counters unreadable: {exc}") from exc
    return a
