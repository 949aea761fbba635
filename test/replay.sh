#!/usr/bin/env bash
# Tests of presec-replay (the capture checker) on captures of the two-node IPsec example:
#  (a) real-crypto captures covering every ESP and AH algorithm the setkey parser knows, in
#      transport and tunnel mode, AH+ESP bundles and IPComp: every packet to the host is
#      delivered, in both directions, as tshark counts them; the same capture as raw IPv4
#      (link types 101 and 228) and as pcapng gives the same CSV;
#  (b) a capture with one ESP packet replayed, one tampered with, one with a spoofed source:
#      `replayed`, `bad-icv`, `sa-selector-mismatch`;
#  (c) damaged files and bad arguments: exit status 1 and a message naming the file.
# Usage: replay.sh PRESEC_REPLAY PRESEC_IPSEC_TWO_NODES POLICY_DIR WORK_DIR
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
replay=$1
example=$2
policies=$3
work=$4
need python3
fresh_work "$work"
A=192.168.1.1
B=192.168.1.2

# --- (a) -----------------------------------------------------------------------------------

# gen DIR SAS UDP TCP: the example's two setkey files. SAS holds `add` lines, UDP and TCP the
# requests of their policies; @S@/@D@ are the direction's source/destination and @N@ its
# number (1: A to B, 2: B to A), so each policy is bound (unique:N) to its own SAs.
gen() {
    local dir=$1 sas=$2 udp=$3 tcp=$4 node self peer nout nin
    mkdir -p "$dir"
    sub() { sed -e "s/@S@/$1/g; s/@D@/$2/g; s/@N@/$3/g"; }
    for node in a b; do
        if [ "$node" = a ]; then self=$A peer=$B nout=1 nin=2; else self=$B peer=$A nout=2 nin=1; fi
        {
            echo "flush;"
            echo "spdflush;"
            echo "$sas" | sub "$A" "$B" 1
            echo "$sas" | sub "$B" "$A" 2
            echo "spdadd $self $peer udp -P out ipsec $(echo "$udp" | sub "$self" "$peer" $nout);"
            echo "spdadd $peer $self udp -P in ipsec $(echo "$udp" | sub "$peer" "$self" $nin);"
            echo "spdadd $self $peer tcp -P out ipsec $(echo "$tcp" | sub "$self" "$peer" $nout);"
            echo "spdadd $peer $self tcp -P in ipsec $(echo "$tcp" | sub "$peer" "$self" $nin);"
        } >"$dir/two-nodes-$node.setkey"
    done
}
k16=00112233445566778899aabbccddeeff
k20=${k16}01020304
k24=${k16}0011223344556677
k32=${k16}${k16}
k36=${k32}01020304

# AES-256-CBC/HMAC-SHA256 (UDP); 3DES-CBC/HMAC-SHA1 inside AH HMAC-SHA1 (TCP).
gen "$work/cbc" "add @S@ @D@ esp 0x@N@101 -m transport -u @N@1 -r 8 -E aes-cbc 0x$k32 -A hmac-sha256 0x$k32;
add @S@ @D@ esp 0x@N@102 -m transport -u @N@2 -r 8 -E 3des-cbc 0x$k24 -A hmac-sha1 0x$k20;
add @S@ @D@ ah 0x@N@103 -m transport -u @N@3 -r 8 -A hmac-sha1 0x$k20;" \
    "esp/transport//unique:@N@1" "esp/transport//unique:@N@2 ah/transport//unique:@N@3"
# AES-128-GCM (UDP, transport); AES-256-GCM (TCP, tunnel).
gen "$work/gcm" "add @S@ @D@ esp 0x@N@201 -m transport -u @N@1 -r 8 -E aes-gcm-16 0x$k20;
add @S@ @D@ esp 0x@N@202 -m tunnel -u @N@2 -r 8 -E aes-gcm-16 0x$k36;" \
    "esp/transport//unique:@N@1" "esp/tunnel/@S@-@D@/unique:@N@2"
# ChaCha20-Poly1305 (UDP, tunnel); NULL/HMAC-SHA256 inside AH HMAC-SHA256 (TCP).
gen "$work/chacha" "add @S@ @D@ esp 0x@N@301 -m tunnel -u @N@1 -r 8 -E chacha20-poly1305 0x$k36;
add @S@ @D@ esp 0x@N@302 -m transport -u @N@2 -r 8 -E null -A hmac-sha256 0x$k32;
add @S@ @D@ ah 0x@N@303 -m transport -u @N@3 -r 8 -A hmac-sha256 0x$k32;" \
    "esp/tunnel/@S@-@D@/unique:@N@1" "esp/transport//unique:@N@2 ah/transport//unique:@N@3"
# AH HMAC-SHA1 in tunnel mode (UDP); AES-128-CBC/HMAC-SHA256 inside AH HMAC-SHA256 (TCP).
gen "$work/ahtunnel" "add @S@ @D@ ah 0x@N@401 -m tunnel -u @N@1 -r 8 -A hmac-sha1 0x$k20;
add @S@ @D@ esp 0x@N@402 -m transport -u @N@2 -r 8 -E aes-cbc 0x$k16 -A hmac-sha256 0x$k32;
add @S@ @D@ ah 0x@N@403 -m transport -u @N@3 -r 8 -A hmac-sha256 0x$k32;" \
    "ah/tunnel/@S@-@D@/unique:@N@1" "esp/transport//unique:@N@2 ah/transport//unique:@N@3"
# The example's own: AES-128-CBC/HMAC-SHA1 (UDP), inside AH HMAC-SHA256 (TCP); and IPComp.
mkdir -p "$work/default" "$work/ipcomp"
cp "$policies"/two-nodes-?.setkey "$work/default/"
cp "$policies"/ipcomp/two-nodes-?.setkey "$work/ipcomp/"

# check CSV: exit 0 already checked; every row delivered (a later fragment's row: none,
# fragment, its packet being reported on the first fragment), 20 UDP echoes, TCP segments.
check_delivered() {
    local what=$1 csv=$2 expected_rows=$3
    local rows bad udp tcp
    rows=$(tail -n +2 "$csv" | wc -l)
    bad=$(tail -n +2 "$csv" | awk -F, '!($4 == "delivered" && $5 == "") && !($4 == "none" && $5 == "fragment")' | head -3)
    udp=$(tail -n +2 "$csv" | awk -F, '$4 == "delivered" && $6 == 17' | wc -l)
    tcp=$(tail -n +2 "$csv" | awk -F, '$4 == "delivered" && $6 == 6' | wc -l)
    echo "$what: $rows rows, UDP delivered $udp, TCP delivered $tcp, SPIs $(tail -n +2 "$csv" | cut -d, -f2 | sort -u | tr '\n' ' ')"
    [ -z "$bad" ] || fail "$what: rows not delivered: $bad"
    [ "$rows" -eq "$expected_rows" ] || fail "$what: $rows rows, but the capture has $expected_rows IPv4 packets to the host"
    [ "$udp" -eq 20 ] || fail "$what: $udp UDP echoes delivered, expected 20"
    [ "$tcp" -ge 10 ] || fail "$what: only $tcp TCP segments delivered"
}

for v in default cbc gcm chacha ahtunnel ipcomp; do
    dir=$work/$v
    out=$("$example" --policies="$dir" --crypto=real --pcap="$dir/pcap" --bulk=30000) ||
        fail "$v: example failed"
    echo "$out" | grep -q "TCP bytes received: 30000 of 30000" || fail "$v: transfer incomplete: $out"
    echo "$out" | grep -q "drops [1-9]" && fail "$v: the simulation itself dropped packets: $out"
    # Node 0's capture holds what A sent to B, node 1's what B sent to A.
    for side in "b $B 0" "a $A 1"; do
        set -- $side
        pcap=$dir/pcap/ipsec-two-nodes-$3-0.pcap
        "$replay" --setkey="$dir/two-nodes-$1.setkey" --address="$2" --pcap="$pcap" >"$dir/$1.csv" ||
            fail "$v: presec-replay exit status $?"
        expected=$(tshark -r "$pcap" -Y "ip.dst == $2" 2>/dev/null | wc -l)
        check_delivered "$v, to $2" "$dir/$1.csv" "$expected"
    done
done

# The same capture as raw IPv4 (LINKTYPE_RAW 101, LINKTYPE_IPV4 228) and as pcapng.
python3 - "$work/default/pcap/ipsec-two-nodes-0-0.pcap" "$work/raw" <<'EOF'
import struct, sys
src, out = sys.argv[1], sys.argv[2]
data = open(src, "rb").read()
header, body = data[:24], data[24:]
for linktype in (101, 228):
    parts = [header[:20] + struct.pack("<I", linktype)]
    at = 0
    while at < len(body):
        sec, usec, incl, orig = struct.unpack_from("<IIII", body, at)
        frame = body[at + 16 : at + 16 + incl]
        at += 16 + incl
        ip = frame[14:] if frame[12:14] == b"\x08\x00" else b""
        if ip:  # other frames (ARP) have no raw-IPv4 form
            parts.append(struct.pack("<IIII", sec, usec, len(ip), len(ip)) + ip)
    open(f"{out}-{linktype}.pcap", "wb").write(b"".join(parts))
EOF
strip_frames() { cut -d, -f2-; } # frame numbers differ: ARP frames are gone
for lt in 101 228; do
    "$replay" --setkey="$work/default/two-nodes-b.setkey" --address=$B \
        --pcap="$work/raw-$lt.pcap" >"$work/raw-$lt.csv" || fail "raw $lt: exit status $?"
    diff <(strip_frames <"$work/default/b.csv") <(strip_frames <"$work/raw-$lt.csv") >/dev/null ||
        fail "link type $lt gives other verdicts than Ethernet"
done
echo "raw IPv4 (101, 228): same verdicts as Ethernet"
if command -v editcap >/dev/null; then
    editcap -F pcapng "$work/default/pcap/ipsec-two-nodes-0-0.pcap" "$work/default.pcapng"
    "$replay" --setkey="$work/default/two-nodes-b.setkey" --address=$B \
        --pcap="$work/default.pcapng" >"$work/pcapng.csv" || fail "pcapng: exit status $?"
    cmp -s "$work/default/b.csv" "$work/pcapng.csv" || fail "pcapng gives other verdicts than pcap"
    echo "pcapng: same verdicts as pcap"
fi

# --- (b) -----------------------------------------------------------------------------------
# From the default capture: after the 2nd ESP packet to B a copy of it (replayed), the 4th
# with a ciphertext byte flipped (tampered), the 6th from 192.168.1.9 (spoofed: ESP does not
# cover the IPv4 header, so only the SA's selectors can tell).
marks=$(python3 - "$work/default/pcap/ipsec-two-nodes-0-0.pcap" "$work/bad.pcap" <<'EOF'
import struct, sys
src, out = sys.argv[1], sys.argv[2]
data = open(src, "rb").read()
header, body, frames, at = data[:24], data[24:], [], 0
while at < len(body):
    rec = body[at : at + 16]
    incl = struct.unpack_from("<I", rec, 8)[0]
    frames.append([rec, bytearray(body[at + 16 : at + 16 + incl])])
    at += 16 + incl

def is_esp_to_b(f):
    return f[12:14] == b"\x08\x00" and f[14 + 9] == 50 and bytes(f[14 + 16 : 14 + 20]) == bytes([192, 168, 1, 2])

def ip_checksum(ip):
    ip[10:12] = b"\0\0"
    s = sum(struct.unpack("!10H", bytes(ip[:20])))
    s = (s & 0xFFFF) + (s >> 16)
    s = (s & 0xFFFF) + (s >> 16)
    ip[10:12] = struct.pack("!H", ~s & 0xFFFF)

result, esp, marks = [], 0, {}
for rec, f in frames:
    result.append([rec, f])
    if not is_esp_to_b(f):
        continue
    esp += 1
    if esp == 2:
        result.append([rec, bytearray(f)])
        marks["replayed"] = len(result)
    elif esp == 4:
        f[14 + 20 + 8 + 16 + 4] ^= 0x01  # past SPI, sequence number and IV
        marks["tampered"] = len(result)
    elif esp == 6:
        f[14 + 12 : 14 + 16] = bytes([192, 168, 1, 9])
        ip = f[14:34]
        ip_checksum(ip)
        f[14:34] = ip
        marks["spoofed"] = len(result)
open(out, "wb").write(header + b"".join(bytes(r) + bytes(f) for r, f in result))
print(" ".join(f"{k}={v}" for k, v in sorted(marks.items())))
EOF
)
echo "bad capture: $marks"
eval "$marks"
"$replay" --setkey="$work/default/two-nodes-b.setkey" --address=$B --pcap="$work/bad.pcap" \
    >"$work/bad.csv" || fail "bad capture: exit status $?"
row() { awk -F, -v f="$1" '$1 == f {print $4 "," $5}' "$work/bad.csv"; }
echo "replayed frame $replayed: $(row "$replayed"); tampered frame $tampered: $(row "$tampered"); spoofed frame $spoofed: $(row "$spoofed")"
[ "$(row "$replayed")" = "dropped,replayed" ] || fail "replayed frame $replayed: $(row "$replayed")"
[ "$(row $((replayed - 1)))" = "delivered," ] || fail "the original of the replayed frame was not delivered"
[ "$(row "$tampered")" = "dropped,bad-icv" ] || fail "tampered frame $tampered: $(row "$tampered")"
others=$(tail -n +2 "$work/bad.csv" |
    awk -F, -v a="$replayed" -v b="$tampered" -v c="$spoofed" \
        '$1 != a && $1 != b && $1 != c && !($4 == "delivered" && $5 == "") && !($4 == "none" && $5 == "fragment")' | head -3)
[ -z "$others" ] || fail "untouched packets not delivered: $others"

# --- (c) -----------------------------------------------------------------------------------
good=$work/default/pcap/ipsec-two-nodes-0-0.pcap
key=$work/default/two-nodes-b.setkey
: >"$work/empty.pcap"
head -c 10 "$good" >"$work/short-header.pcap"
head -c 60 "$good" >"$work/short-record.pcap" # header, a record header, part of its frame
printf 'this is not a capture file\n%.0s' 1 2 3 >"$work/garbage.pcap"
python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(); open(sys.argv[2],"wb").write(d[:20]+struct.pack("<I",105)+d[24:])' \
    "$good" "$work/linktype-105.pcap"
printf 'flush;\nadd 192.168.1.1 192.168.1.2 esp 0x1001 -m transport\n    -E no-such-cipher 0x00;\n' >"$work/bad.setkey"

# expect_error WHAT PATTERN ARGS...: exit status 1 (not a crash) and PATTERN on stderr.
expect_error() {
    local what=$1 pattern=$2 status=0
    shift 2
    "$replay" "$@" >"$work/out" 2>"$work/err" || status=$?
    echo "$what: exit $status: $(cat "$work/err")"
    [ "$status" -eq 1 ] || fail "$what: exit status $status, expected 1"
    grep -q -- "$pattern" "$work/err" || fail "$what: no '$pattern' in the message"
}
expect_error "empty file" "empty.pcap: " --setkey="$key" --address=$B --pcap="$work/empty.pcap"
expect_error "truncated header" "short-header.pcap: .*truncated" \
    --setkey="$key" --address=$B --pcap="$work/short-header.pcap"
expect_error "truncated record" "short-record.pcap: frame 1: .*truncated" \
    --setkey="$key" --address=$B --pcap="$work/short-record.pcap"
expect_error "link type 105" "linktype-105.pcap: link type 105" \
    --setkey="$key" --address=$B --pcap="$work/linktype-105.pcap"
expect_error "garbage" "garbage.pcap: " --setkey="$key" --address=$B --pcap="$work/garbage.pcap"
expect_error "missing file" "no-such.pcap: " --setkey="$key" --address=$B --pcap="$work/no-such.pcap"
expect_error "bad setkey" "bad.setkey: line 3" --setkey="$work/bad.setkey" --address=$B --pcap="$good"
expect_error "missing setkey" "no-such.setkey: " --setkey="$work/no-such.setkey" --address=$B --pcap="$good"
expect_error "bad address" "--address=192.168.1: " --setkey="$key" --address=192.168.1 --pcap="$good"
expect_error "multicast address" "--address=224.0.0.1: " --setkey="$key" --address=224.0.0.1 --pcap="$good"
expect_error "missing option" "--pcap are required" --setkey="$key" --address=$B
# Found by the fuzzer: a pcapng timestamp in 2407 overflowed ns-3's nanosecond time.
late=$(dirname "$0")/fuzz/seeds/replay/pcapng-timestamp-past-2106.pcapng
expect_error "timestamp past 2106" "frame 15: timestamp 13792273860 s" \
    --setkey="$key" --address=$B --pcap="$late"

# --- (b), last: the SPOOF CHECK. It needs main's SA-selector binding in IpsecLayer (RFC 4301
# §5.2: a transport-mode SA's source must be the packet's), drop reason `sa-selector-mismatch`.
# Until that lands on main the spoofed packet is delivered and this single assertion fails;
# every other check above has run by then.
[ "$(row "$spoofed")" = "dropped,sa-selector-mismatch" ] ||
    fail "SPOOF CHECK: spoofed frame $spoofed: $(row "$spoofed"), expected dropped,sa-selector-mismatch (IpsecLayer SA-selector check from main)"
echo "presec-replay: all checks hold"
