#!/usr/bin/env bash
# Screenshots of the profile, the map and a case-file page into docs/screenshots/views_*.png: the real
# program under Xvfb (a 1024x700 screen) on a small demo store in a throw-away data folder.
# QT_SCALE_FACTOR=2 with a 2048x1400 screen shows the same flow at 200 % (pass SCALE=2).
set -euo pipefail
cd "$(dirname "$0")/.."
home=$(mktemp -d -t alpr-views-shots-XXXXXX)
trap 'rm -rf "$home"' EXIT
py=${PYTHON:-.venv/bin/python}
scale=${SCALE:-1}
out=${1:-docs/screenshots}
if [ "$scale" != 1 ]; then out=${1:-$home/scaled}; fi
ALPR_DESKTOP_HOME="$home" TMPDIR="$home" HOME="$home" QT_SCALE_FACTOR="$scale" \
PYTHON_KEYRING_BACKEND=keyring.backends.fail.Keyring \
    xvfb-run -a -s "-screen 0 $((1024 * scale))x$((700 * scale))x24" \
    "$py" scripts/views_screenshots.py "$out"
