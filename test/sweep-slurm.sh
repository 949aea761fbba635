#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# presec-sweep through Slurm gives the local executor's results (issue 14): a campaign runs
# once with the local executor (GNU parallel) into WORK/local, once as a job array in a private
# single-node Slurm cluster (test/slurm-cluster.sh) into WORK/slurm (--slurm, wait until the
# array is gone from squeue, --collect). Every run folder of one must be in the other, every
# file of a run (the results, command.txt, run.json; not stdout.txt and stderr.txt, which
# are not results) identical byte for byte, and summary.csv identical. The daemons are stopped
# by pid, also when the test fails.
# Usage: sweep-slurm.sh PRESEC_SWEEP CAMPAIGN WORK_DIR
# Exit status 77 (skipped) when this host cannot start a cluster (root, munge, slurm-wlm).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/slurm-cluster.sh"
[ $# -eq 3 ] || { echo "usage: $0 PRESEC_SWEEP CAMPAIGN WORK_DIR" >&2; exit 2; }
sweep=$1
campaign=$2
work=$3
if ! slurm_cluster_available; then
    echo "SKIP: a test Slurm cluster needs root, munge (munged) and slurm-wlm (slurmctld, slurmd)"
    exit 77
fi
fresh_work "$work"
work=$(cd "$work" && pwd)
timeout=${SWEEP_SLURM_TIMEOUT:-90}

# The local executor.
"$sweep" "$campaign" --out="$work/local" --jobs=2 >"$work/local.log" 2>&1 ||
    { cat "$work/local.log"; fail "presec-sweep (local) failed"; }

# The same campaign through Slurm.
# In a short path (a socket's path has at most 107 bytes); its logs are kept in WORK.
cluster=$(mktemp -d "${TMPDIR:-/tmp}/presec-slurm.XXXXXX")
slurm_cluster_start "$cluster" || {
    rm -rf "$cluster"
    fail "the test Slurm cluster did not start"
}
trap 'slurm_cluster_stop; cp -r "$cluster/log" "$work/cluster-log" 2>/dev/null; rm -rf "$cluster"' EXIT
"$sweep" "$campaign" --out="$work/slurm" --slurm --chunk=1 >"$work/submit.log" 2>&1 ||
    { cat "$work/submit.log"; fail "presec-sweep --slurm failed"; }
[ -f "$work/slurm/sweep.sbatch" ] || fail "no sweep.sbatch"
job=$(cat "$work/slurm/slurm/job-id" 2>/dev/null || true)
[[ "$job" =~ ^[0-9]+$ ]] || { cat "$work/submit.log"; fail "no job id in slurm/job-id"; }
grep -q "submitted job array $job" "$work/submit.log" ||
    { cat "$work/submit.log"; fail "presec-sweep --slurm did not print job id $job"; }
# Wait until the array is gone (sacct is not configured: squeue shows pending, running and
# completing tasks).
start=$SECONDS
while [ -n "$(squeue -h -j "$job" -o %i 2>/dev/null || true)" ]; do
    if ((SECONDS - start > timeout)); then
        squeue -j "$job" || true
        fail "job $job not done after $timeout s"
    fi
    sleep 0.5
done
"$sweep" "$campaign" --out="$work/slurm" --collect >"$work/collect.log" 2>&1 ||
    { cat "$work/collect.log"; ls "$work/slurm/slurm" 2>/dev/null; fail "presec-sweep --collect failed"; }
ls "$work/slurm/slurm/${job}_"*.out >/dev/null 2>&1 || fail "no Slurm output of job $job's tasks"
# The array's tasks shared the runs through claims: each run claimed once, by a task of it.
claims=$work/slurm/slurm/claims-$job
[ -d "$claims" ] || fail "no claims folder $claims"
nclaims=$(find "$claims" -type f | wc -l)
nruns=$("$sweep" "$campaign" --list | wc -l)
[ "$nclaims" -eq "$nruns" ] || fail "$nclaims claims for $nruns runs"
for c in "$claims"/*; do
    grep -qx '[0-9]*' "$c" || fail "claim $(basename "$c"): '$(cat "$c")' is no task index"
done
slurm_cluster_stop

# Compare the two results folders.
runs_of() { (cd "$1/runs" && find . -mindepth 1 -maxdepth 1 -type d ! -name '.*' | sort); }
files_of() {
    (cd "$1" && find . -type f ! -name stdout.txt ! -name stderr.txt | sort)
}
[ -n "$(runs_of "$work/local")" ] || fail "the local executor left no run folder"
cmp -s <(runs_of "$work/local") <(runs_of "$work/slurm") ||
    fail "different runs: $(diff <(runs_of "$work/local") <(runs_of "$work/slurm") | tr '\n' ' ')"
n=0
checked=0
for run in $(runs_of "$work/local"); do
    a=$work/local/runs/$run
    b=$work/slurm/runs/$run
    [ -f "$a/run.json" ] || fail "local run $run did not finish"
    [ -f "$b/run.json" ] || fail "Slurm run $run did not finish"
    [ -f "$a/summary.json" ] || fail "local run $run has no summary.json"
    cmp -s <(files_of "$a") <(files_of "$b") ||
        fail "run $run: different files: $(diff <(files_of "$a") <(files_of "$b") | tr '\n' ' ')"
    for f in $(files_of "$a"); do
        cmp -s "$a/$f" "$b/$f" || {
            diff "$a/$f" "$b/$f" | head -n 10 || true
            fail "run $run: $f differs between the local executor and Slurm"
        }
        checked=$((checked + 1))
    done
    n=$((n + 1))
done
[ -s "$work/local/summary.csv" ] || fail "no summary.csv (local)"
cmp -s "$work/local/summary.csv" "$work/slurm/summary.csv" || {
    diff "$work/local/summary.csv" "$work/slurm/summary.csv" | head -n 10 || true
    fail "summary.csv differs between the local executor and Slurm"
}
echo "PASS: $n runs, $checked files and summary.csv identical (local executor and Slurm job $job)"
