#!/usr/bin/env bash
# Quick start 2: set up, then run the whole test suite (lint, types, unit, GUI offscreen,
# integration under Xvfb, benchmarks at a small size). Which packages mypy checks is set in
# pyproject.toml ([tool.mypy] files); the import-linter contracts run inside the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
ALPR_SETUP_FOR_TESTS=1 bash scripts/setup.sh
.venv/bin/ruff check alpr_desktop tests benchmarks installer
.venv/bin/mypy
ALPR_REQUIRE_POSTGRES=1 QT_QPA_PLATFORM=offscreen exec .venv/bin/python -m pytest "$@"
