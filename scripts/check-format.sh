#!/usr/bin/env bash
# Fails if any C file differs from clang-format's output (.clang-format in the root).
set -uo pipefail
cd "$(dirname "$0")/.."
bad=0
while IFS= read -r f; do
  if ! clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then
    echo "not clang-format clean: $f"
    bad=1
  fi
done < <(find src tests/unit bench -name '*.[ch]' 2>/dev/null)
[ "$bad" -eq 0 ] && echo "clang-format check: clean"
exit "$bad"
