"""`alpr-desktop report access-log` and `alpr-desktop verify-log`: the custodian's audit without
the GUI, through the same AuditService (so it is gated and logged the same way).

The custodian signs in the way every command does (cli/signin.py: the password from the
terminal or one line of standard input, never an argument; the witness checked on open and
advanced on leaving). Exit codes: 0 intact (and report written), 3 log NOT intact (the
report is still written and says so), 1 any other failure, told in one line (a checkpoint that
is refused - bad signature, another store, a key the store does not pin - is such a failure).
"""

from __future__ import annotations

import argparse
import sys
from contextlib import AbstractContextManager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from alpr_desktop.cli.failures import EXIT_ERROR, EXIT_NOT_INTACT, EXIT_OK, Failure, guarded
from alpr_desktop.cli.signin import PROG, CliSession, signed_in

if TYPE_CHECKING:
    from alpr_desktop.services.audit_service import AuditService

__all__ = ["EXIT_ERROR", "EXIT_NOT_INTACT", "EXIT_OK", "add_parsers", "run",
           "run_checkpoint_issue", "run_report_access_log", "run_verify_log"]


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
    verify.add_argument("--archive", dest="verify_archives", type=Path, metavar="FILE",
                        action="append", help="with --checkpoint: an access-log archive file "
                        "holding the checkpoint's entry when it has been archived (repeatable)")
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


def _session(args: argparse.Namespace, stdin: TextIO,
             out: TextIO) -> AbstractContextManager[CliSession]:
    """Sign the custodian in, which opens the store (cli/signin.py)."""
    store = args.audit_store or getattr(args, "store", None)
    return signed_in(store, args.audit_user, stdin=stdin, out=out,
                     username_prompt="Custodian username: ")


def run_verify_log(args: argparse.Namespace, *, stdin: TextIO | None = None,
                   out: TextIO | None = None) -> int:
    """``verify-log``: 0 when the chain is intact, 3 (naming the first broken entry) when not,
    or when this workstation's witness finds the store rolled back or its log rewritten."""
    from alpr_desktop.services.audit_service import AuditService

    output = out or sys.stdout
    return guarded(lambda: _verify(args, stdin or sys.stdin, output, AuditService), PROG)


def _verify(
    args: argparse.Namespace, stdin: TextIO, out: TextIO, service_cls: type[AuditService]
) -> int:
    checkpoint = getattr(args, "checkpoint", None)
    if checkpoint is not None:
        return _verify_against(args, checkpoint, stdin, out)
    with _session(args, stdin, out) as cs:
        result = service_cls(cs.store, cs.clock).verify(cs.context())
    print(result.summary(), file=out)
    if result.intact:
        return EXIT_NOT_INTACT if cs.rolled_back else EXIT_OK
    if result.first_broken is not None:
        print(f"First broken entry: #{result.first_broken}", file=out)
    return EXIT_NOT_INTACT


def _verify_against(args: argparse.Namespace, checkpoint: Path, stdin: TextIO,
                    out: TextIO) -> int:
    """``verify-log --checkpoint FILE``: 0 intact and consistent with it, 3 not; a refused
    checkpoint (bad signature, another store, a key the store does not pin) is one line, 1."""
    from alpr_desktop.services.checkpoints import CheckpointService

    if not Path(checkpoint).is_file():  # told before any password is asked for
        raise Failure(f"No checkpoint file at {checkpoint}.")
    archives = list(getattr(args, "verify_archives", None) or [])
    for f in archives:
        if not Path(f).is_file():
            raise Failure(f"No archive file at {f}.")
    with _session(args, stdin, out) as cs:
        result = CheckpointService(cs.store, cs.clock).verify(cs.context(), checkpoint,
                                                              archives=archives)
    print(result.summary(), file=out)
    return EXIT_OK if result.intact and not cs.rolled_back else EXIT_NOT_INTACT


def run_report_access_log(args: argparse.Namespace, *, stdin: TextIO | None = None,
                          out: TextIO | None = None) -> int:
    """``report access-log``: writes the PDF; 0 when the log is intact, 3 when not."""
    from alpr_desktop.services.audit_service import AuditService

    output = out or sys.stdout
    return guarded(lambda: _report(args, stdin or sys.stdin, output, AuditService), PROG)


def _report(
    args: argparse.Namespace, stdin: TextIO, out: TextIO, service_cls: type[AuditService]
) -> int:
    from alpr_desktop.core.audit_filters import AuditFilter, local_day_bounds

    if args.date_to < args.date_from:
        raise Failure("--to is before --from")
    target = Path(args.out)
    if target.suffix.lower() != ".pdf":
        raise Failure("--out must name a .pdf file")
    if not target.parent.is_dir():
        raise Failure(f"no such folder: {target.parent}")
    start, end = local_day_bounds(args.date_from, args.date_to)
    with _session(args, stdin, out) as cs:
        result = service_cls(cs.store, cs.clock).build_report(
            cs.context(), target, AuditFilter(from_ms=start, to_ms=end)
        )
    print(f"Wrote {result.path} ({result.entries} entries, {result.pages} pages).", file=out)
    print(result.verify.summary(), file=out)
    return EXIT_OK if result.verify.intact else EXIT_NOT_INTACT


def run_checkpoint_issue(args: argparse.Namespace, *, stdin: TextIO | None = None,
                         out: TextIO | None = None) -> int:
    """``checkpoint issue``: 0 when the checkpoint is written (services.checkpoints)."""
    output = out or sys.stdout
    return guarded(lambda: _checkpoint_issue(args, stdin or sys.stdin, output), PROG)


def _checkpoint_issue(args: argparse.Namespace, stdin: TextIO, out: TextIO) -> int:
    from alpr_desktop.core.clock import SystemClock
    from alpr_desktop.services.checkpoints import CheckpointService, target_for

    target = target_for(args.checkpoint_out, SystemClock().now_ms())  # before any question
    with _session(args, stdin, out) as cs:
        result = CheckpointService(cs.store, cs.clock).issue(cs.context(), cs.password, target)
    print(result.summary(), file=out)
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    """Dispatch for the program: the exit code of the chosen command."""
    if args.command == "checkpoint":
        return run_checkpoint_issue(args)
    if args.command == "verify-log":
        return run_verify_log(args)
    return run_report_access_log(args)
