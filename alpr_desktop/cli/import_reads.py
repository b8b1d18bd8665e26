"""``alpr-desktop import FILE...``: the wizard's job from a terminal.

The user signs in the way every command does (cli/signin.py): the password from the terminal
(or one line of stdin with --password-stdin, or when stdin is not a terminal), never from an
argument, where it would sit in shell history and the process list; where only the recovery
passphrase opens the store on this machine, that is asked for the same way.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from alpr_desktop.cli.failures import EXIT_ERROR, EXIT_OK, finish, guarded
from alpr_desktop.cli.signin import PROG, signed_in
from alpr_desktop.services.import_files import (
    DELIMITER_NAMES,
    FORMATS,
    ImportOptions,
    ImportSummary,
    Mapping,
    PresetError,
    Progress,
)
from alpr_desktop.services.import_summary import summary_lines

if TYPE_CHECKING:
    from alpr_desktop.core.accounts import AccessContext
    from alpr_desktop.core.clock import Clock
    from alpr_desktop.services.imports import ImportService
    from alpr_desktop.services.stores import UnitOfWork

PREFIX = f"{PROG} import"


def add_import_parser(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "import", help="import reads from contractor exports (contractor and admin roles)",
        description="Import delimited text with a column mapping, OpenALPR alpr_group JSON, "
        "or Genetec AutoVu XML. Bad rows go to a reject report; good rows go in. Running "
        "the same files again adds nothing and finishes an interrupted import.",
    )
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--store", type=Path, dest="import_store", help="store file")
    p.add_argument("--user", required=True, help="your username (the password is asked for)")
    p.add_argument("--password-stdin", action="store_true",
                   help="read the password from the first line of stdin")
    p.add_argument("--format", choices=FORMATS, default="auto")
    p.add_argument("--mapping", metavar="NAME", help="saved column mapping (delimited text)")
    p.add_argument("--mapping-file", type=Path, metavar="JSON",
                   help="column mapping from a JSON file")
    p.add_argument("--save-mapping", metavar="NAME",
                   help="save the mapping given with --mapping-file under NAME")
    p.add_argument("--delimiter", choices=sorted(DELIMITER_NAMES), help="override detection")
    p.add_argument("--datetime-format", help="override the mapping's date-time format")
    p.add_argument("--timezone", help="override the mapping's source time zone")
    p.add_argument("--images", type=Path, metavar="PATH",
                   help="folder or ZIP of the images the data refers to (default: beside it)")
    p.add_argument("--report", type=Path, metavar="CSV", help="where to write the reject report")
    p.add_argument("--batch-size", type=int, default=5000, help=argparse.SUPPRESS)
    p.add_argument("--quiet", action="store_true")
    return p


def _mapping(
    args: argparse.Namespace, service: ImportService, ctx: AccessContext
) -> Mapping | None:
    mapping: Mapping | None = None
    if args.mapping_file:
        mapping = Mapping.from_json(args.mapping_file.read_text("utf-8"))
        if args.save_mapping:
            mapping = service.save_mapping(
                ctx, dataclasses.replace(mapping, name=args.save_mapping)
            )
    elif args.mapping:
        mapping = service.mapping(ctx, args.mapping)
    if mapping is None:
        return None
    if args.datetime_format:
        mapping = dataclasses.replace(mapping, datetime_format=args.datetime_format)
    if args.timezone:
        mapping = dataclasses.replace(mapping, timezone=args.timezone)
    if args.delimiter:
        mapping = dataclasses.replace(mapping, delimiter=DELIMITER_NAMES[args.delimiter])
    return mapping


class _ProgressLine:
    """One progress line on stderr, rewritten in place; ended by ``end()`` if it was shown."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.shown = False

    def __call__(self, p: Progress) -> None:
        if not self.quiet:
            self.shown = True
            print(f"\r{p.file_name}: {p.records:,} records, {p.accepted:,} new, "
                  f"{p.rejected:,} rejected", end="", file=sys.stderr, flush=True)

    def end(self) -> None:
        if self.shown:
            print(file=sys.stderr)
            self.shown = False


def print_summary(summary: ImportSummary, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    for line in summary_lines(summary):
        print(line, file=out)


def failed(summary: ImportSummary) -> bool:
    """A file refused whole, or one whose every record was refused for one reason (most
    likely a file of another layout): the command then exits non-zero."""
    return any(f.refused or f.single_reason for f in summary.files)


def run_import_command(args: argparse.Namespace, *, stdin: TextIO | None = None) -> int:
    """``import``: 0 when every file went in (or was in already), 1 when any was refused, had
    every record refused for one reason, or the command failed (told in one line)."""
    missing = [str(f) for f in args.files if not f.is_file()]
    if missing:
        print(f"{PREFIX}: no such file: {', '.join(missing)}", file=sys.stderr)
        return EXIT_ERROR
    return guarded(lambda: _import(args, stdin or sys.stdin), PREFIX,
                   expected=(PresetError, json.JSONDecodeError))


def _import(args: argparse.Namespace, stdin: TextIO) -> int:
    from alpr_desktop.services.imports import ImportService

    store = args.import_store or getattr(args, "store", None)
    progress = _ProgressLine(args.quiet)
    try:
        with signed_in(store, args.user, stdin=stdin, prog=PREFIX,
                       password_from_stdin=args.password_stdin) as cs:
            ctx = cs.context()
            service = ImportService(cs.store)
            mapping = _mapping(args, service, ctx)
            options = ImportOptions(
                format=args.format, mapping=mapping,
                delimiter=DELIMITER_NAMES[args.delimiter] if args.delimiter else None,
                images=args.images, batch_size=args.batch_size, report_path=args.report,
            )
            summary = service.run(ctx, args.files, options, progress=progress)
            progress.end()
            print_summary(summary)
            code = EXIT_ERROR if failed(summary) else EXIT_OK
            return code if prepare_for_search(cs.store, cs.clock, args.quiet) else EXIT_ERROR
    finally:
        progress.end()


class _Preparing:
    """"Preparing the new reads for search… 40 %" on stderr, rewritten in place at each
    whole percent; Ctrl+C asks the run to stop after the step in hand."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.shown = -1
        self.stop = False

    def progress(self, done: int, total: int) -> bool:
        percent = min(100, done * 100 // max(1, total))
        if not self.quiet and percent > self.shown:
            self.shown = percent
            print(f"\r{PREPARING} {percent} %", end="", file=sys.stderr, flush=True)
        return not self.stop

    def interrupt(self, _sig: int, _frame: object) -> None:
        self.stop = True

    def say(self, text: str, *, always: bool = False, replace: bool = False) -> None:
        """``text`` on a line of its own, or in place of the progress line (``replace``)."""
        if always or not self.quiet:
            if self.shown >= 0:
                print("\r" if replace else "", file=sys.stderr, end="" if replace else "\n")
            print(text, file=sys.stderr, flush=True)
            self.shown = -1


PREPARING = "Preparing the new reads for search…"


def prepare_for_search(store: UnitOfWork, clock: Clock, quiet: bool) -> bool:
    """After the import committed: bring the recent reads' search postings up to date
    (services/search_index.py), told on stderr. Ctrl+C stops it cleanly (the import is kept;
    the next import or the program's next sign-in goes on). False only when the store failed
    (told in one line); a busy store is told and left for the next run."""
    import signal

    from alpr_desktop.services.search_index import SearchIndexFailed, SearchIndexService

    service = SearchIndexService(store, clock)
    line = _Preparing(quiet)
    before = signal.signal(signal.SIGINT, line.interrupt)
    try:
        # Nothing to post (no read came in, and the postings were up to date): the window's
        # own upkeep goes unsaid.
        pending = service.pending()
        line.quiet = quiet or pending == 0
        if not line.quiet:
            print(PREPARING, end="", file=sys.stderr, flush=True)
            line.shown = 0
        done = service.catch_up(progress=line.progress, cancel=lambda: line.stop,
                                pending=pending)
    except SearchIndexFailed as exc:
        line.say(f"{PREFIX}: {finish(str(exc))} {exc.advice}", always=True)
        return False
    finally:
        signal.signal(signal.SIGINT, before)
    if done.stopped:
        line.say("Stopped preparing the new reads for search; the import is kept, and the "
                 "next import or sign-in in the program goes on from here. Searches find "
                 "every read meanwhile, more slowly.", always=True)
    elif done.busy:
        line.say(f"The new reads were not prepared for search yet: {done.busy} The next "
                 "import or sign-in in the program does it; searches find them meanwhile.",
                 always=True)
    else:
        line.say(f"{PREPARING} done.", replace=True)
    return True
