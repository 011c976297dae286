package main

import (
	"runtime/debug"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestVersionLine(t *testing.T) {
	checkout := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/okdash/okdash", Version: "(devel)"},
		Settings: []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: "e11950b0ecc219f408166545108dba07e621374a"},
			{Key: "vcs.time", Value: "2026-12-01T09:37:50Z"}, {Key: "vcs.modified", Value: "true"}}}
	installed := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/okdash/okdash", Version: "v1.2.0"}}
	for _, c := range []struct {
		ld   string
		info *debug.BuildInfo
		want string
	}{
		{"", checkout, "okdash (devel) (revision e11950b0ecc219f408166545108dba07e621374a, 2026-12-01T09:37:50Z, modified) go1.26.8 linux/amd64"},
		{"", installed, "okdash v1.2.0 go1.26.8 linux/amd64"},
		{"1.3.0", checkout, "okdash 1.3.0 (revision e11950b0ecc219f408166545108dba07e621374a, 2026-12-01T09:37:50Z, modified) go1.26.8 linux/amd64"},
	} {
		assert.Equal(t, c.want, versionLine(c.ld, c.info, "linux/amd64"))
	}
	assert.True(t, strings.HasPrefix(versionLine("", nil, "linux/amd64"), "okdash (devel) go"))
}

func TestVersionCommands(t *testing.T) {
	t.Setenv(envConfig, writeConfig(t, "sorce = 1\n")) // a broken configuration does not hide the version
	for _, args := range [][]string{{"--version"}, {"version"}, {"-version"}} {
		code, out, errOut := runCapture(args...)
		assert.Equal(t, 0, code, args)
		assert.Empty(t, errOut, args)
		assert.Regexp(t, `^okdash \S+ .*go1\.\d+.* \w+/\w+\n$`, out, args)
	}
}
