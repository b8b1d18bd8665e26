"""`alpr-desktop release` and `own-package`: the commands' work for a signed-in analyst (the
sign-in itself is the one path every command shares, tested in tests/unit/cli)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from access_helpers import log_entries
from sharing_helpers import Sharing

from alpr_desktop.cli import build_parser
from alpr_desktop.cli.failures import EXIT_OK, Failure
from alpr_desktop.cli.sharing import execute
from alpr_desktop.core.agencies import AgencyInput
from alpr_desktop.services.evidence_package_verify import verify_package
from alpr_desktop.services.review_extract_mode import ReviewSession
from alpr_desktop.services.sharing import SharingRefused

NARRATIVE = ("Burglary of the Dolores St pharmacy on 12/14/2025 at 02:10; the suspect's grey "
             "Camry is to be shown at the preliminary hearing, to prove its route that night.")


def _run(sharing: Sharing, argv: list[str]) -> tuple[int, str]:
    w = sharing.world
    ctx = w.ctx("officer")
    out = io.StringIO()
    code = execute(build_parser().parse_args(argv), w.store, w.auth, ctx, w.clock, out)
    return code, out.getvalue()


def test_release_answers_a_request_with_an_extract_then_a_zip_package(
    sharing: Sharing, tmp_path: Path
) -> None:
    request, _ = sharing.approved()
    code, text = _run(sharing, ["release", str(request.id), "--extract",
                                str(tmp_path / "for-lbpd"), "--expires", "2026-02-28",
                                "--record", str(tmp_path / "record.pdf")])
    assert code == EXIT_OK and "Passphrase (shown once" in text
    passphrase = text.split("apart from the file): ")[1].split()[0]
    session = ReviewSession.open(tmp_path / "for-lbpd.alprext", passphrase, sharing.world.clock)
    session.close()
    assert (tmp_path / "record.pdf").read_bytes().startswith(b"%PDF")
    code, text = _run(sharing, ["release", str(request.id), "--package",
                                str(tmp_path / "pkg"), "--zip"])
    assert code == EXIT_OK and verify_package(tmp_path / "pkg.zip").intact
    with pytest.raises(SharingRefused, match="already answered"):
        _run(sharing, ["release", str(request.id), "--extract", str(tmp_path / "again"),
                       "--expires", "2026-02-28"])
    ok = [e for e in log_entries(sharing.world.store, "sharing.disclosure") if e.outcome == "ok"]
    assert sorted(e.detail["kind"] for e in ok) == ["evidence_package", "review_extract"]


def test_release_of_an_extract_needs_an_expiry(sharing: Sharing, tmp_path: Path) -> None:
    request, _ = sharing.approved()
    with pytest.raises(Failure, match="--expires"):
        _run(sharing, ["release", str(request.id), "--extract", str(tmp_path / "x")])
    assert not list(tmp_path.glob("x*"))


def test_own_package_for_a_registered_prosecutor(sharing: Sharing, tmp_path: Path) -> None:
    keeper = sharing.keeper()
    da = sharing.service.add_agency(keeper, AgencyInput(
        "Los Angeles County District Attorney", "prosecutorial", "california_local",
        "Hall of Justice, Los Angeles"))
    sharing.service.approve_agency(keeper, da.id)
    argv = ["own-package", str(tmp_path / "own.zip"), "--reads",
            ",".join(str(i) for i in sharing.read_ids[:2]), "--agency",
            "Los Angeles County District Attorney", "--recipient", "DDA Sam Ortiz",
            "--case", "123-45678-2026-001", "--offense", "Burglary", "--narrative", NARRATIVE]
    code, _text = _run(sharing, argv)
    assert code == EXIT_OK and verify_package(tmp_path / "own.zip").intact
    argv[5] = "Torrance Police Department"
    argv[1] = str(tmp_path / "other")
    with pytest.raises(Failure, match="not in the agency registry"):
        _run(sharing, argv)
