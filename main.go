// Command okdash is an Oktell operator's softphone-status dashboard for the terminal.
//
// Run with no arguments it opens the dashboard on the built-in demo shift; see README.md
// for the flags, the subcommands and the hotkeys.
package main

import (
	"fmt"
	"io"
	"os"

	_ "earlyinit.okdash.local" // bounds terminal queries before Bubble Tea's init asks one
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
  okdash help                    this text

Run "okdash -h" or "okdash SUBCOMMAND -h" for the flags.
`

// stdio is what a subcommand reads and writes; tests hand in buffers.
type stdio struct {
	in       io.Reader
	out, err io.Writer
}

func main() {
	os.Exit(run(os.Args[1:], stdio{os.Stdin, os.Stdout, os.Stderr}))
}

// run dispatches to a subcommand and returns the exit status.
func run(args []string, io stdio) int {
	if len(args) > 0 {
		switch args[0] {
		case "decode":
			return cmdDecode(args[1:], io)
		case "sim":
			return cmdSim(args[1:], io)
		case "serve":
			return cmdServe(args[1:], io)
		case "help", "--help", "-help":
			fmt.Fprint(io.out, usageText)
			return 0
		}
	}
	return cmdDashboard(args, io)
}
