#!/usr/bin/env bash
# Install the Linux bundle this script came with (it sits in the bundle's share/ folder).
#
#   bash alpr-desktop/share/install-linux.sh            # for this user: ~/.local/opt, ~/.local/bin
#   sudo bash alpr-desktop/share/install-linux.sh       # for every user: /opt, /usr/local/bin
#   bash .../install-linux.sh --uninstall               # removes the program, never a store
#
# Copies the bundle, links `alpr-desktop` onto PATH, and adds the desktop entry (menu) and the
# icon. The scheduled purge is a per-user timer, set up afterwards by the account that runs
# it: `alpr-desktop install-purge-timer` (installer/README.md).
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
if [ "$(id -u)" -eq 0 ]; then
    PREFIX=/opt/alpr-desktop BIN=/usr/local/bin SHARE=/usr/local/share
else
    PREFIX=$HOME/.local/opt/alpr-desktop BIN=$HOME/.local/bin SHARE=${XDG_DATA_HOME:-$HOME/.local/share}
fi
APPS=$SHARE/applications ICONS=$SHARE/icons/hicolor

if [ "${1:-}" = "--uninstall" ]; then
    rm -f "$BIN/alpr-desktop" "$APPS/alpr-desktop.desktop"
    for size in 16 24 32 48 64 128 256; do rm -f "$ICONS/${size}x${size}/apps/alpr-desktop.png"; done
    rm -f "$ICONS/scalable/apps/alpr-desktop.svg"
    # only the program's own folder: stores live in the data folder, never here
    [ -x "$PREFIX/alpr-desktop" ] && rm -rf "$PREFIX"
    echo "install-linux.sh: removed the program from $PREFIX (stores are untouched)"
    exit 0
fi

if [ "$SRC" != "$PREFIX" ]; then
    rm -rf "$PREFIX.new"
    mkdir -p "$(dirname "$PREFIX")"
    cp -a "$SRC" "$PREFIX.new"
    rm -rf "$PREFIX"
    mv "$PREFIX.new" "$PREFIX"
fi
mkdir -p "$BIN" "$APPS"
ln -sfn "$PREFIX/alpr-desktop" "$BIN/alpr-desktop"
sed "s|^Exec=.*|Exec=\"$PREFIX/alpr-desktop\"|" \
    "$PREFIX/share/alpr-desktop.desktop" > "$APPS/alpr-desktop.desktop"
for size in 16 24 32 48 64 128 256; do
    mkdir -p "$ICONS/${size}x${size}/apps"
    cp "$PREFIX/share/icons/alpr-desktop-$size.png" "$ICONS/${size}x${size}/apps/alpr-desktop.png"
done
mkdir -p "$ICONS/scalable/apps"
cp "$PREFIX/share/icons/alpr-desktop.svg" "$ICONS/scalable/apps/alpr-desktop.svg"
command -v update-desktop-database >/dev/null && update-desktop-database -q "$APPS" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$ICONS" || true
echo "install-linux.sh: installed $("$PREFIX/alpr-desktop" --version) in $PREFIX"
echo "  menu entry: $APPS/alpr-desktop.desktop; command: $BIN/alpr-desktop"
echo "  scheduled purge: a custodian enrolls it under the account that runs it, then that"
echo "  account runs: alpr-desktop install-purge-timer --store STORE"
