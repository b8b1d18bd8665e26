"""The counters kept between passes (migration 0017) must give exactly the flags a pass from
the first entry gives, on the planted station log; and must not be used when the settings,
the checks' code, a purpose verdict or the log they were built from has changed."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from station_sim import STALKER, Simulation, everything

from alpr_desktop.core import oversight_state, purpose_verdicts
from alpr_desktop.core.audit_filters import AuditFilter
from alpr_desktop.core.oversight import OversightResult
from alpr_desktop.core.oversight_config import OversightConfig
from alpr_desktop.core.oversight_state import KeptState, state_key
from alpr_desktop.services.oversight_service import (
    OversightService,
    analyze_entries,
    analyze_log,
)


def _full(sim: Simulation, through: int, config: OversightConfig) -> OversightResult:
    """A pass from the first entry, with no kept counters involved."""
    return analyze_entries(sim.store, sim.store.audit.iter_rows(AuditFilter(through_seq=through)),
                           config)


@pytest.fixture
def reads_from(sim: Simulation, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """The seq after which each pass started reading the log."""
    starts: list[int] = []
    real = sim.store.audit.iter_rows

    def spy(f: AuditFilter, batch: int = 5000, after_seq: int = 0) -> Any:
        starts.append(after_seq)
        return real(f, batch, after_seq)

    monkeypatch.setattr(sim.store.audit, "iter_rows", spy)
    with sim.store.transaction():
        sim.store.oversight_state.clear()
    yield starts
    with sim.store.transaction():
        sim.store.oversight_state.clear()


def _head(sim: Simulation) -> int:
    return sim.store.access_log.head()[0]


def test_counters_kept_midway_give_the_same_flags_as_a_pass_from_the_first_entry(
        sim: Simulation, reads_from: list[int]) -> None:
    config = OversightConfig()
    head = _head(sim)
    full = _full(sim, head, config)
    assert full.ranking[0].username == STALKER  # the planted world, not an empty one
    stalker_seqs = full.ranking[0].findings[0].seqs
    # Split inside the stalker's look-ups, near the start and near the end of the log.
    for cut in (stalker_seqs[len(stalker_seqs) // 2], 7, head - 3):
        with sim.store.transaction():
            sim.store.oversight_state.clear()
        analyze_log(sim.store, cut, config)  # keeps the counters after entry ``cut``
        kept = sim.store.oversight_state.load()
        assert kept is not None and kept.last_seq == cut
        reads_from.clear()
        resumed = analyze_log(sim.store, head, config, keep_after=10**9)
        assert reads_from == [cut]  # only the entries after the kept counters were read
        assert everything(resumed) == everything(full)
    # And the kept counters after the whole log, used with nothing new, say it all again.
    analyze_log(sim.store, head, config, keep_after=1)
    reads_from.clear()
    assert everything(analyze_log(sim.store, head, config)) == everything(full)
    assert reads_from == [head]


def test_the_service_uses_them_for_the_whole_log_only(
        sim: Simulation, reads_from: list[int]) -> None:
    svc = OversightService(sim.store, sim.clock)
    keeper = sim.ctx("keeper")
    first = svc.findings(keeper)
    second = svc.findings(keeper)
    assert reads_from[0] == 0 and reads_from[1] > 0  # the second read only what was new
    assert [r.line for r in second.ranking] == [r.line for r in first.ranking]
    reads_from.clear()
    svc.findings(keeper, AuditFilter(username=STALKER))  # a filtered pass reads its entries
    assert reads_from == [0]
    reads_from.clear()
    svc.findings(keeper, AuditFilter(through_seq=5))  # before the kept counters: from scratch
    assert reads_from == [0]


def test_a_settings_change_is_not_answered_from_counters_of_the_old_settings(
        sim: Simulation, reads_from: list[int]) -> None:
    svc = OversightService(sim.store, sim.clock)
    keeper = sim.ctx("keeper")
    old = svc.findings(keeper)
    stricter = replace(svc.config(), repeat_threshold=50, night_start=OversightConfig().work_end)
    try:
        svc.set_config(keeper, stricter)  # logged, and the checks' settings from now on
        reads_from.clear()
        new = svc.findings(keeper)
        assert reads_from == [0]  # the kept counters were not used
        through = new.last_seq
        assert everything(new) == everything(_full(sim, through, stricter))
        assert [r.line for r in new.ranking] != [r.line for r in old.ranking]
        # Back to the old settings: the counters kept under the new ones are not used either.
        svc.set_config(keeper, OversightConfig())
        reads_from.clear()
        svc.findings(keeper)
        assert reads_from == [0]
    finally:
        svc.set_config(keeper, OversightConfig())


@pytest.mark.parametrize("change", ["first_hash", "first_seq", "last_hash", "key", "blob"])
def test_counters_of_another_log_or_unreadable_ones_are_not_used(
        sim: Simulation, reads_from: list[int], change: str) -> None:
    """An archived prefix changes the first entry; another store's log differs at either
    end; a damaged blob does not read back: each gives a pass from the first entry."""
    config = OversightConfig()
    head = _head(sim)
    full = _full(sim, head, config)
    analyze_log(sim.store, head - 10, config)
    kept = sim.store.oversight_state.load()
    assert kept is not None
    altered: KeptState = {
        "first_hash": replace(kept, first_hash="0" * 64),
        "first_seq": replace(kept, first_seq=kept.first_seq + 1),
        "last_hash": replace(kept, last_hash="0" * 64),
        "key": replace(kept, key=state_key(replace(config, refused_threshold=4))),
        "blob": replace(kept, blob=kept.blob[: len(kept.blob) // 2]),
    }[change]
    with sim.store.transaction():
        sim.store.oversight_state.keep(altered)
    reads_from.clear()
    assert everything(analyze_log(sim.store, head, config)) == everything(full)
    assert reads_from == [0]


def test_the_key_changes_with_the_code_of_the_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    config = OversightConfig()
    before = state_key(config)
    assert state_key(OversightConfig()) == before  # stable for equal settings
    real = purpose_verdicts._source

    def edited(module: str) -> bytes | None:
        text = real(module)
        if module == "alpr_desktop.core.narrative_similarity" and text is not None:
            return text + b"\n# a changed check\n"
        return text

    monkeypatch.setattr(purpose_verdicts, "_source", edited)
    oversight_state.code_key.cache_clear()
    try:
        assert state_key(config) != before
    finally:
        monkeypatch.undo()
        oversight_state.code_key.cache_clear()
    assert state_key(config) == before


def test_a_busy_store_keeps_nothing_and_answers_all_the_same(
        sim: Simulation, reads_from: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    from alpr_desktop.storage.errors import StoreBusy

    def busy(*_a: object, **_k: object) -> None:
        raise StoreBusy("busy")

    config = OversightConfig()
    head = _head(sim)
    monkeypatch.setattr(sim.store.oversight_state, "keep", busy)
    result = analyze_log(sim.store, head, config)
    assert everything(result) == everything(_full(sim, head, config))
    assert sim.store.oversight_state.load() is None
