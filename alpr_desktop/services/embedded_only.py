"""The one crossing from a unit of work to the concrete embedded store.

Repositories added beside the seam (checkpoints, retention and holds, oversight reviews,
training and incidents) are still written against the SQLCipher ``Store`` and are not yet part
of the ``UnitOfWork`` protocol (issue 11 follow-up). Services reach them through this function
only, so the places left to move are found with one search, and a second backend fails here
with a sentence instead of deep in SQL.
"""

from __future__ import annotations

from alpr_desktop.storage.db import Store
from alpr_desktop.storage.errors import StoreError
from alpr_desktop.storage.unit_of_work import UnitOfWork


def embedded_store(uow: UnitOfWork) -> Store:
    """``uow`` as the embedded store; StoreError on any other backend."""
    if not isinstance(uow, Store):
        raise StoreError("This capability is only available on the embedded store yet.")
    return uow
