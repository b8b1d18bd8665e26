"""The tutorials as data: load the Markdown pages shipped in resources/help, and search them.

No Qt here, so the contents and the search are tested without a QApplication. A page's title
is its first "# " line; ``contents.md`` (the order of the contents list) names every page as a
Markdown link, one per line, under section headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

HELP_PACKAGE_DIR = "resources/help"
CONTENTS = "contents"
POLICY = "policy"  # the policy text, built from resources/policy.txt (not a Markdown file)
_LINK = re.compile(r"\[([^\]]+)\]\(([\w-]+)\.md\)")
_WORD = re.compile(r"[\w']+")


@dataclass(frozen=True)
class Topic:
    key: str  # file name without .md
    title: str
    section: str
    text: str  # the Markdown source


@dataclass(frozen=True)
class Hit:
    topic: Topic
    score: int
    snippet: str


def help_dir() -> Path:
    """The folder of the pages and their images (a real folder: the package is installed or
    bundled as files, so Qt can resolve relative image paths against it)."""
    return Path(str(resources.files("alpr_desktop").joinpath(HELP_PACKAGE_DIR)))


def _title(text: str, key: str) -> str:
    for line in text.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return key.replace("-", " ").capitalize()


@cache
def load_topics() -> tuple[Topic, ...]:
    """Every page in the order of contents.md (sections kept), then any page it misses."""
    folder = help_dir()
    texts = {p.stem: p.read_text("utf-8") for p in sorted(folder.glob("*.md"))}
    order: list[tuple[str, str]] = []
    section = ""
    for line in texts.get(CONTENTS, "").splitlines():
        if line.startswith("## "):
            section = line[3:].strip()
        for m in _LINK.finditer(line):
            if m.group(2) in texts and m.group(2) not in {k for k, _ in order}:
                order.append((m.group(2), section))
    listed = {k for k, _ in order}
    order += [(k, "More") for k in texts if k not in listed and k != CONTENTS]
    return tuple(Topic(k, _title(texts[k], k), s, texts[k]) for k, s in order)


def topic(key: str) -> Topic | None:
    return next((t for t in load_topics() if t.key == key), None)


def _plain(markdown: str) -> str:
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", markdown)  # images
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)  # links keep their words
    return re.sub(r"[#*_`>|]", " ", text)


def search(query: str, topics: tuple[Topic, ...] | None = None, limit: int = 20) -> list[Hit]:
    """Pages holding every word of ``query`` (case-insensitive, prefix match), best first:
    a word in the title counts five times. Each hit has a snippet around the first word."""
    words = [w.casefold() for w in _WORD.findall(query)]
    if not words:
        return []
    hits: list[Hit] = []
    for t in topics if topics is not None else load_topics():
        body = _plain(t.text)
        tokens = [w.casefold() for w in _WORD.findall(body)]
        title = [w.casefold() for w in _WORD.findall(t.title)]
        score = 0
        for w in words:
            n = sum(1 for tok in tokens if tok.startswith(w))
            n_title = sum(1 for tok in title if tok.startswith(w))
            if n == 0 and n_title == 0:
                score = 0
                break
            score += n + 5 * n_title
        if score:
            hits.append(Hit(t, score, _snippet(body, words[0])))
    hits.sort(key=lambda h: (-h.score, h.topic.title))
    return hits[:limit]


def _snippet(body: str, word: str, width: int = 90) -> str:
    flat = " ".join(body.split())
    i = flat.casefold().find(word)
    if i < 0:
        return flat[:width]
    start = max(0, i - width // 3)
    out = flat[start:start + width]
    return ("…" if start else "") + out + ("…" if start + width < len(flat) else "")
