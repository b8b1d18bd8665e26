"""Review mode: the passphrase opens the extract (a wrong one says so), the recipient signs in
under a valid purpose, nothing beyond the released reads can be reached, every view is logged
in the extract's own chain, and the extract stops opening after its expiry date."""

from __future__ import annotations

from pathlib import Path

import pytest
from access_helpers import World
from extract_helpers import reviewer_purpose

from alpr_desktop.core.clock import FixedClock
from alpr_desktop.core.extract import (
    ClockBehind,
    ExtractExpired,
    NotAnExtract,
    ReadNotInExtract,
    ReviewerRefused,
    WrongExtractPassphrase,
)
from alpr_desktop.core.purpose_problems import PurposeRejected
from alpr_desktop.services.review_extract import ExtractRelease
from alpr_desktop.services.review_extract_mode import NotSignedInToExtract, ReviewSession

NAME, ORG = "Dana Prosecutor", "Los Angeles County District Attorney"


def _events(s: ReviewSession, event: str) -> list:
    return [e for e in s.log_entries() if e.event == event]


def test_a_wrong_passphrase_is_a_clear_error(release: ExtractRelease, world: World) -> None:
    with pytest.raises(WrongExtractPassphrase, match="passphrase does not open"):
        ReviewSession.open(release.extract_path, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF", world.clock)


def test_the_passphrase_may_be_typed_loosely(release: ExtractRelease, world: World) -> None:
    typed = release.passphrase.replace("-", " ").lower()
    ReviewSession.open(release.extract_path, typed, world.clock).close()


def test_a_missing_key_file_or_a_plain_store_is_not_an_extract(
    release: ExtractRelease, world: World, store_path: Path
) -> None:
    with pytest.raises(NotAnExtract, match="no key file"):
        ReviewSession.open(store_path, release.passphrase, world.clock)
    release.key_path.unlink()
    with pytest.raises(NotAnExtract):
        ReviewSession.open(release.extract_path, release.passphrase, world.clock)


def test_an_edited_expiry_in_the_key_file_opens_nothing(
    release: ExtractRelease, world: World
) -> None:
    text = release.key_path.read_text()
    release.key_path.write_text(text.replace('"2026-01-31"', '"2027-01-31"'))
    with pytest.raises(WrongExtractPassphrase):
        ReviewSession.open(release.extract_path, release.passphrase, world.clock)


def test_sign_in_needs_the_released_name_and_organization(session: ReviewSession) -> None:
    with pytest.raises(ReviewerRefused, match="released to someone else"):
        session.sign_in("Eve Other", ORG, reviewer_purpose())
    with pytest.raises(ReviewerRefused):
        session.sign_in(NAME, "Some Other Agency", reviewer_purpose())
    refused = _events(session, "review.sign_in")
    assert [e.outcome for e in refused] == ["refused", "refused"]
    assert refused[0].detail["reason"] == "not_the_recipient"
    assert session.reviewer is None
    # case and spacing as people type them are fine
    who = session.sign_in("  dana   PROSECUTOR ", ORG.lower(), reviewer_purpose())
    assert who.name == NAME


def test_sign_in_applies_the_purpose_rules(session: ReviewSession) -> None:
    with pytest.raises(PurposeRejected):
        session.sign_in(NAME, ORG, reviewer_purpose(narrative="investigation"))
    assert _events(session, "review.sign_in")[-1].detail["reason"] == "purpose"
    assert session.reviewer is None


def test_nothing_is_shown_before_sign_in(session: ReviewSession, world: World) -> None:
    other = ReviewSession(session.store, session.manifest, session.path, world.clock)
    stranger = session.sign_in(NAME, ORG, reviewer_purpose())
    with pytest.raises(NotSignedInToExtract):
        other.reads(stranger)  # a reviewer of another session is not signed in here
    assert _events(session, "review.refused")[-1].detail["reason"] == "not_signed_in"


def test_the_extract_cannot_reach_beyond_its_reads(
    session: ReviewSession, ids: list[int]
) -> None:
    who = session.sign_in(NAME, ORG, reviewer_purpose())
    assert {r.id for r in session.reads(who)} == set(ids[:3])
    for outside in (ids[3], 0, -1, 10**9, "1 OR 1=1"):
        with pytest.raises(ReadNotInExtract, match="not part of this extract"):
            session.open_read(who, outside)  # type: ignore[arg-type]
    refused = [e for e in _events(session, "review.view") if e.outcome == "refused"]
    assert len(refused) == 5
    assert refused[0].query["read_id"] == str(ids[3])
    # the service has no search, import or purge to call at all
    assert not any(hasattr(session, n) for n in ("search", "import_file", "purge"))


def test_every_view_is_logged_in_the_extracts_chain(
    session: ReviewSession, ids: list[int]
) -> None:
    who = session.sign_in(NAME, ORG, reviewer_purpose())
    session.reads(who)
    for rid in (ids[0], ids[1], ids[0]):
        shown = session.open_read(who, rid)
        assert shown.read.id == rid and shown.crop is not None and shown.crop.integrity.ok
    views = [e for e in _events(session, "review.view") if e.outcome == "ok"]
    assert [e.query["read_id"] for e in views] == [ids[0], ids[1], ids[0]]
    assert all(e.username == NAME and e.organization == ORG for e in views)
    assert all(e.purpose["case_number"] == "123-45678-2026-001" for e in views)
    assert all(e.workstation for e in views)
    assert len(_events(session, "review.list")) == 1
    assert session.store.access_log.verify().intact


def test_the_extract_expires(release: ExtractRelease) -> None:
    late = FixedClock(1_769_932_800_000)  # 2026-02-01T08:00Z = 00:00 on Feb 1 in Carson
    with pytest.raises(ExtractExpired, match="expired at the end of 2026-01-31"):
        ReviewSession.open(release.extract_path, release.passphrase, late)
    before = FixedClock(late.ms - 1)
    ReviewSession.open(release.extract_path, release.passphrase, before).close()


def test_it_expires_during_a_session(session: ReviewSession, world: World) -> None:
    who = session.sign_in(NAME, ORG, reviewer_purpose())
    world.clock.ms = 1_769_932_800_000
    with pytest.raises(ExtractExpired):
        session.reads(who)
    assert _events(session, "review.refused")[-1].detail["reason"] == "expired"
    assert session.reviewer is None


def test_a_clock_wound_back_is_refused(release: ExtractRelease, world: World) -> None:
    s = ReviewSession.open(release.extract_path, release.passphrase, world.clock)
    s.sign_in(NAME, ORG, reviewer_purpose())
    s.close()
    with pytest.raises(ClockBehind):
        ReviewSession.open(release.extract_path, release.passphrase,
                           FixedClock(world.clock.ms - 86_400_000))
