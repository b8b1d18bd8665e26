"""`alpr-desktop release` and `alpr-desktop own-package`: what an analyst sends out, from the
terminal, through the same services as the GUI (issue 15).

* ``release REQUEST --package PATH [--zip]`` or ``release REQUEST --extract PATH --expires
  DATE [--record PDF]``: answer an approved sharing request. The analyst's purpose is the
  request's own (declared here, as the GUI does), the custodian's approval is checked, and a
  request is answered at most once with each kind.
* ``own-package PATH --reads 1,2 --agency NAME --recipient NAME --case C --offense O
  --narrative N [--category prosecution] [--zip]``: the analyst's own prosecution package for
  a registered, approved agency, under the purpose given (checked by the purpose rules).

The extract's passphrase is printed once (and on the release record when ``--record`` names
one); it is kept nowhere else. Refusals are one line and exit 1 (cli/failures.py).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from alpr_desktop.cli.failures import EXIT_OK, Failure, guarded
from alpr_desktop.cli.signin import PROG, signed_in

if TYPE_CHECKING:
    from alpr_desktop.core.accounts import AccessContext
    from alpr_desktop.core.clock import Clock
    from alpr_desktop.services.auth import AuthService
    from alpr_desktop.services.stores import UnitOfWork


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    r = sub.add_parser(
        "release", help="answer an approved sharing request with a package or an extract",
        description="Release the response the custodian approved, as an evidence package "
                    "(folder or ZIP) or an offline review extract. Each kind leaves once.")
    r.add_argument("request", type=int, metavar="REQUEST", help="the request number")
    kind = r.add_mutually_exclusive_group(required=True)
    kind.add_argument("--package", type=Path, metavar="PATH", help="new package folder")
    kind.add_argument("--extract", type=Path, metavar="PATH",
                      help="new extract file (.alprext is added)")
    r.add_argument("--zip", action="store_true", help="the package as one ZIP file")
    r.add_argument("--expires", type=_date, metavar="YYYY-MM-DD",
                   help="last day the extract opens (extracts only)")
    r.add_argument("--record", type=Path, metavar="PDF",
                   help="write the extract's release record (with the passphrase) here")
    _common(r)
    o = sub.add_parser(
        "own-package", help="the evidence package of your own prosecution case",
        description="Build an evidence package of reads of your own case for your own agency "
                    "or the prosecutor (an agency the custodian approved in the registry), "
                    "under the purpose given.")
    o.add_argument("target", type=Path, metavar="PATH", help="new package folder (or ZIP)")
    o.add_argument("--reads", required=True, type=_ids, metavar="ID,ID",
                   help="the read numbers, comma-separated")
    o.add_argument("--agency", required=True, help="the receiving agency, as registered")
    o.add_argument("--recipient", required=True, help="the person who receives it")
    o.add_argument("--case", required=True, help="your case number")
    o.add_argument("--offense", required=True, help="the offense")
    o.add_argument("--narrative", required=True, help="why, in your own words")
    o.add_argument("--category", default="prosecution",
                   choices=("prosecution", "criminal_investigation"))
    o.add_argument("--note", default="", help="what the package holds, for the cover")
    o.add_argument("--zip", action="store_true", help="one ZIP file instead of a folder")
    _common(o)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--store", dest="share_store", type=Path, metavar="PATH",
                   help="store file (default: the program's store)")
    p.add_argument("--user", dest="share_user", metavar="NAME", help="analyst username")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-03-31") from None


def _ids(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(x) for x in text.replace(" ", "").split(",") if x)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a list of read numbers") from None


def run(args: argparse.Namespace, *, stdin: TextIO | None = None,
        out: TextIO | None = None) -> int:
    output = out or sys.stdout

    def body() -> int:
        with signed_in(args.share_store or getattr(args, "store", None), args.share_user,
                       stdin=stdin or sys.stdin, out=output,
                       username_prompt="Analyst username: ") as cs:
            return execute(args, cs.store, cs.auth, cs.context(), cs.clock, output)

    from alpr_desktop.core.extract import ExtractError
    from alpr_desktop.core.purpose_problems import PurposeRejected

    return guarded(body, f"{PROG} {args.command}", expected=(PurposeRejected, ExtractError))


def execute(args: argparse.Namespace, store: UnitOfWork, auth: AuthService,
            ctx: AccessContext, clock: Clock, out: TextIO) -> int:
    """The command's work for a signed-in analyst (separate from signing in, for tests)."""
    from alpr_desktop.services.purposes import PurposeService

    purposes = PurposeService(store, clock)
    if args.command == "release":
        request = store.sharing.get(args.request)
        if request is None:
            raise Failure(f"there is no request #{args.request}.")
        purposes.declare(ctx, request.purpose_input())
        ctx = auth.context(ctx.session)
        if args.package is not None:
            return _package(args, store, ctx, clock, out)
        return _extract(args, store, ctx, clock, out)
    from alpr_desktop.core.purposes import PurposeInput
    from alpr_desktop.services.evidence_package import EvidencePackageService, OwnCaseOrder

    agency = store.agencies.by_name(" ".join(args.agency.split()))
    if agency is None:
        raise Failure(f"{args.agency!r} is not in the agency registry; the custodian must "
                      "register and approve it first (Attorney General bulletin 2023-DLE-06).")
    purposes.declare(ctx, PurposeInput(args.category, args.offense, args.case, args.narrative,
                                       True))
    ctx = auth.context(ctx.session)
    result = EvidencePackageService(store, clock).build_own_case(
        ctx, OwnCaseOrder(args.reads, agency.id or 0, args.recipient, args.note), args.target,
        as_zip=args.zip or args.target.suffix.lower() == ".zip")
    print(result.summary(), file=out)
    return EXIT_OK


def _package(args: argparse.Namespace, store: UnitOfWork, ctx: AccessContext, clock: Clock,
             out: TextIO) -> int:
    from alpr_desktop.services.evidence_package import EvidencePackageService

    if args.expires is not None or args.record is not None:
        raise Failure("--expires and --record are for an extract, not a package.")
    result = EvidencePackageService(store, clock).build(
        ctx, args.request, args.package,
        as_zip=args.zip or args.package.suffix.lower() == ".zip")
    print(result.summary(), file=out)
    return EXIT_OK


def _extract(args: argparse.Namespace, store: UnitOfWork, ctx: AccessContext, clock: Clock,
             out: TextIO) -> int:
    from alpr_desktop.services.review_extract import write_release_record
    from alpr_desktop.services.sharing_release import SharingReleaseService

    if args.expires is None:
        raise Failure("give --expires, the last day the extract may be opened.")
    if args.zip:
        raise Failure("--zip is for a package; an extract is one file already.")
    if args.record is not None and args.record.exists():
        raise Failure(f"{args.record.name} already exists; choose another name.")
    release = SharingReleaseService(store, clock).release_extract(
        ctx, args.request, args.extract, args.expires)
    print(f"Extract for request #{args.request} written to {release.extract_path} with its "
          f"key file {release.key_path.name}: {release.read_count} reads, for "
          f"{release.manifest.recipient_name} ({release.manifest.organization}), opens until "
          f"{release.manifest.expires_on.isoformat()}.", file=out)
    print(f"Passphrase (shown once; give it to the recipient apart from the file): "
          f"{release.passphrase}", file=out)
    if args.record is not None:
        path = write_release_record(release, args.record)
        print(f"Release record written to {path}.", file=out)
    return EXIT_OK
