"""The purge's chunking is explicit (issue 14: "never blocking a search for more than one short
transaction"): the number of write transactions for N due reads, and what each holds, follow
from fixed bounds on reads and image bytes, not from a stopwatch."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from retention_helpers import add_reads, image_bytes, utc

from alpr_desktop.core.clock import FixedClock
from alpr_desktop.core.retention import deletion_time, plan_batches
from alpr_desktop.services import retention as retention_service
from alpr_desktop.services.retention import RetentionService
from alpr_desktop.storage import Store

R = utc(2021, 3, 2, 8, 0, 0)
# retention_helpers: a crop and an overview of a little over 3,000 bytes each
IMAGE_BYTES_PER_READ = len(image_bytes("X", 1, "crop")) + len(image_bytes("X", 1, "overview"))


class TransactionCounter:
    """Wraps the store's transaction: how many reads each outermost write transaction
    deleted (0 for the purge's bookkeeping and page reclaim)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.inner = store.transaction
        self.deleted: list[int] = []
        self.image_bytes: list[int] = []

    def _count(self) -> int:
        return int(self.store.conn.execute("SELECT count(*) FROM reads").fetchone()[0])

    def _bytes(self) -> int:
        return int(self.store.conn.execute(
            "SELECT coalesce(sum(size), 0) FROM images").fetchone()[0])

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        outer = not self.store.in_transaction
        before = (self._count(), self._bytes()) if outer else (0, 0)
        with self.inner() as conn:
            yield conn
        if outer:
            self.deleted.append(before[0] - self._count())
            self.image_bytes.append(before[1] - self._bytes())


@pytest.fixture
def counter(store: Store, monkeypatch: pytest.MonkeyPatch) -> TransactionCounter:
    c = TransactionCounter(store)
    monkeypatch.setattr(store, "transaction", c.transaction)
    return c


@pytest.mark.parametrize(("n", "batch"), [(25, 10), (30, 10), (7, 50), (1, 1)])
def test_n_reads_take_ceil_n_over_batch_transactions(
    store: Store, clock: FixedClock, counter: TransactionCounter, n: int, batch: int
) -> None:
    add_reads(store, [(f"CH{i:04d}K", R + i) for i in range(n)])
    clock.ms = deletion_time(R + n) * 1000
    result = RetentionService(store, clock).purge(batch=batch, batch_bytes=10**9)
    deleting = [d for d in counter.deleted if d > 0]
    assert result.reads_deleted == n
    assert len(deleting) == math.ceil(n / batch)
    assert max(deleting) <= batch
    assert sum(deleting) == n


def test_image_bytes_bound_a_transaction(store: Store, clock: FixedClock,
                                         counter: TransactionCounter) -> None:
    """About five reads' inline images (a store from before segment files) fit the byte
    bound: 23 reads take five or six transactions, none over the bound, although the read
    bound alone would allow all of them at once."""
    add_reads(store, [(f"IB{i:04d}K", R + i) for i in range(23)], inline=True)
    clock.ms = deletion_time(R + 23) * 1000
    bound = 5 * IMAGE_BYTES_PER_READ
    RetentionService(store, clock).purge(batch=1000, batch_bytes=bound)
    deleting = [(n, b) for n, b in zip(counter.deleted, counter.image_bytes, strict=True)
                if n > 0]
    assert sum(n for n, _ in deleting) == 23
    assert all(b <= bound for _, b in deleting)
    assert len(deleting) in (5, 6)


def test_segment_images_do_not_count_toward_the_byte_bound(
        store: Store, clock: FixedClock, counter: TransactionCounter) -> None:
    """An image in a segment file is erased with its row's key: deleting it overwrites no
    image pages, so the byte bound does not split the reads (the read bound still does)."""
    add_reads(store, [(f"SB{i:04d}K", R + i) for i in range(23)])
    clock.ms = deletion_time(R + 23) * 1000
    RetentionService(store, clock).purge(batch=10, batch_bytes=5 * IMAGE_BYTES_PER_READ)
    assert [n for n in counter.deleted if n > 0] == [10, 10, 3]


def test_defaults_bound_every_transaction(store: Store, clock: FixedClock,
                                          counter: TransactionCounter,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Without arguments (the open program's worker, the scheduled task) the module's bounds
    apply: no transaction grows past them however fast the machine is."""
    monkeypatch.setattr(retention_service, "BATCH_READS", 4)
    add_reads(store, [(f"DF{i:04d}K", R + i) for i in range(10)])
    clock.ms = deletion_time(R + 10) * 1000
    RetentionService(store, clock).purge()
    assert [d for d in counter.deleted if d > 0] == [4, 4, 2]


def test_plan_batches() -> None:
    sizes = {1: 10, 2: 10, 3: 100, 4: 0, 5: 10}
    assert plan_batches([1, 2, 3, 4, 5], sizes, 10, 30) == [[1, 2], [3], [4, 5]]
    assert plan_batches([1, 2, 3, 4, 5], sizes, 2, 1000) == [[1, 2], [3, 4], [5]]
    assert plan_batches([], sizes, 2, 10) == []
    with pytest.raises(ValueError):
        plan_batches([1], sizes, 0, 10)
