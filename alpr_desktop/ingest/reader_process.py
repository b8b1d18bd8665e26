"""The import's reader process: a delimited file parsed, validated and prepared in a spawned
child (ignoring SIGINT; the parent decides) that streams batches through a pipe, while the
parent only stores. A child that dies is an error, never a hang; leaving stops it."""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import pickle
import signal
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

from alpr_desktop.core.clock import Clock, FixedClock, SystemClock
from alpr_desktop.ingest.archive import open_image_source
from alpr_desktop.ingest.batches import Batch, read_batches
from alpr_desktop.ingest.delimited import DelimitedReader, Mapping
from alpr_desktop.ingest.validate import Validator

CHILD_POLL_S = 0.25  # how often a parent waiting on the child checks that it is alive
CHILD_JOIN_S = 10.0


class ReaderProcessError(RuntimeError):
    """The import's reader process stopped without saying why (killed, out of memory)."""


def _portable(exc: BaseException) -> BaseException:
    """``exc`` if it survives pickling as itself, else a RuntimeError naming it."""
    try:
        back = pickle.loads(pickle.dumps(exc))  # noqa: S301 - our own bytes, just made
    except Exception:
        back = None  # any failure means: not portable
    if type(back) is type(exc) and str(back) == str(exc):
        return exc
    return RuntimeError(f"{type(exc).__name__}: {exc}")


def child_main(
    conn: object, path: Path, mapping: Mapping, delimiter: str | None, images: Path | None,
    now_ms: int | None, skip: int, batch_size: int,
) -> None:
    """The reader process: parse, validate and prepare, send each batch; an error is sent
    as ("error", exception, traceback text). Ignores SIGINT: the parent decides."""
    import traceback

    from alpr_desktop.security.process_hardening import disable_core_dumps

    disable_core_dumps()  # a spawned child is dumpable again: it holds the export's reads
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        clock: Clock = SystemClock() if now_ms is None else FixedClock(now_ms)
        reader = DelimitedReader(path, mapping, delimiter=delimiter)
        source = open_image_source(images)
        try:
            validator = Validator(clock, source, time_parser=reader.time_parser)
            for recs, prepared, rejects, count, last in read_batches(
                reader, validator, skip, batch_size
            ):
                if prepared.reads is not None and not prepared.images:
                    recs = []  # the prepared values say it all: spare the pickling
                conn.send(("batch", recs, prepared, rejects, count, last))  # type: ignore[attr-defined]
                del recs, prepared, rejects
        finally:
            source.close()
    except BrokenPipeError:
        pass  # the parent is gone or stopped reading
    except BaseException as exc:
        try:
            conn.send(("error", _portable(exc), traceback.format_exc()))  # type: ignore[attr-defined]
        except (BrokenPipeError, OSError):
            pass
    finally:
        conn.close()  # type: ignore[attr-defined]


def receive(conn: object, proc: multiprocessing.process.BaseProcess) -> tuple:
    """The child's next message; ReaderProcessError if it died without one (never hangs)."""
    while not conn.poll(CHILD_POLL_S):  # type: ignore[attr-defined]
        if not proc.is_alive() and not conn.poll(0):  # type: ignore[attr-defined]
            break
    try:
        return conn.recv()  # type: ignore[attr-defined]
    except (EOFError, OSError):
        proc.join(CHILD_JOIN_S)
        raise ReaderProcessError(
            f"The import reader process stopped unexpectedly (exit code {proc.exitcode})."
        ) from None


def stop(proc: multiprocessing.process.BaseProcess) -> None:
    """Join a finished child; terminate (then kill) one still running."""
    if proc.pid is None:  # never started
        return
    proc.join(0 if proc.is_alive() else CHILD_JOIN_S)
    if proc.is_alive():
        proc.terminate()
        proc.join(CHILD_JOIN_S)
    if proc.is_alive():
        proc.kill()
        proc.join()
    proc.close()


class ReaderProcess:
    """One reader child for one file, from ``skip`` records on: ``batches()`` yields what it
    sends; leaving the block closes the pipe and stops the child (terminated if running)."""

    def __init__(self, path: Path, mapping: Mapping | None, delimiter: str | None,
                 images: Path | None, now_ms: int | None, skip: int, batch_size: int) -> None:
        ctx = multiprocessing.get_context("spawn")
        self._receiving, self._sending = ctx.Pipe(duplex=False)
        self._proc = ctx.Process(
            target=child_main, name="import-reader", daemon=True,
            args=(self._sending, path, mapping, delimiter, images, now_ms, skip, batch_size),
        )

    def __enter__(self) -> ReaderProcess:
        try:
            self._proc.start()
        except BaseException:
            self._close()
            raise
        self._sending.close()  # the child's end: EOF here once the child is gone
        return self

    def batches(self) -> Iterator[Batch]:
        """(records, prepared, rejects, records done, last) as the child sends them; an error
        in the child is raised here, with the child's traceback as a note."""
        while True:
            msg = receive(self._receiving, self._proc)
            if msg[0] == "error":
                exc = msg[1]
                exc.add_note(f"(raised in the import reader process)\n{msg[2]}")
                raise exc
            _, recs, prepared, rejects, count, last = msg
            yield recs, prepared, rejects, count, last
            if last:
                return

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._close()

    def _close(self) -> None:
        self._sending.close()
        self._receiving.close()
        stop(self._proc)
