"""How every CLI command fails: one line on standard error and exit code 1, never a traceback
(DESIGN rule 8). The same failures read the same in every command."""

from __future__ import annotations

import sys
from collections.abc import Callable

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_NOT_INTACT = 3


class Failure(Exception):
    """A one-line reason for a command to stop."""


def guarded(
    fn: Callable[[], int], prog: str, *, expected: tuple[type[Exception], ...] = ()
) -> int:
    """Run ``fn``; a refusal, a store or key problem, a missing password or a file error (and
    any of ``expected``) becomes ``prog: message`` on stderr and exit code 1."""
    from alpr_desktop.core.access_errors import AccessError
    from alpr_desktop.core.errors import Cancelled
    from alpr_desktop.security.keys import KeyCustodyError
    from alpr_desktop.storage.errors import StoreError

    told: tuple[type[Exception], ...] = (Failure, AccessError, KeyCustodyError, Cancelled,
                                         *expected)
    try:
        return int(fn())
    except told as exc:
        message = str(exc)
    except StoreError as exc:
        message = f"{exc} {exc.advice}"
    except EOFError:
        message = "no password given (type it at the prompt, or pipe it on standard input)"
    except OSError as exc:
        message = f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")
    print(f"{prog}: {message}", file=sys.stderr)
    return EXIT_ERROR
