#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Hubs against switches (issue 15, deliverable 11): the wall time of a campus whose departments
# are switched (as shipped) against the same campus with hubs, without presec.
#
#   ./presec bench campus-wiring [--scenario=FILE] [--duration=S] [--repeats=N] [--work=DIR]
#   (runs bench/campus-wiring.sh BUILD_DIR ARGS...)
#
# The hub variant is the scenario with every wiring="switch" (and port="mirror") removed. Each
# repetition runs both, each in a fresh presec-bench-campus --modes=plain process, the order
# alternating between repetitions (the host is shared). Printed: per wiring the median wall
# time, simulator events and ns per event; the median of the per-repetition ratios
# switched / hub (target <= 0.25).
# Exit status 0 whatever the figures (a shared host is no build failure); 2 on errors.
#
# Defaults: scenarios/campus-1000.xml, 10 simulated s, 3 repetitions.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
[ $# -ge 1 ] || { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
build_dir=$1
shift
scenario=$here/scenarios/campus-1000.xml
duration=10
repeats=3
work=""
for a in "$@"; do
    case "$a" in
    --scenario=*) scenario=${a#--scenario=} ;;
    --duration=*) duration=${a#--duration=} ;;
    --repeats=*) repeats=${a#--repeats=} ;;
    --work=*) work=${a#--work=} ;;
    *) echo "campus-wiring: unknown argument $a" >&2; exit 2 ;;
    esac
done
bench=$build_dir/bin/presec-bench-campus
[ -x "$bench" ] || { echo "campus-wiring: no $bench (./presec build)" >&2; exit 2; }
[ -f "$scenario" ] || { echo "campus-wiring: no scenario $scenario" >&2; exit 2; }
grep -q 'wiring="switch"' "$scenario" ||
    { echo "campus-wiring: $scenario has no switched network" >&2; exit 2; }
if [ -z "$work" ]; then
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work"
cp "$scenario" "$work/switch.xml"
sed -e 's/ wiring="switch"//g' -e 's/ port="mirror"//g' "$scenario" >"$work/hub.xml"
results=$work/results.txt
: >"$results"
for ((r = 1; r <= repeats; r++)); do
    order="hub switch"
    [ $((r % 2)) -eq 0 ] && order="switch hub"
    for w in $order; do
        out=$work/run-$w-$r.txt
        "$bench" --scenario="$work/$w.xml" --duration="$duration" --modes=plain >"$out" \
            2>"$work/err-$w-$r.txt" ||
            { echo "campus-wiring: the $w run failed (see $work)" >&2; exit 2; }
        wall=$(awk '/^plain  :/ {print $3}' "$out")
        events=$(awk '/events,/ {print $1; exit}' "$out")
        echo "$w $r $wall $events" | tee -a "$results"
    done
done
python3 - "$results" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
by = {}
for w, r, wall, events in rows:
    by.setdefault(w, {})[int(r)] = (float(wall), int(events))
print(f"{'wiring':>7} {'wall_s':>8} {'events':>11} {'ns_per_event':>12}")
for w in ("hub", "switch"):
    walls = [v[0] for v in by[w].values()]
    events = [v[1] for v in by[w].values()]
    print(f"{w:>7} {statistics.median(walls):>8.2f} {statistics.median(events):>11.0f} "
          f"{statistics.median(x / e * 1e9 for x, e in zip(walls, events)):>12.0f}")
ratios = [by["switch"][r][0] / by["hub"][r][0] for r in by["hub"] if r in by["switch"]]
print(f"switched / hub: median {statistics.median(ratios):.3f} over {len(ratios)} repetitions "
      f"(min {min(ratios):.3f}, max {max(ratios):.3f}; target <= 0.25)")
PY
