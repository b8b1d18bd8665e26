"""Date-time formats as contractors write them (``MM/DD/YYYY - HH:mm:SS``), to UTC seconds.

strptime costs several microseconds a row, too slow for a million-row export. ``MM`` is the
month and ``mm`` the minutes, always: ``MM`` after an hour is refused with a sentence saying
to write ``mm`` (mappings saved before the two were told apart are upgraded when loaded,
``upgrade_minutes``). Token formats compile to one regular
expression; the local time's UTC offset is looked up once per local hour (DST changes on hour
boundaries).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ISO8601 = "iso8601"
EPOCH_S = "epoch_s"
EPOCH_MS = "epoch_ms"
SPECIAL_FORMATS = (ISO8601, EPOCH_S, EPOCH_MS)
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()

# Longest first. MM is the month and mm the minutes.
_TOKENS: tuple[tuple[str, str], ...] = (
    ("YYYY", r"(?P<Y>\d{4})"),
    ("AM/PM", r"(?P<P>[AaPp][Mm])"),
    ("AMPM", r"(?P<P>[AaPp][Mm])"),
    ("YY", r"(?P<y>\d{2})"),
    ("MM", ""),
    ("mm", r"(?P<i>\d{1,2})"),
    ("DD", r"(?P<d>\d{1,2})"),
    ("HH", r"(?P<H>\d{1,2})"),
    ("hh", r"(?P<h>\d{1,2})"),
    ("SS", r"(?P<s>\d{1,2})"),
    ("ss", r"(?P<s>\d{1,2})"),
    ("FFF", r"(?P<f>\d{1,9})"),
    ("fff", r"(?P<f>\d{1,9})"),
)

TimeParser = Callable[[str], int]


class FormatError(ValueError):
    """A date-time format or time zone the import does not understand."""


def zone(name: str) -> ZoneInfo:
    """The zone named ``name``; FormatError for anything else, including a name typed half
    way ("America" is a folder of the zone database, which ZoneInfo answers with OSError)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError, UnicodeError):
        raise FormatError(f"unknown time zone {name!r}") from None


def _scan(fmt: str) -> list[tuple[str, str]]:
    """A token format as (group, regex) parts; a literal character is ('', its regex)."""
    parts: list[tuple[str, str]] = []
    seen: set[str] = set()
    hour_seen = False
    i = 0
    while i < len(fmt):
        for tok, rx in _TOKENS:
            if fmt.startswith(tok, i):
                if tok == "MM":
                    if hour_seen:
                        raise FormatError(
                            f"{fmt!r} has MM after the hour: MM is the month; write the "
                            "minutes as mm (for example HH:mm:SS)"
                        )
                    rx = r"(?P<m>\d{1,2})"
                group = rx[4]
                if group in seen:
                    raise FormatError(f"{tok} appears twice in {fmt!r}")
                seen.add(group)
                hour_seen = hour_seen or tok in ("HH", "hh")
                parts.append((group, rx))
                i += len(tok)
                break
        else:
            ch = fmt[i]
            parts.append(("", r"\s+" if ch.isspace() else re.escape(ch)))
            i += 1
    if not ({"Y", "y"} & seen and "m" in seen and "d" in seen):
        raise FormatError(f"{fmt!r} needs a year (YYYY), month (MM) and day (DD)")
    if "h" in seen and "P" not in seen:
        raise FormatError(f"{fmt!r} uses a 12-hour clock (hh) without AM/PM")
    return parts


_HOUR_THEN_MM = re.compile(r"([Hh]{2}[^A-Za-z]*)MM")


def upgrade_minutes(fmt: str) -> str:
    """A format saved when ``MM`` after the hour meant minutes, written with ``mm``."""
    if "%" in fmt or fmt in SPECIAL_FORMATS:
        return fmt
    return _HOUR_THEN_MM.sub(r"\1mm", fmt)


_EXAMPLE_TOKENS = (("YYYY", "2025"), ("AM/PM", "AM"), ("AMPM", "AM"), ("YY", "25"),
                   ("MM", "03"), ("mm", "05"), ("DD", "14"), ("HH", "08"), ("hh", "08"),
                   ("SS", "09"), ("ss", "09"), ("FFF", "000"), ("fff", "000"))
_EXAMPLE = datetime(2025, 3, 14, 8, 5, 9)


def example_time(fmt: str) -> str:
    """14 March 2025, 08:05:09 written in ``fmt`` (for "the format the import expected")."""
    if fmt == ISO8601:
        return _EXAMPLE.isoformat()
    if fmt == EPOCH_S:
        return str(int(_EXAMPLE.replace(tzinfo=UTC).timestamp()))
    if fmt == EPOCH_MS:
        return str(int(_EXAMPLE.replace(tzinfo=UTC).timestamp()) * 1000)
    if "%" in fmt:
        try:
            return _EXAMPLE.strftime(fmt)
        except ValueError:
            return fmt
    out, i = [], 0
    while i < len(fmt):
        for tok, value in _EXAMPLE_TOKENS:
            if fmt.startswith(tok, i):
                out.append(value)
                i += len(tok)
                break
        else:
            out.append(fmt[i])
            i += 1
    return "".join(out)


def compile_tokens(fmt: str) -> re.Pattern[str]:
    """The regular expression for a token format such as ``MM/DD/YYYY - HH:mm:SS``."""
    return re.compile(r"\s*" + "".join(rx for _, rx in _scan(fmt)) + r"\s*\Z")


# Fixed widths of the tokens in the fast path's template: two digits for every 1-2 digit
# field, as exports write them ('03', not '3'). Fractions vary in width: no fast path.
_WIDTH = {"Y": 4, "y": 2, "m": 2, "d": 2, "H": 2, "h": 2, "i": 2, "s": 2, "P": 2}
_TEMPLATE_RX = {"Y": r"\d{4}", "P": "[AaPp][Mm]"}


class _FixedWidth:
    """The fast path of a token format, for text written exactly in the format's fixed-width
    form (``01/02/2025 - 03:04:05``): the UTC start of the hour is cached under the text with
    its minutes and seconds cut out, so a hit costs a slice, a dict probe and two ints.

    Only the regular-expression path fills the cache, after it parsed the text, so a hit
    means an earlier text with the very same characters outside the minutes and seconds was
    parsed there; the two texts' fields then differ only in minutes and seconds, which are
    checked here as the regular expression would (Unicode decimal digits, then ranges)."""

    MAX_ENTRIES = 200_000

    def __init__(self, parts: list[tuple[str, str]]) -> None:
        self.usable = False
        if any(g == "f" for g, _ in parts):
            return
        laid: list[tuple[str, str, int]] = []  # (group, fixed-width regex, position)
        n = 0
        for group, part_rx in parts:
            if group:
                laid.append((group, _TEMPLATE_RX.get(group, r"\d\d"), n))
                n += _WIDTH[group]
            else:  # a literal: white space must be the format's own character here
                laid.append(("", re.escape(" ") if part_rx == r"\s+" else part_rx, n))
                n += 1
        pos = {g: p for g, _, p in laid if g}
        span = [g for g in ("i", "s") if g in pos]
        cut = min((pos[g] for g in span), default=n)
        end = max((pos[g] + 2 for g in span), default=n)
        inside = [g for g, _, p in laid if g and cut <= p < end]
        if sorted(inside) != sorted(span):  # another field between minutes and seconds
            return
        self.length, self.cut, self.end = n, cut, end
        self.template = re.compile("".join(r for _, r, _ in laid))
        self.span = re.compile("".join(r for _, r, p in laid if cut <= p < end))
        self.i, self.s = pos.get("i"), pos.get("s")
        self.hours: dict[str, int] = {}
        self.usable = True

    def key(self, text: str) -> str:
        return text[: self.cut] + text[self.end :] if self.end < self.length else text[: self.cut]

    def seconds(self, text: str) -> tuple[int, int]:
        i, s = self.i, self.s
        return (int(text[i : i + 2]) if i is not None else 0,
                int(text[s : s + 2]) if s is not None else 0)

class _LocalToUtc:
    """Wall-clock fields in ``tz`` to UTC seconds. The UTC start of each local hour is cached
    (offsets change only on hour boundaries in the zones this program serves)."""

    def __init__(self, tz: ZoneInfo) -> None:
        self.tz = tz
        self.utc = tz.key in ("UTC", "Etc/UTC", "Etc/GMT", "GMT")
        self._hours: dict[tuple[int, int, int, int], int] = {}

    def hour_start(self, y: int, mo: int, d: int, h: int) -> int:
        key = (y, mo, d, h)
        start = self._hours.get(key)
        if start is None:
            if not 0 <= h < 24:
                raise ValueError("hour out of range")
            days = date(y, mo, d).toordinal() - _EPOCH_ORDINAL  # validates the date
            off = 0
            if not self.utc:
                delta = datetime(y, mo, d, h, 30, tzinfo=self.tz).utcoffset()
                off = int((delta or timedelta(0)).total_seconds())
            start = days * 86400 + h * 3600 - off
            if len(self._hours) > 200_000:
                self._hours.clear()
            self._hours[key] = start
        return start

    def __call__(self, y: int, mo: int, d: int, h: int, mi: int, s: int) -> int:
        if not (0 <= mi < 60 and 0 <= s < 61):
            raise ValueError("time of day out of range")
        return self.hour_start(y, mo, d, h) + mi * 60 + min(s, 59)


def _token_parser(fmt: str, tz: ZoneInfo) -> TimeParser:
    parts = _scan(fmt)
    rx = re.compile(r"\s*" + "".join(r for _, r in parts) + r"\s*\Z")
    to_utc = _LocalToUtc(tz)
    match = rx.match
    gi = {k: v - 1 for k, v in rx.groupindex.items()}
    iy4, iy2, imo, iday = gi.get("Y"), gi.get("y"), gi["m"], gi["d"]
    ih24, ih12, iap = gi.get("H"), gi.get("h"), gi.get("P")
    imi, isec = gi.get("i"), gi.get("s")

    def reference(text: str) -> int:
        m = match(text)
        if m is None:
            raise ValueError("does not match the format")
        g = m.groups()
        year = int(g[iy4]) if iy4 is not None else 2000 + int(g[iy2])  # type: ignore[index]
        if ih12 is not None:
            hour = int(g[ih12])
            if not 1 <= hour <= 12:
                raise ValueError("12-hour clock out of range")
            hour = hour % 12 + (12 if g[iap].upper() == "PM" else 0)  # type: ignore[index]
        else:
            hour = int(g[ih24]) if ih24 is not None else 0
        return to_utc(
            year, int(g[imo]), int(g[iday]), hour,
            int(g[imi]) if imi is not None else 0, int(g[isec]) if isec is not None else 0,
        )

    fixed = _FixedWidth(parts)
    if not fixed.usable:
        return reference
    length, hours, key_of, seconds = fixed.length, fixed.hours, fixed.key, fixed.seconds
    cut, end = fixed.cut, fixed.end
    span_ok, template_ok = fixed.span.fullmatch, fixed.template.fullmatch

    def parse(text: str) -> int:
        if len(text) == length:
            start = hours.get(key_of(text))
            if start is not None and span_ok(text, cut, end) is not None:
                mi, sec = seconds(text)
                if mi < 60 and sec < 61:
                    return start + mi * 60 + min(sec, 59)
        ts = reference(text)
        if len(text) == length and template_ok(text) is not None:
            mi, sec = seconds(text)
            if len(hours) >= fixed.MAX_ENTRIES:
                hours.clear()
            hours[key_of(text)] = ts - mi * 60 - min(sec, 59)
        return ts

    parse.reference = reference  # type: ignore[attr-defined]  # for the tests
    return parse


def _iso_parser(tz: ZoneInfo) -> TimeParser:
    def parse(text: str) -> int:
        dt = datetime.fromisoformat(text.strip())
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=tz)
        return int(dt.astimezone(UTC).timestamp())

    return parse


def _epoch_parser(scale: int) -> TimeParser:
    def parse(text: str) -> int:
        value = float(text)
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError("not a finite number")
        return int(value // scale)

    return parse


def _strptime_parser(fmt: str, tz: ZoneInfo) -> TimeParser:
    def parse(text: str) -> int:
        dt = datetime.strptime(text.strip(), fmt)
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=tz)
        return int(dt.astimezone(UTC).timestamp())

    return parse


def make_parser(fmt: str, tz_name: str = "UTC") -> TimeParser:
    """A function from text to UTC seconds that raises ValueError on text that does not fit.

    ``fmt`` is ``iso8601``, ``epoch_s``, ``epoch_ms``, a strptime format (contains ``%``) or
    a token format (YYYY YY MM DD HH hh mm SS FFF AM/PM; MM is the month, mm the minutes);
    ``tz_name`` is the zone of
    times written without an offset."""
    tz = zone(tz_name)
    if fmt == ISO8601:
        return _iso_parser(tz)
    if fmt == EPOCH_S:
        return _epoch_parser(1)
    if fmt == EPOCH_MS:
        return _epoch_parser(1000)
    if "%" in fmt:
        return _strptime_parser(fmt, tz)
    return _token_parser(fmt, tz)
