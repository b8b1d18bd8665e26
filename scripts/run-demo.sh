#!/usr/bin/env bash
# Quick start 1: set up, then open the program on the demo store (built on first use).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/alpr-desktop --demo "$@"
