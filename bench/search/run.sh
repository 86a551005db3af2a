#!/usr/bin/env bash
# Search benchmark on the national data (issue 4, "Benchmark"). One command prints everything:
#   1. seeds a fresh SQLite database with `nccs seed --scale national` (timed);
#   2. in-process (build/bench_national): the server's index built by offer_index_init on that
#      database, the fixed 1,000-query mix, p50/p95/p99, index memory, rebuild time;
#   3. over HTTP: `nccs serve` (2 worker threads) on the same database, every query URL checked
#      once against the in-process totals, then wrk (2 threads) cycling through the 1,000 URLs;
#   4. the same queries in SQLite (FTS5 trigram + LIKE, in a scratch copy of the database) and
#      PostgreSQL (pg_trgm GIN + ILIKE, a throw-away server from tests/support/pg.mjs), with the
#      ratios to ours. The SQL engines take 0.2-2 s a query, so by default they run the first
#      SQL_QUERIES=100 queries of the mix; --sql-queries 1000 runs all (about 15 minutes).
# Usage: bench/search/run.sh [--sql-queries N] [--no-pg] [--duration S] [--connections C]
# Needs `scripts/build.sh release` first (build/nccs, build/libnccscore.a), wrk, node, and the
# PostgreSQL 15 server binaries for the PostgreSQL part. Everything listens on 127.0.0.1 only;
# every server started here is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
SQL_QUERIES=100
PG=1
DUR=10
CONN=64
while [ $# -gt 0 ]; do
  case "$1" in
    --sql-queries) SQL_QUERIES="$2"; shift 2 ;;
    --no-pg) PG=0; shift ;;
    --duration) DUR="$2"; shift 2 ;;
    --connections) CONN="$2"; shift 2 ;;
    *) echo "usage: $0 [--sql-queries N] [--no-pg] [--duration S] [--connections C]" >&2; exit 2 ;;
  esac
done
lib=build/libnccscore.a
[ -f "$lib" ] && [ -x build/nccs ] || { echo "run scripts/build.sh release first" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

tmp="$(mktemp -d)"
SRV=""
PGPID=""
cleanup() {
  if [ -n "$SRV" ]; then kill "$SRV" 2>/dev/null || true; wait "$SRV" 2>/dev/null || true; fi
  if [ -n "$PGPID" ]; then kill "$PGPID" 2>/dev/null || true; wait "$PGPID" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

out=build/bench_national
cc -std=c17 -O2 -g -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wformat=2 \
  -Wno-format-truncation -Wvla -Isrc bench/search/bench_national.c "$lib" \
  $(pkg-config --libs libmicrohttpd jansson sqlite3 libpq libsodium libcurl libutf8proc) \
  -lpthread -lm -o "$out"

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo)"
echo
echo "== Seed (nccs seed --scale national, SQLite)"
DB="sqlite:$tmp/national.db"
./build/nccs migrate --db "$DB" >/dev/null 2>&1
s0=$(date +%s.%N)
./build/nccs seed --db "$DB" --scale national >/dev/null
s1=$(date +%s.%N)
printf '  %.1f s; %s published offers, %s facilities, database %s MB\n' \
  "$(echo "$s1 - $s0" | bc)" \
  "$(sqlite3 "$tmp/national.db" "SELECT COUNT(*) FROM offers WHERE status = 'published'")" \
  "$(sqlite3 "$tmp/national.db" "SELECT COUNT(*) FROM facilities")" \
  "$(( $(stat -c %s "$tmp/national.db") / 1048576 ))"

PGURL=""
if [ "$PG" = 1 ] && [ "$SQL_QUERIES" != 0 ]; then
  # A throw-away PostgreSQL; the benchmark database gets LC_CTYPE C.UTF-8 so that pg_trgm
  # takes Japanese characters as word characters (with the test server's C locale it extracts
  # no trigrams from Japanese text at all).
  node bench/search/pg.mjs "$tmp/pgurl" >"$tmp/pg.log" 2>&1 &
  PGPID=$!
  for _ in $(seq 120); do [ -s "$tmp/pgurl" ] && break; sleep 0.5; done
  if [ -s "$tmp/pgurl" ]; then
    base_url="$(cat "$tmp/pgurl")"
    psql -q "$base_url" -c "CREATE DATABASE nccs_trgm TEMPLATE template0 ENCODING 'UTF8' \
      LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'" >/dev/null
    PGURL="${base_url%/*}/nccs_trgm"
  else
    echo "  (PostgreSQL did not start; skipping it)"; cat "$tmp/pg.log"
  fi
fi

echo
echo "== In-process and SQL engines (build/bench_national)"
cp "$tmp/national.db" "$tmp/scratch.db"
args=(--db "$DB" --urls "$tmp/urls.txt" --sql-queries "$SQL_QUERIES")
[ "$SQL_QUERIES" != 0 ] && args+=(--scratch "sqlite:$tmp/scratch.db")
[ -n "$PGURL" ] && args+=(--pg "$PGURL")
"$out" "${args[@]}" >"$tmp/inproc.txt" 2>"$tmp/bench.err" ||
  { cat "$tmp/inproc.txt" "$tmp/bench.err"; exit 1; }
# The in-process part now; the SQL engines' part (measured in the same run) after HTTP.
sed -n '1,/wrote .* query URLs/p' "$tmp/inproc.txt"
rm -f "$tmp/scratch.db"

echo
echo "== HTTP (nccs serve, 2 worker threads; wrk 2 threads, $CONN connections, ${DUR}s)"
PORT=$((20000 + RANDOM % 20000))
t0=$(date +%s.%N)
NCCS_ACCESS_LOG=0 NCCS_MAX_CONN_PER_IP=1000 ./build/nccs serve --db "$DB" --listen 127.0.0.1:$PORT --threads 2 \
  2>"$tmp/server.log" >"$tmp/server.out" &
SRV=$!
for _ in $(seq 600); do grep -q listening "$tmp/server.out" 2>/dev/null && break; sleep 0.1; done
grep -q listening "$tmp/server.out" || { echo "server did not start"; cat "$tmp/server.log"; exit 1; }
printf '  server ready after %.1f s (index built at start)\n' "$(echo "$(date +%s.%N) - $t0" | bc)"
node bench/search/check_http.mjs "http://127.0.0.1:$PORT" "$tmp/urls.txt"
BENCH_URLS="$tmp/urls.txt" wrk -t2 -c"$CONN" -d"${DUR}s" --latency -s bench/search/urls.lua \
  "http://127.0.0.1:$PORT" | sed 's/^/  /'
kill "$SRV"; wait "$SRV" 2>/dev/null || true; SRV=""

if [ "$SQL_QUERIES" != 0 ]; then
  echo
  echo "== SQL engines on the same queries (run before the HTTP part, on the same machine)"
  sed -n '/^SQL engines/,$p' "$tmp/inproc.txt"
fi
