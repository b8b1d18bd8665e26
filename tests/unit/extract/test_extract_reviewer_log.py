"""The reviewer's log goes back to the City as a signed file and into the custodian's audit;
a changed, re-signed, rewritten or foreign log is refused and nothing is imported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from access_helpers import World, log_entries
from extract_helpers import reviewer_purpose

from alpr_desktop.core.access_errors import NotAuthorized
from alpr_desktop.core.audit_log import LogEntry, entry_digest
from alpr_desktop.core.extract import ReadNotInExtract, ReviewerLogRefused
from alpr_desktop.core.reviewer_log import ReviewerLogFile
from alpr_desktop.security import extract_keys
from alpr_desktop.services.review_extract_import import ReviewerLogImportService
from alpr_desktop.services.review_extract_mode import ReviewSession
from alpr_desktop.storage.extract_releases import ExtractReleaseRepo

NAME, ORG = "Dana Prosecutor", "Los Angeles County District Attorney"


def _reviewed(session: ReviewSession, ids: list[int], out: Path) -> Path:
    who = session.sign_in(NAME, ORG, reviewer_purpose())
    session.reads(who)
    session.open_read(who, ids[1])
    with pytest.raises(ReadNotInExtract):
        session.open_read(who, ids[3])
    return session.export_log(who, out)


def _import(world: World, path: Path):
    return ReviewerLogImportService(world.store, world.clock).import_log(world.ctx("keeper"), path)


def test_the_log_round_trips_into_the_custodians_audit(
    session: ReviewSession, world: World, ids: list[int], tmp_path: Path
) -> None:
    exported = _reviewed(session, ids, tmp_path / "review")
    assert exported.suffix == ".alprreviewlog"
    imported = _import(world, exported)
    in_extract = session.log_entries()
    assert imported.result.new_entries == len(in_extract)
    assert imported.result.head_seq == in_extract[-1].seq
    stored = [e for _, e in ExtractReleaseRepo(world.store).entries(
        session.manifest.extract_id)]
    assert [e.hash for e in stored] == [e.hash for e in in_extract]
    views = [e for e in imported.entries if e.event == "review.view"]
    assert [(v.reviewer, v.organization, v.outcome) for v in views] == [
        (NAME, ORG, "ok"), (NAME, ORG, "refused")]
    assert views[0].what.startswith(f"read {ids[1]}") and views[0].workstation
    [entry] = log_entries(world.store, "extract.reviewer_log_import")
    assert entry.username == "keeper" and entry.result_count == len(in_extract)
    assert entry.detail["recipient_agency"] == ORG


def test_importing_again_adds_only_what_is_new(
    session: ReviewSession, world: World, ids: list[int], tmp_path: Path
) -> None:
    first = _reviewed(session, ids, tmp_path / "one")
    n1 = _import(world, first).result.new_entries
    who = session.reviewer
    assert who is not None
    session.open_read(who, ids[0])
    second = session.export_log(who, tmp_path / "two")
    again = _import(world, second).result
    assert again.new_entries == 2  # the view and the second export's own entry
    assert len(ExtractReleaseRepo(world.store).entries()) == n1 + 2


def _tampered(path: Path, change) -> None:
    d = json.loads(path.read_text())
    change(d)
    path.write_text(json.dumps(d))


def _set_read(d: dict) -> None:
    d["entries"][-3][9] = d["entries"][-3][9].replace("read_id", "read_idx")


@pytest.mark.parametrize("change", [
    _set_read,
    lambda d: d["entries"].pop(2),
    lambda d: d.__setitem__("extract_id", "00000000-0000-0000-0000-000000000000"),
    lambda d: d.__setitem__("signature", d["signature"][:-4] + "AAA="),
])
def test_a_tampered_log_is_refused(
    session: ReviewSession, world: World, ids: list[int], tmp_path: Path, change
) -> None:
    exported = _reviewed(session, ids, tmp_path / "review")
    _tampered(exported, change)
    with pytest.raises(ReviewerLogRefused):
        _import(world, exported)
    assert ExtractReleaseRepo(world.store).entries() == []
    [entry] = log_entries(world.store, "extract.reviewer_log_import")
    assert entry.outcome == "refused"


def test_a_log_re_signed_by_another_key_is_refused(
    session: ReviewSession, world: World, ids: list[int], tmp_path: Path
) -> None:
    exported = _reviewed(session, ids, tmp_path / "review")
    f = ReviewerLogFile.from_bytes(exported.read_bytes())
    other = extract_keys.new_signing_key()
    forged = ReviewerLogFile(f.extract_id, f.exported_at_ms, other.public_raw.hex(), f.entries)
    forged = ReviewerLogFile(forged.extract_id, forged.exported_at_ms, forged.public_key_hex,
                             forged.entries, extract_keys.sign_log(other,
                                                                   forged.signed_payload()))
    exported.write_bytes(forged.to_bytes())
    with pytest.raises(ReviewerLogRefused, match="not signed by its extract's key"):
        _import(world, exported)


def test_a_broken_chain_is_named_even_when_signed(
    session: ReviewSession, world: World, ids: list[int], tmp_path: Path
) -> None:
    """Someone holding the extract (and so its key) edits an entry and signs again: the
    chain still names the entry."""
    exported = _reviewed(session, ids, tmp_path / "review")
    f = ReviewerLogFile.from_bytes(exported.read_bytes())
    entries = list(f.entries)
    e = entries[2]
    entries[2] = LogEntry(e.seq, e.ts_ms, e.event, e.outcome, "Someone Else", e.organization,
                          e.agency, e.workstation, e.purpose_json, e.query_json,
                          e.result_count, e.detail_json, e.prev_hash, e.hash)
    key = extract_keys.signing_key_from_raw(session.store.extract_content.signing_key() or b"")
    body = ReviewerLogFile(f.extract_id, f.exported_at_ms, f.public_key_hex, tuple(entries))
    exported.write_bytes(ReviewerLogFile(
        body.extract_id, body.exported_at_ms, body.public_key_hex, body.entries,
        extract_keys.sign_log(key, body.signed_payload())).to_bytes())
    with pytest.raises(ReviewerLogRefused, match=f"entry #{e.seq}"):
        _import(world, exported)
    assert entry_digest  # the chain check is core.audit_log's own


def test_a_rewritten_log_is_refused_after_an_import(
    session: ReviewSession, world: World, ids: list[int], tmp_path: Path
) -> None:
    exported = _reviewed(session, ids, tmp_path / "review")
    _import(world, exported)
    f = ReviewerLogFile.from_bytes(exported.read_bytes())
    key = extract_keys.signing_key_from_raw(session.store.extract_content.signing_key() or b"")
    short = ReviewerLogFile(f.extract_id, f.exported_at_ms, f.public_key_hex, f.entries[:2])
    exported.write_bytes(ReviewerLogFile(
        short.extract_id, short.exported_at_ms, short.public_key_hex, short.entries,
        extract_keys.sign_log(key, short.signed_payload())).to_bytes())
    with pytest.raises(ReviewerLogRefused, match="cut short"):
        _import(world, exported)


def test_only_the_custodian_imports(
    session: ReviewSession, world: World, ids: list[int], tmp_path: Path
) -> None:
    exported = _reviewed(session, ids, tmp_path / "review")
    with pytest.raises(NotAuthorized):
        ReviewerLogImportService(world.store, world.clock).import_log(
            world.ctx("officer"), exported)
    assert ExtractReleaseRepo(world.store).entries() == []


def test_garbage_is_refused_as_a_sentence(world: World, tmp_path: Path) -> None:
    bad = tmp_path / "x.alprreviewlog"
    bad.write_bytes(b"\x00\x01 not json")
    with pytest.raises(ReviewerLogRefused, match="damaged"):
        _import(world, bad)


def test_the_audit_report_shows_what_the_reviewer_did(
    session: ReviewSession, world: World, ids: list[int], tmp_path: Path
) -> None:
    import subprocess

    from alpr_desktop.core.audit_filters import AuditFilter
    from alpr_desktop.services.audit_service import AuditService

    _import(world, _reviewed(session, ids, tmp_path / "review"))
    out = tmp_path / "report.pdf"
    AuditService(world.store, world.clock).build_report(world.ctx("keeper"), out, AuditFilter())
    text = " ".join(subprocess.run(["pdftotext", "-layout", str(out), "-"], check=True,
                                   capture_output=True, text=True).stdout.split())
    assert "Offline review extracts" in text
    assert f"{NAME} ({ORG}), extract {session.manifest.extract_id[:8]}" in text
    assert f"read {ids[1]}" in text and "[REFUSED]" in text
    assert "Reviewer logs imported 1" in text


def test_a_copied_extract_opened_after_the_import_is_refused_and_marked(
    release, world: World, ids: list[int], tmp_path: Path
) -> None:
    """Someone copies the extract (and its key file) on receipt. The original is reviewed and
    its log imported; then the copy is opened and its log sent back. The two logs part after
    the entries they share: refused, and the refusal says who used the copy and what they
    viewed (before, it was only "rewritten", with nothing of the copy on record)."""
    import shutil

    from alpr_desktop.services.review_extract_import import ForkedReviewerLog

    copy_dir = tmp_path / "copy"
    copy_dir.mkdir()
    copied = copy_dir / release.extract_path.name
    shutil.copy2(release.extract_path, copied)
    shutil.copy2(release.key_path, extract_keys.key_file_path(copied))
    original = ReviewSession.open(release.extract_path, release.passphrase, world.clock)
    try:
        _import(world, _reviewed(original, ids, tmp_path / "review"))
    finally:
        original.close()
    world.clock.advance(3600)
    copy = ReviewSession.open(copied, release.passphrase, world.clock)
    try:
        who = copy.sign_in(NAME, ORG, reviewer_purpose())
        copy.open_read(who, ids[0])
        from_copy = copy.export_log(who, tmp_path / "copy-review")
    finally:
        copy.close()
    before = len(ExtractReleaseRepo(world.store).entries())
    with pytest.raises(ForkedReviewerLog, match="second copy of the extract") as exc:
        _import(world, from_copy)
    assert exc.value.fork_seq >= 1
    assert len(ExtractReleaseRepo(world.store).entries()) == before  # nothing imported
    refused = log_entries(world.store, "extract.reviewer_log_import")[-1]
    assert refused.outcome == "refused" and refused.detail["refused"] == "forked_copy"
    assert refused.detail["copy_read_ids"] == [ids[0]]
    assert refused.detail["copy_reviewers"] == [f"{NAME} ({ORG})"]
    assert refused.query["extract_id"] == release.manifest.extract_id
