"""``alpr-desktop store create --path P``: a new store without the GUI; ``store convert --path P``:
an existing store converted to today's file format (an administrator signs in).

The recovery passphrase and the first administrator and custodian (two people: separation of
duties) come from the terminal, secrets typed without echo and twice, never from arguments,
where they would sit in shell history and the process list. A script gives them with
``--secrets-from-stdin``, one line each of standard input in this order (SECRET_LINES):
passphrase, passphrase again, then for the administrator and then the custodian: username,
full name, organization, password, password again. Without that flag, standard input must be
a terminal. Everything is checked before the store is written, so bad input leaves nothing.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import TextIO

from alpr_desktop.cli.failures import EXIT_ERROR, EXIT_OK, Failure, guarded
from alpr_desktop.cli.signin import PROG

PREFIX = f"{PROG} store create"
CONVERT_PREFIX = f"{PROG} store convert"
SECRET_LINES = (
    "recovery passphrase", "recovery passphrase again",
    "administrator username", "administrator full name", "administrator organization",
    "administrator password", "administrator password again",
    "custodian username", "custodian full name", "custodian organization",
    "custodian password", "custodian password again",
)


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    store = sub.add_parser("store", help="create a store from the terminal")
    actions = store.add_subparsers(dest="store_action", metavar="ACTION", required=True)
    create = actions.add_parser(
        "create", help="create a new encrypted store and its first administrator and custodian",
        description="Create a new store. The recovery passphrase and the first administrator "
        "and custodian are asked for at the terminal (never as arguments). With "
        "--secrets-from-stdin they are read as lines of standard input, in this order: "
        + "; ".join(SECRET_LINES) + ".",
    )
    create.add_argument("--path", type=Path, required=True, metavar="P",
                        help="the new store file (*.alprdb)")
    create.add_argument("--secrets-from-stdin", action="store_true",
                        help="read the passphrase and accounts as lines of standard input")
    create.add_argument("--no-remember", action="store_true",
                        help="keep no workstation secret in this keyring (recovery only)")
    convert = actions.add_parser(
        "convert", help="convert a store made by an earlier version to today's file format",
        description="Convert a store made by an earlier version (16 KiB pages, HMAC-SHA512) "
        "to today's format (4 KiB pages, HMAC-SHA256), which searches and imports faster. "
        "An administrator signs in (the password is asked for at the terminal, or read as a "
        "line of standard input). The store must be closed everywhere else. It is copied "
        "beside itself (as much free disk space as it takes is needed), the copy is checked "
        "and then takes the store's place; the old file is overwritten and removed. Minutes "
        "on a large store; Ctrl+C before the last phase cancels and changes nothing.",
    )
    convert.add_argument("--path", type=Path, required=True, metavar="P",
                         help="the store file (*.alprdb)")
    convert.add_argument("--user", dest="convert_user", metavar="NAME",
                         help="administrator's username (asked for when omitted)")


class _Answers:
    """The questions, asked at a terminal or read as lines of standard input."""

    def __init__(self, stdin: TextIO, from_lines: bool) -> None:
        self.stdin = stdin
        self.lines = from_lines
        if not from_lines and not stdin.isatty():
            raise Failure(
                "standard input is not a terminal: run the command at a terminal, or give "
                "--secrets-from-stdin and these lines on standard input: "
                + "; ".join(SECRET_LINES) + "."
            )

    def _line(self, what: str) -> str:
        line = self.stdin.readline()
        if not line:
            raise Failure(f"standard input ended before the {what}; it needs these lines: "
                          + "; ".join(SECRET_LINES) + ".")
        return line.rstrip("\r\n")

    def text(self, prompt: str, what: str) -> str:
        return self._line(what) if self.lines else input(prompt)

    def secret_twice(self, prompt: str, what: str) -> str:
        if self.lines:
            first, second = self._line(what), self._line(f"{what} again")
        else:
            first = getpass.getpass(f"{prompt}: ")
            second = getpass.getpass(f"{prompt} again: ")
        if first != second:
            raise Failure(f"the two entries of the {what} differ; nothing was created.")
        return first


def run(args: argparse.Namespace, *, stdin: TextIO | None = None,
        out: TextIO | None = None) -> int:
    """``store create``: 0 when the store and both accounts exist; ``store convert``: 0 when
    the store has today's format (converted or already); 1 with one sentence."""
    if args.store_action == "convert":
        return guarded(lambda: _convert(args, stdin or sys.stdin, out or sys.stdout),
                       CONVERT_PREFIX)
    return guarded(lambda: _create(args, stdin or sys.stdin), PREFIX)


def _convert(args: argparse.Namespace, stdin: TextIO, out: TextIO) -> int:
    """Sign in, convert with each phase on a line (the copy every tenth) and Ctrl+C as
    Cancel, sign out on the converted store."""
    import signal

    from alpr_desktop.cli.signin import signed_in
    from alpr_desktop.core.errors import Cancelled
    from alpr_desktop.services.store_format import COPY, PHASE_WORDS, StoreFormatService

    stop = [False]
    said: set[tuple[str, int]] = set()

    def progress(phase: str, share: float) -> None:
        tenth = int(share * 10) if phase == COPY else 0
        if not said:  # the gate let the user through: say what happens
            print(f"Converting {Path(args.path).name} from {before} to {after}.", file=out)
        if (phase, tenth) not in said:
            said.add((phase, tenth))
            words = PHASE_WORDS.get(phase, phase)
            print(f"{words}: about {tenth * 10}%" if tenth else f"{words}...", file=out,
                  flush=True)

    def interrupt(_sig: int, _frame: object) -> None:
        stop[0] = True

    with signed_in(args.path, args.convert_user, stdin=stdin, out=out, prog=PROG,
                   username_prompt="Administrator username: ") as cs:
        service = StoreFormatService(cs.store, cs.clock)
        before, after = service.formats()
        previous = signal.signal(signal.SIGINT, interrupt)
        try:
            done = service.convert(cs.context(), progress=progress, cancel=lambda: stop[0])
        except Cancelled:
            raise Failure("Conversion cancelled; the store is as it was.") from None
        finally:
            signal.signal(signal.SIGINT, previous)
    print(done.summary, file=out)
    return EXIT_OK


def _create(args: argparse.Namespace, stdin: TextIO) -> int:
    from alpr_desktop.services.auth import AuthService
    from alpr_desktop.services.first_accounts import FirstAccount, check_first_accounts
    from alpr_desktop.services.store_files import key_file_exists
    from alpr_desktop.services.stores import check_recovery_passphrase, create_new_store

    path = Path(args.path)
    if path.exists() or key_file_exists(path):
        raise Failure(f"{path} already exists (or its key file does); choose another path.")
    if not path.parent.is_dir():
        raise Failure(f"the folder {path.parent} does not exist.")
    ask = _Answers(stdin, args.secrets_from_stdin)
    passphrase = ask.secret_twice("Recovery passphrase", "recovery passphrase")
    check_recovery_passphrase(passphrase)  # refused with its reason before anything is written
    people = []
    for role in ("administrator", "custodian"):
        username = ask.text(f"First {role}'s username: ", f"{role} username")
        full_name = ask.text(f"{role.capitalize()}'s full name: ", f"{role} full name")
        org = ask.text(f"{role.capitalize()}'s organization: ", f"{role} organization")
        password = ask.secret_twice(f"Password for {username}", f"{role} password")
        people.append(FirstAccount(username, full_name, org, password))
    admin, custodian = people
    check_first_accounts(admin, custodian)
    store = create_new_store(path, passphrase, remember=not args.no_remember)
    try:
        AuthService(store).create_first_accounts(admin, custodian)
    finally:
        store.close()
    print(f"Created {path} with administrator {admin.username.strip()!r} and custodian "
          f"{custodian.username.strip()!r}. Keep the recovery passphrase with the system's "
          "other secrets, and back up the store and its key file together.")
    return EXIT_OK


__all__ = ["EXIT_ERROR", "SECRET_LINES", "add_parser", "run"]
