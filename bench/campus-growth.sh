#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Campus growth (issue 15, deliverable 11): how wall time and memory grow with the campus.
#
#   ./presec bench campus-growth [--sizes=1000,2000,5000,10000] [--duration=S] [--repeats=N]
#                                [--work=DIR]
#   (runs bench/campus-growth.sh BUILD_DIR ARGS...)
#
# Each repetition runs every size once, in order (interleaved across repetitions, since the
# host is shared): tools/make-campus.py --terminals=N writes the scenario (1,000: the shipped
# layout; larger: campus-10000's, N/50 departments in N/1000 buildings), and two fresh
# presec-bench-campus processes run it for S simulated seconds, one without and one with presec
# (a process's second run inherits the first one's heap and does not cost what it would
# alone), in an order that alternates between repetitions, both on the same processor (the
# first this script may use: run side by side on this machine's two, the same two processes
# once took 28.4 s and 17.8 s, the cheaper one on the slower processor; a ratio of two runs on
# different processors measures the processors). Per size, the medians over the
# repetitions:
#   plain_s, presec_s      wall time (setup included)
#   ratio                  median of the per-repetition presec / plain (target <= 1.10)
#   ratio_lo, ratio_hi,    a distribution-free confidence interval for that median (order
#   cover                  statistics of the ratios; cover is its coverage: 96% from 9
#                          repetitions, 94% from 5, 0 from 1), since a shared host's wall
#                          times swing by 15% and one median alone does not say how far
#   us_per_term_s          plain wall per terminal and simulated second (flat = linear cost)
#   rss_mib, kib_per_term  peak RSS (the larger process's), and per terminal (target: 10,000 terminals <= 2 GiB)
#   huge_mib               the least memory a run held on transparent huge pages at its end
#                          (0: none; -1: the kernel does not say; only an environment that
#                          sets GLIBC_TUNABLES=glibc.malloc.hugetlb=1 gets them)
# growth = us_per_term_s at the largest size / at the smallest (1.0: the cost grows linearly).
# Exit status 0 whatever the figures (a shared host is no build failure); 2 on errors.
#
# Defaults: sizes 1000,2000,5000,10000; 2 simulated s; 1 repetition (a 10,000-terminal run
# takes minutes: raise --repeats when the machine is yours).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
[ $# -ge 1 ] || { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
build_dir=$1
shift
sizes=1000,2000,5000,10000
duration=2
repeats=1
work=""
for a in "$@"; do
    case "$a" in
    --sizes=*) sizes=${a#--sizes=} ;;
    --duration=*) duration=${a#--duration=} ;;
    --repeats=*) repeats=${a#--repeats=} ;;
    --work=*) work=${a#--work=} ;;
    *) echo "campus-growth: unknown argument $a" >&2; exit 2 ;;
    esac
done
bench=$build_dir/bin/presec-bench-campus
[ -x "$bench" ] || { echo "campus-growth: no $bench (./presec build)" >&2; exit 2; }
# The first processor in this script's affinity list ("0-1" or "0,2,4": the digits before the
# first '-' or ',').
cpu=$(taskset -cp $$ | sed 's/.*: *//; s/[-,].*//')
[[ "$cpu" =~ ^[0-9]+$ ]] || { echo "campus-growth: cannot read this process's CPUs" >&2; exit 2; }
if [ -z "$work" ]; then
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work"
results=$work/results.txt
: >"$results"
IFS=, read -r -a list <<<"$sizes"
for n in "${list[@]}"; do
    python3 "$here/tools/make-campus.py" --terminals="$n" >"$work/campus-$n.xml" ||
        { echo "campus-growth: make-campus.py --terminals=$n failed" >&2; exit 2; }
done
for ((r = 1; r <= repeats; r++)); do
    for n in "${list[@]}"; do
        order=(plain presec)
        [ $((r % 2)) -eq 0 ] && order=(presec plain)
        for m in "${order[@]}"; do
            taskset -c "$cpu" "$bench" --scenario="$work/campus-$n.xml" --duration="$duration" \
                --modes="$m" \
                >"$work/run-$n-$r-$m.txt" 2>"$work/err-$n-$r-$m.txt" ||
                { echo "campus-growth: the $n-terminal $m run failed (see $work)" >&2; exit 2; }
        done
        plain=$(awk '/^plain  :/ {print $3}' "$work/run-$n-$r-plain.txt")
        presec=$(awk '/^presec :/ {print $3}' "$work/run-$n-$r-presec.txt")
        rss=$(cat "$work/run-$n-$r-plain.txt" "$work/run-$n-$r-presec.txt" |
            sed -n 's/.*peak RSS \([0-9.]*\) MiB (target.*/\1/p' | sort -n | tail -1)
        huge=$(cat "$work/run-$n-$r-plain.txt" "$work/run-$n-$r-presec.txt" |
            sed -n 's/.*on huge pages after the run: \([-0-9.]*\) MiB/\1/p' | sort -n | head -1)
        echo "$n $r $plain $presec $rss ${huge:--1}" | tee -a "$results"
    done
done
PYTHONPATH="$here/bench" python3 - "$results" "$duration" <<'PY'
import statistics, sys

from bench_stats import median_interval

rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
duration = float(sys.argv[2])
by = {}
for n, _, plain, presec, rss, huge in rows:
    by.setdefault(int(n), []).append((float(plain), float(presec), float(rss), float(huge)))
print(f"{'terminals':>9} {'plain_s':>9} {'presec_s':>9} {'ratio':>6} {'ratio_lo':>8} "
      f"{'ratio_hi':>8} {'cover':>5} {'us_per_term_s':>13} {'rss_mib':>8} {'kib_per_term':>12} "
      f"{'huge_mib':>8}")
per = {}
for n in sorted(by):
    p = statistics.median(x[0] for x in by[n])
    s = statistics.median(x[1] for x in by[n])
    ratios = [x[1] / x[0] for x in by[n]]
    ratio = statistics.median(ratios)
    lo, hi, cover = median_interval(ratios)
    rss = statistics.median(x[2] for x in by[n])
    huge = min(x[3] for x in by[n])
    per[n] = p / (n * duration) * 1e6
    print(f"{n:>9} {p:>9.2f} {s:>9.2f} {ratio:>6.3f} {lo:>8.3f} {hi:>8.3f} {cover:>5.2f} "
          f"{per[n]:>13.1f} {rss:>8.1f} {rss * 1024 / n:>12.1f} {huge:>8.1f}")
if len(per) > 1:
    lo, hi = min(per), max(per)
    print(f"growth (per-terminal cost, {hi} vs {lo} terminals): {per[hi] / per[lo]:.2f}")
PY
