#!/usr/bin/env bash
# Access-log import benchmark (issue 7: one year of access logs, 1.5 million page views, in
# <= 30 s). One command:
#   1. bench/access/gen-log.mjs writes one fiscal year of nginx "combined" logs with 1.5 million
#      page views plus the asset, API, robot and error lines that do not count (deterministic);
#   2. `nccs import access-log` of that file into a fresh SQLite database, under
#      /usr/bin/time -v: wall time and peak RSS;
#   3. checks the import's page views and visits against the generator's and the database's
#      sums (SELECT SUM(views), SUM(visits) FROM access_daily).
# Usage: bench/access/run.sh [--views N] [--keep DIR]
# Needs a release build: `scripts/build.sh release` (build/), or BUILD=dir for another build.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD="${BUILD:-build}"
VIEWS=1500000
KEEP=""
while [ $# -gt 0 ]; do
  case "$1" in
    --views) VIEWS="$2"; shift 2 ;;
    --keep) KEEP="$2"; shift 2 ;;
    *) echo "usage: $0 [--views N] [--keep DIR]" >&2; exit 2 ;;
  esac
done
[ -x "$BUILD/nccs" ] || { echo "build $BUILD first (scripts/build.sh release)" >&2; exit 1; }

if [ -n "$KEEP" ]; then
  tmp="$KEEP"
  mkdir -p "$tmp"
else
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
fi
log="$tmp/access.log"
db="sqlite:$tmp/access-bench.db"
rm -f "$tmp/access-bench.db"*

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== generate ($VIEWS page views, FY2025)"
g0=$(date +%s.%N)
node bench/access/gen-log.mjs --out "$log" --views "$VIEWS" | tee "$tmp/gen.txt"
g1=$(date +%s.%N)
printf '  %s, %.1f s\n' "$(du -h "$log" | cut -f1)" "$(echo "$g1 - $g0" | bc)"

"$BUILD/nccs" migrate --db "$db" >/dev/null 2>&1
echo "== import (nccs import access-log, release build $BUILD)"
/usr/bin/time -v "$BUILD/nccs" import access-log --db "$db" "$log" >"$tmp/import.txt" 2>"$tmp/time.txt" || {
  cat "$tmp/import.txt" "$tmp/time.txt" >&2
  exit 1
}
sed 's/^/  /' "$tmp/import.txt"
wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$tmp/time.txt")
rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tmp/time.txt")
cpu=$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {printf "%.2f", u + s}' "$tmp/time.txt")
echo "== result"
printf '  wall time %s (m:ss), CPU %s s, peak RSS %.1f MB\n' "$wall" "$cpu" "$(echo "$rss / 1024" | bc -l)"

# Checks: the import found what the generator wrote, and the database holds it.
want_views=$(awk -F': ' '/^page views/ {print $2}' "$tmp/gen.txt")
want_visits=$(awk -F': ' '/^visits/ {print $2}' "$tmp/gen.txt")
got_views=$(awk -F': ' '/^page views/ {print $2}' "$tmp/import.txt")
got_visits=$(awk -F': ' '/^visits/ {print $2}' "$tmp/import.txt")
db_sums=$(sqlite3 "$tmp/access-bench.db" "SELECT SUM(views) || ' ' || SUM(visits) FROM access_daily")
days=$(sqlite3 "$tmp/access-bench.db" "SELECT COUNT(DISTINCT day) FROM access_daily")
echo "  generator: $want_views page views, $want_visits visits; import: $got_views, $got_visits;" \
  "access_daily: $db_sums on $days days"
if [ "$want_views" != "$got_views" ] || [ "$want_visits" != "$got_visits" ] || \
   [ "$db_sums" != "$want_views $want_visits" ]; then
  echo "MISMATCH" >&2
  exit 1
fi
echo "  ok"
