"""When two camera names are the same camera: exports write a site's name with other spacing or
case ("CAR-01 Avalon/Carson NB", "car-01  avalon/carson nb "), and an import must match the
camera the store already has rather than create and report it again.

The key is exactly what migration 0008 computes in SQL for the cameras already stored (tabs
and line breaks as spaces, runs of spaces as one, trimmed, ASCII letters upper-cased; other
letters as written), so a stored camera and an imported name meet on the same key.
"""

from __future__ import annotations

import re

_SPACES = re.compile(r"[ \t\r\n]+")
_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def camera_key(name: str) -> str:
    """The name as compared: one space between words, no spaces around, ASCII upper case."""
    return _SPACES.sub(" ", name).strip(" ").translate(_ASCII_UPPER)
