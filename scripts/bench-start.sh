#!/usr/bin/env bash
# Time to the first frame of the dashboard, in a pseudo-terminal that answers the
# terminal queries (as xterm) and in one that answers none (as script, a serial console
# or some multiplexers), for --theme dark and --theme auto. Linux and macOS.
# Targets: 40 ms with an answering terminal, 0.5 s without.
# Usage: scripts/bench-start.sh [RUNS] [BASELINE_BINARY]
#   BASELINE_BINARY: another okdash build (say, main's) timed in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-9}
base=${2:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/okdash" .
go build -o "$tmp/ptybench" ./scripts/ptybench
for bin in "$tmp/okdash" $base; do
  for answer in -answer ""; do
    for theme in dark auto; do
      printf '%-40s %-8s theme %-5s ' "$bin" "${answer:--silent}" "$theme"
      "$tmp/ptybench" run $answer -runs "$runs" -timeout 30s -until Messages -- "$bin" --lang en --theme "$theme" | tail -1
    done
  done
done
