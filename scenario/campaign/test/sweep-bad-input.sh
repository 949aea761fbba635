#!/usr/bin/env bash
# Bad input to presec-sweep: campaign files, options, results folders of another campaign or
# version, damaged run results. Each is a clear message naming the file and line or the run,
# exit status 2 (3: runs not finished), never a crash or a silently wrong aggregate.
# Usage: sweep-bad-input.sh PRESEC_SWEEP DATA_DIR WORK_DIR
source "$(dirname "${BASH_SOURCE[0]}")/../../../test/common.sh"
sweep=$1
data=$2
work=$3
fresh_work "$work"
export PRESEC_SWEEP_RUNNER="$data/fake-presec-run.sh"

# expect STATUS PATTERN ARGS...: presec-sweep ARGS exits STATUS and says PATTERN (grep -E).
expect() {
    local want=$1 pattern=$2 status=0
    shift 2
    "$sweep" "$@" >"$work/out.txt" 2>&1 || status=$?
    [ "$status" -eq "$want" ] || fail "presec-sweep $*: exit status $status, $want expected: $(cat "$work/out.txt")"
    [ -z "$pattern" ] || grep -qE -- "$pattern" "$work/out.txt" || fail "presec-sweep $*: no '$pattern' in: $(cat "$work/out.txt")"
}

expect 2 "bad-element.xml:4: unknown element <metrik>" "$data/bad-element.xml" --list
expect 2 "bad-xml.xml:[56]: [A-Z]" "$data/bad-xml.xml" --list
expect 2 "bad-path.xml:4: path 'terminals\[\*\]\.\.exposure_bytes'" "$data/bad-path.xml" --list
expect 2 "bad-scenario.xml:1: the scenario .*no-such-scenario.xml cannot be read" \
    "$data/bad-scenario.xml" --out="$work/s"
expect 2 "no-such.xml: cannot read the campaign file" "$data/no-such.xml"
expect 2 "no campaign file given" --jobs=2
expect 2 "--jobs=0: a whole number from 1 expected" "$data/good.xml" --jobs=0
expect 2 "unknown or incomplete argument '--colour'" "$data/good.xml" --colour
expect 2 "exclude each other" "$data/good.xml" --slurm --collect
expect 2 "--run=nope: no such run" "$data/good.xml" --out="$work/g" --run=nope
# A chunk (the local executor's --run=ID,ID) is checked whole before any run starts.
first=$("$sweep" "$data/good.xml" --list | head -1 | cut -f1)
expect 2 "--run=nope: no such run" "$data/good.xml" --out="$work/g" --run="$first,nope"
[ ! -e "$work/g/runs/$first" ] || fail "--run=$first,nope ran $first before refusing nope"
expect 2 "--run=: no such run" "$data/good.xml" --out="$work/g" --run="$first,"
expect 2 "--task=5: the campaign has 4 tasks of 1 run" "$data/good.xml" --out="$work/g" --task=5
expect 2 "campaign.json: missing" "$data/good.xml" --out="$work/never" --collect

# Runs listed with stable ids and their command lines.
expect 0 "^decision=LocationAware_run=1_[0-9a-f]{8}	.*fake-presec-run.sh .*dummy-scenario.xml --out=. --RngRun=1 --decision=LocationAware$" \
    "$data/good.xml" --list

# A good campaign with the fake runner; then its folder is refused for another campaign, or
# when written by another version.
expect 0 "campaign good: 4 of 4 runs done" "$data/good.xml" --out="$work/g" --jobs=2
grep -q '^decision=LocationAware,LocationAware,exposure_bytes,2,1.5,0.7071067811865476,' \
    "$work/g/summary.csv" || fail "summary.csv: $(cat "$work/g/summary.csv")"
expect 2 "$work/g/campaign.json: results of another campaign" "$data/bad-metric.xml" --out="$work/g"
cp -r "$work/g" "$work/v"
sed -i 's|presec-sweep/1|presec-sweep/0|' "$work/v/campaign.json"
expect 2 "$work/v/campaign.json: results written by another version \(format \"presec-sweep/0\"" \
    "$data/good.xml" --out="$work/v" --collect
cp -r "$work/g" "$work/r"
run=$(ls "$work/r/runs" | grep -v '^\.' | head -1)
sed -i 's|presec-sweep/1|presec-sweep/0|' "$work/r/runs/$run/run.json"
expect 2 "run $run: .*run.json: written by another version" "$data/good.xml" --out="$work/r" --collect
echo '{"terminals": [' >"$work/r/runs/$run/summary.json"
sed -i 's|presec-sweep/0|presec-sweep/1|' "$work/r/runs/$run/run.json"
expect 2 "run $run: .*summary.json: not valid JSON" "$data/good.xml" --out="$work/r" --collect
# A metric the runs do not have: the run, the file and the campaign line are named.
expect 2 "run run=1_[0-9a-f]{8}: .*summary.json: metric 'nothing' \(.*bad-metric.xml:4, path terminals\[\*\]\.no_such_metric\): no key 'no_such_metric'" \
    "$data/bad-metric.xml" --out="$work/m"
[ -f "$work/m/summary.csv" ] && fail "an aggregate was written despite the bad metric"

# --collect before the runs ended: nothing aggregated, exit status 3.
expect 0 "sweep.sbatch: 4 array tasks of 1 run" "$data/good.xml" --out="$work/p" --slurm --no-submit
expect 0 "" "$data/good.xml" --out="$work/p" --task=1
expect 3 "3 of 4 runs not finished, nothing aggregated" "$data/good.xml" --out="$work/p" --collect
[ -f "$work/p/summary.csv" ] && fail "an aggregate of unfinished runs was written"
# MaxArraySize: 4 runs in chunks of 1 fit; the chunk is raised only past the limit (unit test).
echo "bad input: clear messages, exit status 2 (3 for unfinished runs)"
