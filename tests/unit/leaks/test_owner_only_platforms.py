"""Exports are owner-only on Windows and macOS too (issue 10 §4), played here with a
monkeypatched platform and a fake runner standing in for icacls, whoami and chmod -N.

Before this change a Windows export took its folder's ACL (a shared folder shared it) and a
macOS export inherited any ACL entry of its folder, which the 0600 mode does not limit."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from alpr_desktop.core import owner_only
from alpr_desktop.core.owner_only import OwnerOnlyFailed, private_file, write_private
from alpr_desktop.reports.audit_appendix import AppendixWriter
from alpr_desktop.security.checkpoints import SigningKey, write_checkpoint_file

SID = "S-1-5-21-1004336348-1177238915-682003330-1001"


class FakeRunner:
    """Answers like the Windows and macOS tools; records each call with what the staging
    folder held at that moment (a file must not exist, or be empty, when it is restricted)."""

    def __init__(self, fail: str = "") -> None:
        self.calls: list[tuple[str, ...]] = []
        self.seen: list[tuple[str, bool, int]] = []  # (path, is_dir, size of the file)
        self.fail = fail

    def __call__(self, argv: list[str]) -> subprocess.CompletedProcess[str]:
        self.calls.append(tuple(argv))
        tool = Path(argv[0].replace("\\", "/")).name
        if tool == "whoami.exe":
            ok = self.fail != "whoami"
            out = f'"carson\\\\kim","{SID}"\r\n' if ok else ""
            return subprocess.CompletedProcess(argv, 0 if ok else 1, out, "")
        target = Path(argv[1] if tool == "icacls.exe" else argv[2])
        self.seen.append((target.name, target.is_dir(),
                          0 if target.is_dir() else target.stat().st_size))
        if self.fail == tool:
            return subprocess.CompletedProcess(argv, 5, "", "Access is denied.")
        return subprocess.CompletedProcess(argv, 0, "processed file", "")


@pytest.fixture
def windows(monkeypatch: pytest.MonkeyPatch) -> FakeRunner:
    runner = FakeRunner()
    monkeypatch.setattr(owner_only, "platform", lambda: "win32")
    monkeypatch.setattr(owner_only, "RUN", runner)
    monkeypatch.setenv("SYSTEMROOT", r"C:\Windows")
    owner_only._windows_user_sid.cache_clear()
    yield runner
    owner_only._windows_user_sid.cache_clear()


@pytest.fixture
def macos(monkeypatch: pytest.MonkeyPatch) -> FakeRunner:
    runner = FakeRunner()
    monkeypatch.setattr(owner_only, "platform", lambda: "darwin")
    monkeypatch.setattr(owner_only, "RUN", runner)
    return runner


def icacls_calls(runner: FakeRunner) -> list[tuple[str, ...]]:
    return [c for c in runner.calls if c[0].endswith("icacls.exe")]


def test_windows_restricts_the_dacl_to_the_user_before_any_byte(windows: FakeRunner,
                                                                tmp_path: Path) -> None:
    target = tmp_path / "new-folder" / "alpr-read-42-crop.jpg"
    write_private(target, b"plate image bytes")
    assert target.read_bytes() == b"plate image bytes"
    whoami = str(Path(r"C:\Windows") / "System32" / "whoami.exe")
    assert windows.calls[0] == (whoami, "/user", "/fo", "csv", "/nh")
    calls = icacls_calls(windows)
    # the new folder, the staging folder (inherited by the file as it is born), the file
    assert [c[2:] for c in calls] == [("/inheritance:r", "/grant:r", f"*{SID}:(OI)(CI)F")] * 2 \
        + [("/inheritance:r", "/grant:r", f"*{SID}:F")]
    assert [s[:2] for s in windows.seen] == [("new-folder", True),
                                             (windows.seen[1][0], True),
                                             ("alpr-read-42-crop.jpg", False)]
    assert windows.seen[2][2] == 0  # restricted while still empty
    assert all(c[0] == str(Path(r"C:\Windows") / "System32" / "icacls.exe") for c in calls)
    assert sorted(p.name for p in target.parent.iterdir()) == ["alpr-read-42-crop.jpg"]
    assert sum(c[0].endswith("whoami.exe") for c in windows.calls) == 1  # asked once


@pytest.mark.parametrize("fail", ["icacls.exe", "whoami"])
def test_windows_writes_nothing_when_the_dacl_cannot_be_set(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fail: str
) -> None:
    runner = FakeRunner(fail=fail)
    monkeypatch.setattr(owner_only, "platform", lambda: "win32")
    monkeypatch.setattr(owner_only, "RUN", runner)
    owner_only._windows_user_sid.cache_clear()
    target = tmp_path / "report.pdf"
    target.write_bytes(b"old")
    try:
        with pytest.raises(OwnerOnlyFailed, match="readable by you only"):
            write_private(target, b"new secret")
    finally:
        owner_only._windows_user_sid.cache_clear()
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf"]


def test_macos_removes_inherited_acls_before_any_byte(macos: FakeRunner, tmp_path: Path) -> None:
    target = tmp_path / "audit.pdf"
    with private_file(target) as fh:
        fh.write(b"%PDF")
    assert target.read_bytes() == b"%PDF"
    assert [c[:2] for c in macos.calls] == [("/bin/chmod", "-N")] * 2
    assert [s[1:] for s in macos.seen] == [(True, 0), (False, 0)]
    assert target.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["audit.pdf"]


def test_macos_writes_nothing_when_the_acl_cannot_be_removed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(owner_only, "platform", lambda: "darwin")
    monkeypatch.setattr(owner_only, "RUN", FakeRunner(fail="chmod"))
    with pytest.raises(OwnerOnlyFailed, match="access list"):
        write_private(tmp_path / "x.jpg", b"secret")
    assert list(tmp_path.iterdir()) == []


def test_checkpoints_and_the_audit_appendix_go_the_same_way(windows: FakeRunner,
                                                           tmp_path: Path) -> None:
    """The two exports that wrote their own files (0600 only) now use the one writer."""
    from alpr_desktop.core.log_anchors import Checkpoint

    key = SigningKey.generate()
    cp = Checkpoint("store-1", 3, "a" * 64, 0, "keeper", key.fingerprint)
    write_checkpoint_file(tmp_path / "cp.alprcheckpoint", key.sign(cp))
    with AppendixWriter(tmp_path / "audit-read-ids.csv") as appendix:
        appendix.add(1, "2026-01-05 10:00", "image.view", "officer", "LASD", [42])
        appendix.finish()
    restricted_files = [s[0] for s in windows.seen if not s[1]]
    assert restricted_files == ["cp.alprcheckpoint", "audit-read-ids.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["audit-read-ids.csv",
                                                          "cp.alprcheckpoint"]
    with pytest.raises(FileExistsError):  # a checkpoint is never replaced
        write_checkpoint_file(tmp_path / "cp.alprcheckpoint", key.sign(cp))


def test_a_checkpoint_placed_without_overwriting_never_replaces_a_racing_file(
    tmp_path: Path,
) -> None:
    target = tmp_path / "cp.alprcheckpoint"
    with pytest.raises(FileExistsError), private_file(target, "w", overwrite=False) as fh:
        fh.write("new")
        target.write_text("arrived meanwhile")
    assert target.read_text() == "arrived meanwhile"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cp.alprcheckpoint"]
