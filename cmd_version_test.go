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
		{"", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.0.0-20261201093750-e11950b0ecc2+dirty"}, Settings: checkout.Settings},
			"okdash v0.0.0-20261201093750-e11950b0ecc2+dirty (revision e11950b0ecc219f408166545108dba07e621374a, 2026-12-01T09:37:50Z, modified) go1.26.8 linux/amd64"},
		{"1.3.0", checkout, "okdash 1.3.0 (revision e11950b0ecc219f408166545108dba07e621374a, 2026-12-01T09:37:50Z, modified) go1.26.8 linux/amd64"},
	} {
		assert.Equal(t, c.want, versionLine(c.ld, c.info, "linux/amd64"))
	}
	assert.True(t, strings.HasPrefix(versionLine("", nil, "linux/amd64"), "okdash (devel) go"))
}

// TestVersionInREADME: the README's examples are what versionLine says for those builds.
func TestVersionInREADME(t *testing.T) {
	readme := readString(t, "README.md")
	rev := []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: "4afa371f0c3e63d2a8e1f0b7c9d4e5a6b7c8d9e0"},
		{Key: "vcs.time", Value: "2026-12-01T09:24:00Z"}}
	for _, c := range []struct {
		ld   string
		info *debug.BuildInfo
	}{
		{"", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.0"}}},                                            // go install @v1.2.0
		{"", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.0.0-20261201092400-4afa371f0c3e"}, Settings: rev}}, // a checkout
		{"", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}}},                                           // no git history
	} {
		line := versionLine(c.ld, c.info, "linux/amd64")
		// the README wraps its lines: compare with its spaces and line ends as one
		flat := strings.Join(strings.Fields(readme), " ")
		assert.Contains(t, flat, "`"+line+"`", "the README shows what okdash --version prints")
	}
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
