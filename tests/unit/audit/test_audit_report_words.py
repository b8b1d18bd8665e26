"""Issue 12: the audit report reads for a City official. Page 1 says in sentences what the
period held (searches, image views, disclosures, refusals, flags) and whether the chain
verified; rows show the query elements in words and the reads returned, never lists of read
ids, which go to an owner-only CSV appendix beside the PDF whose writing is logged."""

from __future__ import annotations

import csv
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from audit_helpers import tamper_purpose
from test_audit_report_pdf import pdf_pages, report

from alpr_desktop.core.audit_log import LogEvent
from alpr_desktop.core.audit_words import query_words
from alpr_desktop.storage import Store
from alpr_desktop.storage.access_log import AccessLogRepo

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def raw_text(path: Path) -> str:
    """The PDF's text in drawing order (each table cell's lines together), on one line."""
    out = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True,
                         text=True, check=True, timeout=120).stdout
    return _one_line(out)


def test_page_one_says_what_the_period_held(log_store: Store, tmp_path: Path) -> None:
    res = report(log_store, tmp_path / "audit.pdf")
    first = _one_line(pdf_pages(res.path)[0])
    for sentence in (
        "The report covers 2026-01-01 to 2026-01-31 (whole days, America/Los_Angeles): "
        "14 log entries.",
        "Searches: 7 searches by 3 users of 3 organizations.",
        "Image views: 1 read viewed with its images.",
        "Exports and disclosures: 1, to Long Beach Police Department (1).",
        "Refusals: 2 accesses refused by the access rules, 0 purposes refused as not "
        "specific enough, 2 failed sign-ins and 1 account lockout.",
        "Oversight flags: 3 of 10 checks found something to look at: one user looking up the "
        "same plate repeatedly (4 entries); purposes the current rules would reject (2 "
        "entries);",
        f"Integrity: the whole access log ({res.verify.checked} entries, #1 to "
        f"#{res.verify.head_seq}) was verified and is INTACT",
        "audit-read-ids.csv, beside this file.",
    ):
        assert sentence in first, sentence


def test_page_one_says_when_the_chain_is_broken(log_store: Store, tmp_path: Path) -> None:
    tamper_purpose(log_store, 5, "nothing to see here, all fine, move along please")
    res = report(log_store, tmp_path / "audit.pdf")
    first = _one_line(pdf_pages(res.path)[0])
    assert "Integrity: the access log is NOT INTACT from entry #5" in first


def test_rows_show_words_and_counts_not_read_id_lists(log_store: Store,
                                                      tmp_path: Path) -> None:
    repo = AccessLogRepo(log_store)
    ids = list(range(9000, 9025))
    with log_store.transaction():
        repo.append(LogEvent(
            "image.thumbnails", "ok", "officer", "LASD Carson Station", "LASD", "ws1/test",
            query={"read_ids": ids, "kind": "crop"}, result_count=25,
        ), res_ts := 1_767_916_800_000)  # 2026-01-08 16:00 PST
    assert res_ts
    res = report(log_store, tmp_path / "audit.pdf")
    text = raw_text(res.path)
    assert "25 reads (ids in the appendix); crop images" in text
    assert "25 images" in text
    assert "9000" not in text and "9024" not in text  # no list of read ids in the PDF
    assert "plate 7ABC123, exact match; state CA" in text
    assert "Disclosure to an agency Done" in text and "plate 7ABC123; read #42" in text
    assert "and its direction of travel. 3 reads #" in text  # a search: its reads counted


def test_appendix_holds_the_read_ids_owner_only_and_is_logged(log_store: Store,
                                                             tmp_path: Path) -> None:
    res = report(log_store, tmp_path / "audit.pdf")
    assert res.appendix == tmp_path / "audit-read-ids.csv"
    assert stat.S_IMODE(res.appendix.stat().st_mode) == 0o600
    with res.appendix.open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["entry", "date and time (local)", "event", "username", "organization",
                       "read id"]
    body = [(r[0], r[2], r[3], r[5]) for r in rows[1:]]
    assert ("12", "Disclosure to an agency", "officer", "42") in body
    assert ("12", "Disclosure to an agency", "officer", "43") in body
    assert ("13", "Image viewed", "officer", "42") in body
    assert res.appendix_rows == len(body) == 3
    logged = [e for e in AccessLogRepo(log_store).entries(limit=1000)
              if e.event == "audit.report"][-1]
    assert logged.detail["appendix"] == "audit-read-ids.csv"
    assert logged.detail["appendix_rows"] == 3


def test_query_words_never_list_read_ids() -> None:
    words = query_words("image.thumbnails", {"read_ids": [1, 2, 3], "kind": "crop"})
    assert words == "3 reads (ids in the appendix); crop images"
    assert query_words("image.view", {"read_id": 42, "plate": "7ABC123"}) == \
        "plate 7ABC123; read #42"
    assert query_words("gate.refused", {"action": "view_images"}) == "tried to view images"
    assert query_words("search", {"pattern": "7AB*", "mode": "wildcard",
                                  "filters": {"makes": ["Honda"], "camera_ids": [3, 5]}}) == \
        "plate 7AB*, wildcard; make Honda; 2 cameras (3, 5)"
