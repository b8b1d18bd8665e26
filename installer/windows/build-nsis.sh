#!/usr/bin/env bash
# makensis the Windows installer from a bundle folder (installer/build.sh --nsis calls this).
#   bash installer/windows/build-nsis.sh VERSION BUNDLE_DIR
# On Linux the only bundle there is is the Linux one: the installer is then built with that
# payload to prove the script compiles and packs a bundle of the real layout. Its name says so
# (…-setup-linux-payload.exe): it installs no runnable program on Windows. A Windows bundle
# (installer\build.ps1 on Windows) gives the real alpr-desktop-VERSION-setup.exe.
set -euo pipefail
VERSION=$1
BUNDLE=$(cd "$2" && pwd)
cd "$(dirname "$0")"
ICON=$(cd ../build/icons && pwd)/alpr-desktop.ico
v4=$(python3 -c 'import sys; sys.path.insert(0, ".."); from release_version import windows_file_version as w; print(".".join(map(str, w(sys.argv[1]))))' "$VERSION")
suffix=""
[ -e "$BUNDLE/alpr-desktop.exe" ] || suffix="-linux-payload"
OUT=$(cd ../dist && pwd)/alpr-desktop-$VERSION-setup$suffix.exe
compress=()  # the check build packs faster; the real one uses the script's solid LZMA
[ -n "$suffix" ] && compress=(-DCOMPRESSOR=zlib)
makensis -V2 -WX "${compress[@]}" -DVERSION="$VERSION" -DVERSION4="$v4" -DBUNDLE="$BUNDLE" -DICON="$ICON" \
    -DOUTFILE="$OUT" alpr-desktop.nsi
echo "build-nsis.sh: built $OUT ($(du -h "$OUT" | cut -f1))"
