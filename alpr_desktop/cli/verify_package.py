"""`alpr-desktop verify-package DIR`: check an evidence package (a folder or its ZIP form)
without any store.

Exit 0 when every file matches the manifest and both signatures are valid, 3 (not intact)
with one line per difference, 1 when the folder cannot be read (cli/failures.py)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from alpr_desktop.cli.failures import EXIT_NOT_INTACT, EXIT_OK, guarded

PROG = "alpr-desktop verify-package"


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "verify-package", help="check an evidence package's hashes and signatures",
        description="Check every file of an evidence package against its manifest, the "
                    "manifest's Ed25519 signature and the PDF's signature. Exit 0 intact, 3 "
                    "not intact, 1 unreadable.")
    p.add_argument("package", type=Path, metavar="DIR",
                   help="the package folder, or its ZIP file")
    p.add_argument("--fingerprint", default="", metavar="FP",
                   help="the signing key fingerprint the City gave you (checked as well)")


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    output = out or sys.stdout

    def body() -> int:
        from alpr_desktop.services.evidence_package_verify import verify_package

        check = verify_package(args.package, args.fingerprint)
        for line in check.lines():
            print(line, file=output)
        return EXIT_OK if check.intact else EXIT_NOT_INTACT

    return guarded(body, PROG)
