#!/usr/bin/env bash
# Set up everything the program and its tests need on a fresh Debian/Ubuntu machine:
# the system libraries Qt loads (offscreen and xcb), Xvfb and PDF tools for the tests,
# a virtual environment in .venv, and the project with its test extra.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "setup: Python 3.11 or newer is needed (found: $("$PY" --version 2>&1))" >&2
    exit 1
fi

APT_PACKAGES=(
    libegl1 libgl1 libglib2.0-0 libfontconfig1 libfreetype6 libdbus-1-3
    libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0
    libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0
    libxcb-xkb1 libxcb-xfixes0 libx11-xcb1 fonts-dejavu-core
    xvfb xauth x11-utils poppler-utils qpdf gnome-keyring dbus-x11 python3-venv
)
# The test command also needs PostgreSQL (tests and benchmarks start a throwaway cluster of
# their own as an unprivileged user); the demo does not.
if [ "${ALPR_SETUP_FOR_TESTS:-0}" = 1 ]; then
    APT_PACKAGES+=(postgresql postgresql-contrib)
fi
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    echo "setup: installing system packages: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
    "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'
