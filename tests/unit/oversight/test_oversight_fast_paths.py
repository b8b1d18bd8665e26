"""The paths that make a pass over a million entries affordable must not change a word of the
findings: kept purpose verdicts (migration 0021) against judging afresh, a store from before
them, the light rows against LogEntry, the per-15-minutes local time against the clock, and
the narrative join's shortcuts against comparing every pair."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from station_sim import STALKER, Simulation

from alpr_desktop.core import purpose_verdicts
from alpr_desktop.core.audit_filters import AuditFilter
from alpr_desktop.core.audit_log import LogEvent
from alpr_desktop.core.clock import local_day_and_second
from alpr_desktop.core.narrative_similarity import group_similar, jaccard, words_of
from alpr_desktop.core.oversight import OversightAnalyzer, OversightResult
from alpr_desktop.core.oversight_config import OversightConfig
from alpr_desktop.core.purpose_verdicts import judge, rule_modules, rules_key
from alpr_desktop.services.oversight_service import OversightService
from alpr_desktop.storage.access_log import AccessLogRepo

VAGUE = {"category": "criminal_investigation", "offense": "Vandalism",
         "case_number": "CR-26-000777", "narrative": "investigation"}


def _words(result: OversightResult) -> list[object]:
    """Everything the report and the audit view print of the findings."""
    return [
        [(r.username, r.line, round(r.score, 6)) for r in result.ranking],
        [(f.code, f.title, f.explanation, [(i.subject, i.note, i.seqs, i.key) for i in f.items])
         for f in result.flags],
        [(f.key, f.sentence) for f in result.explained],
    ]


def _fresh(sim: Simulation, flt: AuditFilter) -> OversightResult:
    """The findings as the previous version made them: LogEntry objects, every purpose judged
    afresh, nothing kept."""
    a = OversightAnalyzer(OversightConfig())
    for e in sim.store.audit.iter_entries(flt):
        a.feed(e)
    return a.finish(sim.store.oversight_queries.vehicle_words,
                    sim.store.oversight_reviews.latest())


@pytest.fixture(scope="module")
def vague_logged(sim: Simulation) -> int:
    """An entry under a purpose today's rules reject, as an older version let through."""
    with sim.store.transaction():
        e = AccessLogRepo(sim.store).append(
            LogEvent("search", "ok", STALKER, "LASD Carson Station", "LASD", "ws",
                     purpose=VAGUE, query={"pattern": "7ZZZ111", "mode": "exact"},
                     result_count=0, detail={"plates_found": 0}), sim.clock.now_ms())
    return e.seq


def test_kept_verdicts_equal_fresh_ones_and_a_store_without_them_reports_the_same(
        sim: Simulation, vague_logged: int) -> None:
    queries = sim.store.oversight_queries
    assert queries.purpose_verdicts(rules_key()) == {}  # as a store of the previous version
    flt = AuditFilter(through_seq=vague_logged)
    fresh = _fresh(sim, flt)
    svc = OversightService(sim.store, sim.clock)

    first = svc.findings(sim.ctx("keeper"), flt)  # judges every purpose and keeps the verdicts
    kept = queries.purpose_verdicts(rules_key())
    logged = list(sim.store.audit.iter_entries(flt))
    searched = {e.purpose_json for e in logged if e.event == "search"} - {"{}"}
    assert searched <= set(kept) <= {e.purpose_json for e in logged}
    assert all(kept[text] == judge(json.loads(text)) for text in kept)
    vague_text = sim.store.audit.get(vague_logged).purpose_json  # type: ignore[union-attr]
    assert kept[vague_text]  # not just empties

    second = svc.findings(sim.ctx("keeper"), flt)  # uses them
    assert _words(first) == _words(second) == _words(fresh)
    vague = next(f for f in second.flags if f.code == "vague_purpose")
    assert [i.seqs for i in vague.items] == [[vague_logged]]


def test_a_kept_verdict_is_used_and_one_of_other_rules_is_not(
        sim: Simulation, vague_logged: int) -> None:
    queries = sim.store.oversight_queries
    flt = AuditFilter(through_seq=vague_logged)
    honest = next(e.purpose_json for e in sim.store.audit.iter_entries(flt)
                  if e.event == "search" and e.purpose_json != "{}")
    with sim.store.transaction():
        queries.keep_purpose_verdicts("source:older-rules", {honest: ("stale finding",)})
    svc = OversightService(sim.store, sim.clock)
    notes = [i.note for f in svc.findings(sim.ctx("keeper"), flt).flags
             if f.code == "vague_purpose" for i in f.items]
    assert "stale finding" not in notes  # another version's verdict is not believed
    assert queries.purpose_verdicts("source:older-rules") == {}  # and was dropped

    try:
        with sim.store.transaction():
            queries.keep_purpose_verdicts(rules_key(), {honest: ("planted finding",)})
        notes = [i.note for f in svc.findings(sim.ctx("keeper"), flt).flags
                 if f.code == "vague_purpose" for i in f.items]
        assert "planted finding" in notes  # the kept verdict is what the check uses
    finally:
        with sim.store.transaction():
            queries.keep_purpose_verdicts(rules_key(), {honest: judge(json.loads(honest))})


def test_the_rules_key_changes_with_any_rule_module(monkeypatch: pytest.MonkeyPatch) -> None:
    modules = rule_modules()
    for name in ("purpose_rules", "narrative_check", "purpose_words", "police_shorthand",
                 "code_sections", "purpose_verdicts"):
        assert f"alpr_desktop.core.{name}" in modules
    before = rules_key()
    assert before.startswith("source:")
    real = purpose_verdicts._source

    def edited(module: str) -> bytes | None:
        text = real(module)
        if module == "alpr_desktop.core.police_shorthand" and text is not None:
            return text + b"\n# one more abbreviation\n"
        return text

    monkeypatch.setattr(purpose_verdicts, "_source", edited)
    purpose_verdicts.rules_key.cache_clear()
    try:
        assert rules_key() not in ("", before)
        monkeypatch.setattr(purpose_verdicts, "_source", lambda module: None)
        purpose_verdicts.rules_key.cache_clear()
        assert rules_key().startswith("release:")  # a frozen build: its version names it
    finally:
        monkeypatch.undo()
        purpose_verdicts.rules_key.cache_clear()
    assert rules_key() == before


def test_light_rows_carry_what_a_log_entry_does(sim: Simulation) -> None:
    flt = AuditFilter(through_seq=sim.store.access_log.head()[0])
    entries = list(sim.store.audit.iter_entries(flt))
    rows = list(sim.store.audit.iter_rows(flt, batch=97))  # several batches
    assert len(rows) == len(entries) > 500
    for row, e in zip(rows, entries, strict=True):
        assert row == tuple(getattr(e, f) for f in row._fields)
    narrowed = replace(flt, username=STALKER)
    assert [r.seq for r in sim.store.audit.iter_rows(narrowed)] == [
        e.seq for e in sim.store.audit.iter_entries(narrowed)]


@pytest.mark.parametrize("zone, start", [
    ("America/Los_Angeles", "2026-03-07T00:00:00"),  # spring forward on the 8th
    ("America/Los_Angeles", "2026-10-31T00:00:00"),  # fall back on 1 November
    ("Asia/Kathmandu", "2026-06-01T00:00:00"),  # +05:45
    ("America/Los_Angeles", "1883-11-17T00:00:00"),  # local mean time, -07:52:58, then PST
])
def test_local_time_once_per_quarter_hour_matches_the_clock(zone: str, start: str) -> None:
    tz = ZoneInfo(zone)
    a = OversightAnalyzer(OversightConfig(zone=tz))
    base = int(datetime.fromisoformat(start).replace(tzinfo=UTC).timestamp() * 1000)
    rnd = random.Random(zone + start)
    for ms in sorted(base + rnd.randrange(3 * 86_400_000) for _ in range(3000)):
        assert a._local(ms) == local_day_and_second(ms, tz), ms


def _all_pairs(texts: list[str], threshold: float) -> set[frozenset[str]]:
    distinct = list(dict.fromkeys(texts))
    parent = list(range(len(distinct)))

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    sets = [words_of(t) for t in distinct]
    for i in range(len(distinct)):
        for j in range(i):
            if sets[i] and sets[j] and jaccard(sets[i], sets[j]) >= threshold:
                parent[find(i)] = find(j)
    groups: dict[int, set[str]] = {}
    for i, t in enumerate(distinct):
        groups.setdefault(find(i), set()).add(t)
    return {frozenset(g) for g in groups.values()}


@pytest.mark.parametrize("seed", range(12))
def test_the_narrative_join_groups_as_comparing_every_pair_does(seed: int) -> None:
    rnd = random.Random(seed)
    vocab = [f"{a}{b}{c}" for a in "bcdfg" for b in "aeiou" for c in "lmnrst"]
    stories = [rnd.sample(vocab, rnd.randrange(4, 14)) for _ in range(6)]
    texts = []
    for _ in range(150):  # variants of a few stories: words dropped, swapped, added
        words = list(rnd.choice(stories))
        for _ in range(rnd.randrange(0, 4)):
            op = rnd.randrange(3)
            if op == 0 and len(words) > 1:
                words.pop(rnd.randrange(len(words)))
            elif op == 1:
                words[rnd.randrange(len(words))] = rnd.choice(vocab)
            else:
                words.append(rnd.choice(vocab))
        texts.append(" ".join(words) + f" case {rnd.randrange(100)}")
    texts.append("42 17")  # no words at all
    for threshold in (0.5, 0.7, 0.8, 1.0):
        got = {frozenset(g) for g in group_similar(texts, threshold)}
        assert got == _all_pairs(texts, threshold)
        assert sum(len(g) for g in got) == len(set(texts))
