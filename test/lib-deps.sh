#!/usr/bin/env bash
# libns3-presec stays free of the scenario module's dependencies (issue 14). Usage:
#   lib-deps.sh LIBNS3_PRESEC LIBNS3_PRESEC_SCENARIO [in-tree|sanitize]
#  - no Wi-Fi, mobility, stats, CSMA or applications library among libns3-presec's NEEDED
#    entries (the apparatus' traffic runs on plain sockets). ns-3.37's network module itself
#    links stats (src/network/CMakeLists.txt), so stats is on every module's link line; where
#    the link keeps the NEEDED entries Debian's targets pass on (in-tree, and the ASan+UBSan
#    build) stats may be one;
#  - none of libns3-presec's undefined symbols is defined by the Wi-Fi, mobility, stats,
#    CSMA or applications library: its own code uses none of them;
#  - the scenario library needs all five (else the check looks at the wrong files).
set -euo pipefail
core=${1:?libns3-presec}
scenario=${2:?libns3-presec-scenario}
forbidden='wifi|mobility|stats|csma|applications'
case "${3:-}" in in-tree | sanitize) forbidden='wifi|mobility|csma|applications' ;; esac
status=0
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
