#!/usr/bin/env bash
# Matching benchmark on the national data. One command:
#   1. seeds a fresh SQLite database with `nccs seed --scale national` (timed), unless
#      --db sqlite:PATH names an existing national database;
#   2. in-process (bench_match): the server's matcher built by match_feed_init on that database,
#      then p50/p95/p99 of one nurse's ranked offers (GET /me/matches), one offer's candidates
#      (GET /offers/{id}/candidates: as central staff and as the prefecture's counselor) and one
#      pair explained. Seekers missing from the database are generated in the bench (it says so).
#   3. over HTTP (when wrk is installed): `nccs serve` (2 worker threads) on the same database;
#      50 national nurses and the central staff account log in, then wrk cycles through GET
#      /api/v1/me/matches of those nurses, and GET /api/v1/offers/{id}/candidates of 500 random
#      published offers: each with one connection (the latency of one query at a time) and with
#      8 connections on 2 wrk threads (throughput), 10 s per run.
# Usage: bench/match/run.sh [--db sqlite:PATH] [--queries N] [--synthetic-seekers N] [--no-http]
# Needs a release build: `scripts/build.sh release` (build/), or BUILD=dir for another build
# directory (it needs dir/nccs and dir/libnccscore.a).
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD="${BUILD:-build}"
DB=""
HTTP=1
ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --db) DB="$2"; shift 2 ;;
    --queries|--synthetic-seekers) ARGS+=("$1" "$2"); shift 2 ;;
    --no-http) HTTP=0; shift ;;
    *) echo "usage: $0 [--db sqlite:PATH] [--queries N] [--synthetic-seekers N]" >&2; exit 2 ;;
  esac
done
lib="$BUILD/libnccscore.a"
[ -f "$lib" ] && [ -x "$BUILD/nccs" ] || { echo "build $BUILD first (scripts/build.sh release)" >&2; exit 1; }

tmp="$(mktemp -d)"
SRV=""
cleanup() {
  if [ -n "$SRV" ]; then kill "$SRV" 2>/dev/null || true; wait "$SRV" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

out="$BUILD/bench_match"
cc -std=c17 -O2 -g -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wformat=2 \
  -Wno-format-truncation -Wvla -Isrc bench/match/bench_match.c "$lib" \
  $(pkg-config --libs libmicrohttpd jansson sqlite3 libpq libsodium libcurl libutf8proc pangocairo) \
  -lpthread -lm -o "$out"

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo)"
if [ -z "$DB" ]; then
  echo
  echo "== Seed (nccs seed --scale national, SQLite)"
  DB="sqlite:$tmp/national.db"
  "$BUILD/nccs" migrate --db "$DB" >/dev/null 2>&1
  s0=$(date +%s.%N)
  "$BUILD/nccs" seed --db "$DB" --scale national >/dev/null
  s1=$(date +%s.%N)
  printf '  %.1f s; %s published offers, %s seeker profiles\n' "$(echo "$s1 - $s0" | bc)" \
    "$(sqlite3 "$tmp/national.db" "SELECT COUNT(*) FROM offers WHERE status = 'published'")" \
    "$(sqlite3 "$tmp/national.db" "SELECT COUNT(*) FROM seekers")"
else
  "$BUILD/nccs" migrate --db "$DB" >/dev/null 2>&1 || true
fi
echo
"$out" --db "$DB" "${ARGS[@]}"

[ "$HTTP" = 1 ] || exit 0
command -v wrk >/dev/null || { echo; echo "(wrk is missing: HTTP part skipped)"; exit 0; }
case "$DB" in sqlite:*) file="${DB#sqlite:}" ;; *) echo "(HTTP part needs a SQLite file)"; exit 0 ;; esac
echo
echo "== HTTP (nccs serve, 2 worker threads; wrk 1 connection, then 2 threads x 8 connections; 10 s each)"
PORT=$((20000 + RANDOM % 20000))
t0=$(date +%s.%N)
NCCS_ACCESS_LOG=0 NCCS_MAX_CONN_PER_IP=1000 "$BUILD/nccs" serve --db "$DB" --listen 127.0.0.1:$PORT \
  --threads 2 2>"$tmp/server.log" >"$tmp/server.out" &
SRV=$!
for _ in $(seq 900); do grep -q listening "$tmp/server.out" 2>/dev/null && break; sleep 0.1; done
grep -q listening "$tmp/server.out" || { echo "server did not start"; cat "$tmp/server.log"; exit 1; }
printf '  server ready after %.1f s (search index and matcher built at start)\n' \
  "$(echo "$(date +%s.%N) - $t0" | bc)"
login() { # prints the session cookie of $1 (demo password of the seeded accounts)
  curl -s -D - -o /dev/null -H 'content-type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"demo-pass-2026\"}" \
    "http://127.0.0.1:$PORT/api/v1/auth/login" | tr -d '\r' |
    sed -n 's/^[Ss]et-[Cc]ookie: \(__Host-nccs_session=[^;]*\).*/\1/p'
}
: >"$tmp/nurses.txt"
for email in $(sqlite3 "$file" "SELECT u.email FROM seekers s JOIN users u ON u.id = s.user_id \
    WHERE u.email LIKE 'nurse%@example.jp' ORDER BY (s.user_id * 7919) % 10007 LIMIT 50"); do
  c="$(login "$email")"
  [ -n "$c" ] && printf '/api/v1/me/matches\t%s\n' "$c" >>"$tmp/nurses.txt"
done
central="$(login central@example.jp)"
sqlite3 "$file" "SELECT id FROM offers WHERE status = 'published' ORDER BY (id * 7919) % 100003 \
  LIMIT 500" | sed "s|.*|/api/v1/offers/&/candidates\t$central|" >"$tmp/offers.txt"
run_wrk() { # $1 request list, $2 threads, $3 connections
  BENCH_REQS="$1" wrk -t"$2" -c"$3" -d10s --latency -s bench/match/requests.lua \
    "http://127.0.0.1:$PORT" | grep -E 'Latency|requests in|Requests/sec|50%|90%|99%|status' |
    sed 's/^ */    /'
}
echo "  per nurse: GET /api/v1/me/matches as $(wc -l <"$tmp/nurses.txt") different nurses"
echo "   1 connection:"
run_wrk "$tmp/nurses.txt" 1 1
echo "   8 connections:"
run_wrk "$tmp/nurses.txt" 2 8
echo "  per offer: GET /api/v1/offers/{id}/candidates (central staff) on 500 offers"
echo "   1 connection:"
run_wrk "$tmp/offers.txt" 1 1
echo "   8 connections:"
run_wrk "$tmp/offers.txt" 2 8
