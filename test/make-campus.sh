#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The shipped campus scenarios are what tools/make-campus.py writes ("edit the script, not
# the file"), the growth sizes parse as scenarios, and a size it cannot lay out is refused.
# Usage: make-campus.sh SOURCE_DIR PRESEC_RUN WORK_DIR
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
src=$1
run=$2
work=$3
fresh_work "$work"
python3 "$src/tools/make-campus.py" | cmp - "$src/scenarios/campus-1000.xml" ||
    fail "scenarios/campus-1000.xml differs from tools/make-campus.py's output"
python3 "$src/tools/make-campus.py" --terminals=10000 | cmp - "$src/scenarios/campus-10000.xml" ||
    fail "scenarios/campus-10000.xml differs from tools/make-campus.py --terminals=10000"
python3 "$src/tools/make-campus.py" --terminals=2000 >"$work/campus-2000.xml"
"$run" "$work/campus-2000.xml" --duration=0.01 --report=0 --sample=0 --out="$work/out" >"$work/run.log" ||
    fail "the 2,000-terminal campus does not run"
[ "$(grep -c '^t0' "$work/out/terminals.csv")" -eq 2000 ] || fail "not 2,000 terminals"
if python3 "$src/tools/make-campus.py" --terminals=1500 >/dev/null 2>"$work/err.txt"; then
    fail "1,500 terminals accepted"
fi
grep -q "multiple of 1000" "$work/err.txt" || fail "no reason given for 1,500"
echo "campus generator: shipped files match, 2,000 runs, 1,500 refused"
