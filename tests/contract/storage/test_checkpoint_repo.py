"""Checkpoint keys and issued checkpoints (uow.checkpoints): a user's newest key is current,
older keys stay pinned, and the newest checkpoint reads back with its signer's fingerprint."""

from __future__ import annotations

from alpr_desktop.core.log_anchors import Checkpoint
from alpr_desktop.storage.unit_of_work import UnitOfWork


def test_keys_pin_and_the_newest_checkpoint_reads_back(
    store: UnitOfWork, people: dict[str, int]
) -> None:
    repo = store.checkpoints
    keeper = people["keeper"]
    assert repo.current_key(keeper) is None and repo.newest() is None
    old = repo.pin_key(keeper, "keeper", b"\x01" * 32, "FP-OLD", "wrapped-1", 1_000)
    new = repo.pin_key(keeper, "keeper", b"\x02" * 32, "FP-NEW", "wrapped-2", 2_000)
    assert repo.current_key(keeper) == new
    assert repo.key_by_public(b"\x01" * 32) == old
    assert repo.pinned_keys() == [old, new]
    cp = Checkpoint(store.store_id, 7, "ab" * 32, 3_000, "keeper (Keeper)", "FP-NEW")
    repo.record(cp, new.id, b"signature")
    issued = repo.newest()
    assert issued is not None
    assert (issued.checkpoint, issued.key_id, issued.signature) == (cp, new.id, b"signature")
