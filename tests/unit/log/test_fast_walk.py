"""The chain walk lets SQLite produce the canonical encoding (json_array) and only hashes in
Python. It must agree with the reference encoding byte for byte, and where it would not, the
reference decides: the speed-up can never change a verdict."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlcipher3
from hypothesis import given, settings
from hypothesis import strategies as st

from alpr_desktop.core.audit_log import GENESIS_HASH, LogEvent, _encoding
from alpr_desktop.storage import access_log, create_store
from alpr_desktop.storage.access_log import AccessLogRepo
from alpr_desktop.storage.db import Store

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
FIELDS = st.tuples(
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.integers(min_value=-(2**63), max_value=2**63 - 1), TEXT, TEXT, TEXT, TEXT, TEXT, TEXT,
    TEXT, TEXT, st.none() | st.integers(min_value=-(2**63), max_value=2**63 - 1), TEXT, TEXT,
)
TRICKY = ['plain', 'quote " and \\ backslash', "tab\tnew\nline\rcr\b\f", "\x00\x01\x1f\x7f",
          "é 中文 Ελληνικά עברית 😀", "\u2028\u2029", "'single'", "</script>", ""]


@pytest.fixture(scope="module")
def conn():
    c = sqlcipher3.connect(":memory:")
    yield c
    c.close()


def _sql_encoding(conn, fields: tuple) -> str:
    encoded = conn.execute(
        "SELECT CAST(json_array('alpr-log-v1', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) AS BLOB)",
        fields,
    ).fetchone()[0]
    assert type(encoded) is bytes
    return encoded.decode("utf-8")


@settings(max_examples=500, deadline=None)
@given(FIELDS)
def test_sqlite_encoding_is_the_reference_encoding(conn, fields: tuple) -> None:
    assert _sql_encoding(conn, fields) == _encoding(fields)


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_text_encodes_the_same(conn, text: str) -> None:
    fields = (1, 2, text, text, text, text, text, text, text, text, None, text, GENESIS_HASH)
    assert _sql_encoding(conn, fields) == _encoding(fields)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = create_store(tmp_path / "f.alprdb", os.urandom(32))
    repo = AccessLogRepo(s)
    with s.transaction():
        for i, text in enumerate(TRICKY * 3):
            repo.append(LogEvent("search", "ok", text, text, query={"q": text},
                                 detail={"i": i}, result_count=i or None), i)
    yield s
    s.close()


def test_the_fast_path_is_taken(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple] = []
    repo = AccessLogRepo(store)
    real = repo._walk_exact
    monkeypatch.setattr(repo, "_walk_exact", lambda w, a, b: calls.append((a, b)) or real(w, a, b))
    res = repo.verify()
    assert res.intact and res.checked == len(TRICKY) * 3
    # only the look past the end for entries appended while the ranges were checked
    assert calls == [(len(TRICKY) * 3, None)]


def test_a_different_sql_encoding_only_slows_the_walk(store: Store,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(access_log, "_ENCODING_SQL",
                        access_log._ENCODING_SQL.replace("'alpr-log-v1'", "'other-tag'"))
    repo = AccessLogRepo(store)
    res = repo.verify()
    assert res.intact and res.checked == len(TRICKY) * 3
    store.execute("DROP TRIGGER access_log_no_update")
    store.execute("UPDATE access_log SET username = 'x' WHERE seq = 7")
    res = repo.verify()
    assert res.first_broken == 7 and "altered" in res.reason
