#!/usr/bin/env bash
# `make run`: installs what is missing, builds, creates var/nccs.db with demo data and serves
# http://localhost:8080. Mails go to a local catcher (var/mail/*.eml, links printed here).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh run
echo "build: nccs"
bash scripts/build.sh release
echo "build: web app"
bash scripts/build-web.sh
mkdir -p var/mail
DB="sqlite:var/nccs.db"
./build/nccs migrate --db "$DB"
./build/nccs seed --db "$DB" --scale demo

node tools/dev-mail.mjs --port 2525 --dir var/mail &
MAIL_PID=$!
trap 'kill $MAIL_PID 2>/dev/null || true' EXIT

cat <<'TXT'

  nccs is starting on http://localhost:8080
  Demo logins (password for all: demo-pass-2026)
    看護師（求職者）     nurse13@example.jp     (東京都)   nurse27@example.jp (大阪府)
    施設管理者           facility13@example.jp  施設担当者 staff13@example.jp
    相談員               counselor13@example.jp (東京都)   counselor27@example.jp (大阪府)
    センター管理者       admin13@example.jp
    中央ナースセンター   central@example.jp
    システム管理者       sysadmin@example.jp
  Mails (verification, password reset) are caught locally and their links printed below.
  Stop with Ctrl-C.

TXT
NCCS_SMTP_URL=smtp://127.0.0.1:2525 NCCS_BASE_URL=http://localhost:8080 \
  ./build/nccs serve --db "$DB" --listen 127.0.0.1:8080 --web web/dist
