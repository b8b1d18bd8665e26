"""One image on screen: zoom (wheel, keys, buttons), pan by dragging, rotate, the plate's box.

Pixels are shown as they are: above 200% the pixmap is drawn without smoothing, so at 800% each
stored pixel is a sharp square an analyst can count, not a blur that invents in-between values.
Below that, smoothing keeps a scaled-down scene legible. A bad image is a placeholder with a
sentence, never an exception.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QFocusEvent,
    QFont,
    QImage,
    QMouseEvent,
    QPainter,
    QPen,
    QPixmap,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsPixmapItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsTextItem,
    QGraphicsView,
    QWidget,
)

from alpr_desktop.core.models import BBox
from alpr_desktop.gui import palette

MIN_ZOOM = 0.05
MAX_ZOOM = 16.0
ZOOM_STEP = 1.25
SMOOTH_BELOW = 2.0  # zoom at which smoothing stops: pixels become visible squares
BOX_COLOR = palette.PLATE_BOX


def to_qimage(image: np.ndarray) -> QImage:
    """A QImage that owns a copy of ``image`` (grey, BGR or BGRA uint8): the array may be
    freed. BGRA (imaging.decode.display_bgra) is Qt's native RGB32 and needs no conversion
    when it becomes a pixmap; build it on a worker (QImage, unlike QPixmap, may be)."""
    img = np.ascontiguousarray(image)
    h, w = img.shape[:2]
    if img.ndim == 2:
        fmt = QImage.Format.Format_Grayscale8
    elif img.shape[2] == 4:
        fmt = QImage.Format.Format_RGB32
    else:
        fmt = QImage.Format.Format_BGR888
    return QImage(img.data, w, h, img.strides[0], fmt).copy()


class ImagePane(QGraphicsView):
    zoom_changed = Signal(float)
    activated = Signal()  # the pane was clicked or focused: toolbar actions apply to it

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.setObjectName(f"pane_{title.lower()}")
        self._scene = QGraphicsScene(self)
        self.setScene(self._scene)
        self.pixmap_item = QGraphicsPixmapItem()
        self.pixmap_item.setShapeMode(QGraphicsPixmapItem.ShapeMode.BoundingRectShape)
        self._scene.addItem(self.pixmap_item)
        self.box_item = QGraphicsRectItem(self.pixmap_item)
        pen = QPen(BOX_COLOR, 2)
        pen.setCosmetic(True)  # the same width on screen at any zoom
        self.box_item.setPen(pen)
        self.box_item.setVisible(False)
        self.placeholder_item = QGraphicsTextItem()
        self._scene.addItem(self.placeholder_item)
        self.placeholder_item.setVisible(False)
        self.message = ""
        self.has_image = False
        self.enhanced = False
        self.derived = False  # cut from the overview (services/images.derived_crop)
        self.active = False
        self._zoom = 1.0
        self._rotation = 0
        self._fit_mode = True
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setBackgroundBrush(QBrush(palette.IMAGE_BACKDROP))
        self.setFrameShape(QFrame.Shape.Box)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(160, 120)
        self._apply_smoothing()

    # -- content -----------------------------------------------------------------------------
    def set_image(self, image: np.ndarray, bbox: BBox | None = None, *,
                  keep_view: bool = False, prepared: QImage | None = None) -> None:
        """Show ``image`` (or its ``prepared`` QImage, made on a worker); ``keep_view`` keeps
        zoom, pan and rotation (a new enhancement of the same picture)."""
        qimage = prepared if prepared is not None else to_qimage(image)
        self.pixmap_item.setPixmap(
            QPixmap.fromImage(qimage, Qt.ImageConversionFlag.NoFormatConversion))
        self.placeholder_item.setVisible(False)
        self.pixmap_item.setVisible(True)
        self.has_image = True
        self.message = ""
        if bbox is not None and bbox.w > 0 and bbox.h > 0:
            self.box_item.setRect(QRectF(bbox.x, bbox.y, bbox.w, bbox.h))
            self.box_item.setVisible(True)
        elif not keep_view:
            self.box_item.setVisible(False)
        self._scene.setSceneRect(self.pixmap_item.sceneBoundingRect())
        if not keep_view:
            self._rotation = 0
            self.pixmap_item.setRotation(0)
            self._recenter_rotation()
            self.fit()

    def set_placeholder(self, message: str) -> None:
        """No picture: a grey card with ``message`` (why there is none)."""
        self.pixmap_item.setPixmap(QPixmap())
        self.pixmap_item.setVisible(False)
        self.box_item.setVisible(False)
        self.has_image = False
        self.message = message
        self.placeholder_item.setPlainText(f"{self.title}: no picture\n\n{message}")
        self.placeholder_item.setDefaultTextColor(palette.IMAGE_PLACEHOLDER_TEXT)
        font = QFont(self.font())
        font.setPointSizeF(max(9.0, font.pointSizeF()))
        self.placeholder_item.setFont(font)
        self.placeholder_item.setTextWidth(max(200, self.viewport().width() - 40))
        self._scene.setSceneRect(self.placeholder_item.sceneBoundingRect().adjusted(-10, -10,
                                                                                   10, 10))
        self.placeholder_item.setVisible(True)
        self.resetTransform()
        self._zoom = 1.0
        self.zoom_changed.emit(self._zoom)

    def clear(self) -> None:
        self.set_placeholder("")
        self.placeholder_item.setVisible(False)

    def pixmap_size(self) -> tuple[int, int]:
        p = self.pixmap_item.pixmap()
        return p.width(), p.height()

    # -- zoom, rotation ------------------------------------------------------------------------
    @property
    def zoom(self) -> float:
        return self._zoom

    @property
    def rotation(self) -> int:
        return self._rotation

    def _apply_smoothing(self) -> None:
        smooth = self._zoom < SMOOTH_BELOW
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, smooth)
        self.pixmap_item.setTransformationMode(
            Qt.TransformationMode.SmoothTransformation if smooth
            else Qt.TransformationMode.FastTransformation
        )

    @property
    def smooth(self) -> bool:
        return self.pixmap_item.transformationMode() == Qt.TransformationMode.SmoothTransformation

    def set_zoom(self, zoom: float) -> None:
        """Zoom to ``zoom`` (1.0 = one stored pixel per screen pixel), clamped."""
        if not self.has_image:
            return
        self._fit_mode = False
        self._zoom = min(MAX_ZOOM, max(MIN_ZOOM, float(zoom)))
        self.setTransform(self.transform().fromScale(self._zoom, self._zoom))
        self._apply_smoothing()
        self.zoom_changed.emit(self._zoom)

    def zoom_in(self) -> None:
        self.set_zoom(self._zoom * ZOOM_STEP)

    def zoom_out(self) -> None:
        self.set_zoom(self._zoom / ZOOM_STEP)

    def actual_size(self) -> None:
        self.set_zoom(1.0)

    def fit(self) -> None:
        """Scale the whole (rotated) image into the pane."""
        if not self.has_image:
            return
        rect = self.pixmap_item.sceneBoundingRect()
        view = self.viewport().rect()
        if rect.isEmpty() or view.isEmpty():
            return
        z = min(view.width() / rect.width(), view.height() / rect.height())
        self.set_zoom(z)
        self._fit_mode = True
        self.centerOn(rect.center())

    def rotate_by(self, degrees: int = 90) -> None:
        """Rotate the picture (not the stored image) by a multiple of 90°."""
        if not self.has_image:
            return
        self._rotation = (self._rotation + degrees) % 360
        self.pixmap_item.setRotation(self._rotation)
        self._recenter_rotation()
        self._scene.setSceneRect(self.pixmap_item.sceneBoundingRect())
        if self._fit_mode:
            self.fit()

    def _recenter_rotation(self) -> None:
        r = self.pixmap_item.boundingRect()
        self.pixmap_item.setTransformOriginPoint(r.center())

    def visible_scene_center(self) -> QPointF:
        return self.mapToScene(self.viewport().rect().center())

    # -- events ------------------------------------------------------------------------------
    def wheelEvent(self, event: QWheelEvent) -> None:
        """The wheel zooms around the cursor (with or without Ctrl); Shift+wheel scrolls."""
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier or not self.has_image:
            super().wheelEvent(event)
            return
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.set_zoom(self._zoom * ZOOM_STEP ** steps)
        event.accept()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._fit_mode and self.has_image:
            self.fit()
        elif not self.has_image and self.placeholder_item.isVisible():
            self.placeholder_item.setTextWidth(max(200, self.viewport().width() - 40))

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.activated.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.activated.emit()
        super().mousePressEvent(event)

    def set_active(self, active: bool) -> None:
        self.active = active
        self.viewport().update()

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        """Badges in screen space: which image, and ENHANCED when the picture is not the
        original (a screenshot of the pane must say so too)."""
        super().drawForeground(painter, rect)
        painter.save()
        painter.resetTransform()
        font = QFont(self.font())
        font.setBold(True)
        painter.setFont(font)
        fm = painter.fontMetrics()
        label = f"{self.title} · {self._zoom * 100:.0f}%" if self.has_image else self.title
        w = fm.horizontalAdvance(label) + 12
        painter.fillRect(4, 4, w, fm.height() + 6, palette.OVERLAY_BACKGROUND)
        painter.setPen(palette.OVERLAY_TEXT)
        painter.drawText(10, 4 + 3 + fm.ascent(), label)
        if self.enhanced and self.has_image:
            text = "ENHANCED — not the original"
            ew = fm.horizontalAdvance(text) + 12
            painter.fillRect(8 + w, 4, ew, fm.height() + 6, palette.OVERLAY_ALTERED)
            painter.drawText(14 + w, 4 + 3 + fm.ascent(), text)
        if self.derived and self.has_image:
            text = "DERIVED — cut from the overview"
            dy = fm.height() + 10
            painter.fillRect(4, 4 + dy, fm.horizontalAdvance(text) + 12, fm.height() + 6,
                             palette.OVERLAY_ALTERED)
            painter.drawText(10, 4 + dy + 3 + fm.ascent(), text)
        if self.active:
            pen = QPen(palette.FOCUS_FRAME, 3)
            painter.setPen(pen)
            vr = self.viewport().rect().adjusted(1, 1, -2, -2)
            painter.drawRect(vr)
        painter.restore()
