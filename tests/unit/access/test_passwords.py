"""Password hashing and rules (CJIS 5.6.2.1; issue "Access")."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from alpr_desktop.security import passwords


def _source_constant(name: str) -> int:
    """The value assigned in the module's source (the fast_kdf fixture patches the module)."""
    tree = ast.parse(Path(passwords.__file__).read_text("utf-8"))
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id == name
        ):
            return ast.literal_eval(node.value)
    raise AssertionError(f"{name} not assigned")


def test_production_iteration_count_is_at_least_600k() -> None:
    assert _source_constant("ITERATIONS") >= 600_000
    assert passwords.MIN_PRODUCTION_ITERATIONS >= 600_000


def test_hash_format_and_random_salt() -> None:
    a = passwords.hash_password("Some-Long-Passphrase-1")
    b = passwords.hash_password("Some-Long-Passphrase-1")
    assert a != b
    algo, iters, salt, digest = a.split("$")
    assert algo == "pbkdf2_sha256" and int(iters) == passwords.ITERATIONS
    assert len(salt) >= 22 and len(digest) == 44


def test_verify() -> None:
    h = passwords.hash_password("Some-Long-Passphrase-1")
    assert passwords.verify_password("Some-Long-Passphrase-1", h)
    assert not passwords.verify_password("Some-Long-Passphrase-2", h)
    assert not passwords.verify_password("", h)


@pytest.mark.parametrize("bad", ["", "plain", "pbkdf2_sha256$x$y$z", "md5$1$AA==$AA==",
                                 "pbkdf2_sha256$1000$!!$AA=="])
def test_malformed_hash_never_verifies(bad: str) -> None:
    assert not passwords.verify_password("anything", bad)
    assert passwords.needs_rehash(bad)


def test_needs_rehash_when_iterations_rise(monkeypatch: pytest.MonkeyPatch) -> None:
    h = passwords.hash_password("Some-Long-Passphrase-1")
    assert not passwords.needs_rehash(h)
    monkeypatch.setattr(passwords, "ITERATIONS", 2_000)
    assert passwords.needs_rehash(h)
    assert passwords.verify_password("Some-Long-Passphrase-1", h)  # old hashes still verify


@pytest.mark.parametrize(
    "password",
    [
        "Short-1a",  # too short
        "password123456",
        "qwertyuiop12",
        "letmein12345",
        "Password2026!",
        "P@ssw0rd2026!",
        "Summer2026!!!",
        "!!Sheriff2026!!",
        "Carson-2026-!!",
        "passwordpassword",
        "TangoTangoTango1",
        "abcdefghijklmn",
        "123456789012",
        "aaaaaaaaaaaaaaa",
        "ababababababab",
        "xjdoe-Harbor-Lights",  # contains the username
        " leading-space-pass",
    ],
)
def test_rejected(password: str) -> None:
    assert passwords.check_password_rules(password, "jdoe")


@pytest.mark.parametrize(
    "password",
    ["correct horse battery staple", "Bluebird-Tango-42", "Harbor-Keys-Admin-Q7x",
     "my dog eats 3 lemons daily"],
)
def test_accepted(password: str) -> None:
    assert passwords.check_password_rules(password, "jdoe") == []


def test_length_boundary() -> None:
    assert passwords.check_password_rules("Vq7#mLp2&xZk", "") == []  # 12
    assert passwords.check_password_rules("Vq7#mLp2&xZ", "")  # 11


def test_common_list_is_shipped_and_sizable() -> None:
    words = passwords.common_passwords()
    assert len(words) >= 300
    assert {"password", "qwertyuiop12", "letmein12345", "password123456"} <= words


def test_username_check_is_case_insensitive() -> None:
    assert passwords.check_password_rules("Harbor-JDOE-Lights", "jdoe")
