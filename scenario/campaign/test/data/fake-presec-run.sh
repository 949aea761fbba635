#!/usr/bin/env bash
# Stands in for presec-run in the bad-input test: writes a summary.json into the working
# directory whose exposure is the run number.
rng=1
for a in "$@"; do
    case "$a" in --RngRun=*) rng=${a#--RngRun=} ;; esac
done
printf '{"terminals": [{"exposure_bytes": %s}]}\n' "$rng" >summary.json
