"""A search's page statements carry their LIMIT in the SQL text (storage/limit_sql.py): since
SQLite 3.47 a bound ``LIMIT ?`` makes the statement be prepared again at every execution,
about 20 µs a page (issue 20). Only the plate resolution by GLOB, LIKE or MATCH may keep one:
its bound pattern re-prepares it anyway."""

from __future__ import annotations

import re

import pytest
from search_helpers import Seeded

from alpr_desktop.core.search import Filters, SearchQuery, SortColumn

pytestmark = pytest.mark.backend_specific("sqlcipher")

_BOUND_LIMIT = re.compile(r"\bLIMIT\s+\?", re.IGNORECASE)
_PATTERN_BOUND = re.compile(r"\b(GLOB|LIKE|MATCH)\s+\?", re.IGNORECASE)


def _statements(seeded: Seeded, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    store = seeded.world.store
    seen: list[str] = []
    real_query = type(store).query

    def query(self: object, sql: str, params: object = ()) -> list[tuple]:
        seen.append(sql)
        return real_query(self, sql, params)  # type: ignore[arg-type]

    monkeypatch.setattr(type(store), "query", query)
    return seen


@pytest.mark.parametrize("text, mode", [
    ("7ABC123", "exact"), ("7AB*", "wildcard"), ("BC1", "substring"), ("7ABC123", "fuzzy"),
])
def test_no_page_statement_binds_its_limit(
    seeded: Seeded, monkeypatch: pytest.MonkeyPatch, text: str, mode: str,
) -> None:
    seen = _statements(seeded, monkeypatch)
    rows = seeded.all_rows(text, mode, Filters(), page_size=1)  # pages, counts, tiers
    assert rows  # the search found something, so its page statements ran
    with_limit = [s for s in seen if re.search(r"\bLIMIT\b", s, re.IGNORECASE)]
    assert with_limit
    bound = [s for s in with_limit if _BOUND_LIMIT.search(s) and not _PATTERN_BOUND.search(s)]
    assert bound == []


def test_sorted_pages_too(seeded: Seeded, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _statements(seeded, monkeypatch)
    q_rows = []
    cursor = None
    query = SearchQuery("7ABC123", "fuzzy", Filters(), 1, sort=SortColumn.CAMERA,
                        descending=True)
    while True:
        page = seeded.svc.search(seeded.ctx, query, cursor)
        q_rows.extend(page.rows)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert len(q_rows) > 1
    assert [s for s in seen if _BOUND_LIMIT.search(s) and not _PATTERN_BOUND.search(s)] == []

