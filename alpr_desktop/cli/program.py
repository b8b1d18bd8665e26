"""Command line: the GUI by default, subcommands for headless work. Errors are one line and a
non-zero exit, never a traceback (DESIGN rule 8). Each subcommand group lives in its own
module of this package and signs in through cli/signin.py."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from alpr_desktop import APP_NAME, __version__
from alpr_desktop.cli.failures import EXIT_ERROR, EXIT_OK, EXIT_USAGE, sentence_for

__all__ = ["EXIT_ERROR", "EXIT_OK", "EXIT_USAGE", "build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    from alpr_desktop.cli.audit import add_parsers as add_audit_parsers
    from alpr_desktop.cli.demo import add_demo_parser
    from alpr_desktop.cli.import_reads import add_import_parser

    p = argparse.ArgumentParser(prog="alpr-desktop", description=APP_NAME)
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    p.add_argument("--store", type=Path, help="store file to open (default: the last one used)")
    p.add_argument(
        "--demo", action="store_true", help="open the demo store, building it on first use"
    )
    p.add_argument("--review", type=Path, metavar="EXTRACT",
                   help="open an offline review extract (*.alprext) in review mode")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    add_demo_parser(sub)
    add_import_parser(sub)
    add_audit_parsers(sub)
    from alpr_desktop.cli.purge import add_parser as add_purge_parser

    add_purge_parser(sub)
    from alpr_desktop.cli.purge_timer import add_parser as add_timer_parser

    add_timer_parser(sub)
    from alpr_desktop.cli.store import add_parser as add_store_parser

    add_store_parser(sub)
    from alpr_desktop.cli.verify_package import add_parser as add_verify_package_parser

    add_verify_package_parser(sub)
    from alpr_desktop.cli.log_archive import add_parser as add_log_archive_parser

    add_log_archive_parser(sub)
    from alpr_desktop.cli.sharing import add_parsers as add_sharing_parsers

    add_sharing_parsers(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    # Before anything else (no key, password or read is held yet): a crash writes no core.
    from alpr_desktop.security.process_hardening import disable_core_dumps

    disable_core_dumps()
    args = build_parser().parse_args(argv)
    try:
        if args.command == "demo":
            from alpr_desktop.cli.demo import run_demo_command

            return run_demo_command(args)
        if args.command == "import":
            from alpr_desktop.cli.import_reads import run_import_command

            return run_import_command(args)
        if args.command in ("report", "verify-log", "checkpoint"):
            from alpr_desktop.cli.audit import run as run_audit_command

            return run_audit_command(args)
        if args.command == "purge":
            from alpr_desktop.cli.purge import run as run_purge

            return run_purge(args)
        if args.command == "log-archive":
            from alpr_desktop.cli.log_archive import run as run_log_archive

            return run_log_archive(args)
        if args.command == "install-purge-timer":
            from alpr_desktop.cli.purge_timer import run as run_purge_timer

            return run_purge_timer(args)
        if args.command == "store":
            from alpr_desktop.cli.store import run as run_store

            return run_store(args)
        if args.command == "verify-package":
            from alpr_desktop.cli.verify_package import run as run_verify_package

            return run_verify_package(args)
        if args.command in ("release", "own-package"):
            from alpr_desktop.cli.sharing import run as run_sharing

            return run_sharing(args)
        if args.review is not None:
            from alpr_desktop.app import run_review

            return run_review(args.review)
        from alpr_desktop.app import run_gui

        return run_gui(store=args.store, demo=args.demo)
    except KeyboardInterrupt:
        print("alpr-desktop: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the last line of defence: one sentence, no traceback
        from alpr_desktop.storage.errors import StoreError

        if isinstance(exc, StoreError):
            print(f"alpr-desktop: {exc} {exc.advice}", file=sys.stderr)
        else:  # a sentence, never a bare exception name
            print(f"alpr-desktop: {sentence_for(exc)}", file=sys.stderr)
        return EXIT_ERROR
