"""What an import expected, with an example, for a file whose every record was refused for one
reason: the usual cause is a file of another layout (a wrong mapping, a wrong date format, the
wrong vendor), and the user needs to see what a good row looks like, not only the reason.
The example is made up (no value from the file: it may hold plates)."""

from __future__ import annotations

import csv
import io

from alpr_desktop.ingest.delimited import FIELDS, Mapping
from alpr_desktop.ingest.timeparse import example_time

_EXAMPLES = {
    "plate": "7ABC123", "camera": "CAR-01 Avalon/Carson NB", "state": "CA", "direction": "NB",
    "make": "Toyota", "model": "Camry", "color": "Silver", "body_type": "Sedan",
    "speed": "35", "confidence": "91.5", "latitude": "33.8303", "longitude": "-118.2820",
    "location": "Avalon & Carson", "vendor_id": "A-000123", "crop_image": "crops/000123.jpg",
    "overview_image": "scenes/000123.jpg", "plate_x": "412", "plate_y": "288",
    "plate_width": "96", "plate_height": "40", "camera_id": "CAM-0001",
}
OPENALPR_EXAMPLE = (
    '{"data_type": "alpr_group", "best_uuid": "c0ffee-0001", "epoch_start": 1741939509000, '
    '"camera_id": 1, "web_server_config": {"camera_label": "CAR-01 Avalon/Carson NB"}, '
    '"best_plate": {"plate": "7ABC123", "confidence": 91.5, "region": "us-ca"}, '
    '"gps_latitude": 33.8303, "gps_longitude": -118.282}'
)
GENETEC_EXAMPLE = (
    "<Read><Plate>7ABC123</Plate><State>CA</State><UTCDate>2025-03-14</UTCDate>"
    "<UTCTime>15:05:09</UTCTime><CameraName>CAR-01</CameraName></Read>"
)


def _example_row(mapping: Mapping) -> tuple[list[str], list[str]]:
    header, row = [], []
    for f in FIELDS:
        col = mapping.columns.get(f)
        if col is None:
            continue
        header.append(col)
        if f == "datetime":
            row.append(example_time(mapping.datetime_format))
        elif f in ("date", "time"):
            text = example_time(mapping.datetime_format)
            day, _, clock = text.partition(" ")
            row.append(day if f == "date" else (clock or text))
        else:
            row.append(_EXAMPLES.get(f, ""))
    return header, row


def expected_format(fmt: str, mapping: Mapping | None) -> str:
    """A sentence naming the layout the import expected, then an example (one or two lines)."""
    if fmt == "openalpr":
        return ("The import expected OpenALPR alpr_group JSON (one object per line, or an "
                "array). Example:\n" + OPENALPR_EXAMPLE)
    if fmt == "genetec":
        return "The import expected Genetec AutoVu XML reads. Example:\n" + GENETEC_EXAMPLE
    if mapping is None:
        return "The import expected delimited text with a column mapping."
    header, row = _example_row(mapping)
    out = io.StringIO()
    w = csv.writer(out, delimiter=mapping.delimiter or ",", lineterminator="\n")
    if mapping.has_header:
        w.writerow(header)
    w.writerow(row)
    cols = ", ".join(f"{f} = {c!r}" for f, c in mapping.columns.items())
    return (f"The import expected delimited text with the columns {cols}, dates and times as "
            f"{mapping.datetime_format} ({mapping.zone_name}). Example:\n"
            + out.getvalue().rstrip("\n"))
