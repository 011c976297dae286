#!/bin/sh
# okdash package: the system user the service runs as, and its state directory.
set -e
if ! getent group okdash >/dev/null; then
	groupadd --system okdash
fi
if ! getent passwd okdash >/dev/null; then
	useradd --system --gid okdash --home-dir /var/lib/okdash --no-create-home \
		--shell /usr/sbin/nologin --comment "okdash serve" okdash
fi
install -d -m 0700 -o okdash -g okdash /var/lib/okdash
# The service reads the keys and the settings; nobody else needs to.
chgrp okdash /etc/okdash /etc/okdash/authorized_keys /etc/okdash/config.toml
chmod 0750 /etc/okdash
chmod 0640 /etc/okdash/authorized_keys /etc/okdash/config.toml
# An upgrade: dpkg says "configure" with the version it replaces, rpm counts 2 versions.
upgrade=
if [ "$1" = configure ] && [ -n "${2:-}" ]; then
	upgrade=yes
elif [ "$1" -ge 2 ] 2>/dev/null; then
	upgrade=yes
fi
if [ -d /run/systemd/system ]; then
	systemctl daemon-reload >/dev/null 2>&1 || true
	if [ -n "$upgrade" ]; then
		# the running service moves to the new binary; a stopped one stays stopped
		systemctl try-restart okdash >/dev/null 2>&1 || true
	fi
fi
if [ -z "$upgrade" ]; then
	cat <<'MSG'
okdash: add the SSH keys to let in to /etc/okdash/authorized_keys, check /etc/okdash/config.toml,
then: systemctl enable --now okdash
MSG
fi
