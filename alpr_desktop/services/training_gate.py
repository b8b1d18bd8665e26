"""The gate's training check, apart from services/training.py so the gate can import it
without a cycle: an analyst touches data or declares a purpose only with current, confirmed
policy training (policy §3 "Training", State Auditor 2019-118).

It runs on every data call, so it asks one question of the store (``uow.training.standing``:
the newest confirmed training day and the period, in one round trip) rather than loading the
account's attestations and the setting in two."""

from __future__ import annotations

from alpr_desktop.core.accounts import Account
from alpr_desktop.core.roles import DATA_ACTIONS, Action, Role
from alpr_desktop.core.training import TrainingRequired, TrainingState, standing_status
from alpr_desktop.storage.unit_of_work import UnitOfWork

TRAINED_ACTIONS = DATA_ACTIONS | {Action.DECLARE_PURPOSE}


def training_refusal(
    uow: UnitOfWork, account: Account, action: Action, now_ms: int
) -> TrainingRequired | None:
    """The refusal to raise, or None when training does not stand in the way."""
    if Role.ANALYST not in account.roles or action not in TRAINED_ACTIONS:
        return None
    newest, months = uow.training.standing(account.id or 0)
    status = standing_status(account.username, newest, now_ms, months)
    return None if status.state is TrainingState.CURRENT else TrainingRequired(status)
