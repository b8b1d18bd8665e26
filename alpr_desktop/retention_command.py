"""`alpr-desktop purge`: one purge run (policy §8), for the scheduled task and by hand.

Without --user it opens the store with the scheduled purge's credential (made once by a
custodian with --enroll); with --user the account signs in (password from the terminal, or one
line of standard input when that is not a terminal). Exit 0 with a one-line summary; 1 with a
sentence on any failure. (To move into alpr_desktop/cli/ with the other subcommands.)
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import TextIO

EXIT_OK, EXIT_ERROR = 0, 1
PROG = "alpr-desktop"


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
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


def _secret(prompt: str, stdin: TextIO) -> str:
    if stdin.isatty():
        return getpass.getpass(prompt)
    line = stdin.readline()
    if not line:
        raise EOFError("no password given")
    return line.rstrip("\r\n")


def run(args: argparse.Namespace, stdin: TextIO | None = None,
        out: TextIO | None = None) -> int:
    from alpr_desktop.core.paths import default_store_path
    from alpr_desktop.security.purge_credential import unlock
    from alpr_desktop.services import retention
    from alpr_desktop.services.auth import AuthService
    from alpr_desktop.services.signin import inspect, sign_in
    from alpr_desktop.storage import open_store

    stdin, out = stdin or sys.stdin, out or sys.stdout
    path = args.purge_store or getattr(args, "store", None) or default_store_path()
    try:
        inspect(path)
        if args.purge_user:
            password = _secret(f"Password for {args.purge_user}: ", stdin)
            opened = sign_in(path, args.purge_user, password)
            store, ctx = opened.store, AuthService(opened.store).context(opened.session)
            ran_by = f"{opened.session.username} (command line)"
        elif args.enroll or args.unenroll:
            raise ValueError("--enroll and --unenroll need --user (a custodian).")
        else:
            store, ctx, ran_by = open_store(path, unlock(path)), None, retention.SCHEDULED
        try:
            if args.enroll and ctx is not None:
                name = retention.enroll_scheduled_purge(store, ctx)
                print(f"purge: the scheduled purge may now open this store ({name}).", file=out)
            elif args.unenroll and ctx is not None:
                had = retention.unenroll_scheduled_purge(store, ctx)
                print("purge: scheduled credential withdrawn." if had else
                      "purge: there was no scheduled credential.", file=out)
            else:
                print(retention.purge_store(store, ran_by).summary, file=out)
        finally:
            store.close()
    except Exception as exc:  # one sentence, never a traceback (DESIGN rule 8)
        advice = getattr(exc, "advice", "")
        print(f"{PROG}: purge failed: {exc}{' ' + advice if advice else ''}", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_OK
