#!/usr/bin/env bash
# Measures okdash decode as a whole process, against a naive decoder built from
# scripts/naivedecode (x/text + encoding/xml + encoding/json), both timed alternately in
# the same run by farm-bench when it is installed (else one after the other with
# /usr/bin/time):
#   1. MB MiB (default 20) of the seed's events, UTF-16LE, each document with its BOM,
#      as a bridge delivers them: wall time, MB/s of UTF-16 input, and the ratio;
#   2. a tiny file (one VoiceMail document): whole-process time, start-up included, for
#      a plain go build (cgo on where a C compiler is installed: net and os/user then link
#      the C library dynamically), for go build on a machine with Go alone (no C compiler:
#      cgo off, a static binary), and for the binary as GoReleaser packages it;
#      and the floor under those: the naive decoder with okdash's libraries linked in;
#   3. peak memory (max RSS) of okdash decode over 64 MiB and over BIG MiB (default
#      1024) of the same stream, piped in and out: it must stay flat.
# Usage: scripts/bench-decode.sh [MB] [RUNS] [BIG]   (Linux; needs Go)
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-20}
runs=${2:-10}
big=${3:-1024}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

go build -o "$tmp/okdash" .
# What go build makes where no C compiler is installed (Go turns cgo off by itself).
CGO_ENABLED=0 go build -o "$tmp/okdash-nocc" .
# As GoReleaser builds the packaged binary (.goreleaser.yaml): static, no cgo, stripped.
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$tmp/okdash-release" .
go build -o "$tmp/naive" ./scripts/naivedecode
# The floor of a tiny file's time: the naive decoder with the libraries okdash is built on
# linked in (blank imports, no okdash code), put into its package by an overlay.
cat >"$tmp/libs.go" <<'GO'
package main

import (
	_ "github.com/charmbracelet/bubbles/textinput"
	_ "github.com/charmbracelet/bubbletea"
	_ "github.com/charmbracelet/keygen"
	_ "github.com/charmbracelet/lipgloss"
	_ "github.com/charmbracelet/wish"
	_ "github.com/coder/websocket"
	_ "github.com/pelletier/go-toml/v2"
	_ "golang.org/x/crypto/ssh"
	_ "golang.org/x/text/encoding/htmlindex"
	_ "golang.org/x/text/encoding/ianaindex"
	_ "golang.org/x/text/message"
)
GO
printf '{"Replace":{"%s":"%s"}}' "$PWD/scripts/naivedecode/libs.go" "$tmp/libs.go" >"$tmp/overlay.json"
go build -overlay "$tmp/overlay.json" -o "$tmp/naive-libs" ./scripts/naivedecode
CGO_ENABLED=0 go build -overlay "$tmp/overlay.json" -o "$tmp/naive-libs-nocc" ./scripts/naivedecode

# One block of the seven documents of the vendor's page, then as many blocks as fill MB.
cat testdata/seed/{101_shutdownrequested,102_restartrequested,103_connectionlost,111_userstatechanged,112_notify,113_voicemail,114_usermessage}.xml >"$tmp/block"
block=$(stat -c %s "$tmp/block")
stream() { # SIZE_MIB: whole blocks, at least SIZE_MIB MiB, to standard output
  local n=$(( ($1 * 1048576 + block - 1) / block )) i
  cp "$tmp/block" "$tmp/chunk"
  while [ "$(stat -c %s "$tmp/chunk")" -lt $(( 4 * 1048576 )) ]; do
    cat "$tmp/chunk" "$tmp/chunk" >"$tmp/chunk2" && mv "$tmp/chunk2" "$tmp/chunk"
  done
  local per=$(( $(stat -c %s "$tmp/chunk") / block ))
  for ((i = 0; i < n / per; i++)); do cat "$tmp/chunk"; done
  head -c $(( (n % per) * block )) "$tmp/chunk"
}
stream "$mb" >"$tmp/stream.bin"
size=$(stat -c %s "$tmp/stream.bin")
docs=$(( size / block * 7 ))
echo "stream: $size bytes, $docs documents ($(( size / docs )) bytes each on average), UTF-16LE with a BOM each"
"$tmp/okdash" decode "$tmp/stream.bin" | wc -l | sed 's/^/okdash decode: lines /'
"$tmp/naive" "$tmp/stream.bin" | wc -l | sed 's/^/naive decoder: lines /'

tiny=testdata/seed/113_voicemail.xml
if command -v farm-bench >/dev/null; then
  vs() { # TITLE B A...: one farm-bench call, A against B, alternately
    echo
    echo "== $1"
    farm-bench -n "$runs" --timeout 600 --vs "$2" -- "${@:3}"
  }
  vs "$mb MiB stream: A = okdash decode, B = naive decoder" "$tmp/naive $tmp/stream.bin" "$tmp/okdash" decode "$tmp/stream.bin"
  vs "tiny file ($(stat -c %s $tiny) bytes): A = okdash decode (go build), B = naive decoder" "$tmp/naive $tiny" "$tmp/okdash" decode "$tiny"
  vs "the floor: A = the naive decoder with okdash's libraries linked in (go build), B = naive decoder" "$tmp/naive $tiny" "$tmp/naive-libs" "$tiny"
  vs "tiny file: A = okdash decode (go build, no C compiler: CGO_ENABLED=0), B = naive decoder" "$tmp/naive $tiny" "$tmp/okdash-nocc" decode "$tiny"
  vs "the floor without a C compiler: A = the naive decoder with okdash's libraries (CGO_ENABLED=0), B = naive decoder" "$tmp/naive $tiny" "$tmp/naive-libs-nocc" "$tiny"
  vs "tiny file: A = okdash decode as packaged (CGO_ENABLED=0, stripped), B = naive decoder" "$tmp/naive $tiny" "$tmp/okdash-release" decode "$tiny"
else
  for cmd in "$tmp/okdash decode" "$tmp/naive"; do
    for f in "$tmp/stream.bin" "$tiny"; do
      /usr/bin/time -f "$cmd $f: %e s wall, %U s user, %S s sys, %M KB max RSS" $cmd "$f" >/dev/null
    done
  done
fi

# Package initialisation, the most of a tiny file's time: Go's own trace of each init, summed
# over the binary, as a mean of RUNS starts (clock times are noisy; the bytes are not).
inits() { # LABEL CMD...: the mean init time and the bytes allocated by inits
  local label=$1 i
  shift
  for ((i = 0; i < runs; i++)); do GODEBUG=inittrace=1 "$@" 2>&1 >/dev/null; done |
    awk -v l="$label" -v n="$runs" '/^init /{t += $5; b += $8; a += $10; if ($2 ~ /^github.com\/okdash\//) { ot += $5; ob += $8 } }
      END { printf "%s: inits %.2f ms, %d KB (okdash packages %.2f ms, %d KB)\n", l, t / n, b / n / 1024, ot / n, ob / n / 1024 }'
}
echo
echo "== package initialisation of a tiny file's decode, mean of $runs starts"
inits "okdash decode (go build, no C compiler)" "$tmp/okdash-nocc" decode "$tiny"
inits "naive decoder" "$tmp/naive" "$tiny"

# MB/s from the fastest of RUNS single runs (the machine may be shared: the fastest is the
# one least disturbed), output into a pipe as farm-bench does.
best=
for ((i = 0; i < runs; i++)); do
  t0=$(date +%s%N)
  "$tmp/okdash" decode "$tmp/stream.bin" | cat >/dev/null
  t=$(( $(date +%s%N) - t0 ))
  if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
done
echo
echo "okdash decode, fastest of $runs: $(( best / 1000000 )) ms, $(( size * 1000 / best )) MB/s of UTF-16 input"

echo
echo "== peak memory of okdash decode, stream piped in and out"
for n in 64 "$big"; do
  stream "$n" | /usr/bin/time -f "$n MiB: %M KB max RSS, %e s" "$tmp/okdash" decode | wc -l | sed 's/^/  lines: /'
done
