#!/usr/bin/env bash
# Installs what is missing on a Debian 12 machine. Usage: scripts/deps.sh run|test
# Debian packages through apt-get (as root, or with sudo), npm packages through npm ci.
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-run}"
pkgs=(build-essential cmake pkg-config clang-format
      libmicrohttpd-dev libjansson-dev libsqlite3-dev libpq-dev libsodium-dev
      libcurl4-openssl-dev libutf8proc-dev sqlite3
      libpango1.0-dev libcairo2-dev fonts-noto-cjk fonts-ipaexfont-gothic fonts-ipaexfont-mincho
      libzip-dev libexpat1-dev libxlsxwriter-dev)
if [ "$mode" = test ]; then
  pkgs+=(libcmocka-dev postgresql chromium wrk poppler-utils)
fi
command -v node >/dev/null 2>&1 || pkgs+=(nodejs npm)

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm packages: reference data for the build, test tooling, and the web app.
stamp() { sha256sum "$1/package-lock.json" 2>/dev/null | cut -c1-16; }
# The root uses `npm ci`. web/ uses `npm install`, which installs exactly the locked versions too:
# its lock file lists only the platform packages of rollup this registry serves, which `npm ci`
# rejects as incomplete.
install_npm() {
  local dir="$1" cmd="$2"
  [ -f "$dir/package.json" ] || return 0
  if [ ! -d "$dir/node_modules" ] || [ "$(cat "$dir/node_modules/.nccs-stamp" 2>/dev/null)" != "$(stamp "$dir")" ]; then
    echo "deps: npm $cmd in $dir"
    (cd "$dir" && npm "$cmd" --no-audit --no-fund --loglevel=error)
    stamp "$dir" > "$dir/node_modules/.nccs-stamp"
  fi
}
install_npm . ci
install_npm web install
