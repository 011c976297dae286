#!/usr/bin/env bash
# Measures what idle dashboards cost `okdash serve`: memory and CPU per session with N
# concurrent sessions (default 200) and the bytes per second each receives, first on
# the built-in demo shift, then on a shift where nothing happens (only clocks move).
# Linux only (reads /proc). Usage: scripts/measure-serve.sh [SESSIONS] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-200}
hold=${2:-30}
tmp=$(mktemp -d)
server=
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

go build -o "$tmp/okdash" .
go build -o "$tmp/sshload" ./scripts/sshload

# A shift where the operator is ready on a registered line and nothing else happens.
cat >"$tmp/idle.txt" <<'SHIFT'
line on
state usReady
wait 24h
SHIFT

measure() { # NAME PORT [serve flags...]
  local name=$1 port=$2
  shift 2
  "$tmp/okdash" serve --demo-open --listen "127.0.0.1:$port" --host-key "$tmp/host_key" \
    --max-sessions $((n + 10)) --conn-burst $((n + 10)) --background-query 0 "$@" 2>"$tmp/$name.log" &
  server=$!
  for _ in $(seq 50); do grep -q listening "$tmp/$name.log" && break; sleep 0.1; done
  echo "== $name: $n sessions, ${hold}s window"
  "$tmp/sshload" -addr "127.0.0.1:$port" -n "$n" -pid "$server" -hold "${hold}s" -dump "$tmp/$name.bytes"
  echo "-- what session 1 received in the last ${hold}s, one escape sequence a line (first 40):"
  sed -e 's/\x1b/\n\\e/g' "$tmp/$name.bytes" | cat -v | head -40
  kill "$server"; wait "$server" 2>/dev/null || true
  server=
  if grep -q 'level=ERROR' "$tmp/$name.log"; then echo "-- server errors:"; grep 'level=ERROR' "$tmp/$name.log" | head -5; fi
  echo
}

measure demo 22221
measure idle 22222 --scenario "$tmp/idle.txt"
