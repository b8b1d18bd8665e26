"""The import's fast paths agree with the reference paths they shortcut: the fixed-width time
parser with its per-hour cache (also across DST and against zoneinfo), the validator's inline
path against ``Validator.checked``, the reader's missing-marker shortcut, and the prepared and
one-statement inserts against ``executemany``."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alpr_desktop.core.clock import FixedClock
from alpr_desktop.core.models import Camera, NewRead
from alpr_desktop.ingest.delimited import _RAW_POSITIONAL, DelimitedReader, Mapping
from alpr_desktop.ingest.records import RawRecord, RejectError
from alpr_desktop.ingest.timeparse import make_parser
from alpr_desktop.ingest.validate import Validator
from alpr_desktop.storage import Store
from alpr_desktop.storage.reads import CameraRepo, ReadRepo, prepare_reads

FORMATS = ["MM/DD/YYYY - HH:mm:SS", "YYYY-MM-DD HH:mm:SS", "DD.MM.YY HH:mm",
           "MM/DD/YYYY hh:mm:SS AM/PM", "YYYYMMDD HHmmSS", "YYYY-MM-DD HH"]
ZONES = ["UTC", "America/Los_Angeles", "Europe/London", "Australia/Sydney",
         "America/St_Johns"]
# Days with a DST change in one of the zones (spring forward and fall back).
DST_DAYS = [(2025, 3, 9), (2025, 11, 2), (2025, 3, 30), (2025, 10, 26), (2025, 4, 6),
            (2025, 10, 5), (2024, 3, 10), (2024, 11, 3)]


def render(fmt: str, y: int, mo: int, d: int, h: int, mi: int, s: int) -> str:
    """Fixed-width text for a format, allowing out-of-range fields (invalid dates)."""
    hh = h % 12 or 12
    out = fmt.replace("YYYY", f"{y:04d}").replace("YY", f"{y % 100:02d}")
    out = out.replace("AM/PM", "PM" if h >= 12 else "AM").replace("DD", f"{d:02d}")
    out = out.replace("HH", f"{h:02d}").replace("hh", f"{hh:02d}").replace("mm", f"{mi:02d}")
    out = out.replace("SS", f"{s:02d}")
    return out.replace("MM", f"{mo:02d}")  # MM is the month, mm the minutes


def outcome(parse, text: str) -> int | str:  # type: ignore[no-untyped-def]
    try:
        return int(parse(text))
    except (ValueError, OverflowError):
        return "error"


fields_ = st.tuples(
    st.one_of(st.integers(1999, 2030), st.sampled_from([2000, 2024, 2100])),
    st.integers(0, 13), st.integers(0, 32), st.integers(0, 25), st.integers(0, 61),
    st.integers(0, 62),
)
mutations = st.one_of(
    st.just(""), st.sampled_from(["arabic", "space", "tab", "short", "lower", "sep", "blank"])
)
minute_or_second = st.one_of(st.integers(0, 62), st.sampled_from([0, 59, 60, 61, 62]))


def mutate(text: str, how: str, at: int) -> str:
    if not how or not text:
        return text
    i = at % len(text)
    if how == "arabic" and text[i].isdigit():
        return text[:i] + chr(0x0660 + int(text[i])) + text[i + 1 :]  # still a decimal digit
    if how == "space":
        return " " + text
    if how == "tab":
        return text.replace(" ", "\t", 1)
    if how in ("sep", "blank"):  # the last separator, or a digit near the end, changed
        j = max(k for k, ch in enumerate(text) if ch.isdigit() == (how == "blank"))
        return text[:j] + ("-" if how == "sep" else " ") + text[j + 1 :]
    if how == "short":
        return text[:i] + text[i + 1 :]
    return text.lower()


@settings(max_examples=300, deadline=None)
@given(fmt=st.sampled_from(FORMATS), tz=st.sampled_from(ZONES),
       base=fields_, minutes=st.lists(st.tuples(minute_or_second, minute_or_second,
                                                mutations, st.integers(0, 40)),
                                      min_size=1, max_size=8))
def test_fixed_width_path_agrees_with_the_reference(
    fmt: str, tz: str, base: tuple[int, ...], minutes: list[tuple[int, int, str, int]]
) -> None:
    parse = make_parser(fmt, tz)
    reference = parse.reference  # type: ignore[attr-defined]
    y, mo, d, h, mi0, s0 = base
    warm = render(fmt, y, mo, d, h, mi0, s0)  # caches the hour when it is a valid time
    assert outcome(parse, warm) == outcome(reference, warm)
    for mi, s, how, at in minutes:  # texts sharing the hour: cache hits
        text = render(fmt, y, mo, d, h, mi, s)
        for variant in {mutate(text, how, at), mutate(text, "sep", 0), mutate(text, "blank", 0)}:
            assert outcome(parse, variant) == outcome(reference, variant), variant


@settings(max_examples=300, deadline=None)
@given(fmt=st.sampled_from(FORMATS[:4]), tz=st.sampled_from(ZONES),
       day=st.sampled_from(DST_DAYS), offset_s=st.integers(0, 86399), twice=st.booleans())
def test_dst_days_match_zoneinfo(fmt: str, tz: str, day: tuple[int, int, int],
                                 offset_s: int, twice: bool) -> None:
    """Wall-clock times on DST-change days, parsed cold and from the cache, are what zoneinfo
    says (fold=0: the earlier offset of a repeated hour, the pre-change one in a gap)."""
    local = datetime(*day) + timedelta(seconds=offset_s)
    if "mm" in fmt:
        local = local.replace(second=0)
    parse = make_parser(fmt, tz)
    text = render(fmt, local.year, local.month, local.day, local.hour, local.minute,
                  local.second)
    if twice:  # warm the hour's cache entry with another minute first
        parse(render(fmt, local.year, local.month, local.day, local.hour,
                     (local.minute + 7) % 60, 0))
    expected = int(local.replace(tzinfo=ZoneInfo(tz)).timestamp())
    assert parse(text) == expected


def test_dst_edges_in_los_angeles() -> None:
    parse = make_parser("YYYY-MM-DD HH:mm:SS", "America/Los_Angeles")
    utc = ZoneInfo("UTC")

    def z(*a: int) -> int:
        return int(datetime(*a, tzinfo=utc).timestamp())

    for _ in range(2):  # cold, then cached
        assert parse("2025-03-09 01:59:59") == z(2025, 3, 9, 9, 59, 59)
        assert parse("2025-03-09 03:00:00") == z(2025, 3, 9, 10, 0, 0)
        assert parse("2025-11-02 01:30:00") == z(2025, 11, 2, 8, 30, 0)  # first 1:30 (PDT)
        assert parse("2025-11-02 02:00:00") == z(2025, 11, 2, 10, 0, 0)
    for bad in ("2025-02-29 01:00:00", "2025-02-28 24:00:00", "2025-02-28 01:60:00",
                "2025-13-01 01:00:00", "2025-02-28 01:00:6x"):
        with pytest.raises(ValueError):
            parse(bad)
    parse("2025-02-28 01:00:00")  # caches the hour; the bad minute must still be refused
    with pytest.raises(ValueError):
        parse("2025-02-28 01:60:00")


# -- validator: the inline path returns exactly what checked returns ---------------------------
NOW = FixedClock().now_ms() // 1000
texts = st.one_of(
    st.none(), st.just(""), st.sampled_from(["NA", " CA ", "toyota", "x" * 40, "y" * 201]),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12),
)
numbers = st.one_of(
    st.none(), st.sampled_from(["0", "0.0", " 12.5 ", "nan", "inf", "-1", "91", "181", "1e3",
                                "abc", "", "9" * 70, "100", "500", "500.1"]),
    st.floats(-200, 600).map(lambda f: f"{f:.5f}"), st.integers(-5, 5), st.floats(),
    st.booleans(),
)
times = st.one_of(
    st.integers(NOW - 10**9, NOW + 120).map(
        lambda t: datetime.fromtimestamp(t, ZoneInfo("UTC")).strftime("%Y-%m-%d %H:%M:%S")),
    st.sampled_from(["", "  ", "2025-01-02 03:04:05 ", "z" * 70, "1999-12-31 23:59:59"]),
    st.integers(NOW - 10, NOW + 100), st.none(),
)
plates = st.one_of(st.sampled_from(["7ABC123", "7abc123", "7-ABC 123", "A", "AB", "BAD#",
                                    "X" * 30, ""]), st.text(max_size=9), st.none())


GOOD = {"plate": "7ABC123", "time": "2025-06-01 12:00:00", "camera": "Gate 1",
        "latitude": "33.8", "longitude": "-118.2", "speed": "31.5", "confidence": "88.5",
        "vendor_id": "R-1", "location": "Main St", "state": "ca", "direction": "N",
        "make": "TOYOTA", "model": "", "color": None, "body_type": "SUV"}
HOSTILE = {"plate": plates, "time": times, "camera": texts, "latitude": numbers,
           "longitude": numbers, "speed": numbers, "confidence": numbers}


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changes=st.lists(
    st.sampled_from(list(GOOD)).flatmap(
        lambda f: st.tuples(st.just(f), HOSTILE.get(f, texts))), max_size=3))
def test_validator_fast_path_matches_checked(changes: list[tuple[str, object]]) -> None:
    """A good record with up to three fields made odd (or not): both paths say the same."""
    raw = RawRecord(1, **GOOD)  # type: ignore[arg-type]
    for name, value in changes:
        setattr(raw, name, value)
    v = Validator(FixedClock(), time_parser=make_parser("YYYY-MM-DD HH:mm:SS", "UTC"))

    def result(fn):  # type: ignore[no-untyped-def]
        try:
            return fn(dataclasses.replace(raw))
        except RejectError as exc:
            return (exc.reason, exc.column)

    assert result(v.validate) == result(v.checked)


# -- the reader's missing-marker shortcut ------------------------------------------------------
def test_raw_record_positions_match_the_dataclass() -> None:
    names = [f.name for f in dataclasses.fields(RawRecord)]
    assert tuple(names[1 : 1 + len(_RAW_POSITIONAL)]) == _RAW_POSITIONAL


@pytest.mark.parametrize("cell", ["NA", " NA ", "\u00a0N/A", "\tNULL", "", "  ", "na", " x ",
                                  "x", "N A"])
def test_missing_markers_with_and_without_padding(tmp_path: Path, cell: str) -> None:
    p = tmp_path / "x.csv"
    p.write_text(f"plate;datetime;camera;make;color\n7ABC123;2025-01-02T03:04:05;C;{cell};"
                 f"{cell}\n7ABC124;2025-01-02T03:04:05;C;HONDA;RED\n", encoding="utf-8")
    m = Mapping(columns={"plate": "plate", "datetime": "datetime", "camera": "camera",
                         "make": "make", "color": "color"}, delimiter=";")
    first, second = DelimitedReader(p, m).records()
    assert isinstance(first, RawRecord) and isinstance(second, RawRecord)
    expected = None if cell.strip() in {"", "NA", "N/A", "NULL"} else cell
    assert (first.make, first.color) == (expected, expected)
    assert (second.make, second.color) == ("HONDA", "RED")


# -- storage: prepared and one-statement inserts store what executemany stores ------------------
def _reads(camera_id: int) -> list[NewRead]:
    return [
        NewRead("7ABC123", 1_767_000_000, camera_id, state="CA", make="TOYOTA", speed=None,
                confidence=88.5, source="delimited", vendor_read_id="k1"),
        NewRead("8XYZ999", 1_767_000_001, camera_id, direction="N", model="Ünïcødé \u2603",
                color="", body_type="SUV", speed=31.25, confidence=0.0, source="delimited",
                vendor_read_id="k2"),
        NewRead("7ABC123", 1_767_000_002, camera_id, speed=0.0, confidence=100.0,
                source="delimited", vendor_read_id="k1"),  # repeats k1 in the batch
        NewRead("5OB8", 1_767_000_003, camera_id, source="delimited", vendor_read_id="k3"),
    ]


def _table(store: Store) -> list[tuple]:
    return store.query(
        "SELECT r.id, r.plate, p.plate_norm, r.state, r.recorded_at, r.camera_id, r.direction, "
        "r.make, r.model, r.color, r.body_type, r.speed, typeof(r.speed), r.confidence, "
        "typeof(r.confidence), r.candidates, r.source, r.vendor_read_id "
        "FROM reads r JOIN plates p ON p.id = r.plate_id ORDER BY r.id"
    )


@dataclasses.dataclass
class _Rec:
    """A NewRead with the camera's name, as the import's records carry it."""

    read: NewRead
    norm: str
    camera_name: str

    def __getattr__(self, name: str) -> object:
        return getattr(self.read, name)


def test_insert_paths_store_the_same_rows(tmp_path: Path) -> None:
    import os

    from alpr_desktop.storage import create_store

    tables = []
    results = []
    for how in ("executemany", "one_statement", "prepared"):
        store = create_store(tmp_path / f"{how}.alprdb", os.urandom(32))
        cam = CameraRepo(store).add(Camera(None, "Gate"))
        repo = ReadRepo(store)
        for attempt in range(2):  # the second run finds every read already stored
            reads = _reads(cam)
            if how == "prepared":
                recs = [_Rec(r, r.plate, "Gate") for r in reads]
                ids, skipped = repo.insert_prepared(
                    prepare_reads(recs, plate_norm="norm", camera_name="camera_name"))
                results.append((attempt, ids, sorted(skipped)))
            else:
                ids = repo.insert_many(reads, one_statement=how == "one_statement")
                results.append((attempt, ids, None))
        tables.append(_table(store))
        store.close()
    assert tables[0] == tables[1] == tables[2]
    assert len(tables[0]) == 3  # k1 once
    by_how = [results[i:i + 2] for i in (0, 2, 4)]
    assert [ids for _, ids, _ in by_how[0]] == [ids for _, ids, _ in by_how[1]]
    assert [ids for _, ids, _ in by_how[0]] == [ids for _, ids, _ in by_how[2]]
    assert [sk for _, _, sk in by_how[2]] == [[2], [0, 1, 2, 3]]


def test_prepare_refuses_alternates(store: Store) -> None:
    r = NewRead("7ABC123", 1, 1, candidates=(("7A8C123", 50.0),))
    with pytest.raises(ValueError, match="alternates"):
        prepare_reads([_Rec(r, "7ABC123", "Gate")], plate_norm="norm", camera_name="camera_name")
