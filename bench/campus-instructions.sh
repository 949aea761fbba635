#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Campus overhead in instructions (issue 15, deliverable 11: presec <= 1.10x the same scenario
# without presec), a companion to campus-growth's wall-clock ratio.
#
#   ./presec bench campus-instructions [--terminals=N] [--duration=S] [--work=DIR]
#   (runs bench/campus-instructions.sh BUILD_DIR ARGS...)
#
# tools/make-campus.py --terminals=N writes the campus; two presec-bench-campus processes run
# it for S simulated seconds under valgrind's cachegrind (instruction counts only, no cache
# simulation), one without and one with presec, side by side (a count does not depend on what
# else the host runs). Printed: plain_ir, presec_ir (instructions, setup included) and their
# ratio. The counts repeat to the instruction where this host's wall times swing by 15% (one
# campus-growth run of 9 repetitions: median 1.18, 96% interval [1.06, 1.41]), so this ratio
# is the one that can be compared across commits; it does not see cache misses or
# mispredicted branches (counted by hand with cachegrind's simulators: 1.09 and 1.13 of plain
# at campus-1000, 10 s). Takes about 7 minutes for 1,000 terminals and 20 s.
# Exit status 0 whatever the figures (a benchmark is no build failure); 2 on errors.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
[ $# -ge 1 ] || { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
build_dir=$1
shift
terminals=1000
duration=20
work=""
for a in "$@"; do
    case "$a" in
    --terminals=*) terminals=${a#--terminals=} ;;
    --duration=*) duration=${a#--duration=} ;;
    --work=*) work=${a#--work=} ;;
    *) echo "campus-instructions: unknown argument $a" >&2; exit 2 ;;
    esac
done
bench=$build_dir/bin/presec-bench-campus
[ -x "$bench" ] || { echo "campus-instructions: no $bench (./presec build)" >&2; exit 2; }
command -v valgrind >/dev/null ||
    { echo "campus-instructions: needs valgrind (apt-get install valgrind)" >&2; exit 2; }
if [ -z "$work" ]; then
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work"
scenario=$work/campus-$terminals.xml
python3 "$here/tools/make-campus.py" --terminals="$terminals" >"$scenario" ||
    { echo "campus-instructions: make-campus.py --terminals=$terminals failed" >&2; exit 2; }

pids=()
for mode in plain presec; do
    valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
        "$bench" --scenario="$scenario" --duration="$duration" --modes="$mode" \
        >"$work/$mode.log" 2>&1 &
    pids+=($!)
done
for p in "${pids[@]}"; do
    wait "$p" || { echo "campus-instructions: a run failed (logs in $work)" >&2; exit 2; }
done
count() { # mode -> instructions executed
    sed -n 's/.*I *refs: *\([0-9,]*\).*/\1/p' "$work/$1.log" | tr -d , | head -1
}
plain=$(count plain)
presec=$(count presec)
[ -n "$plain" ] && [ -n "$presec" ] ||
    { echo "campus-instructions: no instruction count (logs in $work)" >&2; exit 2; }
echo "campus-$terminals, $duration simulated s, instructions (setup included):"
awk -v a="$plain" -v b="$presec" 'BEGIN {
    printf "plain_ir %.0f\npresec_ir %.0f\nratio %.4f (target <= 1.10)\n", a, b, b / a }'
