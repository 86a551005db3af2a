#!/usr/bin/env bash
# Fails if C sources use a banned libc function (curl's list): sprintf strcpy strcat strtok
# atoi gets. Prints the offending lines.
set -uo pipefail
cd "$(dirname "$0")/.."
hits=$(grep -rnE '\b(sprintf|vsprintf|strcpy|strcat|strtok|atoi|gets)[[:space:]]*\(' \
        --include='*.c' --include='*.h' src tests/unit bench 2>/dev/null || true)
if [ -n "$hits" ]; then
  echo "banned functions used:"
  echo "$hits"
  exit 1
fi
echo "banned-function check: clean"
