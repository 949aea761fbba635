#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# bench/campus-timeshare.py: both modes of a repetition ran in turns on one processor (each
# took several turns, and the script waits for a stopped run to stop before the other goes on:
# it fails when SIGSTOP does not take), pinned, and its table is filled from the bench's
# processor times (the ratio is presec / plain). A change of the bench's wording that the
# script no longer parses fails here.
# Usage: campus-timeshare.sh SOURCE_DIR BUILD_DIR WORK_DIR
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
need python3
src=$1
build=$2
work=$3
fresh_work "$work"
python3 "$src/bench/campus-timeshare.py" "$build" --duration=0.2 --repeats=2 --slice=0.02 \
    --work="$work/run" >"$work/out.txt" 2>&1 ||
    { cat "$work/out.txt"; fail "campus-timeshare failed"; }
rows=$(awk '$1 ~ /^[0-9]+$/ && NF == 6' "$work/out.txt")
[ "$(echo "$rows" | wc -l)" -eq 2 ] || fail "not two 6-column rows: $(cat "$work/out.txt")"
summary=$(grep '^plain_cpu_s ' "$work/out.txt") || fail "no summary: $(cat "$work/out.txt")"
python3 - "$work/run" "$summary" "$rows" <<'PY' || fail "table: $(cat "$work/out.txt")"
import re, statistics, sys
work, summary, rows = sys.argv[1], sys.argv[2], sys.argv[3]
ratios = []
for line in rows.splitlines():
    r, plain, presec, ratio, plain_turns, presec_turns = line.split()
    plain, presec, ratio = float(plain), float(presec), float(ratio)
    for mode, value in (("plain", plain), ("presec", presec)):
        text = open(f"{work}/run-{r}-{mode}.txt").read()
        own = float(re.search(r"processor time of the run: ([0-9.]+) s", text).group(1))
        assert abs(own - value) < 0.0006, f"{mode} {value} is not its run's {own}"
        assert re.search(r"; 1 processor\(s\) allowed$", text, re.M), f"{mode} not pinned"
    assert plain > 0 and presec > 0, "times"
    # Printed to 0.001 s, the ratio from the unrounded ones: allow the rounding.
    assert abs(ratio - presec / plain) <= ratio * (0.0005 / plain + 0.0005 / presec) + 0.0005
    # Each run was stopped and went on again several times: it ran in turns.
    assert int(plain_turns) >= 3 and int(presec_turns) >= 3, "turns"
    ratios.append(presec / plain)
m = float(re.search(r"ratio ([0-9.]+)", summary).group(1))
assert abs(m - statistics.median(ratios)) <= 0.002, "summary ratio is not the rows' median"
PY
# --against: presec of two builds (here the same one twice) in turns, after / before.
python3 "$src/bench/campus-timeshare.py" "$build" --against="$build" --duration=0.2 --repeats=1 \
    --slice=0.02 --work="$work/ab" >"$work/ab.txt" 2>&1 ||
    { cat "$work/ab.txt"; fail "campus-timeshare --against failed"; }
grep -Eq '^rep +before_cpu_s +after_cpu_s +ratio +before_turns +after_turns$' "$work/ab.txt" ||
    fail "--against: no before/after table: $(cat "$work/ab.txt")"
grep -q '^before_cpu_s .*(after / before)$' "$work/ab.txt" ||
    fail "--against: no after/before summary: $(cat "$work/ab.txt")"
for side in before after; do
    grep -q '^presec *:' "$work/ab/run-1-$side.txt" || fail "--against: the $side run is not presec's"
done
echo "campus-timeshare: $(echo "$rows" | tr '\n' ';')"
