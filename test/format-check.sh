#!/usr/bin/env bash
# Every C++ file of the module is as clang-format (the repository's .clang-format, ns-3's
# style) writes it, so a change's diff holds its change and nothing of an editor's layout.
# Fix with: clang-format -i FILE (or git clang-format before committing).
# Usage: format-check.sh SOURCE_DIR [CLANG_FORMAT]
set -euo pipefail
src=${1:?source directory}
cf=${2:-clang-format}
cd "$src"
mapfile -d '' files < <(find . \( -path './build*' -o -path './.git' \) -prune -o \
    -type f \( -name '*.cc' -o -name '*.h' \) -print0 | sort -z)
[ ${#files[@]} -gt 0 ] || { echo "no C++ files under $src" >&2; exit 1; }
if ! out=$("$cf" --dry-run -Werror "${files[@]}" 2>&1); then
    grep 'warning:\|error:' <<<"$out" | cut -d: -f1 | sort | uniq -c | sed 's/^/not formatted: /' >&2
    exit 1
fi
echo "${#files[@]} files formatted"
