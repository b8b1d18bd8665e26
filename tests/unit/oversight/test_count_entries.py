"""A search's count in an entry of its own (issue 20, "search.count"): the same station work
logged the old way (the counts in the first page's entry) and the new way (a first page with
``counted: false``, then its count) gives the same oversight findings: the same flags, the
same ranking, the same words, the same counts of searches and look-ups. The count carries
the plates a search reached and the broad-search check, and is neither a further search nor a
further look-up of the plate typed."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from station_sim import FISHER, STALKED, STALKER, Simulation, everything, simulate

from alpr_desktop.core.audit_log import LogEntry
from alpr_desktop.core.oversight import OversightResult
from alpr_desktop.security import passwords
from alpr_desktop.services.oversight_service import OversightService
from alpr_desktop.storage.access_log import AccessLogRepo

PAGE = 2  # small pages: most searches leave more, so most are counted after their page


def _built(tmp: Path, count_later: bool) -> tuple[Simulation, OversightResult, list[LogEntry]]:
    old = passwords.ITERATIONS
    passwords.ITERATIONS = 1_000
    try:
        sim = simulate(tmp / f"station-{count_later}.alprdb", page_size=PAGE,
                       count_later=count_later)
        result = OversightService(sim.store, sim.clock).findings(sim.ctx("keeper"))
    finally:
        passwords.ITERATIONS = old
    repo = AccessLogRepo(sim.store)
    entries: list[LogEntry] = []
    while batch := repo.entries(after_seq=entries[-1].seq if entries else 0):
        entries += batch
    return sim, result, entries


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> Any:
    tmp = tmp_path_factory.mktemp("counts")
    old, new = _built(tmp, False), _built(tmp, True)
    yield old, new
    old[0].store.close()
    new[0].store.close()


def _seq_map(old: list[LogEntry], new: list[LogEntry]) -> dict[int, int]:
    """The new log's seqs as the old log's: the same entries in the same order, each count
    standing where its first page stands (it follows that page at once)."""
    out: dict[int, int] = {}
    rest = iter(old)
    first_page = 0
    for e in new:
        if e.event == "search.count":
            out[e.seq] = first_page
            continue
        o = next(rest)
        assert (o.event, o.username, o.ts_ms, o.query_json) == (
            e.event, e.username, e.ts_ms, e.query_json)
        out[e.seq] = o.seq
        if e.event == "search":
            first_page = o.seq
    assert next(rest, None) is None
    return out


def _mapped(printed: Any, seqs: dict[int, int]) -> Any:
    """``everything`` of the new pass with its seqs as the old log's."""
    ranking, flags, explained, summary, last = printed
    ranking = [(u, line, score, [(k, s, [seqs[q] for q in sq], t, x) for k, s, sq, t, x in fs])
               for u, line, score, fs in ranking]
    flags = [(c, ti, ex, [(s, n, [seqs[q] for q in sq], t, k, r) for s, n, sq, t, k, r in its])
             for c, ti, ex, its in flags]
    explained = [(k, s, [seqs[q] for q in sq]) for k, s, sq in explained]
    return [ranking, flags, explained, summary, seqs[last]]


def test_the_old_log_and_the_new_give_the_same_findings(both: Any) -> None:
    (_, old, old_log), (_, new, new_log) = both
    counts = [e for e in new_log if e.event == "search.count"]
    bare = [e for e in new_log if e.event == "search" and e.detail.get("counted") is False]
    assert len(counts) == len(bare) > 20  # the new way was taken, search after search
    assert any(e.detail.get("result_plates") for e in counts)
    seqs = _seq_map(old_log, new_log)
    s = new.summary
    by_event, by_outcome = Counter(s.by_event), Counter(s.by_outcome)
    assert by_event.pop("search.count") == len(counts)
    by_outcome["ok"] -= len(counts)
    summary = dataclasses.replace(s, by_event=by_event, by_outcome=by_outcome,
                                  total=s.total - len(counts), first_seq=seqs[s.first_seq],
                                  last_seq=seqs[s.last_seq])
    mine = everything(dataclasses.replace(new, summary=summary))
    assert _mapped(mine, seqs) == everything(old)


def test_the_count_carries_the_broad_check_and_the_plates_reached(both: Any) -> None:
    """What the comparison above rests on: the findings that come from the counts are
    there, and they cite the count's entry (it holds the plates found); the searches are
    counted once each."""
    (_, old, _), (_, new, new_log) = both
    counts = {e.seq for e in new_log if e.event == "search.count"}
    broad = [f for f in new.findings() if f.username == FISHER and f.kind == "broad"]
    assert broad and set(broad[0].seqs) <= counts
    stalked = [f for f in new.findings() if f.username == STALKER and STALKED in f.sentence]
    assert stalked and set(stalked[0].seqs) & counts  # wildcard and look-alike searches
    assert new.summary.queries == old.summary.queries
