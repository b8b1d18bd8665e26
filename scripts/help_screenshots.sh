#!/usr/bin/env bash
# Regenerate the help tutorials' pictures (alpr_desktop/resources/help/images/help_*.png)
# from the real program under Xvfb (a 1024x700 screen) on a small demo store in a throw-away
# data folder, so the tutorials never show a screen that no longer exists.
set -euo pipefail
cd "$(dirname "$0")/.."
home=$(mktemp -d -t alpr-help-shots-XXXXXX)
trap 'rm -rf "$home"' EXIT
py=${PYTHON:-.venv/bin/python}
out=${1:-alpr_desktop/resources/help/images}
ALPR_DESKTOP_HOME="$home" TMPDIR="$home" HOME="$home" \
PYTHON_KEYRING_BACKEND=keyring.backends.fail.Keyring \
    xvfb-run -a -s "-screen 0 1024x700x24" "$py" scripts/help_screenshots.py "$out"
