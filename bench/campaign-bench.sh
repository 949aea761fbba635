#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Campaign executors (issue 14, deliverable 6): the local executor's parallel efficiency and
# the overhead of running the same campaign as a Slurm job array.
#
#   ./presec bench campaign-bench [--campaign=FILE] [--repeats=N] [--jobs=N] [--chunk=N]
#                                 [--work=DIR] [--no-slurm]
#   (runs bench/campaign-bench.sh BUILD_DIR ARGS...)
#
# Each repetition measures, one after the other (interleaved, since the host is shared):
#   seq    every run of the campaign alone, one after the other (presec-sweep --run=ID), each
#          timed: their sum is the campaign's work;
#   local  the campaign with the local executor (GNU parallel, --jobs=N), aggregation included;
#   slurm  the campaign through a private single-node Slurm cluster (test/slurm-cluster.sh,
#          started once): --slurm (write the job array, submit) until the array is gone from
#          squeue, then --collect (check the runs, aggregate).
# efficiency = (seq / jobs) / local     target >= 0.90
# overhead   = slurm / local            target <= 1.10
# slurm eff. = (seq / jobs) / slurm     (for comparison: the array's own efficiency)
# The verdict uses the medians over the repetitions. Exit status 0 whether or not the targets
# are met (a noisy shared host is not a failure of the build); 2 on errors.
#
# Defaults: scenarios/campaigns/bench-40.xml (40 runs of about a second), 3 repetitions,
# --jobs = the number of CPUs, --chunk = runs / jobs (one array task per CPU, each running its
# runs one after the other: the fewest scheduling rounds).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
[ $# -ge 1 ] || { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
build_dir=$1
shift
campaign=$here/scenarios/campaigns/bench-40.xml
repeats=3
jobs=$(nproc)
chunk=
work=""
slurm=1
for a in "$@"; do
    case "$a" in
    --campaign=*) campaign=${a#--campaign=} ;;
    --repeats=*) repeats=${a#--repeats=} ;;
    --jobs=*) jobs=${a#--jobs=} ;;
    --chunk=*) chunk=${a#--chunk=} ;;
    --work=*) work=${a#--work=} ;;
    --no-slurm) slurm=0 ;;
    *) echo "campaign-bench: unknown argument $a" >&2; exit 2 ;;
    esac
done
sweep=$build_dir/bin/presec-sweep
[ -x "$sweep" ] || { echo "campaign-bench: no $sweep (./presec build)" >&2; exit 2; }
[ -f "$campaign" ] || { echo "campaign-bench: no campaign $campaign" >&2; exit 2; }
campaign=$(cd "$(dirname "$campaign")" && pwd)/$(basename "$campaign")
command -v parallel >/dev/null || echo "campaign-bench: GNU parallel missing: the local executor runs one run at a time" >&2

# shellcheck source=../test/slurm-cluster.sh
source "$here/test/slurm-cluster.sh"
if [ "$slurm" = 1 ] && ! slurm_cluster_available; then
    echo "campaign-bench: no Slurm test cluster here (needs root, munge, slurm-wlm): local only" >&2
    slurm=0
fi

keep=1
if [ -z "$work" ]; then
    work=$(mktemp -d "${TMPDIR:-/tmp}/presec-campaign-bench.XXXXXX")
    keep=0
fi
mkdir -p "$work"
cluster=""
cleanup() {
    slurm_cluster_stop
    [ -z "$cluster" ] || rm -rf "$cluster"
    [ "$keep" = 1 ] || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

now() { date +%s.%N; }
# elapsed START: seconds since START, 3 decimals.
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'; }
# median NUMBERS...
median() {
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
        if (NR % 2) printf "%.3f", v[(NR + 1) / 2]; else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# A warm-up (page cache, the binaries, the scenario file), then the run ids. Slurm's warm-up
# follows the cluster's start.
echo "campaign-bench: warm-up: $campaign with the local executor" >&2
"$sweep" "$campaign" --out="$work/warmup" --jobs="$jobs" >"$work/warmup.log" 2>&1 ||
    { cat "$work/warmup.log" >&2; exit 2; }
mapfile -t ids < <("$sweep" "$campaign" --list | cut -f1)
[ "${#ids[@]}" -gt 0 ] || { echo "campaign-bench: the campaign has no runs" >&2; exit 2; }
[ -n "$chunk" ] || chunk=$(((${#ids[@]} + jobs - 1) / jobs))
echo "campaign-bench: ${#ids[@]} runs, $jobs jobs, $repeats repetitions, chunk $chunk" >&2

if [ "$slurm" = 1 ]; then
    cluster=$(mktemp -d "${TMPDIR:-/tmp}/presec-slurm.XXXXXX")
    SLURM_CLUSTER_CPUS=$jobs slurm_cluster_start "$cluster" || exit 2
    # slurm_cluster_start installed its own EXIT trap: ours also removes the folders.
    trap cleanup EXIT
fi

# seq_pass DIR: every run alone; prints the sum of their wall times.
seq_pass() {
    local dir=$1 id t sum=0 d
    for id in "${ids[@]}"; do
        t=$(now)
        "$sweep" "$campaign" --out="$dir" --run="$id" >>"$dir.log" 2>&1 ||
            { echo "campaign-bench: run $id failed (see $dir.log)" >&2; exit 2; }
        d=$(elapsed "$t")
        sum=$(awk -v s="$sum" -v d="$d" 'BEGIN { printf "%.3f", s + d }')
    done
    echo "$sum"
}

# local_pass DIR: the local executor's wall time.
local_pass() {
    local t
    t=$(now)
    "$sweep" "$campaign" --out="$1" --jobs="$jobs" >"$1.log" 2>&1 ||
        { cat "$1.log" >&2; exit 2; }
    elapsed "$t"
}

# slurm_pass DIR: submit, wait for the array, collect.
slurm_pass() {
    local t job
    t=$(now)
    "$sweep" "$campaign" --out="$1" --slurm --chunk="$chunk" >"$1.log" 2>&1 ||
        { cat "$1.log" >&2; exit 2; }
    job=$(cat "$1/slurm/job-id" 2>/dev/null || true)
    [[ "$job" =~ ^[0-9]+$ ]] || { cat "$1.log" >&2; exit 2; }
    # Wait without starting processes: a process started ten times a second (find, wc, squeue)
    # slowed the runs by 10-15% on this VM (their start and end disturb the two CPUs the
    # runs use), which is the bench's cost, not Slurm's. So count the finished runs' folders
    # (a finished run's folder appears by a rename) with a glob and sleep with read -t on a
    # descriptor nothing writes to; squeue only once every run is there, until the array has
    # left the queue (and every 5 s before, in case the array ends with runs missing).
    local fd runs_done n=0
    exec {fd}<> <(:)
    shopt -s nullglob
    while :; do
        runs_done=("$1"/runs/*/)
        [ "${#runs_done[@]}" -lt "${#ids[@]}" ] || break
        n=$((n + 1))
        if [ $((n % 50)) -eq 0 ] && [ -z "$(squeue -h -j "$job" -o %i 2>/dev/null || true)" ]; then
            break
        fi
        read -r -t 0.1 -u "$fd" || true
    done
    while [ -n "$(squeue -h -j "$job" -o %i 2>/dev/null || true)" ]; do
        read -r -t 0.05 -u "$fd" || true
    done
    exec {fd}>&-
    "$sweep" "$campaign" --out="$1" --collect >>"$1.log" 2>&1 ||
        { cat "$1.log" >&2; exit 2; }
    elapsed "$t"
}

if [ "$slurm" = 1 ]; then
    # The first array of a fresh cluster also pays for the daemons' own start-up work.
    echo "campaign-bench: warm-up: the same campaign through Slurm" >&2
    slurm_pass "$work/slurm-warmup" >/dev/null
fi

effs=()
ratios=()
seffs=()
printf '%-4s %10s %10s %10s %11s %12s %11s %6s\n' rep "seq (s)" "local (s)" "slurm (s)" efficiency slurm/local "slurm eff." load
for ((r = 1; r <= repeats; r++)); do
    load=$(cut -d' ' -f1 /proc/loadavg)
    seq=$(seq_pass "$work/seq-$r")
    loc=$(local_pass "$work/local-$r")
    eff=$(awk -v s="$seq" -v j="$jobs" -v l="$loc" 'BEGIN { printf "%.3f", s / j / l }')
    effs+=("$eff")
    slu="-"
    ratio="-"
    seff="-"
    if [ "$slurm" = 1 ]; then
        slu=$(slurm_pass "$work/slurm-$r")
        ratio=$(awk -v s="$slu" -v l="$loc" 'BEGIN { printf "%.3f", s / l }')
        seff=$(awk -v s="$seq" -v j="$jobs" -v l="$slu" 'BEGIN { printf "%.3f", s / j / l }')
        ratios+=("$ratio")
        seffs+=("$seff")
    fi
    printf '%-4s %10s %10s %10s %11s %12s %11s %6s\n' "$r" "$seq" "$loc" "$slu" "$eff" "$ratio" "$seff" "$load"
    rm -rf "$work/seq-$r" "$work/local-$r" "$work/slurm-$r"
done

eff=$(median "${effs[@]}")
verdict() { awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN { ok = op == ">=" ? v >= t : v <= t; print ok ? "met" : "NOT met" }'; }
echo "median parallel efficiency of the local executor ($jobs jobs): $eff (target >= 0.90: $(verdict "$eff" 0.90 ">="))"
if [ "$slurm" = 1 ]; then
    ratio=$(median "${ratios[@]}")
    echo "median Slurm/local wall time (chunk $chunk): $ratio (target <= 1.10: $(verdict "$ratio" 1.10 "<="))"
    echo "median parallel efficiency of the Slurm path (chunk $chunk): $(median "${seffs[@]}")"
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs (load: the 1-minute load at each repetition's start; other work on the host lowers both figures)"
