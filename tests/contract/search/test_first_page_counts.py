"""The first page's counts (issue 20): a page that holds the whole result takes its counts
from its own rows instead of walking the indexes again, and says the same as counting."""

from __future__ import annotations

import pytest
from search_helpers import T0, Seeded, log_entries

from alpr_desktop.core.models import NewRead
from alpr_desktop.core.search import Filters
from alpr_desktop.storage.corrections import CorrectionQueries
from alpr_desktop.storage.search_queries import SearchQueries

CASES = [
    ("7ABC123", "exact", Filters()),
    ("7ABC123", "fuzzy", Filters()),  # every tier: exact, candidate, look-alike, one edit
    ("7AB*", "auto", Filters()),
    ("*BC12*", "auto", Filters()),
    ("7AB*", "auto", Filters(makes=("Honda",))),  # three plates resolved, one with reads
    ("9ZZZ999", "exact", Filters()),  # nothing
]


def _counts(seeded: Seeded, text: str, mode: str, filters: Filters, size: int
            ) -> tuple[object, ...]:
    page = seeded.search(text, mode, filters, page_size=size)
    [entry] = log_entries(seeded.world.store, "search")[-1:]
    return (page.total, page.total_capped, page.plates_found, page.plates_capped,
            entry.detail.get("result_plates"), entry.detail["total"],
            entry.detail["plates_found"])


@pytest.mark.parametrize(("text", "mode", "filters"), CASES)
def test_a_whole_result_on_one_page_counts_what_counting_counts(
    seeded: Seeded, text: str, mode: str, filters: Filters
) -> None:
    # A plate known only as an alternate reading: resolved, but without reads of its own.
    seeded.world.store.reads.insert_many(
        [NewRead("7ABQ777", T0 - 50, seeded.cams["north"], candidates=(("7ABW111", 0.3),))])
    whole = _counts(seeded, text, mode, filters, 200)  # the page holds every row
    rows = seeded.all_rows(text, mode, filters)
    assert whole[0] == len(rows) and whole[2] == len({r.read.plate_norm for r in rows})
    if len(rows) > 1:  # a page of one row leaves more: the counting path
        counted = _counts(seeded, text, mode, filters, 1)
        assert counted == whole


@pytest.mark.backend_specific("sqlcipher")
def test_a_page_holding_the_whole_result_runs_no_count_query(
    seeded: Seeded, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fails on the version before issue 20, which counted every first page twice over."""

    def refuse(*_a: object, **_k: object) -> object:
        raise AssertionError("a count query ran for a page that holds the whole result")

    for name in ("count_by_plates", "count_by_candidates", "plates_with_reads",
                 "plates_of_candidate_reads"):
        monkeypatch.setattr(SearchQueries, name, refuse)
    monkeypatch.setattr(CorrectionQueries, "ids_matching", refuse)
    page = seeded.search("7ABC123", "fuzzy")
    assert not page.has_more and page.total == len(page.rows) == 9
    assert page.plates_found == len({r.read.plate_norm for r in page.rows})
    [entry] = log_entries(seeded.world.store, "search")[-1:]
    assert entry.detail["result_plates"] == sorted({r.read.plate_norm for r in page.rows})
    with pytest.raises(AssertionError, match="count query ran"):
        seeded.search("7ABC123", "fuzzy", page_size=2)  # more follow: that page counts
