#!/usr/bin/env bash
# libns3-presec stays free of the scenario module's dependencies (issue 14). Usage:
#   lib-deps.sh LIBNS3_PRESEC LIBNS3_PRESEC_SCENARIO [stand-alone|in-tree] [LINK_COMMAND_FILE]
#  - no Wi-Fi, mobility, stats, CSMA or applications library on libns3-presec's link line (the
#    link command CMake's Makefile generator wrote, when given) nor among its NEEDED entries:
#    the apparatus' traffic runs on plain sockets, and stand-alone the library links core,
#    network and internet by their files only. In-tree, ns-3's build_lib links the modules'
#    targets, which hand on network's own dependency on stats (src/network/CMakeLists.txt),
#    so there stats may be among the NEEDED entries;
#  - none of libns3-presec's undefined symbols is defined by the Wi-Fi, mobility, stats,
#    CSMA or applications library: its own code uses none of them;
#  - the scenario library needs all five (else the check looks at the wrong files).
set -euo pipefail
core=${1:?libns3-presec}
scenario=${2:?libns3-presec-scenario}
link_command=${4:-}
forbidden='wifi|mobility|stats|csma|applications'
status=0
if [ -n "$link_command" ]; then
    [ -f "$link_command" ] || { echo "no link command file $link_command" >&2; exit 1; }
    bad=$(tr ' ' '\n' <"$link_command" | grep -E -- "ns3[.0-9]*-($forbidden)(-[a-z]+)?(\.so|$)" |
        tr "\n" " " || true)
    if [ -n "$bad" ]; then
        echo "$(basename "$core")'s link line has $bad: only the scenario module may" >&2
        status=1
    fi
    echo "$(basename "$core") link line: $(tr ' ' '\n' <"$link_command" | grep -E 'ns3' |
        grep -v -- '-soname\|\.o"\?$' | xargs -r -n1 basename | tr '\n' ' ')"
fi
[ "${3:-}" != in-tree ] || forbidden='wifi|mobility|csma|applications'
needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }
bad=$(needed "$core" | grep -E -- "-($forbidden)(-[a-z]+)?\.so" | tr "\n" " " || true)
if [ -n "$bad" ]; then
    echo "$(basename "$core") needs $bad: only the scenario module may" >&2
    status=1
fi
undefined=$(nm -D --undefined-only "$core" | awk '{print $NF}' | sort -u)
for m in wifi mobility stats csma applications; do
    lib=$(ldd "$scenario" | awk -v m="-$m" 'index($1, m) && $3 ~ /^\// {print $3; exit}')
    if [ -z "$lib" ]; then
        echo "$(basename "$scenario") does not need the $m library: the check looks at the wrong file" >&2
        status=1
        continue
    fi
    used=$(comm -12 <(echo "$undefined") <(nm -D --defined-only "$lib" | awk '{print $NF}' | sort -u))
    if [ -n "$used" ]; then
        echo "$(basename "$core") uses $(basename "$lib"):" >&2
        echo "$used" | head -5 | c++filt | sed 's/^/  /' >&2
        status=1
    else
        echo "$(basename "$core") uses nothing of $(basename "$lib")"
    fi
done
echo "$(basename "$core") NEEDED: $(needed "$core" | tr '\n' ' ')"
exit $status
