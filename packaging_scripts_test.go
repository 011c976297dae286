package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The package's maintainer scripts (packaging/scripts, named in .goreleaser.yaml) run
// as dpkg and rpm run them, with every command that would change the machine replaced
// by a stub that writes down how it was called.

// systemdRunDir is where the scripts look to see whether systemd runs the machine.
const systemdRunDir = "/run/systemd/system"

type maintScripts struct {
	t     *testing.T
	sh    string
	dir   string // the scripts, copied with systemdRunDir pointing into the test
	stubs string
	log   string
}

func newMaintScripts(t *testing.T, systemd bool) *maintScripts {
	if runtime.GOOS == "windows" {
		t.Skip("the maintainer scripts are POSIX shell, run on Linux")
	}
	m := &maintScripts{t: t, sh: needTool(t, "sh"), dir: t.TempDir(), stubs: t.TempDir()}
	m.log = filepath.Join(m.dir, "calls")
	run := filepath.Join(m.dir, "run-systemd-system")
	if systemd {
		require.NoError(t, os.Mkdir(run, 0o755))
	}
	for _, name := range []string{"postinstall.sh", "preremove.sh", "postremove.sh"} {
		text, err := os.ReadFile(filepath.Join("packaging", "scripts", name))
		require.NoError(t, err)
		if strings.Contains(string(text), "systemctl") {
			require.Contains(t, string(text), "[ -d "+systemdRunDir+" ]", "%s: systemctl only where systemd runs", name)
		}
		text = []byte(strings.ReplaceAll(string(text), systemdRunDir, run))
		require.NoError(t, os.WriteFile(filepath.Join(m.dir, name), text, 0o755))
	}
	// Everything the scripts may call that changes the machine. getent finds the user.
	for _, name := range []string{"systemctl", "getent", "groupadd", "useradd", "install", "chgrp", "chmod", "rm", "deb-systemd-invoke", "deb-systemd-helper"} {
		stub := "#!/bin/sh\necho \"" + name + " $*\" >>\"$STUB_LOG\"\n"
		require.NoError(t, os.WriteFile(filepath.Join(m.stubs, name), []byte(stub), 0o755))
	}
	return m
}

// run runs script with args as the package manager does, and returns its output.
func (m *maintScripts) run(script string, args ...string) string {
	m.t.Helper()
	cmd := exec.Command(m.sh, append([]string{filepath.Join(m.dir, script)}, args...)...)
	cmd.Env = []string{"PATH=" + m.stubs + string(os.PathListSeparator) + os.Getenv("PATH"), "STUB_LOG=" + m.log}
	out, err := cmd.CombinedOutput()
	require.NoError(m.t, err, "%s %v: %s", script, args, out)
	return string(out)
}

// calls are the stubs' calls so far, but for those every install makes (the user, the
// directories' modes), and forgets them.
func (m *maintScripts) calls() []string {
	m.t.Helper()
	text, err := os.ReadFile(m.log)
	if os.IsNotExist(err) {
		return nil
	}
	require.NoError(m.t, err)
	require.NoError(m.t, os.Remove(m.log))
	var out []string
	for _, line := range strings.Split(strings.TrimSuffix(string(text), "\n"), "\n") {
		switch strings.Fields(line)[0] {
		case "getent", "install", "chgrp", "chmod":
			continue
		}
		out = append(out, line)
	}
	return out
}

// TestPackageScriptsDeb runs the scripts in dpkg's order: an upgrade keeps the service
// enabled and restarts it on the new binary; only a removal stops and disables it.
func TestPackageScriptsDeb(t *testing.T) {
	m := newMaintScripts(t, true)

	out := m.run("postinstall.sh", "configure", "")
	assert.Equal(t, []string{"systemctl daemon-reload"}, m.calls(), "a first install starts nothing")
	assert.Contains(t, out, "systemctl enable --now okdash", "a first install says how to start it")

	// dpkg -i of a newer version: old prerm upgrade NEW, old postrm upgrade NEW, new postinst configure OLD
	m.run("preremove.sh", "upgrade", "1.1.0")
	m.run("postremove.sh", "upgrade", "1.1.0")
	out = m.run("postinstall.sh", "configure", "1.0.0")
	assert.Equal(t, []string{"systemctl daemon-reload", "systemctl daemon-reload", "systemctl try-restart okdash"}, m.calls(),
		"an upgrade neither stops nor disables the service, and restarts it if it runs")
	assert.NotContains(t, out, "enable --now", "an upgrade does not ask to enable it again")

	// a failed upgrade and a deconfigure leave it alone too
	m.run("preremove.sh", "failed-upgrade", "1.1.0")
	m.run("preremove.sh", "deconfigure", "in-favour", "other", "1.0")
	assert.Empty(t, m.calls())

	// dpkg --remove: prerm remove, postrm remove
	m.run("preremove.sh", "remove")
	m.run("postremove.sh", "remove")
	assert.Equal(t, []string{"systemctl stop okdash", "systemctl disable okdash", "systemctl daemon-reload"}, m.calls())

	// dpkg --purge after that: postrm purge deletes the state (the host key)
	m.run("postremove.sh", "purge")
	assert.Equal(t, []string{"rm -rf /var/lib/okdash", "systemctl daemon-reload"}, m.calls())
}

// TestPackageScriptsRPM runs the scripts in rpm's order, where $1 counts the versions
// installed once the script's package is done: 0 on erase.
func TestPackageScriptsRPM(t *testing.T) {
	m := newMaintScripts(t, true)

	m.run("postinstall.sh", "1")
	assert.Equal(t, []string{"systemctl daemon-reload"}, m.calls())

	// rpm -U: new %post 2, old %preun 1, old %postun 1
	out := m.run("postinstall.sh", "2")
	m.run("preremove.sh", "1")
	m.run("postremove.sh", "1")
	assert.Equal(t, []string{"systemctl daemon-reload", "systemctl try-restart okdash", "systemctl daemon-reload"}, m.calls(),
		"an upgrade neither stops nor disables the service, and restarts it if it runs")
	assert.NotContains(t, out, "enable --now")

	// rpm -e: %preun 0, %postun 0
	m.run("preremove.sh", "0")
	m.run("postremove.sh", "0")
	assert.Equal(t, []string{"systemctl stop okdash", "systemctl disable okdash", "systemctl daemon-reload"}, m.calls())
}

// TestPackageScriptsWithoutSystemd: in a container without systemd no script calls
// systemctl, and each still succeeds.
func TestPackageScriptsWithoutSystemd(t *testing.T) {
	m := newMaintScripts(t, false)
	m.run("postinstall.sh", "configure", "1.0.0")
	m.run("preremove.sh", "remove")
	m.run("postremove.sh", "purge")
	m.run("postinstall.sh", "2")
	m.run("preremove.sh", "0")
	assert.Equal(t, []string{"rm -rf /var/lib/okdash"}, m.calls())
}
