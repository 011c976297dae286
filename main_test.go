package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/okdash/okdash/oktell"
)

// runCapture runs okdash with args and returns its exit status, stdout and stderr.
func runCapture(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(args, stdio{in: strings.NewReader(""), out: &out, err: &errb})
	return code, out.String(), errb.String()
}

func TestHelpNamesEverySubcommand(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"--help"}} {
		code, out, _ := runCapture(args...)
		assert.Equal(t, 0, code, args)
		for _, sub := range []string{"decode", "sim --listen", "sim --ws", "sim --print-scenario", "serve"} {
			assert.Contains(t, out, "okdash "+sub, args)
		}
	}
}

func TestDashboardHelpShowsUsageAndFlags(t *testing.T) {
	code, _, errOut := runCapture("-h")
	assert.Equal(t, 0, code)
	assert.Contains(t, errOut, "okdash decode")
	assert.Contains(t, errOut, "-source")
	assert.Contains(t, errOut, "-lang")
}

// A mistyped subcommand must say so, not open the dashboard on the demo.
func TestUnknownSubcommandIsAnError(t *testing.T) {
	for _, args := range [][]string{{"decod"}, {"--speed", "2", "serv"}} {
		code, out, errOut := runCapture(args...)
		assert.Equal(t, 2, code, args)
		assert.Empty(t, out, args)
		assert.Contains(t, errOut, `unknown subcommand or argument "`+args[len(args)-1]+`"`, args)
	}
}

func TestBadFlagIsAUsageError(t *testing.T) {
	code, _, errOut := runCapture("--no-such-flag")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "no-such-flag")
}

// noConsole is a console with no terminal behind it: nothing to read, nobody to ask.
var noConsole = console{err: io.Discard}

// serveOpen opens the sessions of okdash serve, as cmdServe does.
func serveOpen(ctx context.Context, sf sourceFlags, clock oktell.Clock) (oktell.Session, error) {
	return openSession(ctx, sf, clock, noConsole)
}
