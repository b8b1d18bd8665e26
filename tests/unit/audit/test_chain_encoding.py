"""The fast canonical encoding used to verify a million entries in seconds is byte-for-byte
the reference encoding (json.dumps), so no stored hash changes meaning."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from alpr_desktop.core.audit_log import (
    GENESIS_HASH,
    ChainWalker,
    _encoding,
    _reference_encoding,
    entry_digest,
)

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
FIELDS = st.tuples(
    st.integers(min_value=-(2**63), max_value=2**63 - 1), st.integers(), TEXT, TEXT, TEXT, TEXT,
    TEXT, TEXT, TEXT, TEXT, st.none() | st.integers(), TEXT, TEXT,
)


@settings(max_examples=500, deadline=None)
@given(FIELDS)
def test_fast_encoding_is_the_reference_encoding(fields: tuple) -> None:
    assert _encoding(fields) == _reference_encoding(fields)


def test_odd_types_take_the_reference_path() -> None:
    for fields in (
        (True, 1, "e", "o", "u", "", "", "", "{}", "{}", None, "{}", GENESIS_HASH),
        (1, 1.5, "e", "o", "u", "", "", "", "{}", "{}", None, "{}", GENESIS_HASH),
        (1, 1, "e", "o", "u", "", "", "", "{}", "{}", "5", "{}", GENESIS_HASH),
    ):
        assert _encoding(fields) == _reference_encoding(fields)


def test_known_digest_is_unchanged() -> None:
    """A digest computed by the original implementation, pinned."""
    fields = (1, 1_760_000_001_000, "search", "ok", "analyst1", "LASD Carson Station", "LASD",
              "ws1/test", '{"case_number":"123-45678-2026-001","narrative":"Robo \\"é\\" 中"}',
              '{"pattern":"7ABC001"}', 1, "{}", GENESIS_HASH)
    import hashlib
    import json

    reference = hashlib.sha256(json.dumps(
        ["alpr-log-v1", *fields], separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")).hexdigest()
    assert entry_digest(*fields) == reference


def _chain(n: int) -> list[tuple]:
    rows, prev = [], GENESIS_HASH
    for seq in range(1, n + 1):
        fields = (seq, seq * 1000, "search", "ok", "u", "", "", "", "{}", "{}", seq, "{}", prev)
        prev = entry_digest(*fields)
        rows.append((*fields, prev))
    return rows


def test_batch_walk_names_the_same_break_as_the_single_walk() -> None:
    rows = _chain(50)
    cases = {
        "altered": [*rows[:20], (*rows[20][:10], 0, *rows[20][11:]), *rows[21:]],
        "missing": rows[:30] + rows[31:],
        "reordered": [*rows[:5], rows[6], rows[5], *rows[7:]],
        "intact": rows,
    }
    for name, broken in cases.items():
        one, many = ChainWalker(), ChainWalker()
        for row in broken:
            if not one.feed(row):
                break
        many.feed_many(broken[:17])
        many.feed_many(broken[17:])
        assert (one.first_broken, one.reason, one.checked, one.prev_hash) == (
            many.first_broken, many.reason, many.checked, many.prev_hash
        ), name
