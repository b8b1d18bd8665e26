#!/usr/bin/env bash
# Quick start 2: set up, then run the whole test suite (lint, unit, GUI offscreen, integration
# under Xvfb, benchmarks at a small size).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check alpr_desktop tests benchmarks
QT_QPA_PLATFORM=offscreen exec .venv/bin/python -m pytest "$@"
