"""When two camera names are the same camera: exports write a site's name with other spacing or
case ("CAR-01 Avalon/Carson NB", "car-01  avalon/carson nb "), with a no-break space or a
full-width letter, or with letters outside ASCII in either case ("Cañada", "CAÑADA"); an
import must match the camera the store already has rather than create and report it again.

The key is Unicode-compatibility normalized (NFKC: a no-break space is a space, a full-width
"Ａ" an "A"), every run of white space is one space, trimmed, and case-folded then upper-cased
(so "ß" and "SS" meet). Migration 0014 recomputes the stored keys with this very function
(registered on every store connection as ``alpr_camera_key``) and merges the cameras that
then share a key, which the ASCII-only key of migration 0008 had kept apart.
"""

from __future__ import annotations

import unicodedata


def camera_key(name: str) -> str:
    """The name as compared: NFKC, one space between words, none around, case-folded."""
    return " ".join(unicodedata.normalize("NFKC", name).split()).casefold().upper()
