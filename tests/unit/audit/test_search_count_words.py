"""A search's count in words (issue 20): the custodian reads "Search, results counted", the
reads counted and none returned, and on the first page's entry where its counts went."""

from __future__ import annotations

from alpr_desktop.core.audit_words import detail_facts, event_words, result_words
from alpr_desktop.reports.audit_report import _result_short


def test_a_count_says_it_counted_and_returned_nothing() -> None:
    assert event_words("search.count") == "Search, results counted"
    detail = {"total": 1234, "total_capped": False, "plates_found": 56}
    assert result_words("search.count", 1234, detail) == "1,234 reads counted, none returned"
    assert result_words("search.count", 10_000, {"total_capped": True}) == (
        "10,000 reads or more counted, none returned")
    assert _result_short("search.count", 1234, detail) == "1,234 reads counted"
    assert ("Different plates found", "56") in detail_facts(detail)


def test_a_first_page_without_its_counts_says_where_they_went() -> None:
    facts = dict(detail_facts({"plates_matched": 3, "more": True, "counted": False}))
    assert "next \"Search, results counted\" entry" in facts["Counts"]
    assert result_words("search", 100, {"counted": False}) == "100 reads returned"
