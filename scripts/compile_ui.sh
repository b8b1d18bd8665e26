#!/usr/bin/env bash
# Regenerate alpr_desktop/gui/forms/ui_*.py from the Qt Designer sources in ui/*.ui.
# The generated files are committed (so a plain install needs no uic) and never edited by hand;
# run this after changing a .ui file.
set -euo pipefail
cd "$(dirname "$0")/.."
UIC=${UIC:-.venv/bin/pyside6-uic}
shopt -s nullglob
for src in ui/*.ui; do
    name=$(basename "$src" .ui)
    out="alpr_desktop/gui/forms/ui_${name}.py"
    "$UIC" "$src" -o "$out"
    echo "compile_ui: $src -> $out"
done
