#!/usr/bin/env bash
# A campaign killed halfway and rerun gives the same results as an uninterrupted one, byte for
# byte (summary.csv, runs.csv and every run's folder), and a second campaign on its folder
# while it runs is refused; so does the Slurm path (--task for each
# array task, then --collect) run by hand.
# Usage: sweep-resume.sh PRESEC_SWEEP CAMPAIGN WORK_DIR
source "$(dirname "${BASH_SOURCE[0]}")/../../../test/common.sh"
sweep=$1
campaign=$2
work=$3
fresh_work "$work"
need setsid parallel pkill pgrep

start=$(date +%s.%N)
"$sweep" "$campaign" --out="$work/full" --jobs=2 >"$work/full.log" 2>&1 ||
    fail "uninterrupted campaign: exit status $? ($(tail -5 "$work/full.log"))"
end=$(date +%s.%N)
total=$(ls "$work"/full/runs/*/run.json | wc -l)
echo "uninterrupted: $total runs in $(echo "$end - $start" | bc) s on 2 jobs"

# Killed: its own session, so the kill reaches parallel and the runs under it.
setsid "$sweep" "$campaign" --out="$work/resumed" --jobs=2 >"$work/killed.log" 2>&1 &
pid=$!
for _ in $(seq 1200); do
    # (the runs folder appears only once the campaign has started: slow under ASan)
    done_runs=$( (find "$work/resumed/runs" -name run.json 2>/dev/null || true) | wc -l)
    [ "$done_runs" -ge $((total / 4)) ] && break
    sleep 0.05
done
# A second campaign on the same folder meanwhile is refused (the folder's lock), runs nothing.
status=0
"$sweep" "$campaign" --out="$work/resumed" --jobs=2 >"$work/second.log" 2>&1 || status=$?
[ "$status" -eq 2 ] && grep -q "another presec-sweep is running this campaign" "$work/second.log" ||
    fail "a second presec-sweep on a running campaign's folder: exit $status, $(cat "$work/second.log")"
# GNU parallel starts every job in a process group of its own, so the kill goes to the whole
# session, and the count waits until no process of it is left to finish one more run.
pkill -KILL -s "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
for _ in $(seq 200); do
    pgrep -s "$pid" >/dev/null || break
    pkill -KILL -s "$pid" 2>/dev/null || true
    sleep 0.05
done
pgrep -s "$pid" >/dev/null && fail "processes of the killed campaign still run: $(pgrep -a -s "$pid")"
done_runs=$(find "$work/resumed/runs" -name run.json | wc -l)
[ "$done_runs" -lt "$total" ] || fail "the campaign ended before it was killed"
[ -f "$work/resumed/summary.csv" ] && fail "a killed campaign wrote an aggregate"
echo "killed with $done_runs of $total runs done"

"$sweep" "$campaign" --out="$work/resumed" --jobs=2 >"$work/resumed.log" 2>&1 ||
    fail "resumed campaign: exit status $? ($(tail -5 "$work/resumed.log"))"
grep -q "$done_runs already done" "$work/resumed.log" ||
    fail "the rerun did not skip the $done_runs done runs: $(head -3 "$work/resumed.log")"

# The Slurm path by hand: the script, every array task, then --collect.
"$sweep" "$campaign" --out="$work/slurm" --slurm --no-submit --chunk=6 >"$work/slurm.log" 2>&1 ||
    fail "--slurm: $(cat "$work/slurm.log")"
script="$work/slurm/sweep.sbatch"
tasks=$(( (total + 5) / 6 ))
grep -q "^#SBATCH --array=0-$((tasks - 1))\$" "$script" || fail "sweep.sbatch: no --array=0-$((tasks - 1))"
grep -q "^#SBATCH --output=$work/slurm/slurm/%A_%a.out\$" "$script" || fail "sweep.sbatch: --output"
grep -q -- "--task=\"\$SLURM_ARRAY_TASK_ID\" --chunk=6" "$script" || fail "sweep.sbatch: task line"
for k in $(seq 0 $((tasks - 1))); do
    "$sweep" "$campaign" --out="$work/slurm" --task="$k" --chunk=6 2>>"$work/slurm.log" ||
        fail "--task=$k: $(tail -3 "$work/slurm.log")"
done
"$sweep" "$campaign" --out="$work/slurm" --collect >>"$work/slurm.log" 2>&1 ||
    fail "--collect: $(tail -3 "$work/slurm.log")"

for other in resumed slurm; do
    for f in summary.csv runs.csv; do
        cmp "$work/full/$f" "$work/$other/$f" || fail "$other/$f differs from the uninterrupted one"
    done
    diff -r "$work/full/runs" "$work/$other/runs" >"$work/$other.diff" ||
        fail "$other: run folders differ ($(head -5 "$work/$other.diff"))"
done
[ "$(ls "$work/full/runs/.tmp" | wc -l)" -eq 0 ] || fail "temporary run folders left over"
echo "killed + resumed and the Slurm path equal the uninterrupted campaign, byte for byte"
