#!/usr/bin/env bash
# Installs the okdash .deb built by GoReleaser, checks what it installed, and removes it
# again (purge). Needs root (or a password-less sudo) and dpkg: without them it fails, it never skips.
#   scripts/test-deb.sh dist/okdash_*_linux_amd64.deb
set -euo pipefail
deb=${1:?usage: scripts/test-deb.sh PACKAGE.deb}
fail() { echo "test-deb: $*" >&2; exit 1; }

# Root, or a password-less sudo: dpkg -i installs into /usr/bin and /etc.
as_root=()
if [ "$(id -u)" != 0 ]; then
	sudo -n true 2>/dev/null || fail "must run as root or with a password-less sudo (dpkg -i installs into /usr/bin and /etc)"
	as_root=(sudo -n)
fi
command -v dpkg >/dev/null || fail "dpkg is missing: this test needs Debian or Ubuntu"
[ -f "$deb" ] || fail "$deb: no such package"
if dpkg-query -W -f '${Status}' okdash 2>/dev/null | grep -q 'ok installed'; then
	fail "an okdash package is already installed; remove it first (dpkg --purge okdash)"
fi

cleanup() { "${as_root[@]}" dpkg --purge okdash >/dev/null 2>&1 || true; }
trap cleanup EXIT

echo "test-deb: dpkg -i $deb"
"${as_root[@]}" dpkg -i "$deb"

echo "test-deb: okdash --version"
version=$(/usr/bin/okdash --version)
echo "$version"
rev=$(git rev-parse HEAD 2>/dev/null || true)
if [ -n "$rev" ]; then
	case "$version" in
	*"revision $rev"*) ;;
	*) fail "okdash --version does not name the revision $rev" ;;
	esac
fi

echo "test-deb: what the package installed"
getent passwd okdash >/dev/null || fail "no system user okdash"
[ "$(stat -c '%U %a' /var/lib/okdash)" = "okdash 700" ] || fail "/var/lib/okdash: $(stat -c '%U %a' /var/lib/okdash), want okdash 700"
[ -f /usr/lib/systemd/system/okdash.service ] || fail "no systemd unit"
[ "$(stat -c '%G %a' /etc/okdash/authorized_keys)" = "okdash 640" ] || fail "/etc/okdash/authorized_keys: $(stat -c '%G %a' /etc/okdash/authorized_keys), want group okdash, 640"
if command -v systemd-analyze >/dev/null && [ "${CI:-}" != true ]; then
	systemd-analyze verify /usr/lib/systemd/system/okdash.service
fi

echo "test-deb: okdash serve starts as user okdash with the packaged settings"
log=$(mktemp)
"${as_root[@]}" setpriv --reuid okdash --regid okdash --init-groups -- \
	/usr/bin/okdash serve --config /etc/okdash/config.toml --listen 127.0.0.1:0 >"$log" 2>&1 &
pid=$!
for _ in $(seq 100); do
	grep -q 'msg=listening' "$log" && break
	kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; fail "okdash serve exited"; }
	sleep 0.1
done
grep -q 'msg=listening' "$log" || { cat "$log" >&2; "${as_root[@]}" kill "$pid"; fail "okdash serve did not start listening within 10s"; }
"${as_root[@]}" kill -TERM "$pid"
wait "$pid" || { cat "$log" >&2; fail "okdash serve did not stop cleanly on SIGTERM"; }
"${as_root[@]}" test -f /var/lib/okdash/ssh_host_ed25519_key || fail "no host key in /var/lib/okdash"

echo "test-deb: dpkg -i again (an upgrade in place: prerm upgrade, postinst configure VERSION)"
"${as_root[@]}" dpkg -i "$deb" | tee "$log.upgrade"
dpkg-query -W -f '${Status}' okdash | grep -q 'ok installed' || fail "okdash is not installed after the upgrade"
[ "$(stat -c '%U %a' /var/lib/okdash)" = "okdash 700" ] || fail "/var/lib/okdash after the upgrade: $(stat -c '%U %a' /var/lib/okdash)"
"${as_root[@]}" test -f /var/lib/okdash/ssh_host_ed25519_key || fail "the upgrade lost the host key"
! grep -q 'enable --now' "$log.upgrade" || fail "an upgrade asks to enable the service again"
rm -f "$log" "$log.upgrade"

echo "test-deb: dpkg --purge okdash"
"${as_root[@]}" dpkg --purge okdash
[ ! -e /usr/bin/okdash ] || fail "/usr/bin/okdash is still there after purge"
[ ! -e /var/lib/okdash ] || fail "/var/lib/okdash is still there after purge"
trap - EXIT
echo "test-deb: passed"
