#!/usr/bin/env bash
# Refresh docs/screenshots/main_window.png: the real program under Xvfb on the demo store
# (built on first use in a throw-away data directory), main window grabbed once it is open.
# Needs Xvfb (scripts/setup.sh installs it).
set -euo pipefail
cd "$(dirname "$0")/.."
home=$(mktemp -d -t alpr-screenshot-XXXXXX)
trap 'rm -rf "$home"' EXIT
mkdir -p docs/screenshots
.venv/bin/python tests/integration/test_screenshot.py \
    --home "$home" --demo \
    --out "$home/screen.png" \
    --window-out docs/screenshots/main_window.png "$@"
echo "screenshot: docs/screenshots/main_window.png"
