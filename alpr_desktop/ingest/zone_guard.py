"""The re-import guard for mappings without a time zone (issue 16).

Until the site's zone became the rule, a mapping that named no zone read times written
without an offset as UTC. A delimited read is stored under a key made of its plate, camera
and time, so the same file imported again under today's rule gets other keys (its times
shifted by the site's offset) and every read would be stored a second time, hours apart.
The file's own record does not always catch it: a mapping saved before later changes to the
mapping format has another fingerprint, so the file is read again.

So before a file is read with such a mapping, its first records are keyed both ways and
looked up: if reads of the file are in the store as the old rule read them, and not as
today's rule reads them, the file is refused with what to do. Reads whose time carries its
own offset key the same both ways and say nothing."""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path

from alpr_desktop.core.clock import Clock
from alpr_desktop.ingest.batches import read_key
from alpr_desktop.ingest.delimited import SITE_ZONE_NAME, DelimitedReader, Mapping
from alpr_desktop.ingest.records import FileRefused, Reject, RejectError
from alpr_desktop.ingest.timeparse import make_parser
from alpr_desktop.ingest.validate import Validator
from alpr_desktop.storage.protocols import ImportStateRepository

SAMPLE = 2000  # records looked at: the start of the file, where an earlier import began
OLD_ZONE = "UTC"  # what a mapping without a zone meant before the site's zone was the rule


@dataclass(frozen=True)
class ZoneCheck:
    looked_at: int  # records whose time the two rules read differently
    old_rule: int  # of those, stored as the old rule read them
    new_rule: int  # of those, stored as today's rule reads them


def check_zone_reimport(path: Path, mapping: Mapping, delimiter: str | None, clock: Clock,
                        state: ImportStateRepository) -> ZoneCheck:
    """Key the first records of ``path`` as today's rule and as the old one read them, and
    count which are in the store. Only for a mapping that names no zone."""
    reader = DelimitedReader(path, mapping, delimiter=delimiter)
    old_parse = make_parser(mapping.datetime_format, OLD_ZONE)
    validator = Validator(clock, time_parser=reader.time_parser, check_images=False)
    now_keys: list[str] = []
    old_keys: list[str] = []
    for item in islice(reader.records(), SAMPLE):
        if isinstance(item, Reject):
            continue
        try:
            rec = validator.validate(item)
            old_t = old_parse(str(item.time))
        except (RejectError, ValueError, OverflowError):
            continue
        if old_t == rec.recorded_at:
            continue  # the time has its own offset: both rules read it alike
        now_keys.append(read_key("delimited", rec))
        old_keys.append(read_key("delimited", replace(rec, recorded_at=old_t)))
    if not now_keys:
        return ZoneCheck(0, 0, 0)
    old = state.existing_vendor_ids("delimited", old_keys)
    new = state.existing_vendor_ids("delimited", now_keys)
    return ZoneCheck(len(now_keys), len(old), len(new))


def guard_zone_reimport(path: Path, mapping: Mapping, delimiter: str | None, clock: Clock,
                        state: ImportStateRepository) -> None:
    """Refuse (FileRefused, nothing stored) a file whose reads are in the store as the old
    rule read them: importing it under today's would store them again, shifted."""
    if mapping.timezone.strip():
        return
    found = check_zone_reimport(path, mapping, delimiter, clock, state)
    if found.old_rule == 0 or found.new_rule >= found.old_rule:
        return
    raise FileRefused(
        f"{Path(path).name} was imported before, when a mapping without a time zone read "
        f"times written without an offset as UTC ({found.old_rule:,} of its first "
        f"{found.looked_at:,} reads are in the store that way). Read now in the site's zone, "
        f"{SITE_ZONE_NAME}, every read would be stored a second time, hours apart, so "
        "nothing was imported. To import it again, choose the time zone UTC in the mapping: "
        "its reads are then found already in the store."
    )
