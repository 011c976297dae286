#!/bin/sh
# okdash package: stop and disable the service before its binary goes, on removal only.
# dpkg runs this with "remove" (also "upgrade", "deconfigure", "failed-upgrade"); rpm with
# the number of versions left after it, 0 on erase and 1 on upgrade. On upgrade the
# service keeps running and postinstall restarts it on the new binary.
set -e
case "$1" in
remove | purge | 0)
	if [ -d /run/systemd/system ]; then
		systemctl stop okdash >/dev/null 2>&1 || true
		systemctl disable okdash >/dev/null 2>&1 || true
	fi
	;;
esac
