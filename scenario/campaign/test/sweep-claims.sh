#!/usr/bin/env bash
# Array tasks share their runs through claims (presec-sweep --task --claims): a task alone
# runs every run, its own chunk first; two tasks at once run every run exactly once between
# them; without claims a task runs its own chunk only. Bad uses are refused.
# Usage: sweep-claims.sh PRESEC_SWEEP CAMPAIGN WORK_DIR   (a campaign of 4 runs)
source "$(dirname "${BASH_SOURCE[0]}")/../../../test/common.sh"
sweep=$1
campaign=$2
work=$3
fresh_work "$work"
work=$(cd "$work" && pwd)
mapfile -t ids < <("$sweep" "$campaign" --list | cut -f1)
[ "${#ids[@]}" -eq 4 ] || fail "the campaign has ${#ids[@]} runs, 4 expected"
done_runs() { find "$1/runs" -mindepth 2 -maxdepth 2 -name run.json | wc -l; }

# Without claims: task 1 of 2 runs the second chunk only.
"$sweep" "$campaign" --out="$work/own" --task=1 --chunk=2 >"$work/own.log" 2>&1 ||
    { cat "$work/own.log"; fail "--task=1 failed"; }
[ "$(done_runs "$work/own")" -eq 2 ] || fail "without claims: $(done_runs "$work/own") runs, 2 expected"
for id in "${ids[2]}" "${ids[3]}"; do
    [ -f "$work/own/runs/$id/run.json" ] || fail "without claims: run $id (task 1's chunk) not done"
done

# Alone with claims: task 1 runs its chunk, then takes the others (wrapping around).
"$sweep" "$campaign" --out="$work/alone" --task=1 --chunk=2 --claims="$work/alone-claims" \
    >"$work/alone.log" 2>&1 || { cat "$work/alone.log"; fail "--task=1 --claims failed"; }
[ "$(done_runs "$work/alone")" -eq 4 ] || fail "alone with claims: $(done_runs "$work/alone") runs, 4 expected"
for id in "${ids[@]}"; do
    [ "$(cat "$work/alone-claims/$id")" = 1 ] || fail "run $id: claim '$(cat "$work/alone-claims/$id")', task 1 expected"
done
# The order: its own chunk first (run.json written in that order).
first=$(cd "$work/alone/runs" && ls -tr --time-style=full-iso */run.json | head -n 1 | cut -d/ -f1)
[ "$first" = "${ids[2]}" ] || fail "task 1 began with $first, not its chunk's first run ${ids[2]}"

# Two tasks at once: every run done, each claimed exactly once, by task 0 or 1.
"$sweep" "$campaign" --out="$work/two" --task=0 --chunk=2 --claims="$work/two-claims" \
    >"$work/two-0.log" 2>&1 &
p0=$!
"$sweep" "$campaign" --out="$work/two" --task=1 --chunk=2 --claims="$work/two-claims" \
    >"$work/two-1.log" 2>&1 || { cat "$work/two-1.log"; fail "task 1 failed"; }
wait "$p0" || { cat "$work/two-0.log"; fail "task 0 failed"; }
[ "$(done_runs "$work/two")" -eq 4 ] || fail "two tasks: $(done_runs "$work/two") runs, 4 expected"
[ "$(find "$work/two-claims" -type f | wc -l)" -eq 4 ] || fail "two tasks: not 4 claims"
for id in "${ids[@]}"; do
    grep -qx '[01]' "$work/two-claims/$id" || fail "run $id: claim '$(cat "$work/two-claims/$id")'"
done
# A rerun of a task claims nothing: every run is done.
"$sweep" "$campaign" --out="$work/two" --task=0 --chunk=2 --claims="$work/two-again" \
    >"$work/again.log" 2>&1 || { cat "$work/again.log"; fail "rerun failed"; }
[ -z "$(ls -A "$work/two-again")" ] || fail "a rerun claimed done runs: $(ls "$work/two-again")"

# Bad uses.
status=0
"$sweep" "$campaign" --out="$work/bad" --claims="$work/c" >"$work/bad.log" 2>&1 || status=$?
[ "$status" -eq 2 ] && grep -q -- "--claims needs --task" "$work/bad.log" ||
    fail "--claims without --task: status $status: $(cat "$work/bad.log")"
touch "$work/not-a-folder"
status=0
"$sweep" "$campaign" --out="$work/bad2" --task=0 --chunk=2 --claims="$work/not-a-folder/x" \
    >"$work/bad2.log" 2>&1 || status=$?
[ "$status" -eq 2 ] && grep -q "cannot create the claims folder" "$work/bad2.log" ||
    fail "claims folder under a file: status $status: $(cat "$work/bad2.log")"
echo "PASS: own chunk without claims, all 4 runs alone with claims, each run once with two tasks"
