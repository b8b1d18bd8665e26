"""Converting a store to today's file format (issue 20): its phases, and what it did.

A store keeps the cipher format it was made with (page size, page HMAC); converting copies it
into today's, checks the copy and puts it in the file's place. The figures here are counts and
sizes only, never a plate or a read."""

from __future__ import annotations

from dataclasses import dataclass

# The conversion's phases, in order; a phase is reported as it begins (and the copy as it goes).
CHECKPOINT, COPY, VERIFY, SWAP = "checkpoint", "copy", "verify", "swap"
PHASES = (CHECKPOINT, COPY, VERIFY, SWAP)
PHASE_WORDS = {
    CHECKPOINT: "Holding the store alone and writing its journal into the file",
    COPY: "Copying the store into today's format",
    VERIFY: "Checking the copy (pages, row counts, search index, access-log chain)",
    SWAP: "Putting the copy in the store's place and erasing the old file",
}


@dataclass(frozen=True)
class FormatConversion:
    """What converting a store did. ``rows`` holds each table's row count in the copy (equal
    to the original's, or the conversion would have been refused)."""

    converted: bool  # False: the store already had today's format, nothing ran
    before: str  # the format in words, e.g. "16 KiB pages, HMAC-SHA512"
    after: str
    rows: tuple[tuple[str, int], ...] = ()
    bytes_before: int = 0
    bytes_after: int = 0
    seconds: float = 0.0
    old_file_erased: bool = True  # the old file's bytes were overwritten before it went

    @property
    def summary(self) -> str:
        if not self.converted:
            return f"The store already has today's format ({self.after}); nothing to convert."
        mib = 1024 * 1024
        total = sum(n for _, n in self.rows)
        text = (f"Store converted from {self.before} to {self.after} in {self.seconds:,.1f} s: "
                f"{total:,} rows in {len(self.rows)} tables copied and checked; file "
                f"{self.bytes_before / mib:,.1f} MiB before, {self.bytes_after / mib:,.1f} MiB "
                "after.")
        if not self.old_file_erased:
            text += (" The old file could not be overwritten before it was removed (its "
                     "bytes may remain on the disk, encrypted).")
        return text


@dataclass(frozen=True)
class StoreFileStatus:
    """A store file's format against today's, for the administrator's Security settings."""

    path: str
    current: str  # the file's format in words
    today: str

    @property
    def up_to_date(self) -> bool:
        return self.current == self.today

    def advice(self, username: str) -> str:
        """What the administrator reads: the format, and how to convert an earlier one."""
        if self.up_to_date:
            return f"This store file has today's format ({self.today})."
        return (f"This store file has an earlier format ({self.current}); today's "
                f"({self.today}) searches and imports faster. To convert it, sign out on "
                "every computer that has it open, then run:\n"
                f"alpr-desktop store convert --path \"{self.path}\" --user {username}\n"
                "The copy is checked before it replaces the file, the conversion is logged, "
                "and anything that fails leaves the store as it was.")


def updating_text(done: int, total: int) -> str:
    """What a sign-in says while the opening store applies this version's migrations (one
    that rebuilds a table can take a minute in a large store): the dialogs' busy button, and
    the command line's line on stderr."""
    step = f" ({done + 1} of {total})" if total > 1 else ""
    return f"Updating the store for this version{step}…"
