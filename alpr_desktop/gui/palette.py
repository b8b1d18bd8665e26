"""The program's colours, in one place, by what they mean.

Screens take status colours (error, warning, good), badges (log intact or broken, DEMO,
enhanced or original image), notice banners and the image pane's overlays from here, never as
literal hex in their own files, so a change of scheme (or a high-contrast theme) is one edit.
Everything else follows the platform's QPalette."""

from __future__ import annotations

from PySide6.QtGui import QColor

# -- text on the window's background ------------------------------------------------------
ERROR_TEXT = "#b71c1c"  # a problem to fix (red)
WARNING_TEXT = "#8a5300"  # something to look at (amber, dark enough to read)
GOOD_TEXT = "#1b5e20"  # it worked (green)

# -- badges: white bold text on a solid colour ----------------------------------------------
BADGE_TEXT = "white"
GOOD_BADGE = "#2e7d32"  # the log is intact; the original image
BAD_BADGE = "#c62828"  # the log is broken; DEMO data
ALTERED_BADGE = "#c85a00"  # an enhanced (altered) image

# -- banners ---------------------------------------------------------------------------------
NOTICE_BACKGROUND = "#fff4e5"  # no purpose yet; the idle warning
NOTICE_BORDER = "#e0a040"
NOTICE_TEXT = "#5a3a00"
INFO_BACKGROUND = "#e8f1fb"  # the investigation's purpose
INFO_BORDER = "#7aa7d6"
HELP_BACKGROUND = "#fdfdf6"  # the viewer's key help
HELP_BORDER = "#555555"
HELP_TEXT = "#111111"

# -- table rows ------------------------------------------------------------------------------
REJECT_ROW_BACKGROUND = "#fdecea"  # an import preview row that would be rejected
REJECT_ROW_TEXT = "#8e1b10"

# -- the image pane (dark backdrop, overlays on the picture) --------------------------------
IMAGE_BACKDROP = QColor(40, 40, 40)
IMAGE_PLACEHOLDER_TEXT = QColor(230, 230, 230)
PLATE_BOX = QColor(255, 40, 200)  # magenta: seen on any vehicle colour
OVERLAY_BACKGROUND = QColor(0, 0, 0, 170)
OVERLAY_TEXT = QColor(255, 255, 255)
OVERLAY_ALTERED = QColor(200, 90, 0, 220)
FOCUS_FRAME = QColor(80, 160, 255)


def text_style(colour: str, *, bold: bool = False, selector: str = "") -> str:
    """A style sheet that colours a label's text (``selector`` scopes it, e.g. "QLabel")."""
    rule = f"color: {colour};" + (" font-weight: bold;" if bold else "")
    return f"{selector} {{ {rule} }}" if selector else rule


def badge_style(background: str, *, padding: str = "2px 6px", radius: int = 0,
                selector: str = "") -> str:
    """White bold text on ``background``: the log verdict, DEMO, enhanced or original."""
    rule = (f"color: {BADGE_TEXT}; background: {background}; font-weight: bold; "
            f"padding: {padding};" + (f" border-radius: {radius}px;" if radius else ""))
    return f"{selector} {{ {rule} }}" if selector else rule


def banner_style(name: str, background: str, border: str) -> str:
    """A framed banner ``QFrame#name`` with a 1-pixel border."""
    return f"QFrame#{name} {{ background: {background}; border: 1px solid {border}; }}"

# The map and the plate profile's heat-map (issue 13).
MAP_CAMERA = QColor(30, 30, 30)
MAP_SIGHTING = QColor(21, 101, 192)
MAP_OWN_POSITION = QColor(0, 137, 123)  # a read's own coordinates (mobile reader)
MAP_LOOKALIKE = QColor(200, 90, 0)
MAP_SELECTED = QColor(255, 40, 200)
MAP_ROUTE = QColor(198, 40, 40)
MAP_STREET = QColor(150, 150, 150)
MAP_STREET_NAME = QColor(110, 110, 110)
MAP_GRID = QColor(215, 215, 215)
MAP_GRID_TEXT = QColor(120, 120, 120)
MAP_BACKGROUND = QColor(248, 248, 244)
MAP_OUTLINE = QColor(255, 255, 255)  # around markers, and text on them
MAP_SCALE_BACKDROP = QColor(255, 255, 255, 200)
HEAT_BACKGROUND = QColor(255, 255, 255)
HEAT_EMPTY = QColor(242, 242, 242)
HEAT_TEXT = QColor(40, 40, 40)
HEAT_LABEL = QColor(60, 60, 60)
