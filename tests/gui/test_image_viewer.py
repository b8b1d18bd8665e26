"""The image viewer driven as an analyst would: open from a result, zoom, pan, rotate, enhance,
reset, previous/next, compare, bad images, a changed hash, and copy/save as disclosures."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import shiboken6
from gui_access import CASE, GOOD_NARRATIVE, PASSWORDS, approve_agencies, log_events
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QApplication

from alpr_desktop.core.models import BBox, ImageBlob
from alpr_desktop.core.purposes import PurposeInput
from alpr_desktop.demo.render import RenderJob, render_read
from alpr_desktop.gui import palette
from alpr_desktop.gui.session_controller import SessionController
from alpr_desktop.gui.views.image_viewer import ControllerImageSource, ImageViewer
from alpr_desktop.gui.widgets.image_pane import ImagePane
from alpr_desktop.storage import Store
from alpr_desktop.storage.reads import ImageRepo

GOOD, SECOND, THIRD, BAD = 1, 2, 3, 4  # read ids in gui_access's store


def _images(store: Store) -> dict[tuple[int, str], bytes]:
    """Rendered demo images for reads 1-3; read 4 has a truncated crop and an overview whose
    stored hash does not match (a changed byte)."""
    blobs, stored = [], {}
    for rid in (GOOD, SECOND, THIRD, BAD):
        r = render_read(RenderJob(7, rid, "7ABC123", "CA", False, rid % 3, "Silver", "Sedan",
                                  rid == THIRD, f"Avalon & 223rd NB read {rid}"))
        crop, over = r.crop.data, r.overview.data
        over_hash = r.overview.sha256
        if rid == BAD:
            crop = crop[: len(crop) // 2]
            changed = bytearray(over)
            changed[len(changed) // 3] ^= 0x01
            over = bytes(changed)
        blobs += [ImageBlob(rid, "crop", "jpeg", crop, hashlib.sha256(crop).hexdigest()),
                  ImageBlob(rid, "overview", "jpeg", over, over_hash, 960, 540, BBox(*r.bbox))]
        stored[(rid, "crop")], stored[(rid, "overview")] = crop, over
    ImageRepo(store).put_many(blobs)
    return stored


@pytest.fixture
def stored(store: Store) -> dict[tuple[int, str], bytes]:
    approve_agencies(store, None, "Long Beach Police Department",
                     "Los Angeles County District Attorney")
    return _images(store)


@pytest.fixture
def analyst(qtbot, controller: SessionController, stored: dict) -> SessionController:
    """Signed in as the officer, with a declared purpose."""
    done: list[object] = []
    controller.sign_in("officer", PASSWORDS["officer"], done.append, pytest.fail)
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)
    entry = PurposeInput(category="criminal_investigation", offense="Vehicle theft",
                         case_number=CASE, narrative=GOOD_NARRATIVE, acknowledged=True)
    controller.declare_purpose(entry, None, done.append, pytest.fail)
    qtbot.waitUntil(lambda: len(done) == 2, timeout=10_000)
    return controller


def _open(qtbot, controller: SessionController, read_id: int = GOOD,
          ids: tuple[int, ...] = (GOOD, SECOND, THIRD, BAD)) -> ImageViewer:
    v = ImageViewer(ControllerImageSource(controller), read_id, list(ids),
                    match_kinds={GOOD: "exact"})
    qtbot.addWidget(v)
    v.resize(1300, 820)
    v.show()
    qtbot.waitUntil(lambda: v.panels[0].opened is not None or bool(v.last_error),
                    timeout=10_000)
    return v


@pytest.fixture
def viewer(qtbot, analyst: SessionController) -> Iterator[ImageViewer]:
    v = _open(qtbot, analyst)
    yield v
    if shiboken6.isValid(v):
        v.close()
    qtbot.waitUntil(lambda: not analyst.busy, timeout=5000)


def _settle(qtbot, v: ImageViewer) -> None:
    qtbot.waitUntil(lambda: not v.enhancing, timeout=10_000)


def test_opens_both_images_with_box_metadata_and_verified_hashes(viewer: ImageViewer,
                                                                 store: Store) -> None:
    panel = viewer.panels[0]
    crop, over = panel.panes["crop"], panel.panes["overview"]
    assert crop.has_image and over.has_image
    assert over.box_item.isVisible() and not crop.box_item.isVisible()
    assert over.pixmap_size() == (960, 540)
    assert panel.field_labels["Plate"].text() == "7ABC123"
    assert panel.field_labels["Match"].text() == "exact"
    assert panel.field_labels["Confidence"].text() == "91.0%"
    for kind in ("crop", "overview"):
        assert panel.hash_labels[kind].property("verified") is True
        assert "verified" in panel.hash_labels[kind].text()
    assert viewer.stateLabel.text() == "ORIGINAL"
    [e] = log_events(store, "image.view")
    assert e.query["read_id"] == GOOD and e.purpose["case_number"] == CASE


def test_zoom_with_buttons_keys_and_wheel_stays_sharp_when_magnified(qtbot, viewer: ImageViewer
                                                                      ) -> None:
    pane = viewer.panels[0].panes["overview"]
    qtbot.mouseClick(pane.viewport(), Qt.MouseButton.LeftButton)
    assert viewer.active_pane is pane
    qtbot.keyClick(viewer, Qt.Key.Key_1)
    assert pane.zoom == pytest.approx(1.0) and pane.smooth
    qtbot.mouseClick(viewer.findChild(type(viewer.prevButton), "zoomInButton"),
                     Qt.MouseButton.LeftButton)
    assert pane.zoom == pytest.approx(1.25)
    qtbot.keyClick(viewer, Qt.Key.Key_Minus)
    assert pane.zoom == pytest.approx(1.0)
    for _ in range(10):
        qtbot.keyClick(viewer, Qt.Key.Key_Plus)
    assert pane.zoom >= 8.0
    assert not pane.smooth  # nearest neighbour: each stored pixel a sharp square
    assert pane.transform().m11() == pytest.approx(pane.zoom)
    centre = QPointF(pane.viewport().rect().center())
    wheel = QWheelEvent(centre, pane.viewport().mapToGlobal(centre), QPoint(0, 0),
                        QPoint(0, -120), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    before = pane.zoom
    QApplication.sendEvent(pane.viewport(), wheel)
    assert pane.zoom == pytest.approx(before / 1.25)
    qtbot.keyClick(viewer, Qt.Key.Key_F)
    rect = pane.mapFromScene(pane.pixmap_item.sceneBoundingRect()).boundingRect()
    assert rect.width() <= pane.viewport().width() + 2
    assert rect.height() <= pane.viewport().height() + 2
    assert pane.zoom < 1.0 and pane.smooth


def test_pan_by_dragging(qtbot, viewer: ImageViewer) -> None:
    pane = viewer.panels[0].panes["overview"]
    pane.set_zoom(4.0)
    h, v = pane.horizontalScrollBar(), pane.verticalScrollBar()
    qtbot.waitUntil(lambda: h.maximum() > 0 and v.maximum() > 0)  # zoomed past the view
    h0, v0 = h.value(), v.value()
    vp = pane.viewport()
    start = QPointF(vp.rect().center())
    end = start + QPointF(-120, -80)
    left, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    for kind, pos, buttons in ((QEvent.Type.MouseButtonPress, start, left),
                               (QEvent.Type.MouseMove, (start + end) / 2, left),
                               (QEvent.Type.MouseMove, end, left),
                               (QEvent.Type.MouseButtonRelease, end, Qt.MouseButton.NoButton)):
        ev = QMouseEvent(kind, pos, vp.mapToGlobal(pos), left, buttons, none)
        QApplication.sendEvent(vp, ev)
    assert h.value() - h0 == pytest.approx(120, abs=2)
    assert v.value() - v0 == pytest.approx(80, abs=2)


def test_rotate(qtbot, viewer: ImageViewer) -> None:
    pane = viewer.panels[0].panes["overview"]
    pane.setFocus()
    viewer.set_active_pane(pane)
    qtbot.keyClick(viewer, Qt.Key.Key_R)
    assert pane.rotation == 90
    r = pane.pixmap_item.sceneBoundingRect()
    assert (round(r.width()), round(r.height())) == (540, 960)
    qtbot.mouseClick(viewer.findChild(type(viewer.prevButton), "rotateButton"),
                     Qt.MouseButton.LeftButton)
    assert pane.rotation == 180


CONTROLS = {
    "brightness": lambda v: v.brightnessSlider.setValue(40),
    "contrast": lambda v: v.contrastSlider.setValue(180),
    "gamma": lambda v: v.gammaSlider.setValue(60),
    "sharpen": lambda v: v.sharpenSlider.setValue(150),
    "clahe": lambda v: v.claheCheck.setChecked(True),
    "denoise": lambda v: v.denoiseCheck.setChecked(True),
    "grayscale": lambda v: v.grayscaleCheck.setChecked(True),
    "invert": lambda v: v.invertCheck.setChecked(True),
}


@pytest.mark.parametrize("name", sorted(CONTROLS))
def test_each_enhancement_changes_the_picture_not_the_original(
    qtbot, viewer: ImageViewer, store: Store, stored: dict, name: str
) -> None:
    panel = viewer.panels[0]
    originals = {k: a.copy() for k, a in panel.originals.items()}
    CONTROLS[name](viewer)
    _settle(qtbot, viewer)
    assert viewer.is_enhanced and name in viewer.stateLabel.toolTip()
    assert "ENHANCED" in viewer.windowTitle()
    for kind in ("crop", "overview"):
        assert panel.panes[kind].enhanced
        assert not np.array_equal(panel.shown[kind], panel.originals[kind])
        assert np.array_equal(panel.originals[kind], originals[kind])
    if name == "invert":
        assert np.array_equal(panel.shown["crop"], 255 - originals["crop"])
    if name == "grayscale":
        g = panel.shown["crop"]
        assert np.array_equal(g[..., 0], g[..., 2])
    for blob in ImageRepo(store).for_read(GOOD):  # the stored bytes are untouched
        assert blob.data == stored[(GOOD, blob.kind)]
        assert hashlib.sha256(blob.data).hexdigest() == blob.sha256


def test_reset_returns_to_the_original(qtbot, viewer: ImageViewer) -> None:
    panel = viewer.panels[0]
    viewer.claheCheck.setChecked(True)
    viewer.gammaSlider.setValue(50)
    _settle(qtbot, viewer)
    assert viewer.is_enhanced
    qtbot.mouseClick(viewer.resetButton, Qt.MouseButton.LeftButton)
    assert not viewer.is_enhanced and viewer.stateLabel.text() == "ORIGINAL"
    assert viewer.current_settings().is_identity()
    for kind in ("crop", "overview"):
        assert panel.shown[kind] is panel.originals[kind] and not panel.panes[kind].enhanced
    _settle(qtbot, viewer)
    assert not viewer.is_enhanced  # a run in flight did not repaint over the originals


def test_slider_drag_is_coalesced(qtbot, viewer: ImageViewer, monkeypatch) -> None:
    from alpr_desktop.imaging import enhance

    calls: list[object] = []
    real = enhance.apply

    def counting(img, settings):
        calls.append(settings)
        return real(img, settings)

    monkeypatch.setattr(enhance, "apply", counting)
    for value in range(-50, 51, 2):  # 51 steps, as a drag delivers them
        viewer.brightnessSlider.setValue(value)
    _settle(qtbot, viewer)
    assert len(calls) <= 2 * 3  # two images, at most three runs
    assert viewer.panels[0].shown["crop"] is not viewer.panels[0].originals["crop"]
    assert "brightness 50" in viewer.stateLabel.toolTip()


def test_enhancement_follows_to_the_next_read(qtbot, viewer: ImageViewer) -> None:
    viewer.invertCheck.setChecked(True)
    _settle(qtbot, viewer)
    qtbot.keyClick(viewer, Qt.Key.Key_PageDown)
    qtbot.waitUntil(lambda: viewer.panels[0].opened is not None
                    and viewer.panels[0].opened.read.id == SECOND, timeout=10_000)
    _settle(qtbot, viewer)
    panel = viewer.panels[0]
    assert np.array_equal(panel.shown["crop"], 255 - panel.originals["crop"])
    assert viewer.is_enhanced


def test_previous_and_next_walk_the_results(qtbot, viewer: ImageViewer, store: Store) -> None:
    assert not viewer.prevButton.isEnabled() and viewer.positionLabel.text() == "1 of 4"
    qtbot.mouseClick(viewer.nextButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: viewer.panels[0].opened is not None
                    and viewer.panels[0].opened.read.id == SECOND, timeout=10_000)
    assert viewer.positionLabel.text() == "2 of 4" and viewer.prevButton.isEnabled()
    qtbot.keyClick(viewer, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: viewer.panels[0].opened is not None
                    and viewer.panels[0].opened.read.id == THIRD, timeout=10_000)
    qtbot.keyClick(viewer, Qt.Key.Key_PageUp)
    qtbot.waitUntil(lambda: viewer.panels[0].opened is not None
                    and viewer.panels[0].opened.read.id == SECOND, timeout=10_000)
    assert viewer.isVisible()
    assert [e.query["read_id"] for e in log_events(store, "image.view")] == [
        GOOD, SECOND, THIRD, SECOND]


def test_compare_two_reads_side_by_side(qtbot, viewer: ImageViewer, store: Store) -> None:
    qtbot.mouseClick(viewer.compareButton, Qt.MouseButton.LeftButton)
    other = viewer.panels[1]
    qtbot.waitUntil(lambda: other.opened is not None, timeout=10_000)
    assert other.isVisible() and other.opened is not None and other.opened.read.id == SECOND
    assert other.panes["crop"].has_image and viewer.panels[0].panes["crop"].has_image
    viewer.compare_with(THIRD)
    qtbot.waitUntil(lambda: other.opened is not None and other.opened.read.id == THIRD,
                    timeout=10_000)
    viewer.sharpenSlider.setValue(200)
    _settle(qtbot, viewer)
    assert other.panes["overview"].enhanced and viewer.panels[0].panes["overview"].enhanced
    qtbot.mouseClick(viewer.compareButton, Qt.MouseButton.LeftButton)
    assert not other.isVisible() and other.opened is None
    assert [e.query["read_id"] for e in log_events(store, "image.view")] == [GOOD, SECOND, THIRD]


def test_bad_image_gives_a_placeholder_and_a_changed_hash_a_warning(qtbot, analyst) -> None:
    v = _open(qtbot, analyst, BAD)
    panel = v.panels[0]
    assert not panel.panes["crop"].has_image
    assert "cut short" in panel.panes["crop"].message
    assert "cut short" in panel.panes["crop"].placeholder_item.toPlainText()
    assert panel.panes["overview"].has_image  # the other image is still shown
    label = panel.hash_labels["overview"]
    assert label.property("verified") is False and label.text().startswith("Overview: WARNING")
    assert palette.ERROR_TEXT in label.styleSheet()
    assert "WARNING" in v.statusLabel.text() and "could not be shown" in v.statusLabel.text()
    v.invertCheck.setChecked(True)  # enhancing with one image missing works too
    _settle(qtbot, v)
    assert panel.panes["overview"].enhanced and not panel.panes["crop"].enhanced
    v.close()


def test_without_a_purpose_nothing_is_shown(qtbot, analyst, store: Store) -> None:
    done: list[object] = []
    analyst.end_purpose(done.append, pytest.fail)
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    v = ImageViewer(ControllerImageSource(analyst), GOOD, [GOOD])
    qtbot.addWidget(v)
    v.show()
    qtbot.waitUntil(lambda: bool(v.last_error), timeout=10_000)
    assert "purpose" in v.last_error.lower()
    assert not v.panels[0].panes["crop"].has_image and log_events(store, "image.view") == []


def _fill(dialog, agency: str, confirm: bool = True) -> None:
    dialog.agencyEdit.setText(agency)
    dialog.requestEdit.setText("LBPD request 2026-77")
    dialog.confirmCheck.setChecked(confirm)


def test_copy_to_an_agency_not_in_the_registry_is_refused(qtbot, viewer: ImageViewer,
                                                          store: Store) -> None:
    """Issue 15: the viewer's own check passes a lawful-sounding name; the registry does
    not, so nothing reaches the clipboard and the refusal is logged (before, this copy went
    through as an "ok" disclosure)."""
    dialog = viewer.start_disclosure("copy")
    assert dialog is not None
    _fill(dialog, "Torrance Police Department")
    assert dialog.ok_button.isEnabled()
    QApplication.clipboard().clear()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: viewer.last_receipt is not None, timeout=10_000)
    assert not viewer.last_receipt.allowed
    assert "not in the agency registry" in viewer.statusLabel.text()
    assert QApplication.clipboard().image().isNull()
    [e] = log_events(store, "disclosure")
    assert e.outcome == "refused" and e.detail["refused"] == "not_registered"


def test_copy_needs_a_lawful_recipient_and_is_logged(qtbot, viewer: ImageViewer,
                                                     store: Store) -> None:
    dialog = viewer.start_disclosure("copy")
    assert dialog is not None
    _fill(dialog, "FBI Los Angeles")
    assert not dialog.ok_button.isEnabled() and "federal" in dialog.problem.text()
    _fill(dialog, "Long Beach Police Department", confirm=False)
    assert not dialog.ok_button.isEnabled()
    _fill(dialog, "Long Beach Police Department")
    assert dialog.ok_button.isEnabled()
    QApplication.clipboard().clear()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: viewer.last_receipt is not None, timeout=10_000)
    assert viewer.last_receipt.allowed
    [e] = log_events(store, "disclosure")
    assert e.detail["recipient_agency"] == "Long Beach Police Department"
    assert e.detail["kind"] == "copy" and e.detail["image"] == "crop"
    image = QApplication.clipboard().image()
    assert (image.width(), image.height()) == viewer.panels[0].panes["crop"].pixmap_size()
    viewer.close()  # our clipboard content does not outlive the viewer
    assert QApplication.clipboard().image().isNull()


def test_save_as_writes_the_original_bytes_after_logging(qtbot, viewer: ImageViewer,
                                                         store: Store, stored: dict,
                                                         tmp_path: Path) -> None:
    viewer.set_active_pane(viewer.panels[0].panes["overview"])
    dialog = viewer.start_disclosure("save")
    assert dialog is not None
    target = tmp_path / "evidence.jpg"
    dialog.pathEdit.setText(str(target))
    _fill(dialog, "Los Angeles County District Attorney")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(target.exists, timeout=10_000)
    assert target.read_bytes() == stored[(GOOD, "overview")]
    [e] = log_events(store, "disclosure")
    assert e.detail["sha256"] == hashlib.sha256(stored[(GOOD, "overview")]).hexdigest()
    assert e.detail["rendition"] == "original"


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
def test_saved_image_is_owner_only_and_the_suggested_name_has_no_plate(
    qtbot, viewer: ImageViewer, tmp_path: Path
) -> None:
    """Issue 10 §4: an exported image is readable by its owner only, whatever the umask, and
    the name the dialog suggests does not spell the plate."""
    dialog = viewer.start_disclosure("save")
    assert dialog is not None
    suggested = Path(dialog.pathEdit.text()).name
    assert suggested == f"alpr-read-{GOOD}-crop-disclosure.jpg"
    target = tmp_path / suggested
    dialog.pathEdit.setText(str(target))
    _fill(dialog, "Los Angeles County District Attorney")
    old = os.umask(0)
    try:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(target.exists, timeout=10_000)
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_save_enhanced_rendition_is_named_and_logged_as_enhanced(
    qtbot, viewer: ImageViewer, store: Store, tmp_path: Path
) -> None:
    viewer.claheCheck.setChecked(True)
    _settle(qtbot, viewer)
    dialog = viewer.start_disclosure("save")
    assert dialog is not None and dialog.enhancedRadio.isEnabled()
    dialog.enhancedRadio.setChecked(True)
    dialog.pathEdit.setText(str(tmp_path / "plate.jpg"))
    _fill(dialog, "Long Beach Police Department")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    written = tmp_path / "plate-ENHANCED.png"
    qtbot.waitUntil(written.exists, timeout=10_000)
    [e] = log_events(store, "disclosure")
    assert e.detail["rendition"] == "enhanced" and "clahe" in e.detail["enhancement"]
    assert e.detail["sha256"] == hashlib.sha256(written.read_bytes()).hexdigest()
    assert not (tmp_path / "plate.jpg").exists()


def test_cancelled_disclosure_logs_and_writes_nothing(qtbot, viewer: ImageViewer,
                                                      store: Store, tmp_path: Path,
                                                      analyst: SessionController) -> None:
    dialog = viewer.start_disclosure("save")
    assert dialog is not None
    out = tmp_path / "out"
    out.mkdir()
    dialog.pathEdit.setText(str(out / "x.jpg"))
    _fill(dialog, "Long Beach Police Department")
    dialog.reject()
    assert not analyst.busy  # nothing was started on a worker
    assert log_events(store, "disclosure") == [] and not any(out.iterdir())


def test_lock_closes_the_viewer_and_drops_the_pictures(qtbot, viewer: ImageViewer,
                                                       analyst: SessionController) -> None:
    analyst.lock()
    qtbot.waitUntil(lambda: not viewer.isVisible(), timeout=5000)
    assert all(not p.originals for p in viewer.panels)
    assert not viewer.panels[0].panes["crop"].has_image


def test_pane_placeholder_and_conversion_without_a_viewer(qtbot) -> None:
    pane = ImagePane("Plate crop")
    qtbot.addWidget(pane)
    pane.set_placeholder("The stored image is empty (0 bytes).")
    pane.zoom_in()  # nothing to zoom: no error
    assert not pane.has_image and pane.zoom == 1.0
    gray = np.arange(64, dtype=np.uint8).reshape(8, 8)
    pane.set_image(gray)
    assert pane.has_image and pane.pixmap_size() == (8, 8)


def test_ending_the_purpose_closes_the_viewer(qtbot, viewer: ImageViewer,
                                              analyst: SessionController) -> None:
    done: list[object] = []
    analyst.end_purpose(done.append, pytest.fail)
    qtbot.waitUntil(lambda: bool(done) and not viewer.isVisible(), timeout=5000)
    assert not viewer.panels[0].originals


# -- issue 12: export vs disclosure, shortcuts listed, arrow keys ---------------------------------
def test_save_for_the_case_file_is_an_export_not_a_disclosure(
    qtbot, viewer: ImageViewer, store: Store, stored: dict, tmp_path: Path
) -> None:
    from alpr_desktop.gui.views.image_viewer import ExportDialog

    viewer.activateWindow()
    qtbot.waitUntil(viewer.isActiveWindow)
    qtbot.keyClick(viewer, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    dialog = viewer.export_dialog
    assert isinstance(dialog, ExportDialog) and dialog.isVisible()
    intro = " ".join(lbl.text() for lbl in dialog.findChildren(type(viewer.statusLabel)))
    assert "case 123-45678-2026-001" in intro and "not a disclosure" in intro
    assert "7ABC123" not in dialog.pathEdit.text()  # the default name carries no plate
    target = tmp_path / "case-file.jpg"
    dialog.pathEdit.setText(str(target))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(target.exists, timeout=10_000)
    assert target.read_bytes() == stored[(GOOD, "crop")]
    [e] = log_events(store, "export")
    assert e.detail["destination"] == "own case file" and e.detail["file_name"] == target.name
    assert e.purpose["case_number"] == CASE
    assert log_events(store, "disclosure") == []


def test_disclosure_is_its_own_action_with_an_honest_dialog(qtbot, viewer: ImageViewer) -> None:
    from alpr_desktop.gui.views.image_viewer import DisclosureDialog

    viewer.findChild(type(viewer.compareButton), "discloseButton").click()
    dialog = viewer.disclosure_dialog
    assert isinstance(dialog, DisclosureDialog) and dialog.isVisible()
    text = " ".join(lbl.text() for lbl in dialog.findChildren(type(viewer.statusLabel)))
    assert "another agency" in text and "does not look the agency up" in text
    dialog.reject()


def test_dialog_labels_have_no_stray_mnemonics(qtbot, viewer: ImageViewer) -> None:
    """'Save &to:' showed its ampersand: a form label given as text next to a layout has no
    buddy for the mnemonic."""
    from alpr_desktop.gui.accessibility import stray_mnemonics

    for dialog in (viewer.start_disclosure("save"), viewer.start_export("save")):
        assert dialog is not None
        assert stray_mnemonics(dialog) == []
        dialog.reject()


def test_shortcuts_are_listed_in_tooltips_and_a_help_overlay(qtbot, viewer: ImageViewer) -> None:
    tips = {b.objectName(): b.toolTip() for b in viewer.findChildren(type(viewer.compareButton))}
    assert "Ctrl+S" in tips["saveButton"] and "Ctrl+D" in tips["discloseButton"]
    assert "→" in tips["nextButton"] and "(R)" in tips["rotateButton"]
    viewer.activateWindow()
    qtbot.waitUntil(viewer.isActiveWindow)
    assert not viewer.helpOverlay.isVisible()
    qtbot.keyClick(viewer, Qt.Key.Key_F1)
    assert viewer.helpOverlay.isVisible()
    listed = viewer.helpOverlay.text.text()
    for keys in ("Ctrl+S", "Ctrl+D", "Ctrl+0", "PgDown", "Esc"):
        assert keys in listed
    qtbot.keyClick(viewer, Qt.Key.Key_Escape)
    assert not viewer.helpOverlay.isVisible() and viewer.isVisible()
    qtbot.keyClick(viewer, Qt.Key.Key_Question)
    assert viewer.helpOverlay.isVisible()


def test_arrow_keys_move_between_reads_unless_a_slider_has_focus(
    qtbot, viewer: ImageViewer
) -> None:
    viewer.activateWindow()
    qtbot.waitUntil(viewer.isActiveWindow)
    qtbot.keyClick(viewer, Qt.Key.Key_Right)
    assert viewer.index == 1
    qtbot.keyClick(viewer, Qt.Key.Key_Left)
    assert viewer.index == 0
    viewer.brightnessSlider.setFocus()
    qtbot.waitUntil(viewer.brightnessSlider.hasFocus)
    before = viewer.brightnessSlider.value()
    qtbot.keyClick(viewer.brightnessSlider, Qt.Key.Key_Right)
    assert viewer.brightnessSlider.value() == before + 1 and viewer.index == 0


def test_compare_by_keyboard(qtbot, viewer: ImageViewer) -> None:
    viewer.activateWindow()
    qtbot.waitUntil(viewer.isActiveWindow)
    qtbot.keyClick(viewer, Qt.Key.Key_C)
    assert viewer.compareButton.isChecked() and viewer.panels[1].isVisibleTo(viewer)
    assert viewer.compareCombo.focusPolicy() != Qt.FocusPolicy.NoFocus  # reachable by Tab
    viewer.compareCombo.setFocus()
    qtbot.waitUntil(viewer.compareCombo.hasFocus)
    qtbot.keyClick(viewer.compareCombo, Qt.Key.Key_C)
    assert not viewer.compareButton.isChecked()
