#!/usr/bin/env bash
# Builds the single-page app into web/dist (hashed assets + .br/.gz siblings).
set -euo pipefail
cd "$(dirname "$0")/../web"
npm run build --silent
