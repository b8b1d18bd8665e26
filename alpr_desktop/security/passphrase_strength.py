"""How hard a recovery passphrase is to guess, judged by its structure and not only its length.

The recovery passphrase wraps the store's data key in the key file, so whoever holds a copy of
that file can guess offline for as long as they like; only the passphrase's unpredictability
and the KDF's cost stand in the way. Length alone is a poor guide ("aaaaaaaaaaaaaaaa",
"abcdefghijklmnop" and "Password123456!" are all long), so the passphrase is split the way a
guesser would attack it (runs of one character, alphabet and keyboard sequences, words from the
shipped list of common passwords, repeats of an earlier part) and each piece is charged only
the guesses it really costs. The result is an estimate in bits, and a reason in plain words
for every weakness found.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from alpr_desktop.security.passwords import common_passwords

MIN_LENGTH = 12
MAX_LENGTH = 1024
MIN_BITS = 50  # about 10**15 guesses: years of offline guessing against the scrypt floor
PATTERN_BITS = 2 * MIN_BITS  # below this, a dominant pattern is reason enough to refuse
_MIN_WORD = 4  # shorter list words ("rams", "pass") are matched only when nothing longer fits

_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a",
                       "$": "s", "!": "i", "|": "l", "+": "t"})
_ROWS = (
    "abcdefghijklmnopqrstuvwxyz",
    "0123456789",
    "qwertyuiop", "asdfghjkl", "zxcvbnm",  # keyboard rows
    "1qaz", "2wsx", "3edc", "4rfv", "5tgb", "6yhn", "7ujm",  # keyboard columns
)


@dataclass(frozen=True)
class Piece:
    """A stretch of the passphrase and what a guesser would treat it as."""

    kind: str  # "char", "run", "sequence", "word", "echo"
    text: str
    bits: float


@dataclass(frozen=True)
class Verdict:
    bits: float
    reasons: list[str] = field(default_factory=list)
    pieces: list[Piece] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.reasons


def _pool(text: str) -> int:
    """How many characters a guesser must try per position, from the classes used."""
    size = 0
    if re.search(r"[a-z]", text):
        size += 26
    if re.search(r"[A-Z]", text):
        size += 26
    if re.search(r"[0-9]", text):
        size += 10
    if re.search(r"[ -/:-@\[-`{-~]", text):
        size += 33
    if any(ord(ch) > 126 for ch in text):
        size += 100
    return max(size, 10)


def _in_rows(a: str, b: str) -> bool:
    """Whether b follows a (either direction) in the alphabet, the digits or on a keyboard."""
    a, b = a.lower(), b.lower()
    for row in _ROWS:
        i = row.find(a)
        if i >= 0 and ((i + 1 < len(row) and row[i + 1] == b) or (i > 0 and row[i - 1] == b)):
            return True
    return False


def _run(text: str, i: int) -> int:
    j = i + 1
    while j < len(text) and text[j] == text[i]:
        j += 1
    return j - i


def _sequence(text: str, i: int) -> int:
    """Length of the sequence starting at i, all steps in one direction of one row."""
    if i + 1 >= len(text) or not _in_rows(text[i], text[i + 1]):
        return 1
    low = text.lower()
    for row in _ROWS:
        for r in (row, row[::-1]):
            start = r.find(low[i])
            if start < 0:
                continue
            n = 1
            while (i + n < len(low) and start + n < len(r) and low[i + n] == r[start + n]):
                n += 1
            if n >= 3:
                return n
    return 1


def _word(text: str, i: int, words: frozenset[str], longest: int) -> int:
    """Length of the longest common-list word (look-alikes undone) starting at i, or 0."""
    folded = text.lower().translate(_LEET)
    for n in range(min(longest, len(text) - i), _MIN_WORD - 1, -1):
        if folded[i:i + n] in words:
            return n
    return 0


def _echo(text: str, i: int) -> int:
    """Length of the longest stretch at i (at least 3) already seen earlier, case ignored."""
    low = text.lower()
    best = 0
    for n in range(3, len(text) - i + 1):
        if low[i:i + n] in low[:i]:
            best = n
        else:
            break
    return best


def pieces(passphrase: str) -> list[Piece]:
    """The passphrase cut greedily into the cheapest pieces a guesser would try."""
    words = common_passwords()
    longest = max((len(w) for w in words), default=0)
    per_char = math.log2(_pool(passphrase))
    word_bits = math.log2(max(len(words), 2))
    out: list[Piece] = []
    i = 0
    while i < len(passphrase):
        best: tuple[int, str, float] | None = None
        for kind, n in (
            ("run", _run(passphrase, i)),
            ("sequence", _sequence(passphrase, i)),
            ("word", _word(passphrase, i, words, longest)),
            ("echo", _echo(passphrase, i)),
        ):
            if n < 3:
                continue
            text = passphrase[i:i + n]
            bits = {
                "run": per_char + math.log2(n),
                "sequence": per_char + math.log2(n) + 1,  # + which direction
                "word": word_bits + (1.0 if text.lower() != text else 0.0),  # + capitals
                "echo": math.log2(max(i, 2)) + math.log2(n),  # where it was seen, how long
            }[kind]
            # the piece that explains the most characters for the fewest bits per character
            if bits < n * per_char and (best is None or bits / n < best[2] / best[0]):
                best = (n, kind, bits)
        if best is None:
            out.append(Piece("char", passphrase[i], per_char))
            i += 1
        else:
            n, kind, bits = best
            out.append(Piece(kind, passphrase[i:i + n], bits))
            i += n
    return out


def _share(parts: list[Piece], kinds: set[str], total: int) -> float:
    return sum(len(p.text) for p in parts if p.kind in kinds) / max(total, 1)


def judge(passphrase: str) -> Verdict:
    """Every reason the passphrase is too easy to guess (empty when it is strong enough)."""
    reasons: list[str] = []
    if len(passphrase) > MAX_LENGTH:
        return Verdict(0.0, [f"The recovery passphrase is too long: use at most {MAX_LENGTH} "
                             "characters."])
    if len(passphrase) < MIN_LENGTH:
        reasons.append(f"The recovery passphrase is too short: use at least {MIN_LENGTH} "
                       "characters.")
    if not passphrase.strip():
        reasons.append("The recovery passphrase cannot be only spaces.")
        return Verdict(0.0, reasons)
    parts = pieces(passphrase)
    bits = sum(p.bits for p in parts)
    n = len(passphrase)
    letters = re.sub(r"[^a-z]", "", passphrase.lower().translate(_LEET))
    words = common_passwords()
    if passphrase.lower() in words or (letters and letters in words) or (
        _share(parts, {"word"}, n) >= 0.5 and bits < MIN_BITS
    ):
        reasons.append("It is a common password, or one with digits and symbols added; a "
                       "guesser tries those first.")
    # A pattern that makes up half the passphrase is named when it leaves the passphrase
    # guessable; a long one that is strong even so (a random string of two letters) passes.
    patterned = bits < PATTERN_BITS
    if patterned and _share(parts, {"run", "echo"}, n) >= 0.5:
        reasons.append("It is mostly the same characters or words repeated.")
    if patterned and _share(parts, {"sequence"}, n) >= 0.5:
        reasons.append("It is mostly a sequence of letters, digits or keyboard keys (like "
                       "'abcd', '1234' or 'qwerty').")
    found_pattern = len(reasons) > (len(passphrase) < MIN_LENGTH)
    if bits < MIN_BITS and not found_pattern:
        reasons.append("It is too easy to guess for its length. Use four or five unrelated "
                       "words, or mix in words only you would think of.")
    return Verdict(bits, reasons, parts)


def enforce(passphrase: str, error: type[Exception]) -> None:
    """Raise ``error`` with every reason in one paragraph when the passphrase is weak."""
    verdict = judge(passphrase)
    if not verdict.ok:
        raise error(" ".join(verdict.reasons))
