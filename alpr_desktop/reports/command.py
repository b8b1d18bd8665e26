"""`alpr-desktop report access-log` and `alpr-desktop verify-log`: the custodian's audit without
the GUI, through the same AuditService (so it is gated and logged the same way).

The password is never an argument (it would sit in shell history and the process list): it is
read from the terminal without echo, or as one line of standard input when that is not a
terminal (scripts, tests). Exit codes: 0 intact (and report written), 3 log NOT intact (the
report is still written and says so), 1 any other failure, told in one line (a checkpoint that
is refused - bad signature, another store, a key the store does not pin - is such a failure).
Each command first holds the store against this workstation's log witness and prints a
warning line when the store was rolled back or its log rewritten.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from alpr_desktop.core.accounts import Session
    from alpr_desktop.services.audit_service import AuditService
    from alpr_desktop.services.auth import AuthService
    from alpr_desktop.storage.db import Store

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_NOT_INTACT = 3
PROG = "alpr-desktop"


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``report access-log`` and ``verify-log`` to the program's subcommands."""
    report = sub.add_parser("report", help="print a report (access-log audit)")
    kinds = report.add_subparsers(dest="report_kind", metavar="KIND", required=True)
    al = kinds.add_parser(
        "access-log", help="the custodian's access-log audit report as PDF",
        description="Write the access-log audit report for whole days FROM to TO (site time).",
    )
    al.add_argument("--from", dest="date_from", type=_date, required=True, metavar="DATE")
    al.add_argument("--to", dest="date_to", type=_date, required=True, metavar="DATE")
    al.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    _common(al)
    verify = sub.add_parser(
        "verify-log", help="verify the access log's hash chain",
        description="Walk the access log's hash chain. With --checkpoint, also hold it against "
                    "a signed checkpoint kept outside the store: truncation, an older copy put "
                    "back and any rewrite before the checkpoint are found and named.")
    verify.add_argument("--checkpoint", type=Path, metavar="FILE",
                        help="a checkpoint file issued by the custodian")
    _common(verify)
    checkpoint = sub.add_parser("checkpoint", help="issue a signed checkpoint of the access log")
    actions = checkpoint.add_subparsers(dest="checkpoint_action", metavar="ACTION", required=True)
    issue = actions.add_parser(
        "issue", help="sign the log's present state with the custodian's key",
        description="Sign the access log's entry count and head hash with your checkpoint key "
                    "(custodian only; your password unwraps it) and save the checkpoint as a "
                    "new owner-only file. Keep it where this workstation's users cannot change "
                    "it; verify later with verify-log --checkpoint FILE.")
    issue.add_argument("--out", dest="checkpoint_out", type=Path, metavar="FILE",
                       help="new file or folder (default: log-checkpoint-<UTC time>"
                            ".alprcheckpoint in the current folder); never overwritten")
    _common(issue)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--store", dest="audit_store", type=Path, metavar="PATH",
                   help="store file (default: the program's store)")
    p.add_argument("--user", dest="audit_user", metavar="NAME",
                   help="custodian's username (asked for when omitted)")


def _read_secret(prompt: str, stdin: TextIO) -> str:
    if stdin.isatty():
        return getpass.getpass(prompt)
    line = stdin.readline()
    if not line:
        raise EOFError("no input")
    return line.rstrip("\r\n")


def _read_line(prompt: str, stdin: TextIO) -> str:
    if stdin.isatty():
        return input(prompt)
    line = stdin.readline()
    if not line:
        raise EOFError("no input")
    return line.rstrip("\r\n")


class _Failure(Exception):
    """A one-line reason to stop."""


def _credentials(
    args: argparse.Namespace, stdin: TextIO
) -> tuple[Path, str, str, Callable[[str], str]]:
    """The store, username and password, and how to ask for the recovery passphrase."""
    from alpr_desktop.core.paths import default_store_path
    from alpr_desktop.services.signin import inspect

    path = Path(args.audit_store or getattr(args, "store", None) or default_store_path())
    inspect(path)  # a missing or foreign file is told before any question
    username = args.audit_user or _read_line("Custodian username: ", stdin)
    password = _read_secret(f"Password for {username}: ", stdin)

    def ask(reason: str) -> str:
        print(f"{PROG}: {reason}", file=sys.stderr)
        return _read_secret(f"Recovery passphrase for {path.name}: ", stdin)

    return path, username, password, ask


def _session(
    args: argparse.Namespace, stdin: TextIO
) -> tuple[Store, AuthService, Session]:
    """Sign the custodian in, which opens the store (services/signin.py)."""
    from alpr_desktop.services.auth import AuthService
    from alpr_desktop.services.signin import sign_in_or_recover

    opened = sign_in_or_recover(*_credentials(args, stdin))
    return opened.store, AuthService(opened.store), opened.session


def _witness_on_open(store: Store, out: TextIO) -> bool:
    """Hold the log against this workstation's witness and print any warning (one line).
    True when the store was rolled back or its log rewritten since this workstation saw it."""
    from alpr_desktop.services.witness import WitnessStatus, check_on_open

    report = check_on_open(store)
    if report.warning or report.message:
        print(f"WARNING: {report.message}" if report.warning else report.message, file=out)
    return report.status in (WitnessStatus.ROLLED_BACK, WitnessStatus.REWRITTEN)


def _witness_advance(store: Store) -> None:
    from alpr_desktop.services.witness import advance

    advance(store)


def run_verify_log(args: argparse.Namespace, *, stdin: TextIO | None = None,
                   out: TextIO | None = None) -> int:
    """``verify-log``: 0 when the chain is intact, 3 (naming the first broken entry) when not,
    or when this workstation's witness finds the store rolled back or its log rewritten."""
    from alpr_desktop.services.audit_service import AuditService

    out = out or sys.stdout
    return _guarded(lambda: _verify(args, stdin or sys.stdin, out, AuditService))


def _verify(
    args: argparse.Namespace, stdin: TextIO, out: TextIO, service_cls: type[AuditService]
) -> int:
    checkpoint = getattr(args, "checkpoint", None)
    if checkpoint is not None:
        return _verify_against(args, checkpoint, stdin, out)
    store, auth, session = _session(args, stdin)
    try:
        rolled_back = _witness_on_open(store, out)
        result = service_cls(store, auth.clock).verify(auth.context(session))
        auth.sign_out(session)
        _witness_advance(store)
    finally:
        store.close()
    print(result.summary(), file=out)
    if result.intact:
        return EXIT_NOT_INTACT if rolled_back else EXIT_OK
    if result.first_broken is not None:
        print(f"First broken entry: #{result.first_broken}", file=out)
    return EXIT_NOT_INTACT


def _verify_against(args: argparse.Namespace, checkpoint: Path, stdin: TextIO,
                    out: TextIO) -> int:
    """``verify-log --checkpoint FILE``: 0 intact and consistent with it, 3 not; a refused
    checkpoint (bad signature, another store, a key the store does not pin) is one line, 1."""
    from alpr_desktop.services.checkpoints import CheckpointService

    if not Path(checkpoint).is_file():  # told before any password is asked for
        raise _Failure(f"No checkpoint file at {checkpoint}.")
    store, auth, session = _session(args, stdin)
    try:
        rolled_back = _witness_on_open(store, out)
        try:
            result = CheckpointService(store, auth.clock).verify(auth.context(session),
                                                                 checkpoint)
        finally:
            auth.sign_out(session)
            _witness_advance(store)
    finally:
        store.close()
    print(result.summary(), file=out)
    return EXIT_OK if result.intact and not rolled_back else EXIT_NOT_INTACT


def run_report_access_log(args: argparse.Namespace, *, stdin: TextIO | None = None,
                          out: TextIO | None = None) -> int:
    """``report access-log``: writes the PDF; 0 when the log is intact, 3 when not."""
    from alpr_desktop.services.audit_service import AuditService

    out = out or sys.stdout
    return _guarded(lambda: _report(args, stdin or sys.stdin, out, AuditService))


def _report(
    args: argparse.Namespace, stdin: TextIO, out: TextIO, service_cls: type[AuditService]
) -> int:
    from alpr_desktop.core.audit_filters import AuditFilter, local_day_bounds

    if args.date_to < args.date_from:
        raise _Failure("--to is before --from")
    target = Path(args.out)
    if target.suffix.lower() != ".pdf":
        raise _Failure("--out must name a .pdf file")
    if not target.parent.is_dir():
        raise _Failure(f"no such folder: {target.parent}")
    start, end = local_day_bounds(args.date_from, args.date_to)
    store, auth, session = _session(args, stdin)
    try:
        _witness_on_open(store, out)
        result = service_cls(store, auth.clock).build_report(
            auth.context(session), target, AuditFilter(from_ms=start, to_ms=end)
        )
        auth.sign_out(session)
        _witness_advance(store)
    finally:
        store.close()
    print(f"Wrote {result.path} ({result.entries} entries, {result.pages} pages).", file=out)
    print(result.verify.summary(), file=out)
    return EXIT_OK if result.verify.intact else EXIT_NOT_INTACT


def run_checkpoint_issue(args: argparse.Namespace, *, stdin: TextIO | None = None,
                         out: TextIO | None = None) -> int:
    """``checkpoint issue``: 0 when the checkpoint is written (services.checkpoints)."""
    from alpr_desktop.core.clock import SystemClock
    from alpr_desktop.services.checkpoints import issue_by_signing_in, target_for

    def issue() -> int:
        target = target_for(args.checkpoint_out, SystemClock().now_ms())  # before any question
        path, username, password, ask = _credentials(args, stdin or sys.stdin)
        done = issue_by_signing_in(path, username, password, target, ask)
        for line in (done.witness_line, done.result.summary()):
            if line:
                print(line, file=out or sys.stdout)
        return EXIT_OK

    return _guarded(issue)


def _guarded(fn: Callable[[], int]) -> int:
    """Run ``fn``; any failure becomes one line on stderr and exit code 1."""
    from alpr_desktop.core.access_errors import AccessError
    from alpr_desktop.core.errors import Cancelled
    from alpr_desktop.security.keys import KeyCustodyError
    from alpr_desktop.storage.errors import StoreError

    try:
        return int(fn())
    except (_Failure, AccessError, KeyCustodyError, Cancelled) as exc:
        message = str(exc)
    except StoreError as exc:
        message = f"{exc} {exc.advice}"
    except EOFError:
        message = "no password given (type it at the prompt, or pipe it on standard input)"
    except OSError as exc:
        message = f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")
    print(f"{PROG}: {message}", file=sys.stderr)
    return EXIT_ERROR


def run(args: argparse.Namespace) -> int:
    """Dispatch for cli.main: the exit code of the chosen command."""
    if args.command == "checkpoint":
        return run_checkpoint_issue(args)
    if args.command == "verify-log":
        return run_verify_log(args)
    return run_report_access_log(args)
