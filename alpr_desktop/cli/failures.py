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
    except Exception as exc:  # anything else: still a sentence, never an exception's name
        message = sentence_for(exc)
    print(f"{prog}: {finish(message)}", file=sys.stderr)
    return EXIT_ERROR


def finish(message: str) -> str:
    """A message as a sentence: ends with a full stop (or its own closing mark)."""
    message = message.strip()
    return message if message.endswith((".", "?", "!", ")", ":")) else f"{message}."


def sentence_for(exc: BaseException) -> str:
    """What went wrong, in words, for an exception no command told more precisely. The
    exception's class name is never the message: "KeyError: 'x'" tells a user nothing."""
    import json

    if isinstance(exc, json.JSONDecodeError):
        return (f"the file is not valid JSON (line {exc.lineno}, column {exc.colno}: "
                f"{exc.msg.lower()})")
    if isinstance(exc, UnicodeError):
        return "the file is not text in the expected encoding (UTF-8)"
    if isinstance(exc, OSError):
        where = f": {exc.filename}" if exc.filename else ""
        return f"{exc.strerror or 'the file could not be read or written'}{where}"
    if isinstance(exc, MemoryError):
        return "the computer ran out of memory; nothing more was done"
    text = str(exc).strip()
    words = text.split()
    if isinstance(exc, ValueError | TypeError) and len(words) >= 3 and not text.startswith("'"):
        return text  # a message written for people (mapping problems, formats, ...)
    return ("the command stopped on an unexpected problem and did nothing more; run it "
            "again, and report it with the command you typed if it happens again")
