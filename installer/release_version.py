"""The release's version, from the git tag, written into the bundle at build time.

A release is tagged ``vX.Y.Z`` (``git tag -a v0.2.0``). ``git describe`` then names the build:

- on the tag itself: ``0.2.0``;
- N commits after it: ``0.2.0.post5+g1a2b3c4`` (PEP 440: after the release, with the commit);
- with uncommitted changes: ``+...dirty`` is added to the local part;
- no tag yet (or no git): the package's own ``alpr_desktop.__version__`` with ``.dev0`` and the
  commit when there is one, so an untagged build never claims to be a release.

``python installer/release_version.py`` prints the version; ``--notes`` the release notes of
that version from CHANGELOG.md (the text of a release page); ``--write FILE`` also writes it
(one line), which the spec puts into the bundle as ``alpr_desktop/VERSION``: the frozen program
reads it there (alpr_desktop/__init__.py), the source tree never holds one. setuptools-scm is not
used: it is not installed here, and this is all of it.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_TAG = re.compile(r"^v?(?P<base>\d+(?:\.\d+){1,2}(?:(?:a|b|rc)\d+)?)$")
_DESCRIBE = re.compile(
    r"^(?P<tag>.+?)(?:-(?P<distance>\d+)-g(?P<commit>[0-9a-f]{4,40}))?(?P<dirty>-dirty)?$")


class VersionError(ValueError):
    """A tag that is not a version, told as a sentence."""


def from_describe(describe: str, fallback: str) -> str:
    """The PEP 440 version for one ``git describe --tags --long --dirty --always`` output.

    ``--always`` prints only the abbreviated commit when there is no tag; that (and an empty
    answer) gives ``fallback.dev0+g<commit>``."""
    text = describe.strip()
    if not text:
        return f"{fallback}.dev0"
    if re.fullmatch(r"[0-9a-f]{4,40}(-dirty)?", text):  # no tag at all
        commit, _, dirty = text.partition("-")
        return f"{fallback}.dev0+g{commit}" + (".dirty" if dirty else "")
    m = _DESCRIBE.match(text)
    if m is None:
        raise VersionError(f"git describe said {text!r}, which is not a tag and commit.")
    tag = _TAG.match(m["tag"])
    if tag is None:
        raise VersionError(
            f"The newest tag {m['tag']!r} is not a release version (vX.Y.Z); tag the release "
            "as 'git tag -a v0.2.0' or remove the tag.")
    base = tag["base"]
    distance = int(m["distance"] or 0)
    local = []
    if distance:
        base = f"{base}.post{distance}"
        local.append(f"g{m['commit']}")
    if m["dirty"]:
        local.append("dirty")
    return base + ("+" + ".".join(local) if local else "")


def package_version(root: Path = ROOT) -> str:
    """``__version__`` as written in alpr_desktop/__init__.py (read, not imported)."""
    text = (root / "alpr_desktop" / "__init__.py").read_text(encoding="utf-8")
    m = re.search(r'^_SOURCE_VERSION\s*=\s*"([^"]+)"', text, re.M)
    if m is None:
        raise VersionError("alpr_desktop/__init__.py names no _SOURCE_VERSION.")
    return m[1]


def git_describe(root: Path = ROOT) -> str:
    """``git describe`` of the tree, or "" where git or the history is missing."""
    try:
        out = subprocess.run(
            ["git", "describe", "--tags", "--long", "--dirty", "--always",  # noqa: S607
             "--match", "v[0-9]*"],
            cwd=root, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return out.stdout.strip() if out.returncode == 0 else ""


def current(root: Path = ROOT) -> str:
    return from_describe(git_describe(root), package_version(root))


def windows_file_version(version: str) -> tuple[int, int, int, int]:
    """Four numbers for the Windows version resource (major, minor, patch, commits after)."""
    release = re.match(r"\d+(?:\.\d+)*", version)
    nums = [int(n) for n in release[0].split(".")] if release else []
    main = [*nums[:3], 0, 0, 0]
    post = re.search(r"\.post(\d+)", version)
    return (main[0], main[1], main[2], int(post[1]) if post else 0)


def release_notes(changelog: str, version: str) -> str:
    """The CHANGELOG.md section of ``version``'s release (``## 0.2.0 ...``); for a build
    after the tag or without one, the ``## Unreleased`` section. Empty when there is none."""
    release = re.match(r"\d+(?:\.\d+)*(?:(?:a|b|rc)\d+)?", version)
    exact = release is not None and release[0] == version.split("+")[0]
    wanted = release[0] if exact and release else "Unreleased"
    out: list[str] = []
    for line in changelog.splitlines():
        if line.startswith("## "):
            if out:
                break
            title = line[3:].strip()
            if title == wanted or title.startswith(wanted + " "):
                out.append(line)
        elif out:
            out.append(line)
    return "\n".join(out).strip()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--write", type=Path, metavar="FILE", help="also write the version here")
    p.add_argument("--notes", action="store_true",
                   help="print this version's release notes from CHANGELOG.md instead")
    args = p.parse_args(argv)
    try:
        version = current()
    except VersionError as exc:
        print(f"release_version: {exc}", file=sys.stderr)
        return 1
    if args.notes:
        notes = release_notes((ROOT / "CHANGELOG.md").read_text(encoding="utf-8"), version)
        if not notes:
            print(f"release_version: CHANGELOG.md has no section for {version}; add "
                  "'## X.Y.Z — date' before tagging.", file=sys.stderr)
            return 1
        print(notes)
        return 0
    if args.write:
        args.write.parent.mkdir(parents=True, exist_ok=True)
        args.write.write_text(version + "\n", encoding="utf-8")
    print(version)
    return 0


if __name__ == "__main__":
    sys.exit(main())
