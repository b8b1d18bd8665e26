"""Delimited text (comma, tab, pipe, semicolon) with a named column mapping.

The delimiter is detected from the first 64 KiB unless the mapping or the user sets it. A line
longer than ``MAX_LINE`` is never held in memory whole and a field over the csv module's limit
(128 KiB) is refused: both become rejects and reading goes on. Columns the mapping does not
name are ignored.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import TextIO

from alpr_desktop.core.clock import SITE_ZONE
from alpr_desktop.ingest.records import FileRefused, ImageRef, RawRecord, Reason, Reject
from alpr_desktop.ingest.timeparse import ISO8601, FormatError, TimeParser, make_parser

SITE_ZONE_NAME = SITE_ZONE.key  # America/Los_Angeles: times without a zone are the site's
DELIMITERS = (",", "\t", "|", ";")
DELIMITER_NAMES = {"comma": ",", "tab": "\t", "pipe": "|", "semicolon": ";"}
SNIFF_BYTES = 64 * 1024
MAX_LINE = 1024 * 1024

# The read fields a mapping can fill. 'datetime' is one column, or 'date' and 'time' two.
FIELDS = (
    "plate", "datetime", "date", "time", "camera", "state", "direction", "make", "model",
    "color", "body_type", "speed", "confidence", "latitude", "longitude", "location",
    "vendor_id", "crop_image", "overview_image",
    "plate_x", "plate_y", "plate_width", "plate_height",  # the plate's box in the overview
    "camera_id",  # the vendor's own id of the camera, so a renamed camera is still matched
)
# A camera id from a mapped export is stored with this prefix (cameras.vendor_id is one
# namespace for every format: OpenALPR's ids are 'openalpr:<id>').
CAMERA_ID_PREFIX = "delimited:"
BOX_FIELDS = ("plate_x", "plate_y", "plate_width", "plate_height")
# RawRecord's fields that a delimited row can fill, in constructor order after ``line``.
_RAW_POSITIONAL = (
    "plate", "time", "camera", "state", "direction", "make", "model", "color", "body_type",
    "speed", "confidence", "latitude", "longitude", "location", "vendor_id",
)
_PLAIN_FIELDS = (
    "plate", "camera", "state", "direction", "make", "model", "color", "body_type", "speed",
    "confidence", "latitude", "longitude", "location", "vendor_id",
)


@dataclass(frozen=True)
class Mapping:
    """How one contractor export's columns become a read. Saved by name as a preset."""

    name: str = ""
    columns: dict[str, str] = field(default_factory=dict)  # field -> header (or '#3')
    datetime_format: str = ISO8601
    # The zone of times written without an offset; '' (none named): the site's zone, which
    # the import summary then says it assumed.
    timezone: str = ""
    delimiter: str | None = None  # None: detect
    missing: tuple[str, ...] = ("", "NA", "N/A", "NULL")
    encoding: str = "utf-8-sig"
    has_header: bool = True
    camera: str = ""  # camera name for every row when the export has no camera column

    def problems(self) -> list[str]:
        """What keeps this mapping from being used; empty when it can be."""
        out = [f"unknown field {f!r}" for f in self.columns if f not in FIELDS]
        if "plate" not in self.columns:
            out.append("no column for the plate")
        if "datetime" not in self.columns and not {"date", "time"} <= self.columns.keys():
            out.append("no column for the date and time (one 'datetime', or 'date' and 'time')")
        if "camera" not in self.columns and not self.camera.strip():
            out.append("no camera column and no fixed camera name")
        boxed = [f for f in BOX_FIELDS if f in self.columns]
        if boxed and len(boxed) != len(BOX_FIELDS):
            out.append("the plate box needs all four columns (plate_x, plate_y, plate_width, "
                       "plate_height)")
        if self.delimiter is not None and self.delimiter not in DELIMITERS:
            out.append(f"delimiter {self.delimiter!r} is not one of comma, tab, pipe, semicolon")
        try:
            make_parser(self.datetime_format, self.zone_name)
        except FormatError as exc:
            out.append(str(exc))
        try:
            "".encode(self.encoding)
        except LookupError:
            out.append(f"unknown encoding {self.encoding!r}")
        return out

    @property
    def zone_name(self) -> str:
        """The zone times without an offset are read in: the mapping's, else the site's."""
        return self.timezone.strip() or SITE_ZONE_NAME

    def to_json(self) -> str:
        d = asdict(self)
        d["missing"] = list(self.missing)
        return json.dumps(d, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Mapping:
        d = json.loads(text)
        if not isinstance(d, dict):
            raise ValueError("a mapping is a JSON object")
        known = {k: v for k, v in d.items() if k in cls.__dataclass_fields__}
        if "missing" in known:
            known["missing"] = tuple(str(m) for m in known["missing"])
        if "columns" in known:
            known["columns"] = {str(k): str(v) for k, v in dict(known["columns"]).items()}
        return cls(**known)

    def fingerprint(self) -> str:
        """Identifies what the mapping does (not its name): a changed mapping re-reads a file."""
        d = json.loads(self.to_json())
        d.pop("name", None)
        return hashlib.sha256(json.dumps(d, sort_keys=True).encode()).hexdigest()[:16]


def detect_delimiter(sample: str) -> str:
    """The candidate giving the most rows with the same field count (more than one field)."""
    lines = sample.splitlines()
    if len(lines) > 1 and not sample.endswith(("\n", "\r")):
        lines = lines[:-1]  # the sample cut the last line
    lines = lines[:50]
    best, best_score = ",", (0.0, 0)
    for d in DELIMITERS:
        try:
            counts = [len(r) for r in csv.reader(lines, delimiter=d) if r]
        except csv.Error:
            continue
        if not counts:
            continue
        width, freq = Counter(counts).most_common(1)[0]
        if width < 2:
            continue
        score = (freq / len(counts), width)
        if score > best_score:
            best, best_score = d, score
    return best


class _Lines:
    """Physical lines capped at MAX_LINE; an over-long line is consumed in pieces, replaced by
    a blank line (so line numbers stay right) and remembered as a reject."""

    def __init__(self, fh: TextIO, cap: int = MAX_LINE) -> None:
        self.fh = fh
        self.cap = cap
        self.n = 0
        self.overlong: list[int] = []

    def __iter__(self) -> Iterator[str]:
        readline, cap = self.fh.readline, self.cap
        while True:
            line = readline(cap)
            if not line:
                return
            self.n += 1
            if len(line) >= cap and not line.endswith("\n"):
                while True:
                    more = readline(cap)
                    if not more or more.endswith("\n"):
                        break
                self.overlong.append(self.n)
                line = "\n"
            yield line


def _open_text(path: Path, encoding: str) -> TextIO:
    # errors='replace': a bad byte becomes U+FFFD, which validation refuses in a plate.
    # A 1 MiB buffer: each refill is a read() that lets the GIL go, and getting it back from
    # the import's writer thread can take a switch interval (5 ms); 8 KiB refills did that
    # every ~70 rows.
    return open(path, encoding=encoding, errors="replace", newline="", buffering=1 << 20)


class DelimitedReader:
    """Yields a RawRecord or a Reject per data row, with the row's first physical line."""

    format = "delimited"

    def __init__(self, path: Path, mapping: Mapping, *, delimiter: str | None = None) -> None:
        problems = mapping.problems()
        if problems:
            raise FileRefused("The mapping cannot be used: " + "; ".join(problems) + ".")
        self.path = Path(path)
        self.mapping = mapping
        self.time_parser: TimeParser = make_parser(mapping.datetime_format, mapping.zone_name)
        with _open_text(self.path, mapping.encoding) as fh:
            sample = fh.read(SNIFF_BYTES)
        self.delimiter = delimiter or mapping.delimiter or detect_delimiter(sample)
        self.columns: dict[str, str] = dict(mapping.columns)  # field -> column, for rejects
        cols = mapping.columns
        self.columns["time"] = cols.get("datetime") or f"{cols.get('date')}+{cols.get('time')}"

    def _index(self, header: list[str] | None) -> dict[str, int]:
        out: dict[str, int] = {}
        names = [h.strip() for h in header] if header is not None else []
        for fld, col in self.mapping.columns.items():
            if col.startswith("#") and col[1:].isdigit():
                out[fld] = int(col[1:]) - 1
            elif col in names:
                out[fld] = names.index(col)
            else:
                folded = [n.casefold() for n in names]
                if col.strip().casefold() not in folded:
                    raise FileRefused(
                        f"{self.path.name} has no column {col!r} (mapped to {fld})."
                    )
                out[fld] = folded.index(col.strip().casefold())
        return out

    def records(self) -> Iterator[RawRecord | Reject]:
        name = self.path.name
        with _open_text(self.path, self.mapping.encoding) as fh:
            lines = _Lines(fh)
            reader = csv.reader(iter(lines), delimiter=self.delimiter)
            header: list[str] | None = None
            if self.mapping.has_header:
                try:
                    header = next(reader)
                except StopIteration:
                    return
                except csv.Error:
                    raise FileRefused(f"{name}: the header line cannot be read.") from None
            yield from self._rows(reader, lines, self._index(header), name)

    def _rows(
        self, reader: Iterator[list[str]], lines: _Lines, idx: dict[str, int], name: str
    ) -> Iterator[RawRecord | Reject]:
        """The hot loop of a delimited import: per row, C-level picks (itemgetter), strips and
        a set test for missing markers; a Python loop over values only when one is there."""
        missing = frozenset(m.strip() for m in self.mapping.missing)
        plain_names = [f for f in _PLAIN_FIELDS if f in idx]
        names = list(plain_names)
        if "datetime" in idx:
            names.append("datetime")
        else:
            names += ["date", "time"]
        cols = [idx[f] for f in names]
        pick = itemgetter(*cols)  # two columns at least: a plate and a time
        # RawRecord's positional fields after ``line``, each taken from the picked values or,
        # when unmapped, from the None appended after them.
        where = {f: i for i, f in enumerate(names)}
        date_time = (where["date"], where["time"]) if "datetime" not in idx else None
        where["time"] = where.get("datetime", len(names))  # date + time: joined below
        arrange = itemgetter(*(where.get(f, len(names)) for f in _RAW_POSITIONAL))
        img_cols = [(k, idx[f], self.columns[f]) for f, k in
                    (("crop_image", "crop"), ("overview_image", "overview")) if f in idx]
        fixed_camera = self.mapping.camera.strip() or None
        box_cols = [idx[f] for f in BOX_FIELDS] if all(f in idx for f in BOX_FIELDS) else []
        cam_id_col = idx.get("camera_id")
        need = max([*cols, *(i for _, i, _ in img_cols), *box_cols,
                    *([cam_id_col] if cam_id_col is not None else [])], default=0) + 1
        strip, isdisjoint = str.strip, missing.isdisjoint
        overlong = lines.overlong
        start = lines.n + 1
        while True:
            try:
                for row in reader:
                    line, start = start, lines.n + 1
                    while overlong and overlong[0] < start:
                        yield Reject(name, overlong.pop(0), Reason.FIELD_TOO_LARGE)
                    n = len(row)
                    if n < need:
                        if n == 0 or (n == 1 and not row[0].strip()):
                            continue
                        row += [""] * (need - n)  # a short row: missing cells are missing
                    vals = pick(row)
                    stripped = tuple(map(strip, vals))  # strip returns unpadded values as is
                    if stripped == vals:
                        if not isdisjoint(vals):
                            vals = tuple([None if v in missing else v for v in vals])
                    elif not isdisjoint(stripped):
                        vals = tuple([None if s in missing else v
                                      for v, s in zip(vals, stripped, strict=True)])
                    rec = RawRecord(line, *arrange((*vals, None)))
                    if date_time is not None:
                        dv, tv = vals[date_time[0]], vals[date_time[1]]
                        rec.time = f"{dv} {tv}" if dv is not None and tv is not None else None
                    if rec.camera is None and fixed_camera:
                        rec.camera = fixed_camera
                    for kind, i, col in img_cols:
                        p = row[i].strip()
                        if p and p not in missing:
                            rec.images.append(ImageRef(kind, path=p, column=col))
                    if box_cols:
                        x, y, w, h = (row[i].strip() for i in box_cols)
                        rec.bbox = (x, y, w, h)
                    if cam_id_col is not None:
                        cid = row[cam_id_col].strip()
                        if cid and cid not in missing:
                            rec.camera_vendor_id = CAMERA_ID_PREFIX + cid
                    yield rec
                return
            except csv.Error as exc:
                too_big = "field limit" in str(exc)
                yield Reject(name, start, Reason.FIELD_TOO_LARGE if too_big else Reason.MALFORMED)
                start = lines.n + 1


def read_header(
    path: Path, mapping: Mapping, delimiter: str | None = None
) -> tuple[str, list[str]]:
    """(delimiter, header names) for the wizard's column pickers."""
    with _open_text(Path(path), mapping.encoding) as fh:
        sample = fh.read(SNIFF_BYTES)
    delim = delimiter or mapping.delimiter or detect_delimiter(sample)
    try:
        first = next(csv.reader(io.StringIO(sample), delimiter=delim), [])
    except csv.Error:
        first = []
    return delim, [h.strip() for h in first]
