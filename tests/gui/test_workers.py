"""run_task: results, errors and progress arrive on the GUI thread; cancellation stops work."""

from __future__ import annotations

import threading
import time

import pytest

from alpr_desktop.gui.workers import Cancelled, CancelToken, run_task


class Collector:
    def __init__(self) -> None:
        self.results: list[object] = []
        self.errors: list[BaseException] = []
        self.progress: list[tuple[int, int]] = []
        self.threads: set[int] = set()

    def on_result(self, value: object) -> None:
        self.threads.add(threading.get_ident())
        self.results.append(value)

    def on_error(self, exc: BaseException) -> None:
        self.threads.add(threading.get_ident())
        self.errors.append(exc)

    def on_progress(self, done: int, total: int) -> None:
        self.threads.add(threading.get_ident())
        self.progress.append((done, total))

    @property
    def settled(self) -> bool:
        return bool(self.results or self.errors)


@pytest.fixture
def col(qtbot) -> Collector:
    return Collector()


def test_result_is_delivered_on_gui_thread(qtbot, col: Collector):
    worker_threads: list[int] = []

    def work(a: int, b: int = 0) -> int:
        worker_threads.append(threading.get_ident())
        return a + b

    handle = run_task(work, 2, b=3, on_result=col.on_result, on_error=col.on_error)
    qtbot.waitUntil(lambda: col.settled)
    assert col.results == [5] and col.errors == []
    assert worker_threads[0] != threading.get_ident()  # it really ran elsewhere
    assert col.threads == {threading.get_ident()}
    qtbot.waitUntil(lambda: not handle.running)


def test_error_is_delivered_as_the_exception(qtbot, col: Collector):
    def work() -> None:
        raise ValueError("bad input")

    run_task(work, on_result=col.on_result, on_error=col.on_error)
    qtbot.waitUntil(lambda: col.settled)
    assert col.results == []
    assert isinstance(col.errors[0], ValueError) and str(col.errors[0]) == "bad input"
    assert col.threads == {threading.get_ident()}


def test_progress_reaches_gui_thread_before_result(qtbot, col: Collector):
    def work(progress) -> str:
        for i in range(1, 4):
            assert progress(i, 3) is True
        return "done"

    run_task(work, on_result=col.on_result, on_error=col.on_error, on_progress=col.on_progress)
    qtbot.waitUntil(lambda: col.settled)
    # The latest value always arrives, before the result; earlier ones may be folded into it.
    assert col.progress and col.progress[-1] == (3, 3)
    assert col.progress == sorted(col.progress)
    assert col.results == ["done"]
    assert col.threads == {threading.get_ident()}


def test_a_flood_of_progress_is_one_delivery_of_the_latest(qtbot, col: Collector):
    """While the GUI thread is busy, 10,000 reports queue one delivery, not 10,000: the
    worker never floods the event loop, and no timer polls (the pollers this replaced)."""
    reported, go = threading.Event(), threading.Event()

    def work(progress) -> str:
        for i in range(1, 10_001):
            progress(i, 10_000)
        reported.set()
        assert go.wait(10)
        return "done"

    run_task(work, on_result=col.on_result, on_error=col.on_error, on_progress=col.on_progress)
    assert reported.wait(10)  # the GUI thread processed no event meanwhile
    qtbot.waitUntil(lambda: bool(col.progress))
    go.set()
    qtbot.waitUntil(lambda: col.settled)
    assert col.progress == [(10_000, 10_000)]


def test_cancel_token_stops_the_task(qtbot, col: Collector):
    started = threading.Event()
    steps: list[int] = []

    def work(cancel: CancelToken) -> str:
        started.set()
        for i in range(2000):
            cancel.raise_if_cancelled()
            steps.append(i)
            time.sleep(0.002)
        return "ran to the end"

    handle = run_task(work, on_result=col.on_result, on_error=col.on_error)
    assert started.wait(5)
    handle.cancel()
    qtbot.waitUntil(lambda: col.settled)
    assert col.results == []
    assert isinstance(col.errors[0], Cancelled)
    assert len(steps) < 2000 and handle.cancelled
    assert handle.token() is True  # the token doubles as a ``cancel() -> bool`` callable


def test_progress_returns_false_after_cancel(qtbot, col: Collector):
    """Code written for a plain progress callback stops when it returns False."""
    started = threading.Event()

    def work(progress) -> int:
        started.set()
        n = 0
        while progress(n, 1000) is not False:
            n += 1
            time.sleep(0.002)
            if n > 5000:
                return -1
        return n

    handle = run_task(work, on_result=col.on_result, on_error=col.on_error)
    assert started.wait(5)
    handle.cancel()
    qtbot.waitUntil(lambda: col.settled)
    assert col.results and 0 <= col.results[0] < 5000


def test_failure_after_cancel_is_reported_as_cancelled(qtbot, col: Collector):
    gate = threading.Event()

    def work(cancel: CancelToken) -> None:
        gate.wait(5)
        raise OSError("interrupted half-way")

    handle = run_task(work, on_result=col.on_result, on_error=col.on_error)
    handle.cancel()
    gate.set()
    qtbot.waitUntil(lambda: col.settled)
    assert isinstance(col.errors[0], Cancelled)
