# SPDX-License-Identifier: GPL-2.0-only
# The shared start of the shell tests (sourced): strict mode, fail(), the tools a test needs,
# a fresh work directory.
set -euo pipefail

# fail MESSAGE...: report and stop with status 1.
fail() { echo "FAIL: $*"; exit 1; }

# need COMMAND...: each must be installed (./presec installs them).
need() {
    local c
    for c in "$@"; do
        command -v "$c" >/dev/null || { echo "$c missing: ./presec installs it"; exit 1; }
    done
}

# fresh_work DIR: DIR exists and is empty.
fresh_work() { rm -rf "$1"; mkdir -p "$1"; }
