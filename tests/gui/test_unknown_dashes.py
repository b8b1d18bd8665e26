"""Issue 16: an unknown confidence shows as "—", not "0 %" or "0.0 %", and an unknown state as
"—", not "??": in the results table, the details pane's fields and the image viewer."""

from __future__ import annotations

from PySide6.QtCore import Qt

from alpr_desktop.core.models import Read
from alpr_desktop.core.patterns import MatchKind, parse
from alpr_desktop.core.read_display import confidence_text, state_text
from alpr_desktop.core.search import Page, SearchRow
from alpr_desktop.gui.models.read_results_model import CONFIDENCE, STATE, ReadResultsModel
from alpr_desktop.gui.views.image_viewer import ReadPanel, read_fields

T0 = 1_767_225_600


def _read(i: int, state: str, confidence: float) -> Read:
    return Read(i, "7ABC123", "7ABC123", state, T0 - i, 1, "CAR-01", "", "", "", "", "", "",
                None, confidence, candidates=(("7A8C123", 0.0),))


def test_the_display_rules() -> None:
    assert [confidence_text(v) for v in (None, 0.0, float("nan"), 0.915)] == [
        "—", "—", "—", "92%"]
    assert confidence_text(0.915, 1) == "91.5%"
    assert [state_text(s) for s in ("", "??", " ", None, "CA")] == ["—", "—", "—", "—", "CA"]


def test_results_table_shows_dashes(qtbot, qtmodeltester) -> None:
    rows = [SearchRow(_read(1, "", 0.0), MatchKind.EXACT, "7ABC123"),
            SearchRow(_read(2, "??", 0.0), MatchKind.EXACT, "7ABC123"),
            SearchRow(_read(3, "CA", 0.87), MatchKind.EXACT, "7ABC123")]
    model = ReadResultsModel()
    model.start(Page(tuple(rows), None, parse("7ABC*"), 1, "test", 1.0, 3), None)
    qtmodeltester.check(model)
    shown = [(model.index(r, STATE).data(Qt.ItemDataRole.DisplayRole),
              model.index(r, CONFIDENCE).data(Qt.ItemDataRole.DisplayRole)) for r in range(3)]
    assert shown == [("—", "—"), ("—", "—"), ("CA", "87%")]


def test_image_viewer_fields_and_header_show_dashes(qtbot) -> None:
    fields = dict(read_fields(_read(1, "??", 0.0)))
    assert fields["State"] == "—" and fields["Confidence"] == "—"
    assert fields["Alternates"] == "7A8C123 —"
    panel = ReadPanel("p")
    qtbot.addWidget(panel)
    from alpr_desktop.imaging.decode import DecodeResult
    from alpr_desktop.services.images import OpenedRead, ShownImage

    missing = ShownImage(None, DecodeResult(False, None, "none", "missing"))
    panel.show_opened(OpenedRead(_read(1, "", 0.0), missing, missing), "exact")
    assert "??" not in panel.header.text() and "  ·  —  ·  " in panel.header.text()
    assert panel.field_labels["Confidence"].text() == "—"
