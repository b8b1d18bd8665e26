"""Accessible names for every control (issue 12): a screen reader, and a keyboard user's
tooltips, need to know what each field is. Names come from what a sighted user reads next to
the control: its own text, the label whose buddy it is (or its form-layout label), its
placeholder or tooltip. ``unnamed_controls`` lists what is left without one, for the tests."""

from __future__ import annotations

import re

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

_MNEMONIC = re.compile(r"&\w")
CONTROLS = (QAbstractButton, QAbstractItemView, QAbstractSlider, QAbstractSpinBox, QComboBox,
            QLineEdit, QPlainTextEdit, QTextEdit, QGroupBox)


def _clean(text: str) -> str:
    """A label's text as spoken: mnemonics and a trailing colon removed."""
    return " ".join(text.replace("&&", "\0").replace("&", "").replace("\0", "&")
                    .rstrip().rstrip(":").split())


def _form_label(widget: QWidget) -> str:
    parent = widget.parentWidget()
    layout = parent.layout() if parent is not None else None
    stack = [layout] if layout is not None else []
    while stack:
        lay = stack.pop()
        if isinstance(lay, QFormLayout):
            label = lay.labelForField(widget)
            if isinstance(label, QLabel) and label.text():
                return label.text()
        for i in range(lay.count()):
            item = lay.itemAt(i)
            child = item.layout() if item is not None else None
            if child is not None:
                stack.append(child)
    return ""


def describe(widget: QWidget, buddies: dict[int, str]) -> str:
    """What the control is called on screen, or "" when nothing says it."""
    if isinstance(widget, QGroupBox):
        text = widget.title()
    elif isinstance(widget, QAbstractButton):
        text = widget.text()
    else:
        text = ""
    text = text or buddies.get(id(widget), "") or _form_label(widget)
    if not text and isinstance(widget, QLineEdit | QPlainTextEdit):
        text = widget.placeholderText()
    return _clean(text or widget.toolTip().split("\n")[0])


def name_controls(root: QWidget) -> None:
    """Give every control under ``root`` without an accessible name the one it shows."""
    buddies = {id(label.buddy()): label.text() for label in root.findChildren(QLabel)
               if label.buddy() is not None and label.text()}
    for widget in [root, *root.findChildren(QWidget)]:
        if isinstance(widget, CONTROLS) and not widget.accessibleName():
            name = describe(widget, buddies)
            if name:
                widget.setAccessibleName(name)


def unnamed_controls(root: QWidget) -> list[QWidget]:
    """Controls under ``root`` that still have no accessible name (internal parts of
    composite widgets, such as a spin box's line edit or a scroll bar, are skipped)."""
    out: list[QWidget] = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or widget.accessibleName():
            continue
        if widget.objectName().startswith("qt_") or _inside_composite(widget):
            continue
        if type(widget).__name__ in ("QScrollBar", "QHeaderView"):
            continue
        out.append(widget)
    return out


def _inside_composite(widget: QWidget) -> bool:
    """Part of a spin box, combo box (its popup list) or date edit, which carry the name."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractSpinBox | QComboBox):
            return True
        parent = parent.parentWidget()
    return False


def stray_mnemonics(root: QWidget) -> list[str]:
    """Label texts that would show a literal '&' (a mnemonic, '&' before a letter, with no
    buddy to go to). "Avalon & 223rd" is text, not a mnemonic."""
    return [label.text() for label in root.findChildren(QLabel)
            if _MNEMONIC.search(label.text().replace("&&", "")) and label.buddy() is None
            and not label.text().lstrip().startswith("<")]
