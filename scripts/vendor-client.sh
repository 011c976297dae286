#!/usr/bin/env bash
# Runs the vendor's own JavaScript client against okdash's fake Oktell server and prints
# what it saw: its phone state through a ring, a talk, a hold and a hang-up, its queue and
# its user list with a colleague's state change (scripts/vendor-client.js does the work).
#
#   scripts/vendor-client.sh PATH/TO/oktell.js
#
# oktell.js is the public client of the vendor (github.com/Bpium/oktell-js, 1.8.4); it is
# not part of okdash. Needs go, node (16 or later) and npm, which installs the `ws`
# package (the WebSocket the browser would give) into a temporary directory.
set -euo pipefail
if [ $# -ne 1 ] || [ ! -f "$1" ]; then
  echo "usage: $0 PATH/TO/oktell.js" >&2
  exit 2
fi
js=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

go build -o "$tmp/okdash" .
(cd "$tmp" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund ws@8 >/dev/null)
cat >"$tmp/users.txt" <<'USERS'
demo     demo  201  Demo Operator
[Поддержка]
ivanova  pw    305  Иванова Мария
petrov   pw    306  Петров Пётр
[Продажи]
sidorov  pw    401  Сидоров Олег
USERS
NODE_PATH="$tmp/node_modules" node scripts/vendor-client.js "$js" "$tmp/okdash" "$tmp/users.txt"
