#!/usr/bin/env bash
# HTTP benchmark: wrk against GET /api/v1/version and an authenticated GET /api/v1/me (the
# caller's own profile: session lookup + account read on every request), on a release build
# with a fresh demo SQLite database. Usage: bench/http/run.sh [DURATION_S] [CONNECTIONS]
# Prints wrk's summary (requests/s, latency distribution incl. p99) for each endpoint.
set -euo pipefail
cd "$(dirname "$0")/../.."
DUR="${1:-10}"
CONN="${2:-64}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk"; exit 1; }
bash scripts/build.sh release
tmp="$(mktemp -d)"
trap 'kill "$SRV" 2>/dev/null || true; wait "$SRV" 2>/dev/null || true; rm -rf "$tmp"' EXIT
DB="sqlite:$tmp/bench.db"
./build/nccs migrate --db "$DB" >/dev/null 2>&1
./build/nccs seed --db "$DB" --scale demo >/dev/null
PORT=18099
NCCS_ACCESS_LOG="${NCCS_ACCESS_LOG:-1}" ./build/nccs serve --db "$DB" --listen 127.0.0.1:$PORT \
  --threads 2 2>"$tmp/server.log" >"$tmp/server.out" &
SRV=$!
for _ in $(seq 50); do grep -q listening "$tmp/server.out" 2>/dev/null && break; sleep 0.1; done
BASE="http://127.0.0.1:$PORT"
COOKIE=$(curl -s -i -X POST "$BASE/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d '{"email":"nurse13@example.jp","password":"demo-pass-2026"}' |
  grep -i '^Set-Cookie:' | sed -E 's/^[Ss]et-[Cc]ookie: ([^;]+);.*/\1/')
echo "machine: $(nproc) cores; server: 2 worker threads, access log ${NCCS_ACCESS_LOG:-1}; wrk: 2 threads, $CONN connections, ${DUR}s"
echo
echo "### GET /api/v1/version"
wrk -t2 -c"$CONN" -d"${DUR}s" --latency "$BASE/api/v1/version"
echo
echo "### GET /api/v1/me (authenticated)"
wrk -t2 -c"$CONN" -d"${DUR}s" --latency -H "Cookie: $COOKIE" "$BASE/api/v1/me"
