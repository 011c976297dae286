#!/bin/sh
# okdash package: on purge (deb) the host key and the state go; the user stays, as
# Debian does for system users (files it owned may remain elsewhere).
set -e
if [ "$1" = "purge" ]; then
	rm -rf /var/lib/okdash
fi
if [ -d /run/systemd/system ]; then
	systemctl daemon-reload >/dev/null 2>&1 || true
fi
