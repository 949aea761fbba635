#!/usr/bin/env bash
# ns-3's replication convention in presec-run (issue 14): the scenario's seed is the default
# run number, --RngRun=N (or NS_GLOBAL_VALUE="RngRun=N") overrides it, --seed is beaten by
# --RngRun, and a run without --out writes into the working directory. HumanUser draws random
# numbers (think times, slips), so different runs give different results.
# Usage: rngrun.sh PRESEC_RUN SCENARIO WORK_DIR
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
run=$1
scenario=$2
work=$3
fresh_work "$work"

# run NAME ARGS...: one run in $work/NAME as the working directory, no --out.
run() {
    local name=$1
    shift
    mkdir -p "$work/$name"
    (cd "$work/$name" && "$run" "$scenario" --decision=HumanUser --report=0 "$@" >stdout.txt) ||
        fail "$name: presec-run $* failed"
    [ -s "$work/$name/summary.json" ] || fail "$name: no summary.json in the working directory"
}

# same A B / differ A B: results of two runs, ignoring the recorded run number ("seed" key;
# summary.json has no wall-clock fields).
results() {
    grep -v '"seed":' "$work/$1/summary.json"
    cat "$work/$1/terminals.csv" "$work/$1/sessions.csv"
}
same() { cmp -s <(results "$1") <(results "$2") || fail "$1 and $2 differ"; }
differ() { ! cmp -s <(results "$1") <(results "$2") || fail "$1 and $2 are identical"; }

run r3a --RngRun=3
run r3b --RngRun=3
run r4 --RngRun=4
same r3a r3b
cmp -s "$work/r3a/summary.json" "$work/r3b/summary.json" || fail "r3a and r3b summary.json differ"
differ r3a r4
grep -q '"seed": 3,' "$work/r3a/summary.json" || fail "r3a: run number 3 not recorded"
NS_GLOBAL_VALUE="RngRun=4" run env4
same env4 r4
run seed3 --seed=3
same seed3 r3a
run both --seed=4 --RngRun=3
same both r3a
# No --RngRun: the scenario's seed (changed here with --set) is the run number.
run scenario3 --set=scenario:seed=3
run scenario4 --set=scenario:seed=4
same scenario3 r3a
same scenario4 r4
differ scenario3 scenario4
# A run number that is not one is an error, not an abort.
out=$("$run" "$scenario" --RngRun=3x 2>&1) && fail "--RngRun=3x was accepted"
[ $? -eq 2 ] || fail "--RngRun=3x: exit status is not 2"
grep -q "the run number must be a whole number" <<<"$out" || fail "--RngRun=3x: $out"
echo "RngRun: 3 twice identical, 4 different; NS_GLOBAL_VALUE, --seed and the scenario seed agree"
