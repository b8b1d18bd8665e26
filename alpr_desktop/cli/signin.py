"""The one way every CLI command opens a store: sign in (services/signin.py), which unlocks it.

Every command (import, report, verify-log) takes the same steps, so they cannot drift apart:

1. a missing or foreign store file is told before any question is asked;
2. the username (when not given) and the password are read from the terminal without echo,
   or as one line each of standard input when that is not a terminal (scripts, tests), never
   from an argument, where they would sit in shell history and the process list;
3. signing in opens the store; where only the recovery passphrase opens it on this machine,
   that is asked for the same way, and the signin service then remembers this machine (a new
   workstation secret in the keyring and the account's key slot), so the next sign-in needs
   the password only (DESIGN rule 5);
4. the store is held against this workstation's log witness and any warning is printed;
5. on leaving, the user is signed out and the witness advanced to the head now seen, and the
   store is closed, whatever happened in between.
"""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from alpr_desktop.core.accounts import AccessContext, Session
    from alpr_desktop.core.clock import Clock
    from alpr_desktop.services.auth import AuthService
    from alpr_desktop.services.stores import UnitOfWork

PROG = "alpr-desktop"


def read_secret(prompt: str, stdin: TextIO) -> str:
    """A secret without echo from a terminal, else one line of ``stdin``; EOFError when none."""
    if stdin.isatty():
        return getpass.getpass(prompt)
    return _line(stdin)


def read_line(prompt: str, stdin: TextIO) -> str:
    """A line typed at a terminal, else one line of ``stdin``; EOFError when none."""
    if stdin.isatty():
        return input(prompt)
    return _line(stdin)


def _line(stdin: TextIO) -> str:
    line = stdin.readline()
    if not line:
        raise EOFError("no input")
    return line.rstrip("\r\n")


def store_path(given: Path | str | None) -> Path:
    """The store a command works on: the one named, else the program's store."""
    from alpr_desktop.core.paths import default_store_path

    return Path(given) if given else Path(default_store_path())


@dataclass(frozen=True)
class CliSession:
    """A signed-in user and the store their sign-in opened, for one command."""

    store: UnitOfWork
    auth: AuthService
    session: Session
    rolled_back: bool  # the witness found the store rolled back or its log rewritten
    # The password typed to sign in, for the one command that needs it again (checkpoint
    # issue: it unwraps the custodian's signing key). Never printed.
    password: str = field(default="", repr=False)

    @property
    def clock(self) -> Clock:
        return self.auth.clock

    def context(self) -> AccessContext:
        return self.auth.context(self.session)


def updating_on_stderr(prog: str) -> Callable[[int, int], None]:
    """What to tell ``telling_migrations`` on the command line: a migration that rebuilds a
    table or an index (the access log's, ~15 s per million entries; the plates' look-alike
    index, ~45 s for 30 million plates) must not look like a hang. Said on stderr, so standard
    output stays the result."""
    from alpr_desktop.core.store_format import updating_text

    def updating(done: int, total: int) -> None:
        text = updating_text(done, total)
        print(f"{prog}: {text[0].lower()}{text[1:]}", file=sys.stderr, flush=True)

    return updating


@contextmanager
def signed_in(
    path: Path | str | None,
    username: str | None,
    *,
    stdin: TextIO | None = None,
    out: TextIO | None = None,
    prog: str = PROG,
    username_prompt: str = "Username: ",
    password_from_stdin: bool = False,
) -> Iterator[CliSession]:
    """Sign ``username`` (asked for when None) in to the store at ``path`` (the program's store
    when None) and yield the session; sign out, advance the witness and close on leaving.

    Raises what signing in raises (AccessError, KeyCustodyError, StoreError) and EOFError when
    standard input ends before a password; cli/failures.py tells each in one line."""
    from alpr_desktop.services.auth import AuthService
    from alpr_desktop.services.signin import inspect, sign_in_or_recover
    from alpr_desktop.services.stores import telling_migrations

    stdin = stdin or sys.stdin
    out = out or sys.stdout
    target = store_path(path)
    inspect(target)  # a missing or foreign file is told before any question
    name = username or read_line(username_prompt, stdin)
    prompt = f"Password for {name}: "
    password = _line(stdin) if password_from_stdin else read_secret(prompt, stdin)

    def ask_recovery(reason: str) -> str:
        print(f"{prog}: {reason}", file=sys.stderr)
        return read_secret(f"Recovery passphrase for {target.name}: ", stdin)

    with telling_migrations(updating_on_stderr(prog)):
        opened = sign_in_or_recover(target, name, password, ask_recovery)
    store = opened.store
    try:
        auth = AuthService(store)
        rolled_back = _witness_on_open(store, out)
        failed = True
        try:
            yield CliSession(store, auth, opened.session, rolled_back, password)
            failed = False
        finally:
            _leave(store, auth, opened.session, quietly=failed)
    finally:
        store.close()


def _leave(store: UnitOfWork, auth: AuthService, session: Session, *, quietly: bool) -> None:
    """Sign out and advance the witness. When the command already failed, a failure here is
    not allowed to mask it: the command's own error (what was stored, what went wrong) is the
    news."""
    from alpr_desktop.services.witness import advance
    from alpr_desktop.storage.errors import StoreError

    try:
        auth.sign_out(session)
        advance(store)
    except StoreError:
        if not quietly:
            raise


def _witness_on_open(store: UnitOfWork, out: TextIO) -> bool:
    """Hold the log against this workstation's witness and print any warning (one line).
    True when the store was rolled back or its log rewritten since this workstation saw it."""
    from alpr_desktop.services.witness import WitnessStatus, check_on_open

    report = check_on_open(store)
    if report.warning or report.message:
        print(f"WARNING: {report.message}" if report.warning else report.message, file=out)
    return report.status in (WitnessStatus.ROLLED_BACK, WitnessStatus.REWRITTEN)
