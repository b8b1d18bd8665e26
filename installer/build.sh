#!/usr/bin/env bash
# Build the Linux one-folder bundle (and, with --nsis, the Windows installer script's check
# build): installer/dist/alpr-desktop/alpr-desktop runs without Python.
#
#   bash installer/build.sh           # bundle in installer/dist/alpr-desktop/
#   bash installer/build.sh --nsis    # also makensis installer/windows/alpr-desktop.nsi
#                                     # against this bundle (see installer/README.md)
#
# Uses the project's .venv (scripts/setup.sh makes it) with the `installer` extra
# (pyinstaller). The version comes from the git tag (installer/release_version.py).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WORK=$ROOT/installer/build
DIST=$ROOT/installer/dist
PY=${ALPR_BUILD_PYTHON:-$ROOT/.venv/bin/python}

nsis=0
for arg in "$@"; do
    case $arg in
        --nsis) nsis=1 ;;
        *) echo "build.sh: unknown option $arg" >&2; exit 2 ;;
    esac
done

if [ ! -x "$PY" ]; then
    bash scripts/setup.sh
fi
if ! "$PY" -c 'import PyInstaller' 2>/dev/null; then
    "$PY" -m pip install -q -e '.[installer]'
fi

mkdir -p "$WORK" "$DIST"
export PYTHONPATH=$ROOT  # this tree's package, whatever the environment has installed
export ALPR_VERSION_FILE=$WORK/VERSION ALPR_ICON_DIR=$WORK/icons
VERSION=$("$PY" installer/release_version.py --write "$ALPR_VERSION_FILE")
"$PY" installer/make_icons.py "$ALPR_ICON_DIR" >/dev/null
echo "build.sh: alpr-desktop $VERSION"

start=$(date +%s)
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
    --workpath "$WORK/pyinstaller" --distpath "$DIST" installer/alpr-desktop.spec
bundle=$DIST/alpr-desktop
# The desktop entry, icons and systemd units travel with the bundle (install-linux.sh).
mkdir -p "$bundle/share"
cp installer/linux/alpr-desktop.desktop installer/linux/install-linux.sh "$bundle/share/"
cp -r "$ALPR_ICON_DIR" "$bundle/share/icons"
cp CHANGELOG.md "$bundle/share/"
echo "build.sh: built $bundle in $(( $(date +%s) - start )) s, $(du -sh "$bundle" | cut -f1)"

if ((nsis)); then
    if ! command -v makensis >/dev/null; then
        SUDO=""
        [ "$(id -u)" -ne 0 ] && SUDO="sudo"
        echo "build.sh: installing nsis (makensis)"
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nsis >/dev/null
    fi
    bash installer/windows/build-nsis.sh "$VERSION" "${ALPR_NSIS_BUNDLE:-$bundle}"
fi
