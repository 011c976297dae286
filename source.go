package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/charmbracelet/x/term"

	"github.com/okdash/okdash/oktell"
)

// console is what a source may use of the terminal okdash was started from: the input
// that `--source -` reads, where a password prompt and a source's notices go, and
// whether someone is there to answer a prompt (okdash serve has nobody: a prompt on
// the server's terminal would hang the session).
type console struct {
	in          io.Reader
	err         io.Writer
	interactive bool // in is a terminal (an *os.File) that a person types on
}

// localConsole is okdash's own terminal, as io gives it.
func localConsole(io stdio) console {
	f, ok := io.in.(*os.File)
	return console{in: io.in, err: io.err, interactive: ok && term.IsTerminal(f.Fd())}
}

// openSession builds the session that sf.Source names. Each kind lives in its own file.
func openSession(ctx context.Context, sf sourceFlags, clock oktell.Clock, con console) (oktell.Session, error) {
	src := sf.Source
	var (
		s   oktell.Session
		err error
	)
	switch {
	case src == "" || src == "demo":
		s, err = openDemo(ctx, sf, clock)
	case src == "-" || strings.HasPrefix(src, "file:"):
		s, err = openReplay(ctx, sf, clock, con)
	case strings.HasPrefix(src, "follow:"):
		s, err = openFollow(ctx, sf, clock)
	case strings.HasPrefix(src, "bridge:"):
		s, err = openBridge(ctx, sf, clock)
	case strings.HasPrefix(src, "ws://") || strings.HasPrefix(src, "wss://"):
		s, err = openWS(ctx, sf, clock, con)
	default:
		return nil, fmt.Errorf("--source %q: unknown kind; want demo, file:PATH, -, follow:PATH, bridge:tcp://HOST:PORT, bridge:exec:COMMAND, ws://HOST:PORT or wss://HOST:PORT", src)
	}
	if err != nil {
		return nil, fmt.Errorf("--source %s: %w", src, err)
	}
	if sf.Record != "" && !capturesItself(src) {
		return recordSession(s, sf.Record, clock)
	}
	return s, nil
}
