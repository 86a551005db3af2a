#!/usr/bin/env bash
# Builds the C program. Usage: scripts/build.sh release|asan
#   release → build/nccs        asan → build-asan/nccs (AddressSanitizer + UBSan, with unit tests)
set -euo pipefail
cd "$(dirname "$0")/.."
kind="${1:-release}"
jobs="$(nproc 2>/dev/null || echo 2)"
if [ "$kind" = asan ]; then
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DNCCS_SANITIZE=ON >/dev/null
  cmake --build build-asan -j "$jobs" >/dev/null
else
  cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build build -j "$jobs" --target nccs >/dev/null
fi
