#!/usr/bin/env bash
# determinism.sh — presec-run's outputs must depend on the scenario and the seed only
# (issue 7): not on the run, not on the build type, not on memory addresses.
#
#   test/determinism.sh [options] RUNNER_A [RUNNER_B]
#
# Runs each scenario with the same seed through RUNNER_A and RUNNER_B (RUNNER_A twice when
# only one is given), each time with the same command line and the same --out directory, and
# compares every file of the two output directories byte for byte (cmp), and their standard
# output. Then it runs RUNNER_A with another seed and checks that summary.json changes in
# more than its "seed" field (a seed that changes nothing would make the first check vacuous).
#
# Exit status: 0 deterministic; 1 some output differs (each file is listed, with the first
# differing lines of text files); 2 usage error or a run failed.
#
# Options:
#   --scenario=FILE  scenario to run (repeatable; default: office-to-cafe.xml and
#                    commuter-day.xml from the scenarios/ folder next to test/)
#   --seed=N         seed of the compared runs (default 3)
#   --other-seed=M   seed of the control run (default N+1)
#   --work=DIR       where the outputs are kept (default: a temporary folder, removed when
#                    everything matches)
#   --arg=ARG        one more argument for every run (repeatable), e.g. --arg=--duration=600
#
# Sanitizer builds: the runners inherit ASAN_OPTIONS, UBSAN_OPTIONS and LSAN_OPTIONS from the
# environment, as the tests of `./presec sanitize` do (it sets none).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
scenarios=()
seed=3
other_seed=
work=
extra=()
runners=()

usage() {
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//' >&2
    exit 2
}

for a in "$@"; do
    case "$a" in
    --scenario=*) scenarios+=("${a#*=}") ;;
    --seed=*) seed=${a#*=} ;;
    --other-seed=*) other_seed=${a#*=} ;;
    --work=*) work=${a#*=} ;;
    --arg=*) extra+=("${a#*=}") ;;
    -h | --help) usage ;;
    -*)
        echo "determinism: unknown option $a" >&2
        usage
        ;;
    *) runners+=("$a") ;;
    esac
done
[ ${#runners[@]} -ge 1 ] && [ ${#runners[@]} -le 2 ] || usage
[ ${#runners[@]} -eq 2 ] || runners+=("${runners[0]}")
for r in "${runners[@]}"; do
    if [ ! -x "$r" ]; then
        echo "determinism: no runner at $r" >&2
        exit 2
    fi
done
[ ${#scenarios[@]} -gt 0 ] ||
    scenarios=("$here/../scenarios/office-to-cafe.xml" "$here/../scenarios/commuter-day.xml")
[ -n "$other_seed" ] || other_seed=$((seed + 1))

keep_work=1
if [ -z "$work" ]; then
    work=$(mktemp -d "${TMPDIR:-/tmp}/presec-determinism.XXXXXX")
    keep_work=0
fi
mkdir -p "$work"

# run RUNNER SCENARIO SEED DEST: the outputs end in DEST, stdout in DEST.stdout. Every run
# writes to the same --out path, so a path printed or embedded in a file cannot differ.
run() {
    local runner=$1 scenario=$2 s=$3 dest=$4
    local out="$work/out"
    rm -rf "$out" "$dest" "$dest.stdout"
    if ! "$runner" "$scenario" --seed="$s" --out="$out" "${extra[@]}" >"$dest.stdout" 2>"$dest.stderr"; then
        echo "determinism: $runner $scenario --seed=$s failed:" >&2
        tail -20 "$dest.stderr" >&2
        exit 2
    fi
    mv "$out" "$dest"
}

# compare DIR_A DIR_B: list every file that is missing on one side or differs.
compare() {
    local a=$1 b=$2 f bad=0
    while IFS= read -r f; do
        f=${f#./}
        if [ ! -f "$a/$f" ]; then
            echo "  only in B: $f"
            bad=1
        elif [ ! -f "$b/$f" ]; then
            echo "  only in A: $f"
            bad=1
        elif ! cmp -s "$a/$f" "$b/$f"; then
            echo "  differs: $f ($(cmp "$a/$f" "$b/$f" 2>&1 | head -1 | sed 's/^.* differ: //'))"
            if grep -Iq . "$a/$f" 2>/dev/null; then
                diff -u "$a/$f" "$b/$f" | sed -n '3,14p' | sed 's/^/      /'
            fi
            bad=1
        fi
    done < <( (cd "$a" && find . -type f) | cat - <(cd "$b" && find . -type f) | sort -u)
    if ! cmp -s "$a.stdout" "$b.stdout"; then
        echo "  differs: standard output"
        diff -u "$a.stdout" "$b.stdout" | sed -n '3,14p' | sed 's/^/      /'
        bad=1
    fi
    return $bad
}

status=0
same_runner=0
[ "${runners[0]}" = "${runners[1]}" ] && same_runner=1
echo "determinism: A=${runners[0]}"
echo "determinism: B=${runners[1]}$([ $same_runner -eq 1 ] && echo ' (A again)')"
for scenario in "${scenarios[@]}"; do
    name=$(basename "$scenario" .xml)
    mkdir -p "$work/$name"
    run "${runners[0]}" "$scenario" "$seed" "$work/$name/a"
    run "${runners[1]}" "$scenario" "$seed" "$work/$name/b"
    n=$(cd "$work/$name/a" && find . -type f | wc -l)
    if compare "$work/$name/a" "$work/$name/b" >"$work/$name/report"; then
        echo "determinism: $name, seed $seed: $n files identical"
    else
        echo "determinism: $name, seed $seed: A and B differ:"
        cat "$work/$name/report"
        status=1
    fi

    run "${runners[0]}" "$scenario" "$other_seed" "$work/$name/other"
    if [ ! -f "$work/$name/a/summary.json" ]; then
        echo "determinism: $name: no summary.json"
        status=1
    elif cmp -s <(grep -v '"seed"' "$work/$name/a/summary.json") \
        <(grep -v '"seed"' "$work/$name/other/summary.json"); then
        echo "determinism: $name: seeds $seed and $other_seed give the same summary.json"
        status=1
    else
        echo "determinism: $name: seed $other_seed gives a different summary.json, as it should"
    fi
done

if [ $status -eq 0 ] && [ $keep_work -eq 0 ]; then
    rm -rf "$work"
else
    echo "determinism: outputs in $work"
fi
exit $status
