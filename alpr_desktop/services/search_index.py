"""Keeping the recent reads ready for broad searches: the trigram postings of the last month's
reads (storage/read_grams.py, issue 20), brought up to date after imports.

An import does not post its reads (so the import rate is unchanged): until the postings have
caught up, a search pages the older, slower way, with the same results. The program therefore
runs ``SearchIndexService.catch_up`` after every import commits (``alpr-desktop import``, the
GUI's import wizard) and once per sign-in in the GUI, which gives a store updated to migration
0026 its first build (minutes at 100 million reads). Every step is one short committed
transaction: a cancel, a lock or a crash loses nothing, and the next run goes on from there.

Not gated and not logged, on purpose: like the FTS5 trigram index over plates, which every
import keeps, it derives an index inside the store from reads already there and returns no
data to anyone (a count of reads handled, whether the postings are ready). It takes no
AccessContext; what a search finds through the postings is gated and logged by the search.

A busy store (another writer held the lock past the busy timeout) is no failure: the run stops
where it is and says so (``IndexUpkeep.busy``), and the next run picks it up. Any other storage
failure is raised as :class:`SearchIndexFailed`, one sentence saying the imported reads are
kept, and what to do.
"""

from __future__ import annotations

from dataclasses import dataclass

from alpr_desktop.core.clock import Clock, SystemClock
from alpr_desktop.core.errors import Cancelled
from alpr_desktop.services.progress import CancelFn, ProgressFn
from alpr_desktop.storage.errors import StoreBusy, StoreError
from alpr_desktop.storage.unit_of_work import UnitOfWork

# Between two steps the upkeep stands aside this long at most for this process's writers that
# wait for the lock (a search's log entry, an import's batch: storage/write_turns.py).
GIVE_WAY_S = 0.2
STOPPED = "Preparing the recent reads for search was stopped."


@dataclass(frozen=True)
class IndexUpkeep:
    """How a run ended."""

    handled: int  # reads posted (and runs swept below a raised floor) by this run
    ready: bool  # the postings cover every recent read: broad searches use them now
    stopped: bool = False  # cancelled: the next run goes on from the last committed step
    busy: str = ""  # the store was busy, in a sentence: the next run tries again


class SearchIndexFailed(Exception):
    """The upkeep met a storage failure other than a busy store; ``str()`` is a sentence,
    ``advice`` what to do (the StoreError's)."""

    def __init__(self, cause: StoreError) -> None:
        super().__init__(
            f"The imported reads are kept, but preparing them for search stopped: {cause} "
            "Searches still find them, more slowly.")
        self.cause = cause
        self.advice = cause.advice


class SearchIndexService:
    """The postings' upkeep on one store connection (a GUI worker opens its own)."""

    def __init__(self, store: UnitOfWork, clock: Clock | None = None) -> None:
        self.store = store
        self.clock = clock or SystemClock()

    def pending(self) -> int:
        """Reads still to post, about: a cheap look except before the first build, which
        counts the window's reads."""
        try:
            return self.store.read_grams.pending()
        except StoreError as exc:
            raise SearchIndexFailed(exc) from exc

    def ready(self) -> bool:
        """Whether broad searches use the postings now (one short query)."""
        try:
            return self.store.read_grams.ready() is not None
        except StoreError as exc:
            raise SearchIndexFailed(exc) from exc

    def catch_up(self, *, progress: ProgressFn | None = None, cancel: CancelFn | None = None,
                 give_way: float = GIVE_WAY_S, pending: int | None = None) -> IndexUpkeep:
        """Post the reads not yet posted (the first build, the reads imported since), raise
        the window and sweep below it, in short committed steps, until nothing is left.

        ``progress(done, total)`` sees ``done`` grow and ``done / total`` never fall (it
        returns False to stop); ``cancel()`` turning true stops the run after the step in hand
        (``stopped``). A busy store ends the run with ``busy`` set; any other storage failure
        raises SearchIndexFailed. Neither loses a committed step. ``pending``: what
        ``pending()`` just said, when the caller asked (it is not counted again)."""
        stop = False
        handled = 0

        def cancelled() -> bool:
            return stop or (cancel is not None and cancel())

        def report(done: int, total: int) -> None:
            nonlocal stop, handled
            handled = done
            if progress is not None and progress(done, total) is False:
                stop = True

        now = self.clock.now_ms() / 1000
        try:
            handled = self.store.read_grams.run(cancelled=cancelled, progress=report,
                                                give_way=give_way, now=now, pending=pending)
            ready = self.store.read_grams.ready() is not None
        except Cancelled:
            return IndexUpkeep(handled, ready=False, stopped=True)
        except StoreBusy as exc:
            if cancelled():  # an interrupt by the canceller reads as busy or locked
                return IndexUpkeep(handled, ready=False, stopped=True)
            return IndexUpkeep(handled, ready=False, busy=f"{exc} {exc.advice}")
        except StoreError as exc:
            if cancelled():  # the canceller interrupted the step in hand: rolled back
                return IndexUpkeep(handled, ready=False, stopped=True)
            raise SearchIndexFailed(exc) from exc
        return IndexUpkeep(handled, ready=ready)
