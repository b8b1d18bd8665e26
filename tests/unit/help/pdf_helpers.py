"""Reading PDFs back for the issue 17 tests: text through pdftotext, and every font size the
page content streams set (the "Tf" operator), inflated where compressed."""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
import zlib
from pathlib import Path

import pytest

needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True, timeout=120).stdout


def font_sizes(path: Path) -> set[float]:
    data = path.read_bytes()
    sizes: set[float] = set()
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        raw = m.group(1).strip()
        if raw.endswith(b"~>"):  # reportlab's ASCII85 over Flate
            raw = base64.a85decode(raw[:-2])
        try:
            raw = zlib.decompress(raw)
        except zlib.error:
            pass
        sizes |= {float(s) for s in re.findall(rb"/F\w+ ([\d.]+) Tf", raw)}
    return sizes
