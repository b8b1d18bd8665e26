"""The tutorials' contents and search (no Qt): every page in the contents, titles from the
pages, search that needs every word and ranks titles first."""

from __future__ import annotations

from alpr_desktop.gui.help import topics


def test_contents_lists_every_page_in_order() -> None:
    loaded = topics.load_topics()
    keys = [t.key for t in loaded]
    assert keys[:2] == ["first-run", "sign-in"]
    assert {"purpose", "searching", "filters", "image-viewer", "batch-search", "exporting",
            "audit", "import", "maintenance", "training", "incidents",
            "transparency"} <= set(keys)
    assert all(t.section != "More" for t in loaded)  # none left out of contents.md
    assert topics.topic("purpose").title == "Declaring a purpose"


def test_search_needs_every_word_and_ranks_titles_first() -> None:
    hits = topics.search("wildcard")
    assert hits[0].topic.key == "searching"
    assert all("wildcard" in h.topic.text.lower() for h in hits)
    assert topics.search("breach notice")[0].topic.key == "incidents"
    assert topics.search("wildcard xyzzy") == []
    assert topics.search("  ") == []
    assert "wildcard" in topics.search("wildcard")[0].snippet.lower()
