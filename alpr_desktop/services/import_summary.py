"""An import's summary in words, one list of lines for the command line and the wizard alike:
counts, file and camera names, reasons and what the import assumed. No read data."""

from __future__ import annotations

from alpr_desktop.ingest.records import REASON_TEXT, Reason
from alpr_desktop.ingest.runner import ImportSummary

__all__ = ["ImportSummary", "summary_lines"]


def summary_lines(summary: ImportSummary) -> list[str]:
    """The import's summary as lines of text (no read data: counts, names of files and
    cameras, reasons). The wizard's last page shows the same lines."""
    lines: list[str] = []
    for f in summary.files:
        if f.refused:
            status = f"REFUSED: {f.refused}"
        elif f.already_imported:
            status = "imported earlier; nothing added"
        else:
            status = "resumed and finished" if f.resumed else "done"
        lines.append(f"{f.name} (sha256 {f.sha256[:16]}…): {status}")
        lines.append(f"  {f.added:,} added, {f.in_store:,} already in the store, "
                     f"{f.rejected_total:,} rejected")
        for reason, n in sorted(f.rejected.items()):
            lines.append(f"    {reason}: {n:,}")
        if f.single_reason:
            try:
                why = REASON_TEXT[Reason(f.single_reason)]
            except ValueError:
                why = f.single_reason
            lines.append(f"  Every record was rejected for one reason: {why}.")
            lines.extend(f"  {line}" for line in f.expected.splitlines())
        lines.extend(f"  Note: {note}" for note in f.notes)
    if summary.new_cameras:
        lines.append("New cameras: " + ", ".join(summary.new_cameras))
    for name, n in sorted(summary.moving_cameras.items()):
        lines.append(f"Warning: camera {name!r} reported {n:,} different positions (a mobile "
                     "reader?): each read keeps its own position; the camera keeps its first.")
    if summary.report_path:
        lines.append(f"Reject report: {summary.report_path}")
    if summary.cancelled:
        lines.append("Cancelled: run the same command again to finish.")
    lines.append(f"Total: {summary.added:,} added, {summary.in_store:,} already in the store, "
                 f"{summary.rejected:,} rejected in {summary.seconds:.1f} s.")
    return lines
