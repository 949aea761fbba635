#!/usr/bin/env bash
# The campaign report renders in headless Chromium without console errors, shows every plot,
# and each plot draws error bars (gnuplot yerrorbars: one vertical bar per point).
# Exit status 77 (ctest: skipped) only when Chromium is not installed.
# Usage: sweep-report.sh PRESEC_SWEEP SCENARIO_DIR WORK_DIR
source "$(dirname "${BASH_SOURCE[0]}")/../../../test/common.sh"
sweep=$1
scenarios=$(cd "$2" && pwd)
work=$3
chromium=$(command -v chromium || command -v chromium-browser || true)
[ -n "$chromium" ] || { echo "chromium not installed: skipped"; exit 77; }
need gnuplot python3
fresh_work "$work"
# --handover=0: the runs restart their applications at the move (new SIP and IKE exchanges,
# drawn from the run's seed), so the replications differ and every plot has bars to draw; with
# the hand-over this scenario signals the same bytes in every run.
cat >"$work/report.xml" <<XML
<campaign name="report" scenario="$scenarios/office-to-cafe.xml" replications="3">
  <arg value="--duration=35"/>
  <arg value="--report=0"/>
  <arg value="--handover=0"/>
  <parameter name="decision" values="LocationAware AlwaysMaximum"/>
  <parameter name="terminal:bob:cpu" values="x86-64-aesni xscale-pxa250"/>
  <metric name="signaling_bytes" path="terminals[*].signaling_bytes" reduce="sum"/>
  <metric name="cpu_busy_s" path="terminals[*].cpu_busy_s" reduce="sum"/>
</campaign>
XML
"$sweep" "$work/report.xml" --out="$work/out" --jobs=2 >"$work/sweep.log" 2>&1 ||
    fail "campaign: $(tail -5 "$work/sweep.log")"
report="$work/out/report/index.html"
[ -s "$report" ] || fail "no report"

# 2 metrics x (per configuration + per decision + per CPU profile).
plots=("$work"/out/report/plots/*.svg)
[ "${#plots[@]}" -eq 6 ] || fail "${#plots[@]} plots, 6 expected"
[ "$(grep -c 'with yerrorbars' "$work/out/report/plots.gp")" -ge 6 ] ||
    fail "plots.gp does not draw error bars"
for svg in "${plots[@]}"; do
    data="$work/out/report/data/$(basename "$svg" .svg).dat"
    python3 "$(dirname "${BASH_SOURCE[0]}")/svg-error-bars.py" "$svg" "$data" >/dev/null ||
        fail "$svg: error bars missing"
done

status=0
timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --enable-logging=stderr --v=0 \
    --user-data-dir="$work/chromium-profile" --allow-file-access-from-files \
    --dump-dom "file://$report" >"$work/dom.html" 2>"$work/chromium.log" || status=$?
[ "$status" -eq 0 ] || fail "chromium exit status $status: $(tail -5 "$work/chromium.log")"
grep -q "<h1>Campaign report</h1>" "$work/dom.html" || fail "the DOM has no report"
[ "$(grep -o '<img class="plot" src="plots/[^"]*\.svg"' "$work/dom.html" | wc -l)" -eq 6 ] ||
    fail "the DOM does not show the 6 plots"
for src in $(grep -o '<img class="plot" src="plots/[^"]*\.svg"' "$work/dom.html" | sed 's/.*src="//; s/"$//'); do
    [ -s "$work/out/report/$src" ] || fail "the report shows $src, which does not exist"
done
# Chromium logs a page's console messages as CONSOLE lines (an uncaught exception included).
if grep -E "Uncaught|ERROR:CONSOLE|CONSOLE\\(.*(rror|Failed)|ERR_FILE_NOT_FOUND" \
    "$work/chromium.log"; then
    fail "console errors while rendering the report"
fi
echo "report rendered by $("$chromium" --version 2>/dev/null | head -1): 6 plots with error bars"
