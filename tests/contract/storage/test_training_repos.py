"""Training attestations (uow.training) and account suspensions (uow.suspensions). The rule:
an attestation is confirmed once, and only confirmed ones count for the gate (``standing``)."""

from __future__ import annotations

from alpr_desktop.core.training import DEFAULT_TRAINING_MONTHS, SuspensionKind
from alpr_desktop.storage.training import set_training_months
from alpr_desktop.storage.unit_of_work import UnitOfWork

DAY = 86_400_000


def test_an_attestation_reads_back_and_is_confirmed_once(
    store: UnitOfWork, people: dict[str, int]
) -> None:
    officer, keeper = people["officer"], people["keeper"]
    att = store.training.add(officer, 10 * DAY, "Carson ALPR policy", keeper, 11 * DAY)
    assert (att.user_id, att.username, att.course, att.recorded_by) == (
        officer, "officer", "Carson ALPR policy", "keeper")
    assert not att.confirmed
    assert store.training.for_user(officer) == [att] == store.training.all()
    assert store.training.confirm(att.id, keeper, 12 * DAY)
    assert not store.training.confirm(att.id, keeper, 13 * DAY)  # already confirmed
    done = store.training.get(att.id)
    assert done is not None and (done.confirmed_by, done.confirmed_ms) == ("keeper", 12 * DAY)


def test_standing_counts_only_confirmed_training_and_reads_the_period(
    store: UnitOfWork, people: dict[str, int]
) -> None:
    officer, keeper = people["officer"], people["keeper"]
    assert store.training.standing(officer) == (None, DEFAULT_TRAINING_MONTHS)
    old = store.training.add(officer, 10 * DAY, "", keeper, 11 * DAY)
    store.training.add(officer, 40 * DAY, "", keeper, 41 * DAY)  # newer, never confirmed
    assert store.training.standing(officer) == (None, DEFAULT_TRAINING_MONTHS)
    store.training.confirm(old.id, keeper, 12 * DAY)
    set_training_months(store, 12)
    assert store.training.standing(officer) == (10 * DAY, 12)
    assert store.training.standing(keeper) == (None, 12)


def test_suspensions_read_back_by_period_and_last_time(
    store: UnitOfWork, people: dict[str, int]
) -> None:
    officer, keeper = people["officer"], people["keeper"]
    assert store.suspensions.last_at(officer) is None
    store.suspensions.add(officer, SuspensionKind.UNUSED, 5 * DAY, None, 1 * DAY)
    store.suspensions.add(officer, SuspensionKind.SEPARATED, 9 * DAY, keeper, 8 * DAY, "left")
    assert store.suspensions.last_at(officer) == 9 * DAY
    [s] = store.suspensions.between(8 * DAY, 10 * DAY)
    assert (s.username, s.kind, s.by, s.last_used_ms, s.note) == (
        "officer", SuspensionKind.SEPARATED, "keeper", 8 * DAY, "left")
    [auto] = store.suspensions.between(0, 6 * DAY)
    assert auto.by == ""  # the program suspended it
