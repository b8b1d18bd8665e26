#!/usr/bin/env bash
# The bundle test (issue 18): build the Linux bundle, then run it the way a fresh machine
# would, from the bundle only, in a clean environment: an empty HOME, PATH=/usr/bin:/bin (no
# virtual environment, no PYTHONPATH), Qt offscreen. It checks, in order:
#
#   1. --version says the version written from the git tag;
#   2. `demo` builds a small demo store (1,200 reads: its image renderers are spawned helper
#      processes, so a frozen child that fails to start fails the build);
#   3. the main window opens offscreen on that store and waits at sign-in
#      (ALPR_DESKTOP_STARTUP_PROBE), three times: the start-up seconds are printed;
#   4. `import` of a vendor file by the contractor (the import reader is a spawned process);
#   5. `purge --enroll` by the custodian, then `purge` as the scheduled task runs it (the
#      purge credential in the Secret Service: gnome-keyring in its own D-Bus session, the
#      keyring backend the bundle pins);
#   6. `verify-log` by the custodian on a log of 210,000 entries (the fixture is appended by
#      the build's Python): exit 0, "intact", and its helper process seen running (the walk
#      is split from 200,000 entries on, one helper per further core);
#   7. `install-purge-timer --no-start` writes units that start this bundle's executable;
#   8. without any keyring (no D-Bus at all): `verify-log` opens with the recovery passphrase.
#
#   bash installer/smoke_test.sh              # build, then test (about 9 min here, loaded)
#   bash installer/smoke_test.sh --no-build   # test the bundle already in installer/dist
#
# Needs: the packages scripts/setup.sh installs (gnome-keyring, dbus) and its .venv for the
# build. Exit 0 when every step passed; the first failure stops it with its output.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
build=1
for arg in "$@"; do
    case $arg in
        --no-build) build=0 ;;
        *) echo "smoke_test.sh: unknown option $arg" >&2; exit 2 ;;
    esac
done
if ((build)); then
    bash installer/build.sh
fi
BUNDLE=$ROOT/installer/dist/alpr-desktop
EXE=$BUNDLE/alpr-desktop
[ -x "$EXE" ] || { echo "smoke_test.sh: no bundle at $BUNDLE (build it first)" >&2; exit 1; }
EXPECTED=$(cat "$ROOT/installer/build/VERSION")
BUILD_PY=${ALPR_BUILD_PYTHON:-$ROOT/.venv/bin/python}  # only for the step-6 fixture

WORK=$(mktemp -d /tmp/alpr-smoke.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/home" "$WORK/bin"
cp tests/fixtures/ingest/openalpr_group.json "$WORK/"
# The only program on the test's PATH besides the system's: a link to the bundle.
ln -s "$EXE" "$WORK/bin/alpr-desktop"

clean() {  # run a command in the clean environment
    env -i HOME="$WORK/home" PATH="$WORK/bin:/usr/bin:/bin" LANG=C.UTF-8 \
        QT_QPA_PLATFORM=offscreen TMPDIR="$WORK" "$@"
}

# Everything but step 8 runs inside one D-Bus session with an unlocked gnome-keyring, as on
# a desktop where the user is signed in.
cat > "$WORK/steps.sh" <<'STEPS'
set -euo pipefail
W=$1 EXPECTED=$2 EXE=$3 ROOT=$4 BUILD_PY=$5
STORE=$W/stores/station.alprdb
CUSTODIAN=Demo-Civic-Center-5M CONTRACTOR=Demo-Pole-Ladder-8W
echo -n smoke-keyring | gnome-keyring-daemon --unlock --components=secrets >/dev/null
fail() { echo "SMOKE FAILED: $*" >&2; exit 1; }
step() { printf '%-58s' "$1"; }

step "1. --version"
got=$(alpr-desktop --version)
[ "$got" = "alpr-desktop $EXPECTED" ] || fail "--version said '$got', expected $EXPECTED"
[ -z "${VIRTUAL_ENV:-}${PYTHONPATH:-}${PYTHONHOME:-}" ] || fail "a Python environment leaked in"
case ":$PATH:" in *venv*) fail "a virtual environment is on PATH: $PATH" ;; esac
echo "ok ($got)"

step "2. demo store of 1,200 reads"
timeout 900 alpr-desktop demo --store "$STORE" --reads 1200 --quiet > "$W/demo.out" 2> "$W/demo.err" \
    || fail "demo: $(cat "$W/demo.err")"
grep -q "1,200 reads" "$W/demo.out" || fail "demo said: $(cat "$W/demo.out")"
! grep -q "usage:" "$W/demo.err" || fail "a helper process did not start: $(cat "$W/demo.err")"
echo ok

step "3. main window offscreen, at sign-in (3 starts)"
times=""
for i in 1 2 3; do
    rm -f "$W/probe.json"
    t0=$(date +%s.%N)
    ALPR_DESKTOP_STARTUP_PROBE=$W/probe.json timeout 120 alpr-desktop --store "$STORE" \
        > "$W/gui.out" 2>&1 || fail "the program did not start: $(cat "$W/gui.out")"
    [ -s "$W/probe.json" ] || fail "no window came up: $(cat "$W/gui.out")"
    grep -q '"waiting": "SignInDialog"' "$W/probe.json" || fail "$(cat "$W/probe.json")"
    grep -q '"platform": "offscreen"' "$W/probe.json" || fail "$(cat "$W/probe.json")"
    ready=$(sed -E 's/.*"ready_at": ([0-9.]+).*/\1/' "$W/probe.json")
    times="$times $(awk -v a="$t0" -v b="$ready" 'BEGIN { printf "%.2f", b - a }')"
done
echo "ok (seconds to window:$times)"
echo "$times" > "$W/startup-times"

step "4. import by the contractor (reader process)"
printf '%s\n' "$CONTRACTOR" | timeout 600 alpr-desktop import "$W/openalpr_group.json" --user contractor \
    --store "$STORE" > "$W/import.out" 2> "$W/import.err" \
    || fail "import: $(cat "$W/import.out" "$W/import.err")"
! grep -q "usage:" "$W/import.err" || fail "the reader process did not start"
grep -qi "1 added" "$W/import.out" || fail "import said: $(cat "$W/import.out")"
echo ok

step "5. purge --enroll, then the scheduled purge"
printf '%s\n' "$CUSTODIAN" | alpr-desktop purge --enroll --user custodian --store "$STORE" \
    > "$W/enroll.out" 2>&1 || fail "enroll: $(cat "$W/enroll.out")"
[ -f "$STORE.purge" ] || fail "no purge credential beside the store"
alpr-desktop purge --store "$STORE" > "$W/purge.out" 2>&1 || fail "purge: $(cat "$W/purge.out")"
echo "ok ($(tail -n 1 "$W/purge.out"))"

step "6. verify-log of 210,000 entries (helper process)"
# fixture: the build's Python appends entries (not the bundle; the bundle only verifies)
env PYTHONPATH="$ROOT" "$BUILD_PY" "$ROOT/installer/smoke_fill_log.py" "$STORE" 210000 \
    > "$W/fill.out" 2>&1 || fail "filling the log: $(cat "$W/fill.out")"
printf '%s\n' "$CUSTODIAN" | alpr-desktop verify-log --user custodian --store "$STORE" \
    > "$W/verify.out" 2> "$W/verify.err" &
pid=$!
helper=0
while kill -0 "$pid" 2>/dev/null; do
    ps -o args= --ppid "$pid" 2>/dev/null | grep -q -- "--multiprocessing-fork" && helper=1
    sleep 0.05
done
wait "$pid" || fail "verify-log: $(cat "$W/verify.out" "$W/verify.err")"
grep -qi "intact" "$W/verify.out" || fail "verify-log said: $(cat "$W/verify.out")"
! grep -q "usage:" "$W/verify.err" || fail "the helper did not start: $(cat "$W/verify.err")"
if [ "$(nproc)" -gt 1 ]; then
    [ "$helper" = 1 ] || fail "no helper process was seen (one per further core)"
fi
echo "ok (helper seen: $helper; $(grep -i intact "$W/verify.out" | cut -c1-40))"

step "7. install-purge-timer --no-start"
alpr-desktop install-purge-timer --store "$STORE" --no-start > "$W/timer.out" 2>&1 \
    || fail "install-purge-timer: $(cat "$W/timer.out")"
unit=$(ls "$HOME"/.config/systemd/user/alpr-desktop-purge-*.service)
grep -q "^ExecStart=\"$EXE\" \"purge\" \"--store\" \"$STORE\"" "$unit" \
    || fail "the unit does not start the bundle: $(grep ExecStart "$unit")"
grep -q "^OnCalendar=minutely" "${unit%.service}.timer" || fail "the timer is not minutely"
echo ok
STEPS

echo "smoke test of $BUNDLE ($EXPECTED), $(du -sh "$BUNDLE" | cut -f1)"
clean dbus-run-session -- bash "$WORK/steps.sh" "$WORK" "$EXPECTED" "$(readlink -f "$EXE")" \
    "$ROOT" "$BUILD_PY"

printf '%-58s' "8. no keyring at all: verify-log with the passphrase"
out=$(printf '%s\n%s\n' Demo-Civic-Center-5M carson-demo-store-passphrase |
      clean alpr-desktop verify-log --user custodian --store "$WORK/stores/station.alprdb" 2>&1) \
    || { echo; echo "SMOKE FAILED: verify-log without a keyring: $out" >&2; exit 1; }
echo "$out" | grep -qi "intact" || { echo "SMOKE FAILED: $out" >&2; exit 1; }
echo ok
echo "smoke test passed; seconds from start to window at sign-in:$(cat "$WORK/startup-times")"
