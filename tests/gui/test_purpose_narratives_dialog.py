"""The purpose dialog with narratives as officers write them (issue 12): shorthand and code
sections let Declare through, a vague one lists what is missing with a good example, and an
outside agency's request is specific through its window. Declaring stores the typed text."""

from __future__ import annotations

import pytest
from gui_access import CASE, log_events, sign_in
from PySide6.QtCore import Qt

from alpr_desktop.core.purpose_rules import EXAMPLE_NARRATIVE
from alpr_desktop.core.purposes import DEFAULT_CASE_FORMATS, PurposeCategory
from alpr_desktop.gui.dialogs.purpose import PurposeDialog

SHORTHAND = (
    "459 PC resd on E 223rd St 11/14 btwn 0800-1600 hrs. R/P saw a wht Ford van backed into "
    "the driveway. Need reads to ID the van and RO."
)


@pytest.fixture
def dialog(qtbot, workspace, controller) -> PurposeDialog:
    sign_in(qtbot, workspace, "officer")
    d = PurposeDialog(workspace, controller, case_formats=DEFAULT_CASE_FORMATS)
    qtbot.addWidget(d)
    d.open()
    return d


def fill(d: PurposeDialog, narrative: str,
         category: PurposeCategory = PurposeCategory.CRIMINAL_INVESTIGATION,
         case: str = CASE) -> None:
    d.ui.categoryCombo.setCurrentIndex(d.ui.categoryCombo.findData(category.value))
    d.ui.offenseCombo.setCurrentIndex(d.ui.offenseCombo.findData("Burglary"))
    d.ui.caseEdit.setText(case)
    d.ui.narrativeEdit.setPlainText(narrative)
    d.ui.ackCheck.setChecked(True)


def listed(d: PurposeDialog) -> list[str]:
    return [d.ui.problemsList.item(i).text() for i in range(d.ui.problemsList.count())]


def test_shorthand_narrative_is_declared_as_typed(qtbot, dialog, controller, store):
    fill(dialog, SHORTHAND)
    assert dialog.problems == [], listed(dialog)
    assert dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: controller.purpose is not None, timeout=10_000)
    assert controller.purpose.purpose.narrative == SHORTHAND  # never the expansion
    [entry] = log_events(store, "purpose.declared")
    assert entry.purpose["narrative"] == SHORTHAND


def test_vague_narrative_lists_what_is_missing_with_an_example(dialog):
    fill(dialog, "S/ veh seen near Carson Mall 11/2 approx 1500 hrs, need LKL and RO")
    assert not dialog.ok_button.isEnabled()
    texts = listed(dialog)
    assert any("what crime happened" in t for t in texts), texts
    assert sum(EXAMPLE_NARRATIVE in t for t in texts) == 1


def test_agency_request_with_its_window_is_declarable(dialog):
    narrative = ("Torrance PD requests all reads of 8ABC123 from 11/01 to 11/05 for their "
                 "robbery case.")
    fill(dialog, narrative, PurposeCategory.AGENCY_REQUEST, "TPD-26-14421")
    dialog.ui.agencyEdit.setText("Torrance Police Department")
    dialog.ui.requesterEdit.setText("Det. Sam Ortiz")
    assert dialog.problems == [], listed(dialog)
    dialog.ui.narrativeEdit.setPlainText("Torrance PD Det. Ortiz requests all Carson reads of "
                                         "plate 8ABC123 under their case number.")
    assert "narrative_no_window" in [p.code for p in dialog.problems]
    assert any("dates the other agency asked for" in t for t in listed(dialog))
    assert not dialog.ok_button.isEnabled()
