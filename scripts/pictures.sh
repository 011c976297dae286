#!/usr/bin/env bash
# Regenerates the README's pictures under docs/ from okdash built from this checkout:
# the animated demo (docs/demo.tape, with VHS) and still pictures of the dashboard
# (tmux capture-pane -e, drawn by freeze). It installs nothing: it checks its tools
# and says what is missing. Sizes, the demo's speed and the colour settings are fixed,
# and each picture is taken once a condition holds on the screen, so a run gives the
# same pictures as long as the dashboard draws the same.
#   scripts/pictures.sh            # every picture
#   scripts/pictures.sh stills     # only the still pictures (no VHS, ttyd, chromium)
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}

missing=()
need() { command -v "$1" >/dev/null || missing+=("$1 ($2)"); }
need go "https://go.dev/dl"
need tmux "apt-get install tmux"
need ssh "apt-get install openssh-client"
need freeze "go install github.com/charmbracelet/freeze@v0.2.2"
need rsvg-convert "apt-get install librsvg2-bin"
fc-list 2>/dev/null | grep -q "DejaVu Sans Mono" || missing+=("the DejaVu Sans Mono font (apt-get install fonts-dejavu-core)")
if [ "$what" = all ]; then
	need vhs "go install github.com/charmbracelet/vhs@v0.10.0"
	need ttyd "apt-get install ttyd (Debian 13; on Debian 12 build it from its source)"
	need ffmpeg "apt-get install ffmpeg"
	command -v chromium >/dev/null || command -v chromium-browser >/dev/null || command -v google-chrome >/dev/null ||
		missing+=("chromium (apt-get install chromium)")
fi
if [ ${#missing[@]} -gt 0 ]; then
	echo "pictures.sh: missing:" >&2
	printf '  %s\n' "${missing[@]}" >&2
	exit 1
fi

work=$(mktemp -d)
sock=okdash-pictures-$$
cleanup() {
	tmux -L "$sock" kill-server 2>/dev/null || true
	[ -n "${serve_pid:-}" ] && kill "$serve_pid" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

echo "pictures.sh: building okdash"
go build -o "$work/bin/okdash" .
PATH="$work/bin:$PATH"
# Nobody's own settings: no configuration file, no OKDASH_* variables.
for v in $(env | sed -n 's/^\(OKDASH_[A-Z_]*\)=.*/\1/p'); do unset "$v"; done
export OKDASH_CONFIG=/dev/null XDG_CONFIG_HOME="$work/config"
unset NO_COLOR COLORTERM

T() { tmux -L "$sock" "$@"; }

# waitfor TEXT: until the pane shows TEXT (30 s at most).
waitfor() {
	local deadline=$((SECONDS + 30))
	until T capture-pane -p -t pic | grep -qF -- "$1"; do
		if [ $SECONDS -ge $deadline ]; then
			echo "pictures.sh: waited 30s for \"$1\"; the screen:" >&2
			T capture-pane -p -t pic >&2
			exit 1
		fi
		sleep 0.1
	done
}

# still NAME COLS ROWS TEXT COMMAND...: runs COMMAND in a COLSxROWS tmux, waits for
# TEXT, and draws the screen with its colours into docs/NAME.png.
still() {
	local name=$1 cols=$2 rows=$3 text=$4
	shift 4
	T -f /dev/null new-session -d -s pic -x "$cols" -y "$rows" "$@"
	T set-option -t pic status off >/dev/null
	waitfor "$text"
	# freeze 0.2.2 keeps the last background after SGR 49 (default background): give it
	# its own background colour instead. Its embedded font lacks ✉ ◼ ✖ ☎: freeze writes
	# SVG, and rsvg-convert draws it with DejaVu Sans Mono, which has them.
	T capture-pane -p -e -N -t pic | sed 's/\x1b\[49m/\x1b[48;2;23;23;23m/g' >"$work/$name.ansi"
	freeze -l ansi --window=false --padding 16 --font.size 14 -o "$work/$name.svg" <"$work/$name.ansi" >/dev/null
	sed -i 's/font-family="JetBrains Mono"/font-family="DejaVu Sans Mono"/' "$work/$name.svg"
	rsvg-convert -z 2 -o "docs/$name.png" "$work/$name.svg"
	T kill-server
	echo "pictures.sh: docs/$name.png ($(wc -c <"docs/$name.png") bytes)"
}

# The built-in shift up to its lost link, then nothing more: the screen stays as it is
# once the last message ("Сможешь подменить ...") is shown, whenever it is taken.
okdash sim --print-scenario | sed '/^link down/,$d' >"$work/shift.txt"
echo "wait 24h" >>"$work/shift.txt"
ready="Сможешь подменить"
demo="okdash --speed 4 --scenario $work/shift.txt --icons unicode --theme dark"
en="env TERM=xterm-256color LANG=en_US.UTF-8 LC_ALL= LC_MESSAGES="
ru="env TERM=xterm-256color LANG=ru_RU.UTF-8 LC_ALL= LC_MESSAGES="

still dashboard-en 80 24 "$ready" sh -c "$en $demo; sleep 60"
still dashboard-ru 80 24 "$ready" sh -c "$ru $demo; sleep 60"
still dashboard-16 80 24 "$ready" sh -c "env TERM=xterm LANG=en_US.UTF-8 LC_ALL= $demo; sleep 60"
still dashboard-no-color 80 24 "$ready" sh -c "$en NO_COLOR=1 $demo; sleep 60"
still dashboard-wide 120 40 "$ready" sh -c "$en $demo; sleep 60"

# Over SSH: okdash serve --demo-open and the OpenSSH client.
okdash serve --demo-open --listen 127.0.0.1:0 --host-key "$work/host_key" --speed 4 --scenario "$work/shift.txt" --icons unicode --theme dark \
	>"$work/serve.log" 2>&1 &
serve_pid=$!
deadline=$((SECONDS + 30))
until port=$(sed -n 's/.*msg=listening addr=127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/serve.log") && [ -n "$port" ]; do
	kill -0 "$serve_pid" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
	[ $SECONDS -lt $deadline ] || { echo "pictures.sh: okdash serve did not listen within 30s" >&2; exit 1; }
	sleep 0.1
done
still dashboard-ssh 80 24 "$ready" sh -c "$en ssh -tt -p $port -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
	-o LogLevel=ERROR -o SetEnv=LANG=en_US.UTF-8 -o PubkeyAuthentication=no trainee@127.0.0.1; sleep 60"
kill "$serve_pid"
wait "$serve_pid" 2>/dev/null || true
serve_pid=

if [ "$what" = all ]; then
	echo "pictures.sh: docs/demo.gif (VHS)"
	# Chromium does not run its sandbox as root (as in a container).
	if [ "$(id -u)" = 0 ]; then export VHS_NO_SANDBOX=true; fi
	vhs docs/demo.tape
	echo "pictures.sh: docs/demo.gif ($(wc -c <docs/demo.gif) bytes)"
fi

for f in docs/*.png docs/*.gif; do
	[ -f "$f" ] || continue
	if [ "$(wc -c <"$f")" -ge 1048576 ]; then
		echo "pictures.sh: $f is 1 MiB or more; make it smaller" >&2
		exit 1
	fi
done
echo "pictures.sh: done"
