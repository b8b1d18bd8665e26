"""Plate normalization and OCR look-alike classes.

Search resolves patterns against distinct normalized plates; the OCR-class key lets fuzzy
search find 0/O/D/Q, 1/I/L, 2/Z, 5/S, 8/B and 6/G confusions with one index lookup.
"""

from __future__ import annotations

import unicodedata

MAX_PLATE_LEN = 10

# Each look-alike class collapses onto its first member.
OCR_CLASSES: tuple[str, ...] = ("0ODQ", "1IL", "2Z", "5S", "8B", "6G")
_CLASS_OF: dict[str, str] = {ch: cls[0] for cls in OCR_CLASSES for ch in cls}

# Letters from other scripts that look like Latin plate characters. They are folded onto the
# Latin letter so that a pasted Cyrillic "А" never silently fails to match.
_CONFUSABLES: dict[str, str] = {
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
    "С": "C", "Т": "T", "Х": "X", "У": "Y", "І": "I", "Ј": "J", "Ѕ": "S",
    "а": "A", "в": "B", "е": "E", "к": "K", "м": "M", "н": "H", "о": "O", "р": "P",
    "с": "C", "т": "T", "х": "X", "у": "Y", "і": "I", "ј": "J", "ѕ": "S",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M",
    "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
}
_SEPARATORS = frozenset(" -·.\t")


class PlateError(ValueError):
    """A plate string that cannot be a plate; the message says why."""


def normalize_plate(text: str) -> str:
    """Upper-case A-Z/0-9 form of a plate as read: spaces, dashes and dots removed.

    Full-width and other compatibility forms are folded (NFKC), look-alike letters from other
    scripts are mapped to Latin, anything else is refused with a PlateError.
    """
    if not isinstance(text, str):
        raise PlateError("plate must be text")
    folded = unicodedata.normalize("NFKC", text)
    out = []
    for ch in folded:
        if ch in _SEPARATORS:
            continue
        ch = _CONFUSABLES.get(ch, ch)
        up = ch.upper()
        if len(up) == 1 and ("A" <= up <= "Z" or "0" <= up <= "9"):
            out.append(up)
        else:
            raise PlateError(f"character {ch!r} cannot appear in a plate")
    plate = "".join(out)
    if not plate:
        raise PlateError("plate is empty")
    if len(plate) > MAX_PLATE_LEN:
        raise PlateError(f"plate is longer than {MAX_PLATE_LEN} characters")
    return plate


def ocr_key(plate_norm: str) -> str:
    """Collapse each OCR look-alike class to one representative character."""
    return "".join(_CLASS_OF.get(ch, ch) for ch in plate_norm)
