// Command okdash is an Oktell operator's softphone-status dashboard for the terminal.
//
// Run with no arguments it opens the dashboard on the built-in demo shift; see README.md
// for the flags, the subcommands and the hotkeys.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	// Hides TERM from Bubble Tea's init, which would otherwise ask the terminal for its
	// background and wait up to 5 s for a terminal that never answers; restore puts it
	// back as soon as that init has run.
	_ "github.com/okdash/okdash/internal/earlyterm"
	_ "github.com/okdash/okdash/internal/earlyterm/restore"
)

const usageText = `okdash: an Oktell operator's status dashboard for the terminal

Usage:
  okdash [flags]                 open the dashboard (on the built-in demo by default)
  okdash decode [--pretty] [FILE ...]
                                 print every Oktell event of the input as one JSON line
  okdash sim --listen ADDR       serve the demo shift over the bridge protocol
  okdash sim --ws ADDR           run a fake Oktell WebSocket server
  okdash sim --print-scenario    print the built-in demo shift, to start a scenario of your own
  okdash serve [flags]           serve the dashboard over SSH
  okdash wall [flags]            the colleagues and the queue, full screen, for a wall screen
  okdash config [--example]      print the settings in force and where each came from
  okdash version, okdash --version
                                 print the version and the revision it was built from
  okdash help [SUBCOMMAND]       this text, or a subcommand's usage and flags

The dashboard's flags may also be set in ` + "$XDG_CONFIG_HOME/okdash/config.toml" + ` (see
"okdash config --example"). Run "okdash -h" or "okdash help SUBCOMMAND" for the flags.
`

// stdio is what a subcommand reads and writes; tests hand in buffers.
type stdio struct {
	in       io.Reader
	out, err io.Writer
}

func main() {
	os.Exit(run(os.Args[1:], stdio{os.Stdin, os.Stdout, os.Stderr}))
}

// subcommands by name, with the usage `okdash help NAME` prints.
var subcommands = map[string]*command{
	"decode":  decodeCmd,
	"sim":     simCmd,
	"serve":   serveCmd,
	"wall":    wallCmd,
	"config":  configCmd,
	"version": versionCmd,
}

// run dispatches to a subcommand and returns the exit status.
func run(args []string, io stdio) int {
	return runIn(args, io, os.Environ())
}

// runIn is run in the environment environ, which the commands that read OKDASH_*
// variables check for unknown ones first.
func runIn(args []string, io stdio, environ []string) int {
	c := dashboardCmd
	if len(args) > 0 {
		if sub, ok := subcommands[args[0]]; ok {
			c = sub
		} else if args[0] == "help" || args[0] == "--help" || args[0] == "-help" {
			c = versionCmd // reads no variable
		}
	}
	if c.config {
		for _, w := range unknownEnv(environ) {
			fmt.Fprintf(io.err, "%s: %s\n", c.name, w)
		}
	}
	if len(args) > 0 {
		switch args[0] {
		case "decode":
			return cmdDecode(args[1:], io)
		case "sim":
			return cmdSim(args[1:], io)
		case "serve":
			return cmdServe(args[1:], io)
		case "wall":
			return cmdWall(args[1:], io)
		case "config":
			return cmdConfig(args[1:], io, os.Getenv)
		case "version":
			return cmdVersion(args[1:], io)
		case "help", "--help", "-help":
			return cmdHelp(args[1:], io)
		}
	}
	return cmdDashboard(args, io)
}

// cmdHelp is `okdash help [SUBCOMMAND]`.
func cmdHelp(args []string, io stdio) int {
	switch {
	case len(args) == 0:
		fmt.Fprint(io.out, usageText)
		return 0
	case len(args) > 1:
		fmt.Fprintln(io.err, `okdash: help takes one subcommand; see "okdash help"`)
		return 2
	case args[0] == "dashboard":
		dashboardCmd.printUsage(io.out)
		return 0
	}
	c, ok := subcommands[args[0]]
	if !ok {
		fmt.Fprintf(io.err, "okdash: help: unknown subcommand %q; the subcommands are %s\n", args[0], subcommandList())
		return 2
	}
	c.printUsage(io.out)
	return 0
}

func subcommandList() string {
	return "decode, sim, serve, wall, config, version and help"
}

// parseFail reports a failed parse: the usage on standard output for -h (status 0),
// else the mistake in one line and where to look (status 2).
func parseFail(io stdio, c *command, err error) int {
	if errors.Is(err, errHelp) {
		c.printUsage(io.out)
		return 0
	}
	return usageFail(io, c, err)
}

// usageFail says what is wrong with the command line or the settings, every mistake
// on its own line under the command's name, and exits 2.
func usageFail(io stdio, c *command, err error) int {
	for _, line := range strings.Split(err.Error(), "\n") {
		fmt.Fprintf(io.err, "%s: %s\n", c.name, line)
	}
	var ue *usageError
	if errors.As(err, &ue) && strings.HasPrefix(ue.msg, "unknown flag") {
		fmt.Fprintf(io.err, "see \"%s -h\" for the flags\n", c.name)
	}
	return 2
}
