"""imaging.integrity: one changed byte in the stored image is caught and named."""

from __future__ import annotations

import hashlib

from alpr_desktop.imaging.integrity import verify

DATA = bytes(range(256)) * 40
HASH = hashlib.sha256(DATA).hexdigest()


def test_unchanged_bytes_verify() -> None:
    r = verify(DATA, HASH)
    assert r.ok and r.computed == HASH and "verified" in r.message


def test_one_changed_byte_is_caught_anywhere() -> None:
    for pos in (0, 1, len(DATA) // 2, len(DATA) - 1):
        changed = bytearray(DATA)
        changed[pos] ^= 0x01
        r = verify(bytes(changed), HASH)
        assert not r.ok and r.stored == HASH and r.computed != HASH
        assert r.message.startswith("WARNING") and HASH in r.message and r.computed in r.message


def test_appended_or_removed_byte_is_caught() -> None:
    assert not verify(DATA + b"\x00", HASH).ok
    assert not verify(DATA[:-1], HASH).ok


def test_missing_stored_hash_is_a_warning_not_a_pass() -> None:
    r = verify(DATA, "")
    assert not r.ok and "no hash was recorded" in r.message


def test_stored_hash_case_and_spaces_do_not_matter() -> None:
    assert verify(DATA, f" {HASH.upper()} ").ok
