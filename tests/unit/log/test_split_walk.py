"""The chain walk checks ranges of entries in SQL and, for long logs, splits them with a spawned
helper process (issue 10: a million entries against a checkpoint in 10 s). The split must not
change a verdict, the helper must be hardened before it holds the key, and the key must reach
it through the pipe only. Before this change the walk ran in one process, row by row."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from alpr_desktop.core.audit_log import LogEvent
from alpr_desktop.storage import create_store, log_verify
from alpr_desktop.storage.access_log import AccessLogRepo
from alpr_desktop.storage.db import Store

sys.path.insert(0, str(Path(__file__).resolve().parent))
from log_attacks import drop_protection, restore_protection, rewrite_consistently

ENTRIES = 1_000
HELPER_COUNT = log_verify.helper_count  # before any test replaces it
CHUNK = 100


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    monkeypatch.setattr(log_verify, "CHUNK", CHUNK)
    monkeypatch.setattr(log_verify, "helper_count", lambda: 1)  # as on a two-core machine
    s = create_store(tmp_path / "split.alprdb", os.urandom(32))
    repo = AccessLogRepo(s)
    with s.transaction():
        for i in range(ENTRIES):
            repo.append(LogEvent("search", "ok", f"officer{i % 7}", "LASD",
                                 query={"pattern": f"7ABC{i:04d}"}, result_count=i % 5), i)
    yield s
    s.close()


def _count_own_ranges(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """Ranges this process checks itself (the helper, spawned, does not see the patch)."""
    own: list[tuple[int, int]] = []
    real = log_verify.range_whole

    def spy(store, lo, hi, encoding_sql=log_verify.ENCODING_SQL):
        own.append((lo, hi))
        return real(store, lo, hi, encoding_sql)

    monkeypatch.setattr(log_verify, "range_whole", spy)
    return own


def test_a_long_log_is_split_with_a_helper_process(store: Store,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    own = _count_own_ranges(monkeypatch)
    seen: list[int] = []
    res = AccessLogRepo(store).verify(lambda n: seen.append(n), split_from=1)
    assert res.intact and res.checked == ENTRIES
    assert res.head_seq == ENTRIES and res.head_hash == AccessLogRepo(store).hash_at(ENTRIES)
    assert own == [(lo, lo + CHUNK) for lo in range(0, ENTRIES // 2, CHUNK)]  # the first half
    assert seen == list(range(CHUNK, ENTRIES + 1, CHUNK))


def test_more_cores_more_helpers(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    assert [HELPER_COUNT(c) for c in (1, 2, 4, 16)] == [0, 1, 3, 3]  # one per further core, up to 3
    monkeypatch.setattr(log_verify, "helper_count", lambda: 3)
    own = _count_own_ranges(monkeypatch)
    res = AccessLogRepo(store).verify(split_from=1)
    assert res.intact and res.checked == ENTRIES
    assert own == [(0, 100), (100, 200), (200, 300)]  # a quarter (rounded up); three helpers


def test_a_short_log_stays_in_this_process(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    own = _count_own_ranges(monkeypatch)
    assert AccessLogRepo(store).verify().intact  # 1,000 entries: below SPLIT_FROM
    assert len(own) == ENTRIES // CHUNK


@pytest.mark.parametrize("where", [150, 777, 1000])
def test_a_rewrite_in_either_half_is_named_exactly(store: Store, where: int) -> None:
    """An entry changed without recomputing the chain, in the helper's half or this one's."""
    drop_protection(store)
    store.execute("UPDATE access_log SET username = 'mallory' WHERE seq = ?", (where,))
    restore_protection(store)
    split = AccessLogRepo(store).verify(split_from=1)
    alone = AccessLogRepo(store).verify(split_from=sys.maxsize)
    assert (split.first_broken, split.reason) == (alone.first_broken, alone.reason)
    assert split.first_broken == where and "altered" in split.reason
    assert split.checked == where - 1


def test_a_missing_entry_at_the_halves_seam_is_named(store: Store) -> None:
    drop_protection(store)
    store.execute("DELETE FROM access_log WHERE seq = ?", (ENTRIES // 2 + 1,))
    restore_protection(store)
    res = AccessLogRepo(store).verify(split_from=1)
    assert res.first_broken == ENTRIES // 2 + 1 and "missing" in res.reason


def test_a_consistent_rewrite_still_chains_as_before(store: Store) -> None:
    """Recomputed hashes pass the chain alone (that is what checkpoints are for), split or not."""
    rewrite_consistently(store, 900, {"username": "mallory"})
    assert AccessLogRepo(store).verify(split_from=1).intact


def test_a_blob_smuggled_into_a_text_column_is_a_break_not_a_crash(store: Store) -> None:
    drop_protection(store)
    store.execute("UPDATE access_log SET detail = X'00FF' WHERE seq = 640")
    restore_protection(store)
    res = AccessLogRepo(store).verify(split_from=1)
    assert res.first_broken == 640 and "altered" in res.reason


def test_when_the_helper_cannot_start_this_process_checks_everything(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(log_verify, "_start_helper", lambda store, ranges: None)
    own = _count_own_ranges(monkeypatch)
    assert AccessLogRepo(store).verify(split_from=1).intact
    assert len(own) == ENTRIES // CHUNK


class _FakeParent:
    """The parent's end of the pipe, as the helper sees it."""

    def __init__(self, order: list[str], message: tuple) -> None:
        self.order, self.message, self.sent = order, message, []

    def recv(self) -> tuple:
        self.order.append("recv")
        return self.message

    def send(self, msg: tuple) -> None:
        self.sent.append(msg)

    def close(self) -> None:
        pass


def test_the_helper_is_hardened_before_it_receives_the_key(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from alpr_desktop.security import process_hardening

    order: list[str] = []
    monkeypatch.setattr(process_hardening, "disable_core_dumps",
                        lambda: order.append("hardened"))
    monkeypatch.setattr(log_verify.signal, "signal", lambda *a: None)  # not pytest's SIGINT
    parent = _FakeParent(order, (str(store.path), store.data_key(), 5000, False,
                                 [(0, 100), (100, 200)]))
    log_verify._helper_main(parent)
    assert order == ["hardened", "recv"]
    assert parent.sent == [("range", 0, 100, True), ("range", 100, 200, True)]


def test_the_key_goes_through_the_pipe_never_argv_or_environment(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import multiprocessing

    made: list[tuple] = []
    real_context = multiprocessing.get_context

    class Spy:
        def __init__(self) -> None:
            self.ctx = real_context("spawn")

        def Pipe(self, duplex: bool = True):
            return self.ctx.Pipe(duplex)

        def Process(self, **kw):
            made.append((kw, dict(os.environ), list(sys.argv)))
            return self.ctx.Process(**kw)

    monkeypatch.setattr(log_verify.multiprocessing, "get_context", lambda _m: Spy())
    assert AccessLogRepo(store).verify(split_from=1).intact
    (kw, env, argv), = made
    key_hex = store.data_key().hex()
    assert all(not isinstance(a, bytes | str) for a in kw["args"])  # only the pipe's end
    assert key_hex not in repr(kw) and key_hex not in repr(env) and key_hex not in repr(argv)
