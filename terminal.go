package main

import (
	"errors"

	"github.com/charmbracelet/x/term"
)

// needTerminal says why the dashboard cannot run here, or nil: it draws on standard
// output and reads its keys from standard input, or from the controlling terminal when
// --source - takes standard input for the stream. Without this check `okdash | cat`
// shows a blank alternate screen forever.
func needTerminal(io stdio, source string) error {
	if !onTerminal(io.out) {
		return errors.New("standard output is not a terminal: the dashboard draws on one; run okdash in a terminal (okdash decode prints a stream as text)")
	}
	if source == "-" {
		if !controllingTerminal() {
			return errors.New("--source - reads the stream from standard input, so the dashboard reads its keys from the terminal, and there is none")
		}
		return nil
	}
	if !onTerminal(io.in) {
		return errors.New("standard input is not a terminal: the dashboard reads its keys from it; run okdash in a terminal (to replay a stream from a pipe, use --source -)")
	}
	return nil
}

// onTerminal tells whether x is a file open on a terminal.
func onTerminal(x any) bool {
	f, ok := x.(interface{ Fd() uintptr })
	return ok && term.IsTerminal(f.Fd())
}
