"""Issue 21 on 60 days of simulated station work (station_sim, built through the services with
a test clock): the report points at the stalker on page 1 in plain words, finds the evasive
stalker who never types the plate, the recycled case number and narrative, fishing, refused
attempts, weekend-only use; and flags nobody in the honest crowd beyond the note on a
legitimate repeat.

Each of these fails on the code before issue 21 (checked with ``git stash``): only exact-plate
searches counted, pages counted as look-ups, patterns were called plates, refused attempts and
purpose reuse were not looked at, and page 1 held no ranking."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from station_sim import (
    COPIER,
    EVASIVE,
    FISHER,
    HONEST,
    RECYCLED_CASE,
    RECYCLER,
    STALKED,
    STALKED_2,
    STALKER,
    WEEKENDER,
    Simulation,
)

from alpr_desktop.core.audit_log import LogEntry
from alpr_desktop.core.oversight import Finding, OversightResult
from alpr_desktop.services.oversight_service import OversightService
from alpr_desktop.storage.access_log import AccessLogRepo

needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                     reason="pdftotext (poppler-utils) is not installed")


@pytest.fixture(scope="module")
def found(sim: Simulation) -> OversightResult:
    return OversightService(sim.store, sim.clock).findings(sim.ctx("keeper"))


@pytest.fixture(scope="module")
def page_one(sim: Simulation, tmp_path_factory: pytest.TempPathFactory) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = tmp_path_factory.mktemp("report") / "audit.pdf"
    sim.report(out)
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-layout", str(out), "-"],
                          capture_output=True, text=True, check=True, timeout=120).stdout
    return re.sub(r"\s+", " ", text)


def _of(result: OversightResult, username: str, kind: str | None = None) -> list[Finding]:
    return [f for f in result.findings() if f.username == username
            and (kind is None or f.kind == kind)]


def _entries(sim: Simulation) -> list[LogEntry]:
    return AccessLogRepo(sim.store).entries(limit=100_000)


@needs_pdftotext
def test_page_one_ranks_the_stalker_first_in_plain_words(page_one: str) -> None:
    assert "Users to look at first" in page_one
    first = page_one.index("1. evans (LASD Carson Station)")
    assert first < page_one.index("2. ford (LASD Carson Station)")
    line = page_one[first:page_one.index("2. ford")]
    for words in (f"Looked up plate {STALKED} 25 times over 39 days, 2026-01-08 to 2026-02-15",
                  "20 of them between 22:00 and 02:00", "under 3 different case numbers",
                  "(section 2.1.1)"):
        assert words in line, words
    # the ranking comes before the summary sentences and the fishing is not on top
    assert first < page_one.index("Searches:")
    assert page_one.index("irwin") > first


@needs_pdftotext
def test_page_one_names_the_evasive_stalker_who_never_typed_the_plate(page_one: str) -> None:
    start = page_one.index("2. ford")
    line = page_one[start:page_one.index(" 3. ", start)]
    assert f"Looked up plate {STALKED_2} 12 times" in line
    assert "never typing the plate itself" in line
    assert "image views" in line and "look-alike searches whose results held it" in line


def test_look_ups_count_what_the_user_saw_whatever_the_pattern(found: OversightResult) -> None:
    [evans] = _of(found, STALKER, "repeat")
    assert evans.key == f"repeat|{STALKER}|{STALKED}"
    assert len(evans.seqs) == 25
    assert "10 searches typing the plate, 5 image views, 5 look-alike searches whose results " \
           "held it, 5 wildcard searches whose results held it" in evans.sentence
    [ford] = _of(found, EVASIVE, "repeat")  # the neighbour plate his patterns also found is not
    assert ford.key == f"repeat|{EVASIVE}|{STALKED_2}" and len(ford.seqs) == 12
    assert "searches typing the plate" not in ford.sentence
    night = _of(found, EVASIVE, "night")
    assert night and "at night (22:00 to 06:00)" in night[0].sentence


def test_one_case_number_recycled_for_unrelated_plates(found: OversightResult,
                                                       sim: Simulation) -> None:
    [reuse] = _of(found, RECYCLER, "case_reuse")
    assert reuse.sentence.startswith(
        f"used case number {RECYCLED_CASE} for {len(sim.recycled_plates)} different plates on")
    [vague] = _of(found, RECYCLER, "unspecific")
    assert "neither name nor describe them" in vague.sentence
    ranked = [r.username for r in found.ranking]
    assert ranked.index(RECYCLER) > ranked.index(EVASIVE)  # below both stalkers


def test_near_identical_narratives_under_new_case_numbers(found: OversightResult,
                                                          sim: Simulation) -> None:
    [reuse] = _of(found, COPIER, "narrative_reuse")
    assert reuse.sentence.startswith('gave near-identical narratives ("Suspicious vehicle')
    assert f"under 8 different case numbers for {len(sim.copier_plates)} different plates" \
        in reuse.sentence


def test_weekend_only_use_says_weekend_with_weekdays_on_dates(found: OversightResult) -> None:
    [weekend] = _of(found, WEEKENDER)
    assert weekend.kind == "weekend"
    assert weekend.sentence.startswith("used the system only on weekends: 10 accesses, all on "
                                       "Saturdays and Sundays (Sat 2026-01-10, Sun 2026-01-11")


def test_honest_crowd_is_not_flagged_beyond_the_legitimate_repeat_note(
        found: OversightResult, sim: Simulation) -> None:
    ranked = {r.username for r in found.ranking}
    assert ranked.isdisjoint(HONEST)
    assert not any(i.subject.startswith(HONEST) for f in found.flags for i in f.items)
    [note] = found.explained
    assert note.username == "chen" and note.key.endswith(sim.legit_repeat_plate)
    assert "all under case" in note.sentence and "a repeat with its context" in note.sentence


def test_further_pages_of_a_search_are_not_further_look_ups(found: OversightResult,
                                                            sim: Simulation) -> None:
    entries = [e for e in _entries(sim) if e.username == FISHER]
    pages = [e for e in entries if e.event == "search.page"]
    searches = [e for e in entries if e.event == "search" and e.outcome == "ok"]
    assert len(pages) == 12  # the fisher paged twice through each of six broad searches
    assert found.summary.queries_by_user["irwin (LASD Carson Station)"] == len(searches)


def test_a_wildcard_pattern_is_never_called_a_plate(found: OversightResult) -> None:
    sentences = [f.sentence for f in found.findings()]
    assert not any(re.search(r"plate [0-9A-Z]*[*?]", s) for s in sentences)
    [broad] = _of(found, FISHER, "broad")
    assert "6 broad patterns such as 7K*" in broad.sentence
    assert "6 by vehicle description" in broad.sentence
    assert "6 by camera location" in broad.sentence


def test_refused_attempts_count_per_user(found: OversightResult) -> None:
    [refused] = _of(found, FISHER, "refused")
    assert refused.sentence == ("was refused 8 times (6 too broad, 1 locked out after failed "
                                "sign-ins, 1 without a purpose)")


def test_the_contractor_search_before_its_window_is_refused_and_flagged(
        found: OversightResult, sim: Simulation) -> None:
    assert sim.refused_outside == 1
    vendor = [e for e in _entries(sim) if e.username == "vendor"
              and e.event in ("search", "gate.refused")]
    assert [(e.event, e.outcome) for e in vendor] == [("search", "ok"),
                                                      ("gate.refused", "refused")]
    assert vendor[1].detail["reason"] == "outside_permission_window"
    assert vendor[1].query["filters"]["time_window"]["to"] < vendor[0].query[
        "time_window"]["from"]
    [outside] = _of(found, "vendor", "contractor_outside")
    assert outside.sentence == ("tried once to reach data outside the dates its written "
                                "permission covers (refused)")


def test_the_analysis_is_itself_logged(sim: Simulation) -> None:
    before = AccessLogRepo(sim.store).head()[0]
    OversightService(sim.store, sim.clock).findings(sim.ctx("keeper"))
    last = _entries(sim)[-1]
    assert last.seq > before and last.event == "audit.oversight" and last.username == "keeper"


def test_page_one_png(sim: Simulation, tmp_path: Path) -> None:
    """The PDF renders (pdftoppm) and page 1 is an image of reasonable size."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    out = tmp_path / "audit.pdf"
    sim.report(out)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(out),
                    str(tmp_path / "page")], check=True, timeout=120)
    [png] = list(tmp_path.glob("page*.png"))
    assert png.stat().st_size > 10_000
