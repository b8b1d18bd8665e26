"""Fast text for long reportlab documents: measured, wrapped and written as raw PDF operators.

A report of 100,000 log entries draws well over a million strings. reportlab's own drawString
costs about 12 µs each without its optional C accelerator (fixed-point formatting, escaping and
width tracking in Python), which alone would exceed the report's time budget; writing the same
operators for the standard Helvetica fonts ourselves costs a fraction of that. Text that the
standard fonts cannot encode (beyond Windows-1252) falls back to a TrueType font drawn through
reportlab's normal API, and characters no available font has become "?", so no narrative can
crash a report.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen.canvas import Canvas

REGULAR = "Helvetica"
BOLD = "Helvetica-Bold"
MONO = "Courier"
FALLBACK_NAME = "AuditFallbackSans"
_FALLBACK_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
    "C:/Windows/Fonts/arial.ttf",
)
_MAX_EM = 1015  # widest Helvetica glyph, in 1/1000 em: a string this short always fits

# Bytes of a Windows-1252 encoded string as PDF literal-string text (ASCII only).
_BYTE_ESC = [
    chr(b) if 32 <= b < 127 and chr(b) not in "\\()" else (
        "\\" + chr(b) if chr(b) in "\\()" else f"\\{b:03o}"
    )
    for b in range(256)
]


def clean(text: str) -> str:
    """One line of printable text: tabs and line breaks become spaces, other control or
    invisible characters "?"."""
    if text.isascii() and text.isprintable():
        return text
    return "".join(
        ch if ch.isprintable() else (" " if ch.isspace() else "?") for ch in text
    )


def literal(text: str) -> str | None:
    """``text`` (already clean) as the inside of a PDF string for the standard fonts, or
    None when Windows-1252 cannot encode it."""
    if text.isascii():
        if "(" in text or ")" in text or "\\" in text:
            return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return text
    try:
        raw = text.encode("cp1252")
    except UnicodeEncodeError:
        return None
    return "".join([_BYTE_ESC[b] for b in raw])


class _Widths(dict[str, float]):
    """Glyph widths (1/1000 em) by character, measured once per character."""

    def __init__(self, font: str) -> None:
        super().__init__()
        self.font = font

    def __missing__(self, ch: str) -> float:
        w = self[ch] = pdfmetrics.stringWidth(ch, self.font, 1000)
        return w


@cache
def _width_table(font: str) -> dict[str, float]:
    table = _Widths(font)
    if font != FALLBACK_NAME:
        face = pdfmetrics.getFont(font)
        for code, w in enumerate(face.widths):
            ch = bytes([code]).decode("cp1252", errors="ignore")
            if ch:
                table[ch] = float(w)
    return table


def _try_register(path: str) -> bool:
    try:
        pdfmetrics.registerFont(TTFont(FALLBACK_NAME, path))
    except (OSError, ValueError, TTFError):
        return False
    return True


@cache
def fallback_font() -> str | None:
    """Register and name a TrueType font with wide coverage, or None when none is found."""
    for candidate in _FALLBACK_CANDIDATES:
        if Path(candidate).is_file() and _try_register(candidate):
            return FALLBACK_NAME
    return None


def _fallback_text(text: str) -> str:
    """``text`` reduced to the characters the fallback font has."""
    name = fallback_font()
    if name is None:
        return text.encode("cp1252", errors="replace").decode("cp1252")
    glyphs = pdfmetrics.getFont(name).face.charToGlyph
    return "".join(ch if ord(ch) in glyphs else "?" for ch in text)


def measure(font: str) -> Callable[[str], float]:
    """Width in 1/1000 em of a string in ``font``."""
    table = _width_table(font)
    return lambda s: sum(map(table.__getitem__, s))


def width(text: str, font: str, size: float) -> float:
    return measure(font)(text) * size / 1000


def wrap_units(text: str, limit: float, measure_fn: Callable[[str], float]) -> list[str]:
    """Greedy word wrap to ``limit`` (1/1000 em units); over-long words are broken."""
    if measure_fn(text) <= limit:
        return [text]
    space = measure_fn(" ")
    lines: list[str] = []
    cur: list[str] = []
    cur_w = 0.0
    for word in text.split(" "):
        ww = measure_fn(word)
        if cur and cur_w + space + ww <= limit:
            cur.append(word)
            cur_w += space + ww
            continue
        if cur:
            lines.append(" ".join(cur))
            cur, cur_w = [], 0.0
        if ww <= limit:
            cur, cur_w = [word], ww
            continue
        piece, pw = "", 0.0
        for ch in word:
            cw = measure_fn(ch)
            if piece and pw + cw > limit:
                lines.append(piece)
                piece, pw = "", 0.0
            piece += ch
            pw += cw
        cur, cur_w = [piece], pw
    if cur:
        lines.append(" ".join(cur))
    return lines


def wrap(text: str, font: str, size: float, max_width: float) -> tuple[str, tuple[str, ...]]:
    """(font actually used, lines) for ``text`` in a column ``max_width`` points wide. Empty
    text gives no lines."""
    if not text:
        return font, ()
    if (
        font != FALLBACK_NAME
        and text.isascii()
        and text.isprintable()
        and len(text) * _MAX_EM * size <= max_width * 1000
    ):
        return font, (text,)
    return _wrap_cached(text, font, size, max_width)


@lru_cache(maxsize=16384)
def _wrap_cached(
    text: str, font: str, size: float, max_width: float
) -> tuple[str, tuple[str, ...]]:
    """Log columns repeat (names, organizations, the narrative of one purpose over many
    searches), so wrapping is cached."""
    text = clean(text)
    if not text.isascii() and literal(text) is None:
        font = fallback_font() or font
        text = _fallback_text(text)
    return font, tuple(wrap_units(text, max_width * 1000 / size, measure(font)))


class PageBuffer:
    """Everything one page draws, written at ``flush`` in painter's order: shaded rectangles,
    rules, then text."""

    def __init__(self, canvas: Canvas) -> None:
        self.c = canvas
        self.shades: list[str] = []
        self.rules: list[str] = []
        self.runs: dict[tuple[str, float], list[str]] = {}
        self.slow: list[tuple[str, float, float, float, str]] = []

    def text(self, x: float, y: float, s: str, font: str = REGULAR, size: float = 7) -> None:
        """Draw one line of clean text with its baseline at ``y``."""
        if not s:
            return
        lit = literal(s) if font != FALLBACK_NAME else None
        if lit is None:
            self.slow.append((font, size, x, y, s))
            return
        run = self.runs.get((font, size))
        if run is None:
            run = self.runs[(font, size)] = []
        run.append(f"1 0 0 1 {x:.2f} {y:.2f} Tm ({lit}) Tj")

    def text_right(self, x_right: float, y: float, s: str, font: str = REGULAR,
                   size: float = 7) -> None:
        self.text(x_right - width(s, font, size), y, s, font, size)

    def shade(self, x: float, y: float, w: float, h: float) -> None:
        self.shades.append(f"{x:.2f} {y:.2f} {w:.2f} {h:.2f} re")

    def rule(self, x1: float, y1: float, x2: float, y2: float) -> None:
        self.rules.append(f"{x1:.2f} {y1:.2f} m {x2:.2f} {y2:.2f} l")

    def flush(self) -> None:
        c = self.c
        if self.shades:
            c.setFillGray(0.93)
            c.addLiteral("\n".join(self.shades) + "\nf")
            self.shades.clear()
        if self.rules:
            c.setStrokeGray(0.6)
            c.setLineWidth(0.4)
            c.addLiteral("\n".join(self.rules) + "\nS")
            self.rules.clear()
        c.setFillGray(0)
        for (font, size), ops in self.runs.items():
            c.setFont(font, size)
            c.addLiteral("BT\n" + "\n".join(ops) + "\nET")
        self.runs.clear()
        for font, size, x, y, s in self.slow:
            name = fallback_font()
            if name is None:
                c.setFont(REGULAR if font == FALLBACK_NAME else font, size)
                c.drawString(x, y, s.encode("cp1252", errors="replace").decode("cp1252"))
            else:
                c.setFont(name, size)
                c.drawString(x, y, _fallback_text(s))
        self.slow.clear()
