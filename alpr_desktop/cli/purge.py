"""`alpr-desktop purge`: one purge run (policy §8), for the scheduled task and by hand.

Without --user it opens the store with the scheduled purge's credential (made once by a
custodian with --enroll); with --user the account signs in the way every command does
(cli/signin.py: witness checked on open and advanced on leaving). Exit 0 with a one-line
summary; 1 with a sentence on any failure (cli/failures.py).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from alpr_desktop.cli.failures import EXIT_ERROR, EXIT_OK, Failure, guarded
from alpr_desktop.cli.signin import PROG, signed_in, store_path

__all__ = ["EXIT_ERROR", "EXIT_OK", "add_parser", "run"]


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "purge", help="delete reads past retention (the scheduled task runs this every minute)",
        description="Delete every read (with its images, candidates and unused plates) whose "
                    "retention has ended, except reads under an approved hold.")
    p.add_argument("--store", dest="purge_store", type=Path, metavar="PATH",
                   help="store file (default: the program's store)")
    p.add_argument("--user", dest="purge_user", metavar="NAME",
                   help="sign in as this account instead of using the scheduled credential")
    what = p.add_mutually_exclusive_group()
    what.add_argument("--enroll", action="store_true",
                      help="custodian: let the scheduled purge open the store on this computer")
    what.add_argument("--unenroll", action="store_true",
                      help="custodian: withdraw the scheduled purge's credential")
    what.add_argument("--convert-store", action="store_true",
                      help="custodian or administrator: convert a store made before "
                           "incremental vacuum, so purged pages leave the file (one VACUUM: "
                           "minutes on a large store; Ctrl+C cancels and changes nothing)")


def run(args: argparse.Namespace, stdin: TextIO | None = None,
        out: TextIO | None = None) -> int:
    output = out or sys.stdout
    return guarded(lambda: _purge(args, stdin or sys.stdin, output), f"{PROG}: purge failed")


def _purge(args: argparse.Namespace, stdin: TextIO, out: TextIO) -> int:
    from alpr_desktop.cli.signin import updating_on_stderr
    from alpr_desktop.services import retention
    from alpr_desktop.services.signin import inspect
    from alpr_desktop.services.stores import telling_migrations

    path = store_path(args.purge_store or getattr(args, "store", None))
    if not args.purge_user:
        if args.enroll or args.unenroll or args.convert_store:
            raise Failure("--enroll, --unenroll and --convert-store need --user (a custodian "
                          "or, for --convert-store, an administrator).")
        inspect(path)
        with telling_migrations(updating_on_stderr(PROG)):  # unattended: the journal says it
            result, said = retention.scheduled_purge(path)
        if said:
            print(said, file=out)
        print(result.summary, file=out)
        return EXIT_OK
    with signed_in(path, args.purge_user, stdin=stdin, out=out, prog=PROG) as cs:
        ctx = cs.context()
        if args.enroll:
            name = retention.enroll_scheduled_purge(cs.store, ctx)
            print(f"purge: the scheduled purge may now open this store ({name}).", file=out)
        elif args.convert_store:
            print(_convert(cs.store, ctx, out), file=out)
        elif args.unenroll:
            had = retention.unenroll_scheduled_purge(cs.store, ctx)
            print("purge: scheduled credential withdrawn." if had else
                  "purge: there was no scheduled credential.", file=out)
        else:
            ran_by = f"{cs.session.username} (command line)"
            print(retention.purge_store(cs.store, ran_by).summary, file=out)
    return EXIT_OK


def _convert(store: object, ctx: object, out: TextIO) -> str:
    """The conversion with a progress line every tenth and Ctrl+C as Cancel."""
    import signal

    from alpr_desktop.core.errors import Cancelled
    from alpr_desktop.services.retention import RetentionService

    stop = [False]
    shown = [-1]

    def progress(share: float) -> None:
        tenth = int(share * 10)
        if tenth > shown[0]:
            shown[0] = tenth
            print(f"purge: converting the store, about {tenth * 10}%", file=out, flush=True)

    def interrupt(_sig: int, _frame: object) -> None:
        stop[0] = True

    before = signal.signal(signal.SIGINT, interrupt)
    try:
        done = RetentionService(store).convert_store(  # type: ignore[arg-type]
            ctx, progress=progress, cancel=lambda: stop[0])  # type: ignore[arg-type]
    except Cancelled:
        raise Failure("Conversion cancelled; the store is as it was.") from None
    finally:
        signal.signal(signal.SIGINT, before)
    return f"purge: {done.summary}"
