#!/usr/bin/env bash
# A run made to fail (an unknown CPU profile) is retried once, reported with its command line
# and stderr, and excluded from the aggregate, which says so; the campaign exits 1.
# Usage: sweep-failed-run.sh PRESEC_SWEEP SCENARIO_DIR WORK_DIR
source "$(dirname "${BASH_SOURCE[0]}")/../../../test/common.sh"
sweep=$1
scenarios=$(cd "$2" && pwd)
work=$3
fresh_work "$work"
need sqlite3
cat >"$work/bad-cpu.xml" <<XML
<campaign name="bad-cpu" scenario="$scenarios/office-to-cafe.xml" replications="2">
  <arg value="--duration=35"/>
  <arg value="--report=0"/>
  <parameter name="terminal:bob:cpu" values="x86-64-aesni no-such-cpu"/>
  <metric name="exposure_bytes" path="terminals[*].exposure_bytes" reduce="sum"/>
</campaign>
XML
status=0
"$sweep" "$work/bad-cpu.xml" --out="$work/out" --jobs=2 >"$work/stdout.txt" 2>"$work/stderr.txt" ||
    status=$?
[ "$status" -eq 1 ] || fail "exit status $status, 1 expected ($(tail -5 "$work/stderr.txt"))"
grep -q "campaign bad-cpu: 2 of 4 runs done, 2 runs failed, excluded from the aggregate" \
    "$work/stdout.txt" || fail "stdout: $(cat "$work/stdout.txt")"
grep -q "retrying" "$work/stderr.txt" || fail "no retry reported"
grep -q "run terminal-bob-cpu=no-such-cpu_run=1_[0-9a-f]* FAILED (exit status" "$work/stderr.txt" ||
    fail "failure not reported: $(cat "$work/stderr.txt")"
# (presec-run, or ns3.37-presec-run-default in an ns-3 tree)
grep -q "command (in .*): .*presec-run[^ ]* .*--set=terminal:bob:cpu=no-such-cpu" "$work/stderr.txt" ||
    fail "command line not reported"
grep -q "no-such-cpu" <(sed -n '/stderr:/,$p' "$work/stderr.txt") || fail "stderr not reported"
grep -q '^terminal:bob:cpu=no-such-cpu,no-such-cpu,exposure_bytes,0,,,,,2$' \
    "$work/out/summary.csv" || fail "summary.csv: $(cat "$work/out/summary.csv")"
grep -q '^terminal:bob:cpu=x86-64-aesni,x86-64-aesni,exposure_bytes,2,' "$work/out/summary.csv" ||
    fail "summary.csv: the good configuration"
[ "$(grep -c ',failed,' "$work/out/runs.csv")" -eq 2 ] || fail "runs.csv: not 2 failed runs"
grep -q "2 runs failed, excluded from the aggregate" "$work/out/report/index.html" ||
    fail "the report does not say the runs failed"
note=$(sqlite3 "$work/out/campaign.sqlite" "SELECT value FROM campaign WHERE key='note'")
[ "$note" = "2 runs failed, excluded from the aggregate" ] || fail "campaign.sqlite note: $note"
n=$(sqlite3 "$work/out/campaign.sqlite" "SELECT count(*) FROM metrics")
[ "$n" -eq 2 ] || fail "campaign.sqlite: $n metric rows, 2 expected"
echo "2 runs failed (retried, reported, excluded); exit status 1"
