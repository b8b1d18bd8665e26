"""The version from the git tag (installer/release_version.py) and how the bundle reads it
(alpr_desktop/__init__.py reads VERSION beside itself; a source tree has none)."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


rv = _load(ROOT / "installer" / "release_version.py", "release_version")


@pytest.mark.parametrize("describe, version", [
    ("v0.2.0-0-g1a2b3c4", "0.2.0"),  # on the tag
    ("v0.2.0-5-g1a2b3c4", "0.2.0.post5+g1a2b3c4"),
    ("v0.2.0-0-g1a2b3c4-dirty", "0.2.0+dirty"),
    ("v1.10.3-12-gdeadbeef-dirty", "1.10.3.post12+gdeadbeef.dirty"),
    ("v2.0rc1-0-gabcdef0", "2.0rc1"),
    ("1a2b3c4", "0.1.0.dev0+g1a2b3c4"),  # no tag yet: never a release number
    ("1a2b3c4-dirty", "0.1.0.dev0+g1a2b3c4.dirty"),
    ("", "0.1.0.dev0"),  # no git
])
def test_describe_gives_a_pep440_version(describe: str, version: str) -> None:
    assert rv.from_describe(describe, "0.1.0") == version


def test_a_tag_that_is_not_a_version_is_refused() -> None:
    with pytest.raises(rv.VersionError, match="not a release version"):
        rv.from_describe("vnext-3-g1a2b3c4", "0.1.0")


def test_windows_resource_numbers() -> None:
    assert rv.windows_file_version("0.2.0.post5+g1a2b3c4") == (0, 2, 0, 5)
    assert rv.windows_file_version("1.4") == (1, 4, 0, 0)
    assert rv.windows_file_version("1.4.post3+gabc") == (1, 4, 0, 3)
    assert rv.windows_file_version("0.1.0.dev0+gabc") == (0, 1, 0, 0)


def test_the_package_base_version_is_read_from_the_source() -> None:
    import alpr_desktop

    assert rv.package_version(ROOT) == alpr_desktop._SOURCE_VERSION


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_real_tag_names_the_build(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "alpr_desktop").mkdir(parents=True)
    (repo / "alpr_desktop" / "__init__.py").write_text('_SOURCE_VERSION = "0.1.0"\n')

    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=repo,
                       check=True, capture_output=True)

    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "one")
    assert rv.current(repo).startswith("0.1.0.dev0+g")
    git("tag", "-a", "v0.3.1", "-m", "release")
    assert rv.current(repo) == "0.3.1"
    (repo / "CHANGELOG.md").write_text("x")
    git("add", ".")
    git("commit", "-qm", "two")
    assert rv.current(repo).startswith("0.3.1.post1+g")
    (repo / "CHANGELOG.md").write_text("y")
    assert rv.current(repo).endswith(".dirty")


def test_write_puts_the_version_in_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(rv, "git_describe", lambda root=None: "v4.5.6-0-gabcdef0")
    target = tmp_path / "build" / "VERSION"
    assert rv.main(["--write", str(target)]) == 0
    assert target.read_text() == "4.5.6\n"
    assert capsys.readouterr().out.strip() == "4.5.6"


def test_the_package_says_the_bundles_version_and_its_own_without_one(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    shutil.copy(ROOT / "alpr_desktop" / "__init__.py", pkg / "__init__.py")
    plain = _load(pkg / "__init__.py", "alpr_plain")
    assert plain.__version__ == plain._SOURCE_VERSION
    (pkg / "VERSION").write_text("0.3.1.post2+gabc1234\n")
    bundled = _load(pkg / "__init__.py", "alpr_bundled")
    assert bundled.__version__ == "0.3.1.post2+gabc1234"


CHANGELOG = """# Changelog

## Unreleased

- next thing

## 0.2.0 — 2026-12-20

- the bundle

## 0.1.0 — 2026-12-05

- first
"""


@pytest.mark.parametrize("version, notes", [
    ("0.2.0", "## 0.2.0 — 2026-12-20\n\n- the bundle"),
    ("0.1.0", "## 0.1.0 — 2026-12-05\n\n- first"),
    ("0.2.0.post3+gabc1234", "## Unreleased\n\n- next thing"),  # after the tag
    ("0.2.0+dirty", "## 0.2.0 — 2026-12-20\n\n- the bundle"),  # the tag, edited locally
    ("0.3.0", ""),  # tagged without a section: the caller refuses
])
def test_release_notes_are_the_versions_changelog_section(version: str, notes: str) -> None:
    assert rv.release_notes(CHANGELOG, version) == notes


def test_the_projects_changelog_has_notes_for_this_build() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert rv.release_notes(text, "0.1.0.dev0+gabc").startswith("## Unreleased")
    assert rv.release_notes(text, "0.1.0").startswith("## 0.1.0")
