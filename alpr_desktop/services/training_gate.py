"""The gate's training check, apart from services/training.py so the gate can import it
without a cycle: an analyst touches data or declares a purpose only with current, confirmed
policy training (policy §3 "Training", State Auditor 2019-118)."""

from __future__ import annotations

from alpr_desktop.core.accounts import Account
from alpr_desktop.core.roles import DATA_ACTIONS, Action, Role
from alpr_desktop.core.training import TrainingRequired, TrainingState, training_status
from alpr_desktop.services.embedded_only import embedded_store
from alpr_desktop.storage.training import TrainingRepo, training_months
from alpr_desktop.storage.unit_of_work import UnitOfWork

TRAINED_ACTIONS = DATA_ACTIONS | {Action.DECLARE_PURPOSE}


def training_refusal(
    uow: UnitOfWork, account: Account, action: Action, now_ms: int
) -> TrainingRequired | None:
    """The refusal to raise, or None when training does not stand in the way."""
    if Role.ANALYST not in account.roles or action not in TRAINED_ACTIONS:
        return None
    store = embedded_store(uow)  # training is not behind the seam yet
    status = training_status(account.username, TrainingRepo(store).for_user(account.id or 0),
                             now_ms, training_months(store))
    return None if status.state is TrainingState.CURRENT else TrainingRequired(status)
