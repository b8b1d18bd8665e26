"""``alpr-desktop import FILE...``: the wizard's job from a terminal.

The password is read from the terminal (or one line of stdin with --password-stdin), never
from an argument, where it would sit in shell history and the process list. The store opens
by signing in (services/signin.py); where only the recovery passphrase opens it on this machine,
that is asked for at the terminal.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import getpass
import json
import sys
from pathlib import Path
from typing import TextIO

from alpr_desktop.ingest.delimited import DELIMITER_NAMES, Mapping
from alpr_desktop.ingest.runner import FORMATS, ImportOptions, ImportSummary, Progress

EXIT_OK = 0
EXIT_ERROR = 1


def add_import_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
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


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return getpass.getpass(f"Password for {args.user}: ")


def _store_path(args: argparse.Namespace) -> Path:
    from alpr_desktop.core.paths import default_store_path

    return Path(args.import_store or getattr(args, "store", None) or default_store_path())


def _ask_recovery(reason: str) -> str:
    print(f"alpr-desktop import: {reason}", file=sys.stderr)
    return getpass.getpass("Store recovery passphrase: ")


def _mapping(args: argparse.Namespace, service, ctx) -> Mapping | None:
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
    changes: dict[str, object] = {}
    if args.datetime_format:
        changes["datetime_format"] = args.datetime_format
    if args.timezone:
        changes["timezone"] = args.timezone
    if args.delimiter:
        changes["delimiter"] = DELIMITER_NAMES[args.delimiter]
    return dataclasses.replace(mapping, **changes) if changes else mapping


def _progress(quiet: bool):
    def show(p: Progress) -> None:
        if not quiet:
            print(f"\r{p.file_name}: {p.records:,} records, {p.accepted:,} new, "
                  f"{p.rejected:,} rejected", end="", file=sys.stderr, flush=True)

    return show


def print_summary(summary: ImportSummary, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    for f in summary.files:
        if f.refused:
            status = f"REFUSED: {f.refused}"
        elif f.already_imported:
            status = "already imported earlier; nothing added"
        else:
            status = "resumed and finished" if f.resumed else "done"
        print(f"{f.name} (sha256 {f.sha256[:16]}…): {status}", file=out)
        print(f"  {f.accepted:,} accepted, {f.duplicates:,} already in the store, "
              f"{f.rejected_total:,} rejected", file=out)
        for reason, n in sorted(f.rejected.items()):
            print(f"    {reason}: {n:,}", file=out)
    if summary.new_cameras:
        print("New cameras: " + ", ".join(summary.new_cameras), file=out)
    if summary.report_path:
        print(f"Reject report: {summary.report_path}", file=out)
    if summary.cancelled:
        print("Cancelled: run the same command again to finish.", file=out)
    print(f"Total: {summary.added:,} added by this run ({summary.accepted:,} accepted in all), "
          f"{summary.duplicates:,} duplicates, {summary.rejected:,} rejected in "
          f"{summary.seconds:.1f} s.", file=out)


def run_import_command(args: argparse.Namespace) -> int:
    from alpr_desktop.core.access_errors import AccessError
    from alpr_desktop.core.accounts import Session
    from alpr_desktop.ingest.presets import PresetError
    from alpr_desktop.services import witness
    from alpr_desktop.services.auth import AuthService
    from alpr_desktop.services.imports import ImportService
    from alpr_desktop.services.signin import inspect, sign_in_or_recover
    from alpr_desktop.storage.errors import StoreError

    missing = [str(f) for f in args.files if not f.is_file()]
    if missing:
        print(f"alpr-desktop import: no such file: {', '.join(missing)}", file=sys.stderr)
        return EXIT_ERROR
    inspect(_store_path(args))  # a missing or foreign store is told before any question
    password = _password(args)
    try:
        opened = sign_in_or_recover(_store_path(args), args.user, password, _ask_recovery)
    except AccessError as exc:
        print(f"alpr-desktop import: {exc}", file=sys.stderr)
        return EXIT_ERROR
    store = opened.store
    try:
        said = witness.command_line(witness.check_on_open(store))  # before anything is written
        if said:
            print(said)
        auth = AuthService(store)
        session: Session | None = opened.session
        try:
            assert session is not None
            ctx = auth.context(session)
            service = ImportService(store)
            mapping = _mapping(args, service, ctx)
            options = ImportOptions(
                format=args.format, mapping=mapping,
                delimiter=DELIMITER_NAMES[args.delimiter] if args.delimiter else None,
                images=args.images, batch_size=args.batch_size, report_path=args.report,
            )
            summary = service.run(ctx, args.files, options, progress=_progress(args.quiet))
        except (AccessError, PresetError, json.JSONDecodeError) as exc:
            print(f"alpr-desktop import: {exc}", file=sys.stderr)
            return EXIT_ERROR
        finally:
            if session is not None:
                try:
                    auth.sign_out(session)
                except StoreError:
                    if sys.exc_info()[0] is None:
                        raise  # else the import's own error (what was stored) is the news
            with contextlib.suppress(StoreError):  # the next open tells what it finds
                witness.advance(store)
            if not args.quiet:
                print(file=sys.stderr)
        print_summary(summary)
        return EXIT_ERROR if any(f.refused for f in summary.files) else EXIT_OK
    finally:
        store.close()
