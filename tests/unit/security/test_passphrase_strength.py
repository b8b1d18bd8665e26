"""Recovery passphrases are judged by strength, not only length (issue 10 §3): common,
repetitive, sequential and low-entropy ones are refused with a reason in plain words, by the
store's creation and by the passphrase change. Before this check, only length was tested, so
every refused example below that has 12 or more characters was accepted."""

from __future__ import annotations

from pathlib import Path

import pytest

from alpr_desktop.security import keys
from alpr_desktop.security.passphrase_strength import judge
from alpr_desktop.services import stores

GOOD = "correct horse battery staple"

# passphrase → a word the refusal's reason must contain
WEAK = {
    "aaaaaaaaaaaaaaaa": "repeated",
    "abababababababab": "repeated",
    "Summer2026Summer2026": "repeated",
    "abcdefghijklmnop": "sequence",
    "zyxwvutsrqponmlk": "sequence",
    "qwerty-asdfgh-zxcvbn": "sequence",
    "1234567890123456": "sequence",
    "Password123456!": "common password",
    "P@ssw0rd2026!!": "common password",
    "passwordpassword": "common password",
    "iloveyou-iloveyou": "common password",
    "sheriff-deputy-badge": "common password",
    "0101202003030": "too easy to guess",
    "Carson2026!!!!": "too easy to guess",
    "short": "too short",
    "            ": "only spaces",
}
STRONG = [
    GOOD,
    "carson-demo-store-passphrase",  # the README's demo store
    "recovery passphrase for the audit tests",
    "Harbor lights over Dominguez 1987",
    "tidal-marmot-vessel-crisp",
    "Xk9#pL2m@Qv4",
    f"{GOOD} {GOOD}",  # repeated, but as strong as the original
]


@pytest.mark.parametrize(("passphrase", "reason"), list(WEAK.items()))
def test_weak_passphrases_are_refused_with_a_reason(passphrase: str, reason: str) -> None:
    verdict = judge(passphrase)
    assert not verdict.ok
    assert reason in " ".join(verdict.reasons)
    with pytest.raises(keys.WeakPassphrase, match=reason):
        keys.check_passphrase(passphrase)


@pytest.mark.parametrize("passphrase", STRONG)
def test_strong_passphrases_are_accepted(passphrase: str) -> None:
    verdict = judge(passphrase)
    assert verdict.ok, verdict.reasons
    assert verdict.bits >= 50
    keys.check_passphrase(passphrase)


def test_long_is_not_enough() -> None:
    """The old rule (12 characters) accepted all of these."""
    long_but_weak = [p for p in WEAK if len(p) >= keys.MIN_PASSPHRASE_LEN]
    assert len(long_but_weak) >= 12
    for p in long_but_weak:
        assert not judge(p).ok, p


def test_store_creation_and_passphrase_change_use_the_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(keys, "DEFAULT_KDF", keys.KdfParams(n=2**12))
    path = tmp_path / "s.alprdb"
    with pytest.raises(keys.WeakPassphrase, match="sequence"):
        stores.create_new_store(path, "abcdefghijklmnopqrst")
    assert list(tmp_path.iterdir()) == []  # nothing created
    with stores.create_new_store(path, GOOD) as store:
        before = keys.keyfile_path(path).read_text()
        with pytest.raises(keys.WeakPassphrase, match="repeated"):
            stores.change_recovery_passphrase(store, "aaaaaaaaaaaaaaaaaaaa")
    assert keys.keyfile_path(path).read_text() == before  # the key file is unchanged
