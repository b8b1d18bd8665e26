#!/usr/bin/env bash
# Cold start of the built bundle to its window on an existing store (issue 18: <= 5 s), and
# the bundle's size. Figures go to docs/benchmarks.md.
#
#   bash installer/startup_bench.sh [--reads N] [--runs N] [--cold]
#
# Builds a demo store with the bundle (default 20,000 reads with images), then starts the
# bundle --runs times (default 5) in a clean environment (empty HOME, no keyring, Qt
# offscreen) and times, from exec to ALPR_DESKTOP_STARTUP_PROBE's report:
#   a. `alpr-desktop --store STORE`: the main window up, the store checked, sign-in waiting;
#   b. `alpr-desktop --demo` on the existing demo store: the main window with the store OPEN
#      (no keyring here, so the published recovery passphrase opens it: one scrypt, the open,
#      the migration check, the first screen).
# --cold drops the page cache before every start (root only: echo 3 > drop_caches), so the
# bundle's 400 MB are read from disk as on the first start after a reboot.
set -euo pipefail
cd "$(dirname "$0")/.."
reads=20000 runs=5 cold=0
while (($#)); do
    case $1 in
        --reads) reads=$2; shift ;;
        --runs) runs=$2; shift ;;
        --cold) cold=1 ;;
        *) echo "startup_bench.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
EXE=$PWD/installer/dist/alpr-desktop/alpr-desktop
[ -x "$EXE" ] || { echo "startup_bench.sh: build the bundle first (installer/build.sh)" >&2; exit 1; }
W=$(mktemp -d /tmp/alpr-startup.XXXXXX)
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/home/data/demo"
clean() {
    env -i HOME="$W/home" PATH=/usr/bin:/bin LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen \
        ALPR_DESKTOP_HOME="$W/home/data" "$@"
}
STORE=$W/home/data/demo/demo.alprdb
t=$(date +%s.%N)
clean "$EXE" demo --store "$STORE" --reads "$reads" --quiet >/dev/null
echo "demo store: $reads reads, $(du -h "$STORE" | cut -f1), built by the bundle in $(awk -v a="$t" -v b="$(date +%s.%N)" 'BEGIN{printf "%.0f", b-a}') s"

one() {  # one start; prints seconds from exec to the probe's report
    rm -f "$W/probe.json"
    if ((cold)); then sync; echo 3 > /proc/sys/vm/drop_caches; fi
    local t0
    t0=$(date +%s.%N)
    clean env ALPR_DESKTOP_STARTUP_PROBE="$W/probe.json" timeout 120 "$EXE" "$@" >"$W/out" 2>&1 \
        || { echo "start failed: $(cat "$W/out")" >&2; exit 1; }
    grep -q "$expect" "$W/probe.json" || { echo "unexpected: $(cat "$W/probe.json")" >&2; exit 1; }
    awk -v a="$t0" -v b="$(sed -E 's/.*"ready_at": ([0-9.]+).*/\1/' "$W/probe.json")" \
        'BEGIN { printf "%.2f\n", b - a }'
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

for what in sign-in open; do
    if [ "$what" = sign-in ]; then expect='"waiting": "SignInDialog"' args=(--store "$STORE")
    else expect='"store_open": true' args=(--demo); fi
    times=()
    for _ in $(seq "$runs"); do times+=("$(one "${args[@]}")"); done
    printf '%-9s %s start(s): %s  median %s s\n' "$what" "$( ((cold)) && echo cold || echo warm)" \
        "${times[*]}" "$(printf '%s\n' "${times[@]}" | median)"
done
echo "bundle: $(du -sh "$(dirname "$EXE")" | cut -f1) on disk, $(find "$(dirname "$EXE")" -type f | wc -l) files;" \
     "load average: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%F\ %H:%M) UTC"
