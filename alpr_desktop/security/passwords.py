"""Password hashing (PBKDF2-HMAC-SHA256, FIPS-approved, standard library) and password rules.

CJIS 5.6.2.1 wants a salted one-way hash and no common or dictionary passwords; the issue asks
for at least 12 characters and at least 600,000 iterations. Hashes record their own iteration
count, so raising ITERATIONS later re-hashes each password at its next sign-in (needs_rehash).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from functools import cache
from importlib import resources

ALGORITHM = "pbkdf2_sha256"
ITERATIONS = 600_000  # tests lower this for speed; a test pins the production value
MIN_PRODUCTION_ITERATIONS = 600_000
SALT_BYTES = 16
HASH_BYTES = 32
MIN_LENGTH = 12
MAX_LENGTH = 256

_DUMMY_SALT = b"alpr-dummy-salt!"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _derive(password: str, salt: bytes, iterations: int) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations, HASH_BYTES)


def hash_password(password: str) -> str:
    """``pbkdf2_sha256$<iterations>$<salt b64>$<hash b64>`` with a fresh random salt."""
    salt = secrets.token_bytes(SALT_BYTES)
    digest = _derive(password, salt, ITERATIONS)
    return f"{ALGORITHM}${ITERATIONS}${_b64(salt)}${_b64(digest)}"


def _parse(encoded: str) -> tuple[int, bytes, bytes] | None:
    parts = encoded.split("$")
    if len(parts) != 4 or parts[0] != ALGORITHM or not parts[1].isdigit():
        return None
    try:
        salt = base64.b64decode(parts[2], validate=True)
        digest = base64.b64decode(parts[3], validate=True)
    except ValueError:
        return None
    iterations = int(parts[1])
    if iterations < 1 or not salt or len(digest) != HASH_BYTES:
        return None
    return iterations, salt, digest


def verify_password(password: str, encoded: str) -> bool:
    """Constant-time check of ``password`` against a stored hash; False for a malformed hash."""
    parsed = _parse(encoded)
    if parsed is None:
        dummy_verify(password)
        return False
    iterations, salt, digest = parsed
    return hmac.compare_digest(_derive(password, salt, iterations), digest)


def dummy_verify(password: str) -> bool:
    """Spend the same time as a real check and fail: used for unknown usernames and locked
    accounts, so the time taken does not reveal whether an account exists."""
    hmac.compare_digest(_derive(password, _DUMMY_SALT, ITERATIONS), b"\0" * HASH_BYTES)
    return False


def needs_rehash(encoded: str) -> bool:
    parsed = _parse(encoded)
    return parsed is None or parsed[0] < ITERATIONS


# -- rules ------------------------------------------------------------------------------------

_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a",
                       "$": "s", "!": "i", "|": "l", "+": "t"})
_SEQUENCES = (
    "abcdefghijklmnopqrstuvwxyz",
    "0123456789",
    "qwertyuiopasdfghjklzxcvbnm",
    "qwertzuiop",
    "azertyuiop",
    "1qaz2wsx3edc4rfv5tgb",
    "zaq12wsxcde3",
)
MIN_DISTINCT = 5


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords and base words, lower-cased."""
    text = resources.files("alpr_desktop.security").joinpath("common_passwords.txt").read_text(
        "utf-8"
    )
    words = set()
    for line in text.splitlines():
        line = line.strip().lower()
        if line and not line.startswith("#"):
            words.add(line)
    return frozenset(words)


def _core(password: str) -> str:
    """The letters of a password once leading/trailing digits and symbols are dropped and
    look-alike characters undone: 'P@ssw0rd2026!' → 'password'."""
    stripped = re.sub(r"[\W\d_]+$", "", password.lower())  # trailing decoration
    stripped = re.sub(r"^[\W\d_]+", "", stripped)  # leading decoration
    return re.sub(r"[^a-z]", "", stripped.translate(_LEET))


def _is_sequence(text: str) -> bool:
    low = text.lower()
    for seq in _SEQUENCES:
        for s in (seq, seq[::-1]):
            doubled = s * 3
            if len(low) >= 4 and low in doubled:
                return True
    return False


def _is_repetition(core: str, words: frozenset[str]) -> bool:
    for size in range(3, len(core) // 2 + 1):
        if len(core) % size == 0 and core[:size] * (len(core) // size) == core:
            return True
    return any(
        core == w * (len(core) // len(w)) for w in words if 3 <= len(w) <= len(core) // 2
    )


def check_password_rules(password: str, username: str = "") -> list[str]:
    """Every reason ``password`` is refused; empty when it is acceptable."""
    problems: list[str] = []
    if len(password) < MIN_LENGTH:
        problems.append(f"Use at least {MIN_LENGTH} characters.")
    if len(password) > MAX_LENGTH:
        problems.append(f"Use at most {MAX_LENGTH} characters.")
    if password != password.strip():
        problems.append("Do not start or end the password with a space.")
    low = password.lower()
    user = username.strip().lower()
    if user and len(user) >= 3 and user in low:
        problems.append("The password must not contain the username.")
    words = common_passwords()
    core = _core(password)
    if low in words or low.translate(_LEET) in words:
        problems.append("This password is on the list of common passwords.")
    elif core and (core in words or _is_repetition(core, words)):
        problems.append(
            "This password is a common word or password with digits or symbols added; "
            "choose something less predictable."
        )
    if len(set(low)) < MIN_DISTINCT:
        problems.append(f"Use at least {MIN_DISTINCT} different characters.")
    elif _is_sequence(re.sub(r"[\W_]+", "", low)):
        problems.append("A keyboard or alphabet sequence is too easy to guess.")
    return problems
