"""Named column mappings, saved in the encrypted store so every workstation user sees them.

One built-in preset, ``generic``, maps columns named after the read fields themselves
(plate, datetime in ISO 8601 UTC, camera, ...), the layout a contractor can be asked to export.
"""

from __future__ import annotations

import re

from alpr_desktop.ingest.delimited import BOX_FIELDS, FIELDS, Mapping
from alpr_desktop.ingest.timeparse import upgrade_minutes
from alpr_desktop.storage.unit_of_work import UnitOfWork

NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$")

BUILTIN: dict[str, Mapping] = {
    "generic": Mapping(
        name="generic",
        # the layout as first published: a column added to FIELDS later is not required
        columns={f: f for f in FIELDS if f not in ("date", "time", "camera_id", *BOX_FIELDS)},
        datetime_format="iso8601",
        timezone="UTC",
    ),
}


class PresetError(ValueError):
    """A preset name or mapping that cannot be saved or found; the message says why."""


def check_name(name: str) -> str:
    name = name.strip()
    if not NAME_RE.match(name):
        raise PresetError(
            "A mapping name is 1 to 64 letters, digits, spaces, '.', '_' or '-'."
        )
    return name


class PresetStore:
    """Saved mappings of one store, plus the built-ins (which cannot be overwritten)."""

    def __init__(self, store: UnitOfWork) -> None:
        self.repo = store.import_state

    def names(self) -> list[str]:
        return sorted(set(BUILTIN) | set(self.repo.preset_names()))

    def get(self, name: str) -> Mapping:
        if name in BUILTIN:
            return BUILTIN[name]
        text = self.repo.preset(name)
        if text is None:
            raise PresetError(f"There is no saved mapping named {name!r}.")
        try:
            mapping = Mapping.from_json(text)
        except (ValueError, TypeError) as exc:
            raise PresetError(f"The saved mapping {name!r} is damaged: {exc}") from None
        # Saved before MM (month) and mm (minutes) were told apart: MM after the hour was
        # the minutes then, and is written mm now.
        return Mapping(**{**mapping.__dict__, "name": name,
                          "datetime_format": upgrade_minutes(mapping.datetime_format)})

    def save(self, mapping: Mapping) -> Mapping:
        """Save under ``mapping.name``, replacing a saved mapping of that name."""
        name = check_name(mapping.name)
        if name in BUILTIN:
            raise PresetError(f"{name!r} is built in; save your mapping under another name.")
        problems = mapping.problems()
        if problems:
            raise PresetError("The mapping cannot be used: " + "; ".join(problems) + ".")
        saved = Mapping(**{**mapping.__dict__, "name": name})
        self.repo.save_preset(name, saved.to_json())
        return saved

    def delete(self, name: str) -> bool:
        if name in BUILTIN:
            raise PresetError(f"{name!r} is built in and cannot be deleted.")
        return self.repo.delete_preset(name)
