"""Two writers at once, each on its own connection (as two workstations, or a worker thread
and the GUI's): reads and access-log entries interleave, and afterwards the chain verifies,
no id is handed out twice and no entry or read is lost.

Ids come from a sequence and the log append holds the store's write lock across reading the
head and inserting (storage/protocols.py AccessLog), so neither writer can chain onto a head
the other has already used."""

from __future__ import annotations

import threading

from alpr_desktop.core.audit_log import LogEvent
from alpr_desktop.core.models import Camera, NewRead
from alpr_desktop.storage.unit_of_work import UnitOfWork

ROUNDS = 40
BATCH = 5


def _write(uow: UnitOfWork, writer: int, camera_id: int, ids: list[int], seqs: list[int],
           start: threading.Barrier, errors: list[BaseException]) -> None:
    try:
        start.wait()
        for i in range(ROUNDS):
            with uow.transaction():  # the work and its log entry, one unit
                new = uow.reads.insert_many([
                    NewRead(f"W{writer}P{i}X{k}", 1_767_000_000 + i, camera_id,
                            source=f"writer{writer}", vendor_read_id=f"{i}-{k}",
                            candidates=((f"W{writer}C{i}", 0.4),) if k == 0 else ())
                    for k in range(BATCH)
                ])
                entry = uow.access_log.append(
                    LogEvent("search", "ok", f"analyst{writer}", query={"round": i},
                             result_count=len(new)), 1_767_000_000_000 + i)
            ids.extend(new)
            seqs.append(entry.seq)
            # and an entry on its own, outside any transaction of the caller
            seqs.append(uow.access_log.append(
                LogEvent("search.page", "ok", f"analyst{writer}", query={"round": i}),
                1_767_000_000_000 + i).seq)
    except BaseException as exc:  # reported by the main thread
        errors.append(exc)


def test_two_connections_writing_reads_and_log_entries_at_once(store: UnitOfWork) -> None:
    camera_id = store.cameras.add(Camera(None, "Concurrent Cam", ""))
    before = store.access_log.count()
    other = store.reopen()
    ids: list[list[int]] = [[], []]
    seqs: list[list[int]] = [[], []]
    errors: list[BaseException] = []
    start = threading.Barrier(2)
    threads = []
    try:
        for n, uow in enumerate((store, other)):
            t = threading.Thread(target=_write,
                                 args=(uow, n, camera_id, ids[n], seqs[n], start, errors))
            threads.append(t)
        # one writer runs on this connection's owner thread's store object, the other on
        # its own connection; both run in threads so that they really interleave
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=240)
        assert not any(t.is_alive() for t in threads), "a writer hung"
    finally:
        other.close()
    assert errors == []
    all_ids = ids[0] + ids[1]
    assert len(all_ids) == 2 * ROUNDS * BATCH
    assert len(set(all_ids)) == len(all_ids)  # no id handed out twice
    assert store.reads.count() == len(all_ids)  # no read lost
    for n in (0, 1):
        for i in (0, ROUNDS - 1):
            assert [r.plate for r in store.reads.by_plate(f"W{n}P{i}X1")] == [f"W{n}P{i}X1"]
    all_seqs = seqs[0] + seqs[1]
    assert len(set(all_seqs)) == len(all_seqs) == 4 * ROUNDS  # no entry chained twice
    assert store.access_log.count() == before + 4 * ROUNDS  # no entry lost
    assert sorted(all_seqs) == list(range(before + 1, before + 4 * ROUNDS + 1))
    result = store.access_log.verify()
    assert result.intact, result.reason
    assert result.checked == before + 4 * ROUNDS
