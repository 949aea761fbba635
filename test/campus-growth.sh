#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# bench/campus-growth.sh reads presec-bench-campus's output: its table has every column filled
# from it (times, ratio, RSS, memory on huge pages), and each run was pinned to the processor
# the script names. A change of the bench's wording that the script no longer parses fails here.
# Usage: campus-growth.sh SOURCE_DIR BUILD_DIR WORK_DIR
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
need taskset python3
src=$1
build=$2
work=$3
fresh_work "$work"
bash "$src/bench/campus-growth.sh" "$build" --sizes=1000 --duration=0.2 --repeats=1 \
    --work="$work/run" >"$work/out.txt" 2>&1 || { cat "$work/out.txt"; fail "campus-growth failed"; }
header=$(grep '^terminals ' "$work/out.txt") || fail "no table: $(cat "$work/out.txt")"
[ "$(echo "$header" | wc -w)" -eq 11 ] || fail "table header: $header"
row=$(awk '$1 == 1000 && NF == 11' "$work/out.txt")
[ -n "$row" ] || fail "no 11-column row for 1,000 terminals: $(cat "$work/out.txt")"
python3 - "$row" <<'PY' || fail "row: $row"
import sys
v = [float(x) for x in sys.argv[1].split()]
plain, presec, ratio, rss, huge = v[1], v[2], v[3], v[8], v[10]
assert plain > 0 and presec > 0, "times"
# The times are printed to 0.01 s, the ratio from the unrounded ones: allow the rounding.
slack = ratio * (0.005 / plain + 0.005 / presec) + 0.0005
assert abs(ratio - presec / plain) <= slack, "ratio is not presec / plain"
assert rss > 10, "peak RSS"
assert huge >= -1, "huge pages"
PY
for m in plain presec; do
    grep -q 'on huge pages after the run' "$work/run/run-1000-1-$m.txt" ||
        fail "the $m run does not print its huge pages"
    # Pinned, whatever this test may use.
    grep -q '; 1 processor(s) allowed$' "$work/run/run-1000-1-$m.txt" ||
        fail "the $m run was not pinned: $(head -1 "$work/run/run-1000-1-$m.txt")"
done
echo "campus-growth: table complete ($row)"
