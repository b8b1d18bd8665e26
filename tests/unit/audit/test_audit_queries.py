"""Filtered, keyset-paged reads of the access log: the SQL means what AuditFilter.matches
means, user text is never SQL, and paging neither skips nor repeats."""

from __future__ import annotations

import pytest
from audit_helpers import local_ms

from alpr_desktop.core.audit_filters import AuditFilter
from alpr_desktop.storage import Store
from alpr_desktop.storage.access_log import AccessLogRepo
from alpr_desktop.storage.audit_queries import AuditQueries, like_pattern

FILTERS = [
    AuditFilter(),
    AuditFilter(from_ms=local_ms(2026, 1, 6, 0), to_ms=local_ms(2026, 1, 8, 0)),
    AuditFilter(username="OFFICER2"),
    AuditFilter(organization="lakewood"),
    AuditFilter(organization="LASD"),
    AuditFilter(events=("search", "disclosure")),
    AuditFilter(query_text="7abc123"),
    AuditFilter(query_text="read_ids"),
    AuditFilter(case_number="2026-002"),
    AuditFilter(purpose_category="criminal_investigation"),
    AuditFilter(outcome="refused"),
    AuditFilter(username="officer", events=("search",), query_text="7ABC"),
    AuditFilter(through_seq=5),
]


@pytest.mark.parametrize("flt", FILTERS, ids=lambda f: f.describe())
def test_sql_selects_exactly_what_the_filter_means(log_store: Store, flt: AuditFilter) -> None:
    q = AuditQueries(log_store)
    every = AccessLogRepo(log_store).entries(limit=1000)
    expected = [e.seq for e in every if flt.matches(e)]
    assert [e.seq for e in q.page(flt, 0, 1000)] == expected
    assert q.count(flt) == len(expected)


def test_known_selections(log_store: Store) -> None:
    q = AuditQueries(log_store)

    def seqs(f: AuditFilter) -> list[int]:
        return [e.seq for e in q.iter_entries(f, batch=2)]

    assert seqs(AuditFilter(username="officer2")) == [5, 6, 7, 8, 9]
    assert seqs(AuditFilter(query_text="7ABC123")) == [2, 3, 12, 13]
    assert seqs(AuditFilter(case_number="2026-009")) == [11]
    assert seqs(AuditFilter(outcome="refused")) == [10, 14]
    assert seqs(AuditFilter(events=("signin.failed", "account.locked"))) == [7, 8, 9]


def test_like_wildcards_in_user_text_match_only_themselves(log_store: Store) -> None:
    q = AuditQueries(log_store)
    assert like_pattern("100%_x\\") == "%100\\%\\_x\\\\%"
    assert q.count(AuditFilter(query_text="%")) == 0
    assert q.count(AuditFilter(query_text="7ABC_23")) == 0  # "_" is not "any character"
    assert q.count(AuditFilter(query_text="7A%3")) == 0
    assert [e.seq for e in q.page(AuditFilter(query_text="_"), 0, 100)] == [10, 12, 13]
    assert q.count(AuditFilter(organization="%")) == 0
    assert q.count(AuditFilter(case_number="_")) == 0


def test_hostile_filter_text_is_only_data(log_store: Store) -> None:
    q = AuditQueries(log_store)
    for text in ("' OR 1=1 --", "\") OR 1=1 --", "x'; DROP TABLE access_log; --"):
        assert q.count(AuditFilter(username=text, query_text=text, case_number=text)) == 0
    assert AccessLogRepo(log_store).count() == 14


def test_keyset_paging_is_complete_in_both_directions(log_store: Store) -> None:
    q = AuditQueries(log_store)
    forward: list[int] = []
    after = 0
    while page := q.page(AuditFilter(), after, 3):
        forward += [e.seq for e in page]
        after = page[-1].seq
    assert forward == list(range(1, 15))
    backward: list[int] = []
    after = 0
    while page := q.page(AuditFilter(), after, 4, descending=True):
        backward += [e.seq for e in page]
        after = page[-1].seq
    assert backward == list(range(14, 0, -1))


def test_get_and_distinct(log_store: Store) -> None:
    q = AuditQueries(log_store)
    e = q.get(12)
    assert e is not None and e.event == "disclosure"
    assert q.get(99) is None
    assert q.distinct("username") == ["officer", "officer2", "vendor"]
    assert "account.locked" in q.distinct("event")
    with pytest.raises(ValueError):
        q.distinct("hash; DROP TABLE x")
