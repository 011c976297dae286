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
if [ -d /run/systemd/system ]; then
	systemctl daemon-reload >/dev/null 2>&1 || true
fi
cat <<'MSG'
okdash: add the SSH keys to let in to /etc/okdash/authorized_keys, check /etc/okdash/config.toml,
then: systemctl enable --now okdash
MSG
