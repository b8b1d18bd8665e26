"""Render the program's icon (alpr_desktop/resources/app-icon.svg) for the installers.

Writes PNGs at 16-256 px (the Linux hicolor theme, the bundle's icon) and a Windows .ico
holding the PNGs (ICO files may carry PNG images since Windows Vista), so the SVG stays the one
source. Uses Qt's SVG renderer, which the program already carries.

    python installer/make_icons.py OUT_DIR
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

SIZES = (16, 24, 32, 48, 64, 128, 256)
SVG = Path(__file__).resolve().parents[1] / "alpr_desktop" / "resources" / "app-icon.svg"


def ico_bytes(pngs: list[tuple[int, bytes]]) -> bytes:
    """An ICO file whose images are the given (size, PNG bytes); 256 is written as 0."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    entries, blobs = b"", b""
    for size, data in pngs:
        dim = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset)
        blobs += data
        offset += len(data)
    return header + entries + blobs


def render(out: Path) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"make_icons: cannot read {SVG}")
    out.mkdir(parents=True, exist_ok=True)
    written, pngs = [], []
    for size in SIZES:
        img = QImage(size, size, QImage.Format.Format_ARGB32)
        img.fill(Qt.GlobalColor.transparent)
        painter = QPainter(img)
        renderer.render(painter)
        painter.end()
        data = QByteArray()
        buf = QBuffer(data)
        buf.open(QIODevice.OpenModeFlag.WriteOnly)
        img.save(buf, "PNG")
        buf.close()
        png = bytes(data.data())
        target = out / f"alpr-desktop-{size}.png"
        target.write_bytes(png)
        written.append(target)
        if size in (16, 24, 32, 48, 256):
            pngs.append((size, png))
    ico = out / "alpr-desktop.ico"
    ico.write_bytes(ico_bytes(pngs))
    (out / "alpr-desktop.svg").write_bytes(SVG.read_bytes())
    return [*written, ico]


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: make_icons.py OUT_DIR")
    for path in render(Path(sys.argv[1])):
        print(path)
