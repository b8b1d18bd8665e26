"""Policy training (issue 17): an analyst without current training that a custodian has
confirmed cannot declare a purpose or search; the refusal is logged. On the code before this
issue every one of these searches ran."""

from __future__ import annotations

import pytest
from access_helpers import World, log_entries, purpose_input, seed_reads

from alpr_desktop.core.access_errors import ApprovalRefused
from alpr_desktop.core.search import Filters, SearchQuery
from alpr_desktop.core.training import MONTH_MS, TrainingRequired
from alpr_desktop.services.search import SearchService
from alpr_desktop.services.training import TrainingService
from alpr_desktop.storage.training import set_training_months

pytestmark = pytest.mark.hygiene_rules


def _search(world: World, ctx):  # type: ignore[no-untyped-def]
    return SearchService(world.store, world.clock).search(
        ctx, SearchQuery("7ABC123", "auto", Filters(), 50))


def _train(world: World, username: str, trained_ms: int) -> None:
    svc = TrainingService(world.store, world.clock)
    att = svc.record(world.ctx("root"), username, trained_ms, "Carson ALPR policy")
    svc.confirm(world.ctx("keeper"), att.id)


def test_untrained_analyst_can_neither_declare_nor_search(world: World) -> None:
    seed_reads(world.store)
    ctx = world.ctx("officer")
    with pytest.raises(TrainingRequired, match="No confirmed policy training"):
        world.purposes.declare(ctx, purpose_input())
    with pytest.raises(TrainingRequired):
        _search(world, ctx)
    refused = [e for e in log_entries(world.store, "gate.refused")
               if '"reason":"training"' in e.detail_json]
    assert len(refused) == 2
    assert all(e.username == "officer" for e in refused)
    assert not log_entries(world.store, "search")


def test_training_counts_only_once_a_custodian_confirms_it(world: World) -> None:
    seed_reads(world.store)
    svc = TrainingService(world.store, world.clock)
    att = svc.record(world.ctx("root"), "officer", world.clock.now_ms() - 86_400_000)
    with pytest.raises(TrainingRequired):
        world.purposes.declare(world.ctx("officer"), purpose_input())
    svc.confirm(world.ctx("keeper"), att.id)
    ctx = world.with_purpose("officer")
    assert _search(world, ctx).rows
    events = [e.event for e in log_entries(world.store)]
    assert "training.recorded" in events and "training.confirmed" in events
    assert events.index("training.confirmed") < events.index("search")


def test_training_older_than_the_period_stops_searching(world: World) -> None:
    seed_reads(world.store)
    _train(world, "officer", world.clock.now_ms() - 13 * MONTH_MS)
    ctx = world.with_purpose("officer")
    assert _search(world, ctx).rows  # 13 months old, within the default two years
    set_training_months(world.store, 12)  # the admin shortens the period
    with pytest.raises(TrainingRequired, match="expired"):
        _search(world, ctx)


def test_a_custodian_cannot_confirm_their_own_training(world: World) -> None:
    svc = TrainingService(world.store, world.clock)
    att = svc.record(world.ctx("root"), "keeper", world.clock.now_ms())
    with pytest.raises(ApprovalRefused):
        svc.confirm(world.ctx("keeper"), att.id)
    assert svc.pending(world.ctx("keeper"))[0].id == att.id
    assert log_entries(world.store, "training.confirm_refused")


def test_training_in_the_future_is_refused_and_nothing_is_written(world: World) -> None:
    from alpr_desktop.core.access_errors import AccountInvalid

    svc = TrainingService(world.store, world.clock)
    before = len(log_entries(world.store))
    ctx = world.ctx("root")
    after_sign_in = len(log_entries(world.store))
    with pytest.raises(AccountInvalid):
        svc.record(ctx, "officer", world.clock.now_ms() + 86_400_000)
    assert len(log_entries(world.store)) == after_sign_in > before
    assert not svc.pending(world.ctx("keeper"))
