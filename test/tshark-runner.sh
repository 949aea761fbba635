#!/usr/bin/env bash
# Interop check of the scenario runner's --pcap output: office-to-cafe under LocationAware
# (Bob at the cafe talks under ESP+AH); tshark, given the runner's esp_sa file, must decrypt
# every ESP packet on the cafe segment, in both directions, and dissect the voice inside as
# RTP (version 2, PCMU, the 12-byte header, 160 bytes of G.711 per 20 ms).
# Usage: tshark-runner.sh PRESEC_RUN SCENARIO WORK_DIR
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
run=$1
scenario=$2
work=$3
need tshark
fresh_work "$work"
mkdir -p "$work/conf/wireshark"

"$run" "$scenario" --decision=LocationAware --pcap=1 --report=0 --out="$work" >/dev/null
cp "$work/office-to-cafe-esp_sa" "$work/conf/wireshark/esp_sa"
ts() {
    XDG_CONFIG_HOME="$work/conf" tshark -r "$work/office-to-cafe-cafe.pcap" \
        -o esp.enable_encryption_decode:TRUE -o esp.enable_authentication_check:TRUE "$@" \
        2>/dev/null
}
from=$(ts -Y 'esp && udp && ip.src == 133.134.10.0/24' | wc -l)
to=$(ts -Y 'esp && udp && ip.dst == 133.134.10.0/24' | wc -l)
left=$(ts -Y 'esp && !udp && !tcp' | wc -l)
bad=$(ts -Y 'esp.icv_good == 0' | wc -l)
echo "decrypted UDP from the cafe: $from, to the cafe: $to; undecrypted ESP: $left; bad ICV: $bad"
[ "$from" -ge 100 ] || fail "too few decrypted packets from the cafe"
[ "$to" -ge 100 ] || fail "too few decrypted packets to the cafe"
[ "$left" -eq 0 ] || fail "ESP packets tshark could not decrypt"
[ "$bad" -eq 0 ] || fail "ESP packets with a bad ICV"
rtp=$(ts --enable-heuristic rtp_udp -Y 'esp && rtp.version == 2 && rtp.p_type == 0 && rtp.ext == 0 && rtp.cc == 0 && udp.length == 8 + 12 + 160' | wc -l)
udp=$(ts -Y 'esp && udp.dstport == 40000' | wc -l)
echo "decrypted voice packets: $udp, dissected as RTP (12-byte header, PCMU): $rtp"
[ "$udp" -ge 100 ] || fail "too few decrypted voice packets"
[ "$rtp" -eq "$udp" ] || fail "voice packets tshark does not dissect as RTP"
echo "runner pcaps: all checks hold"
