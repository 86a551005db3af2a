#!/usr/bin/env bash
# Bulk-upload benchmark of proxy notifications (施設代行届出の一括登録): a fresh demo stack on
# SQLite, facility13@example.jp uploads a CSV of 10,000 valid rows to
# POST /api/v1/facilities/{id}/notification-uploads, with dry_run=1 (validate) and for real
# (validate + commit), 3 runs each (a new file each run), medians, server RSS. See
# bench/README.md. Usage: bench/notify/run.sh [bench.mjs options: --rows N --runs N
# --email-share PCT --threads N --csv-out FILE]
# Needs a release build: `scripts/build.sh release` (build/), or BUILD=dir for another build
# directory.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD="${BUILD:-build}"
[ -x "$BUILD/nccs" ] || { echo "build $BUILD first (scripts/build.sh release)" >&2; exit 1; }
exec node bench/notify/bench.mjs --bin "$BUILD/nccs" "$@"
