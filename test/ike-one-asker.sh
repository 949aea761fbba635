#!/usr/bin/env bash
# One SA negotiation per need, counted in the pcaps: Wi-Fi office-to-cafe under AlwaysMaximum
# (an esp+ah bundle). Alice requests; Bob (192.168.1.3, at the cafe 133.134.10.2) only
# answers, before and after his move: every IKE request on the air comes from Alice, and the
# first setup takes 3 requests (IKE_SA_INIT, IKE_AUTH with the esp pair, CREATE_CHILD_SA ah).
# Usage: ike-one-asker.sh PRESEC_RUN SCENARIO WORK_DIR
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
run=$1
scenario=$2
work=$3
need tshark
fresh_work "$work"

"$run" "$scenario" --decision=AlwaysMaximum --pcap=1 --report=0 --out="$work" >/dev/null
# Each frame is captured by several radios: one line per distinct message.
for f in "$work"/*.pcap; do
    tshark -r "$f" -Y 'isakmp && isakmp.flag_r == 0' -T fields \
        -e frame.time_relative -e ip.src -e ip.dst -e isakmp.exchangetype -e isakmp.messageid \
        -e isakmp.ispi 2>/dev/null
done | sort -u -k2 > "$work/requests.txt"
total=$(wc -l < "$work/requests.txt")
fromBob=$(awk '$2 == "192.168.1.3" || $2 == "133.134.10.2"' "$work/requests.txt" | wc -l)
firstSetup=$(awk '$2 == "192.168.1.2" && $1 < 10' "$work/requests.txt" | wc -l)
echo "IKE requests: $total; from Bob: $fromBob; Alice's first setup: $firstSetup"
cat "$work/requests.txt"
[ "$total" -ge 6 ] || fail "too few IKE requests captured (first setup and the one after the move)"
[ "$fromBob" -eq 0 ] || fail "the responder started IKE exchanges"
[ "$firstSetup" -eq 3 ] || fail "the first setup took $firstSetup requests, not 3"
echo "one asker per need: all checks hold"
