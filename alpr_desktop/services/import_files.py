"""What the import wizard and the import command need to read a vendor export before it is
imported: the format, the columns and their guessed meaning, a preview of the first rows, the
reasons a row is refused, and the options and summary of a run (ImportService runs it, gated
and logged).

A facade over ingest/ so that gui/ and cli/ stay above the services (import-linter: neither
imports ingest nor imaging); reading a header or a preview touches only the file the user
picked, never the store."""

from __future__ import annotations

from alpr_desktop.ingest.column_guess import guess_columns
from alpr_desktop.ingest.delimited import DELIMITER_NAMES, FIELDS, Mapping, read_header
from alpr_desktop.ingest.presets import PresetError
from alpr_desktop.ingest.preview import Preview, PreviewRow, preview_rows
from alpr_desktop.ingest.records import REASON_TEXT, FileRefused, Reason
from alpr_desktop.ingest.runner import (
    DEFAULT_BATCH,
    FORMATS,
    ImportOptions,
    ImportSummary,
    Progress,
    detect_format,
)

__all__ = [
    "DEFAULT_BATCH", "DELIMITER_NAMES", "FIELDS", "FORMATS", "REASON_TEXT", "FileRefused",
    "ImportOptions", "ImportSummary", "Mapping", "PresetError", "Preview", "PreviewRow",
    "Progress", "Reason", "detect_format", "guess_columns", "preview_rows", "read_header",
]
