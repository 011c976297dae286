package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// version is set by the release build (-ldflags "-X main.version=1.2.0"); otherwise the
// module version from the build info is shown: v1.2.0 for `go install ...@v1.2.0`,
// "(devel)" or a pseudo-version for a build from a checkout.
var version string

var versionCmd = &command{
	name: "okdash version",
	usage: `Usage: okdash version
       okdash --version

Prints okdash's version, the revision of the source it was built from (with
"modified" when the checkout had changes), and the Go version and platform.
`,
}

func cmdVersion(args []string, io stdio) int {
	p, err := versionCmd.parse(args, nil)
	if err != nil {
		return parseFail(io, versionCmd, err)
	}
	if len(p.args) > 0 {
		return usageFail(io, versionCmd, usagef("takes no argument, got %q", p.args[0]))
	}
	info, _ := debug.ReadBuildInfo()
	fmt.Fprintln(io.out, versionLine(version, info, runtime.GOOS+"/"+runtime.GOARCH))
	return 0
}

// versionLine is `okdash v1.2.0 (revision 4afa371f0c3e, 2026-12-01T09:24:00Z, modified)
// go1.26.0 linux/amd64`, from what the build recorded.
func versionLine(ldVersion string, info *debug.BuildInfo, platform string) string {
	v, goVersion := "(devel)", runtime.Version()
	var rev, when string
	modified := false
	if info != nil {
		if info.Main.Version != "" {
			v = info.Main.Version
		}
		if info.GoVersion != "" {
			goVersion = info.GoVersion
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.time":
				when = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	if ldVersion != "" {
		v = ldVersion
	}
	var parts []string
	if rev != "" {
		parts = append(parts, "revision "+rev)
	}
	if when != "" {
		parts = append(parts, when)
	}
	if modified {
		parts = append(parts, "modified")
	}
	line := "okdash " + v
	if len(parts) > 0 {
		line += " (" + strings.Join(parts, ", ") + ")"
	}
	return line + " " + goVersion + " " + platform
}
