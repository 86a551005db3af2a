#!/usr/bin/env bash
# `make test`: installs test needs, builds (release + ASan/UBSan), then runs every suite:
# banned-function and format checks, C unit tests (cmocka, under sanitizers), API tests against
# the real server on SQLite and on PostgreSQL, browser tests in Chromium. Ends with the line
# `N passed, N failed` and a non-zero exit status if anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-artifacts
PASS=0
FAIL=0
add() { PASS=$((PASS + $1)); FAIL=$((FAIL + $2)); }
# Reads "<label>: N passed, N failed" from a suite's last such line.
count_line() {
  local line
  line=$(grep -E '^[a-z0-9-]+: [0-9]+ passed, [0-9]+ failed' "$1" | tail -1)
  if [ -z "$line" ]; then echo "0 1"; return; fi
  echo "$line" | sed -E 's/^[^:]+: ([0-9]+) passed, ([0-9]+) failed.*/\1 \2/'
}

bash scripts/deps.sh test || { echo "dependency installation failed"; echo "0 passed, 1 failed"; exit 1; }

echo "== build"
if ! bash scripts/build.sh release || ! bash scripts/build.sh asan; then
  echo "build failed"; echo "0 passed, 1 failed"; exit 1
fi
if ! bash scripts/build-web.sh > test-artifacts/web-build.log 2>&1; then
  cat test-artifacts/web-build.log; echo "web build failed"; add 0 1
fi

echo "== static checks"
if bash scripts/check-banned.sh; then add 1 0; else add 0 1; fi
if bash scripts/check-format.sh; then add 1 0; else add 0 1; fi

echo "== C unit tests (ASan + UBSan)"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
for t in build-asan/test_*; do
  [ -x "$t" ] || continue
  out="test-artifacts/$(basename "$t").log"
  "$t" > "$out" 2>&1
  rc=$?
  p=$(grep -oE '\[  PASSED  \] [0-9]+' "$out" | grep -oE '[0-9]+$' | tail -1)
  f=$(grep -oE '\[  FAILED  \] [0-9]+' "$out" | grep -oE '[0-9]+$' | tail -1)
  p=${p:-0}; f=${f:-0}
  if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  echo "$(basename "$t"): $p passed, $f failed"
  [ "$f" -ne 0 ] && cat "$out"
  add "$p" "$f"
done

export NCCS_BIN="build-asan/nccs"
echo "== API tests (SQLite and PostgreSQL)"
node tests/api/run.mjs --backend both 2>&1 | tee test-artifacts/api.log | grep -vE '^(ok|TAP|#|1\.\.|\s+duration_ms|  ---|  \.\.\.|    )' || true
read -r p f < <(count_line test-artifacts/api.log)
add "$p" "$f"

echo "== browser tests (Chromium)"
node tests/e2e/run.mjs 2>&1 | tee test-artifacts/e2e.log | grep -vE '^(ok|TAP|#|1\.\.|\s+duration_ms|  ---|  \.\.\.|    )' || true
read -r p f < <(count_line test-artifacts/e2e.log)
add "$p" "$f"

echo
echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
