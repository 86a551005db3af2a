#!/usr/bin/env bash
# Builds and runs the in-process search benchmark against build/libnccscore.a.
# Usage: bench/search/synthetic.sh [docs] [queries]   (run scripts/build.sh release first)
set -euo pipefail
cd "$(dirname "$0")/../.."
lib=build/libnccscore.a
[ -f "$lib" ] || { echo "missing $lib: run scripts/build.sh release first" >&2; exit 1; }
out=build/bench_search
cc -std=c17 -O2 -g -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wvla -Isrc \
  bench/search/bench_search.c "$lib" $(pkg-config --libs libutf8proc) -lpthread -lm -o "$out"
exec "$out" "$@"
