#!/usr/bin/env bash
# Report benchmark (issue 7) on national data: all tables of one fiscal year (JSON and the XLSX
# workbook), the XLSX export of all published offers, and their peak memory. The national data
# set is seeded once into $DB (default var/bench-national.db; delete it to re-seed).
# Usage: BUILD=build bench/reports/run.sh [fiscal year, default: the current one] [runs, default 3]
# Needs a release build: `scripts/build.sh release` (build/), or BUILD=dir.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD="${BUILD:-build}"
NCCS="$BUILD/nccs"
[ -x "$NCCS" ] || { echo "build $BUILD first (scripts/build.sh release)" >&2; exit 1; }
DB="${DB:-var/bench-national.db}"
FY="${1:-$(TZ=Asia/Tokyo date +%Y)}"
# Before April the current fiscal year is last calendar year's.
if [ -z "${1:-}" ] && [ "$(TZ=Asia/Tokyo date +%-m)" -lt 4 ]; then FY=$((FY - 1)); fi
RUNS="${2:-3}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
mkdir -p "$(dirname "$DB")"
if [ ! -f "$DB" ]; then
  echo "seeding national data into $DB (about a minute) ..."
  "$NCCS" migrate --db "sqlite:$DB" >/dev/null 2>&1
  /usr/bin/time -f "seed: %e s wall, %M KB peak" "$NCCS" seed --db "sqlite:$DB" --scale national >/dev/null
fi
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure() { # label, command...
  local label="$1"; shift
  local times=() rss=0
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M" -o "$OUT/t" "$@" >/dev/null
    read -r t m < "$OUT/t"
    times+=("$t"); [ "$m" -gt "$rss" ] && rss="$m"
  done
  printf '%-44s median %6s s   (runs: %s)   peak RSS %d MB\n' "$label" \
    "$(printf '%s\n' "${times[@]}" | median)" "${times[*]}" $((rss / 1024))
}
echo "fiscal year $FY, $RUNS runs each, $(nproc) cores"
measure "all tables, national, JSON" "$NCCS" report --db "sqlite:$DB" --fy "$FY" --table all --format json
measure "all tables, national, XLSX workbook" "$NCCS" report --db "sqlite:$DB" --fy "$FY" --table all --format xlsx --out "$OUT/all.xlsx"
measure "all tables, Tokyo (with both ledgers), XLSX" "$NCCS" report --db "sqlite:$DB" --fy "$FY" --table all --prefecture 13 --format xlsx --out "$OUT/t13.xlsx"
measure "XLSX of all published offers" "$NCCS" export offers --db "sqlite:$DB" --out "$OUT/offers.xlsx"
echo "offers workbook: $(du -k "$OUT/offers.xlsx" | cut -f1) KB"
