"""`alpr-desktop log-archive`: the access log's own retention (docs/retention.md).

Without --verify: a custodian archives every entry older than five years into a signed,
encrypted file in --out (default: the current folder); the chain then verifies from the
anchor. With --verify FILE (repeatable): the chain is verified end to end through the archive
file(s), or from the anchor for a segment whose file is not given, and the output says which.
Exit 0 (done, or intact), 3 (not intact), 1 with a sentence on any failure.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from alpr_desktop.cli.failures import EXIT_NOT_INTACT, EXIT_OK, Failure, guarded
from alpr_desktop.cli.signin import PROG, signed_in

__all__ = ["add_parser", "run"]


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "log-archive", help="archive access-log entries older than five years (custodian)",
        description="Write every access-log entry older than five years to a signed, "
                    "encrypted archive file and remove it from the store; the chain then "
                    "verifies from an anchor naming the archived segment's last hash. With "
                    "--verify, check the whole chain through the archive file(s).")
    p.add_argument("--store", dest="archive_store", type=Path, metavar="PATH",
                   help="store file (default: the program's store)")
    p.add_argument("--user", dest="archive_user", metavar="NAME",
                   help="custodian's username (asked for when omitted)")
    p.add_argument("--out", dest="archive_out", type=Path, metavar="FOLDER",
                   help="folder for the new archive file (default: the current folder)")
    p.add_argument("--verify", dest="archive_verify", type=Path, metavar="FILE",
                   action="append", help="verify the chain with this archive file (repeat "
                                         "for several); nothing is archived")
    p.add_argument("--verify-store-only", dest="archive_verify_only", action="store_true",
                   help="verify from the anchor without any archive file")


def run(args: argparse.Namespace, stdin: TextIO | None = None,
        out: TextIO | None = None) -> int:
    output = out or sys.stdout
    return guarded(lambda: _run(args, stdin or sys.stdin, output), f"{PROG}: log-archive")


def _run(args: argparse.Namespace, stdin: TextIO, out: TextIO) -> int:
    from alpr_desktop.core.log_archive import LogArchiveError
    from alpr_desktop.services.log_archive import LogArchiveService

    files = list(args.archive_verify or [])
    for f in files:  # told before any password is asked for
        if not Path(f).is_file():
            raise Failure(f"No archive file at {f}.")
    folder = Path(args.archive_out) if args.archive_out else Path.cwd()
    verifying = bool(files) or args.archive_verify_only
    if not verifying and not folder.is_dir():
        raise Failure(f"There is no folder {folder}.")
    store = args.archive_store or getattr(args, "store", None)
    try:
        with signed_in(store, args.archive_user, stdin=stdin, out=out, prog=PROG,
                       username_prompt="Custodian username: ") as cs:
            service = LogArchiveService(cs.store, cs.clock)
            if verifying:
                result = service.verify(cs.context(), files)
                print(result.summary(), file=out)
                return EXIT_OK if result.intact else EXIT_NOT_INTACT
            done = service.archive(cs.context(), cs.password, folder)
    except LogArchiveError as exc:
        raise Failure(str(exc)) from None
    print(done.summary, file=out)
    return EXIT_OK
