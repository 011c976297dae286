#!/bin/sh
# okdash package: stop the service before its binary goes.
set -e
if [ -d /run/systemd/system ] && systemctl is-active --quiet okdash 2>/dev/null; then
	systemctl stop okdash || true
fi
if [ -d /run/systemd/system ]; then
	systemctl disable okdash >/dev/null 2>&1 || true
fi
