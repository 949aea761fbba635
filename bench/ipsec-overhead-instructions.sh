#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The IPsec overhead benchmark's configurations counted in instructions instead of seconds:
# each configuration runs under valgrind's callgrind at two packet counts, and the difference
# divided by the difference in packets is its cost per packet, free of set-up. Instructions do
# not see cache misses or the crypto units' latency, so this complements the wall-clock ratios
# of ipsec-overhead (which judge the targets); it exists because on a shared, noisy machine the
# wall-clock ratios of one run swing by ±20 % while these repeat to the instruction.
#
#   ./presec bench ipsec-overhead-instructions [packets-low] [packets-high]
set -euo pipefail
build_dir=${1:?build directory}
low=${2:-10000}
high=${3:-30000}
bench="$build_dir/bin/presec-bench-ipsec-overhead"
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 2; }
[ -x "$bench" ] || { echo "no $bench: ./presec build" >&2; exit 2; }

count() { # configuration packets -> instructions executed
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bench" --only="$1" --packets="$2" 2>&1 |
        sed -n 's/.*Collected : *\([0-9]*\).*/\1/p; s/.*I *refs: *\([0-9,]*\).*/\1/p' | tr -d , | head -1
}

declare -A per
for mode in plain bypass modeled real; do
    a=$(count "$mode" "$low")
    b=$(count "$mode" "$high")
    per[$mode]=$(( (b - a) / (high - low) ))
done
echo "instructions per packet (UDP, 160 bytes; $low and $high packets):"
for mode in plain bypass modeled real; do
    awk -v m="$mode" -v n="${per[$mode]}" -v p="${per[plain]}" \
        'BEGIN { printf "%-8s %7d  %.3fx plain\n", m, n, n / p }'
done
