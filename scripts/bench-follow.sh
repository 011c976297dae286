#!/usr/bin/env bash
# How long `okdash --source follow:LOG` takes to show the last of N documents already in
# a CommonLog (in a 120x40 pseudo-terminal), against `okdash decode LOG` on the same
# file in the same run. Target: under 10 times. Linux and macOS; needs farm-bench for
# the decode timing, else uses the shell's time.
# Usage: scripts/bench-follow.sh [DOCUMENTS] [RUNS] [BASELINE_BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-20000}
runs=${2:-5}
base=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/okdash" .
go build -o "$tmp/ptybench" ./scripts/ptybench
"$tmp/ptybench" log -n "$n" -o "$tmp/common.log"
echo "log: $n documents, $(wc -c <"$tmp/common.log") bytes"
for bin in "$tmp/okdash" $base; do
  echo "== $bin"
  printf 'follow (last document on screen): '
  "$tmp/ptybench" run -size 120x40 -runs "$runs" -timeout 300s -until "end of log $n" -- \
    "$bin" --lang en --theme dark --source "follow:$tmp/common.log" | tail -1
  printf 'decode (whole file to /dev/null):  '
  if command -v farm-bench >/dev/null; then
    farm-bench -n "$runs" -- sh -c "exec '$bin' decode '$tmp/common.log' >/dev/null" 2>&1 | grep 'wall s' || true
  else
    { time "$bin" decode "$tmp/common.log" >/dev/null; } 2>&1 | grep real
  fi
done
