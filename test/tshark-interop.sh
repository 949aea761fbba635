#!/usr/bin/env bash
# Interop check with Wireshark's dissectors: runs the two-node IPsec example in real crypto
# mode with pcaps and the exported esp_sa table, then asks tshark to
#   1. dissect ESP and AH, and decrypt the ESP with every ICV good (esp.icv_good);
#   2. in the IPComp variant, find IPComp inside the decrypted ESP.
# Usage: tshark-interop.sh EXAMPLE_BINARY POLICY_DIR WORK_DIR
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
example=$1
policies=$2
work=$3
need tshark
fresh_work "$work"

ts() { # tshark with our esp_sa table and ESP decryption on
    XDG_CONFIG_HOME="$1" tshark -r "$2" -o esp.enable_encryption_decode:TRUE \
        -o esp.enable_authentication_check:TRUE "${@:3}" 2>/dev/null
}

"$example" --policies="$policies" --crypto=real --pcap="$work/ah" --bulk=100000 >/dev/null
pcap="$work/ah/ipsec-two-nodes-0-0.pcap"
esp=$(ts "$work/ah" "$pcap" -Y 'esp && udp' -T fields -e esp.icv_good | sort | uniq -c)
echo "ESP+UDP icv_good: $esp"
[ "$(echo "$esp" | awk '$2 == "1" {print $1}')" -ge 40 ] || fail "too few decrypted UDP packets"
echo "$esp" | awk '$2 != "1" {exit 1}' || fail "an ESP ICV did not verify"
ah=$(ts "$work/ah" "$pcap" -Y 'ah && esp && tcp' -T fields -e ah.spi | sort -u)
[ -n "$ah" ] || fail "no AH/ESP/TCP packets"
echo "AH SPIs over decrypted TCP: $(echo $ah)"
bad=$(ts "$work/ah" "$pcap" -Y 'esp.icv_good == 0' | wc -l)
[ "$bad" -eq 0 ] || fail "$bad packets with a bad ICV"

"$example" --policies="$policies/ipcomp" --crypto=real --pcap="$work/ipcomp" --bulk=100000 >/dev/null
ipcomp=$(ts "$work/ipcomp" "$work/ipcomp/ipsec-two-nodes-0-0.pcap" -Y 'ipcomp' | wc -l)
echo "IPComp packets inside decrypted ESP: $ipcomp"
[ "$ipcomp" -ge 10 ] || fail "no IPComp found"
echo "tshark interop: all checks hold"
