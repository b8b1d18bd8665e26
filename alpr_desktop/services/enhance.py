"""Image enhancement and display conversion for the viewer, as the GUI may name them.

The viewer adjusts a decoded image the user is already allowed to see (the ImageService gated
and logged the view): pure numpy in, numpy out, no store and no log. This facade keeps gui/
above the services (import-linter: gui imports neither imaging nor ingest) while the work
itself stays in imaging/."""

from __future__ import annotations

from alpr_desktop.imaging.decode import display_bgra
from alpr_desktop.imaging.enhance import EnhanceSettings, apply, encode_png

__all__ = ["EnhanceSettings", "apply", "display_bgra", "encode_png"]
