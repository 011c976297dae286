package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strings"

	"github.com/charmbracelet/x/term"

	"github.com/okdash/okdash/internal/textfile"
	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/bridge"
)

// console is what a source may use of the terminal okdash was started from: the input
// that `--source -` reads, where a password prompt and a source's notices go, and
// whether someone is there to answer a prompt (okdash serve has nobody: a prompt on
// the server's terminal would hang the session).
type console struct {
	in          io.Reader
	err         io.Writer
	interactive bool // in is a terminal (an *os.File) that a person types on
	// dashboardAsks: nobody answers at this console, but the dashboard can ask for what
	// a source needs (okdash serve: the password line).
	dashboardAsks bool
}

// localConsole is okdash's own terminal, as io gives it.
func localConsole(io stdio) console {
	f, ok := io.in.(*os.File)
	return console{in: io.in, err: io.err, interactive: ok && term.IsTerminal(f.Fd())}
}

// sourceKind is the kind of source a --source value names. The grammar of --source is
// read by sourceKindOf alone: every check and opener switches on the kind, so a new kind
// of source is added in one place.
type sourceKind int

const (
	sourceUnknown sourceKind = iota
	sourceDemo               // "" or demo
	sourceStdin              // -
	sourceFile               // file:PATH
	sourceFollow             // follow:PATH
	sourceBridge             // bridge:TARGET
	sourceWS                 // ws://HOST:PORT or wss://HOST:PORT
)

// sourcePrefixes are the kinds written as a prefix, and what follows it.
var sourcePrefixes = []struct {
	prefix string
	kind   sourceKind
}{{"file:", sourceFile}, {"follow:", sourceFollow}, {"bridge:", sourceBridge}, {"ws://", sourceWS}, {"wss://", sourceWS}}

// sourceKindOf is the kind of the --source value src.
func sourceKindOf(src string) sourceKind {
	switch src {
	case "", "demo":
		return sourceDemo
	case "-":
		return sourceStdin
	}
	for _, p := range sourcePrefixes {
		if strings.HasPrefix(src, p.prefix) {
			return p.kind
		}
	}
	return sourceUnknown
}

// openSession builds the session that sf.Source names. Each kind lives in its own file.
func openSession(ctx context.Context, sf sourceFlags, clock oktell.Clock, con console) (oktell.Session, error) {
	src := sf.Source
	kind := sourceKindOf(src)
	var (
		s   oktell.Session
		err error
	)
	switch kind {
	case sourceDemo:
		s, err = openDemo(ctx, sf, clock)
	case sourceStdin, sourceFile:
		s, err = openReplay(ctx, sf, clock, con)
	case sourceFollow:
		s, err = openFollow(ctx, sf, clock)
	case sourceBridge:
		s, err = openBridge(ctx, sf, clock)
	case sourceWS:
		s, err = openWS(ctx, sf, clock, con)
	default:
		return nil, fmt.Errorf("--source %q: unknown kind; want %s", src, sourceKinds)
	}
	if err != nil {
		if kind == sourceDemo { // the demo's errors name their flag or file
			return nil, err
		}
		var te *textfile.Error
		if errors.As(err, &te) && te.Line == 0 && strings.HasSuffix(src, ":"+te.Path) {
			return nil, fmt.Errorf("--source %s: %s", src, te.Msg) // the path is in the source already
		}
		return nil, fmt.Errorf("--source %s: %w", src, err)
	}
	if sf.Record != "" && kind != sourceWS { // a ws session captures its frames itself
		return recordSession(s, sf.Record, clock)
	}
	return s, nil
}

// checkSourceFlags finds the mistakes of the source flags that need no connection, so
// they are usage errors (status 2) told before the dashboard starts.
func checkSourceFlags(sf sourceFlags) error {
	src := sf.Source
	kind := sourceKindOf(src)
	switch {
	case sf.Scenario != "" && kind != sourceDemo:
		return errors.New("--scenario plays only on the demo (--source demo, or okdash sim --listen)")
	case src == "file:" || src == "follow:":
		return fmt.Errorf("--source %s: give a file: %sPATH", src, src)
	case kind == sourceBridge:
		if err := bridgeSyntax(strings.TrimPrefix(src, "bridge:")); err != nil {
			return fmt.Errorf("--source %s: %w", src, err)
		}
	case kind == sourceWS:
		if err := wsSyntax(src); err != nil {
			return fmt.Errorf("--source %s: %w", src, err)
		}
		if sf.Login == "" {
			return fmt.Errorf("--source %s: --login is required for ws:// and wss:// sources", src)
		}
	}
	return nil
}

// bridgeSyntax checks the form of a bridge: source's target, without dialling or
// looking for its command.
func bridgeSyntax(target string) error {
	switch {
	case strings.HasPrefix(target, "tcp://"):
		if _, _, err := net.SplitHostPort(strings.TrimPrefix(target, "tcp://")); err != nil {
			return errors.New("want bridge:tcp://HOST:PORT, such as bridge:tcp://10.0.0.15:7766")
		}
		return nil
	case strings.HasPrefix(target, "exec:"):
		_, err := bridge.ParseExec(strings.TrimPrefix(target, "exec:"))
		return err
	}
	return errors.New("want bridge:tcp://HOST:PORT or bridge:exec:COMMAND ARGS")
}

// wsSyntax checks the form of a ws:// or wss:// source.
func wsSyntax(src string) error {
	kind, _, _ := strings.Cut(src, ":")
	if u, err := url.Parse(src); err != nil || u.Host == "" {
		return fmt.Errorf("want %s://HOST:PORT, such as %s://oktell.example.local:4066", kind, kind)
	}
	return nil
}

// flagFile names the flag of a file that could not be read at all ("--scenario
// shift.txt: no such file"); a mistake on a line already names the file and line.
func flagFile(flag string, err error) error {
	var te *textfile.Error
	if errors.As(err, &te) && te.Line == 0 {
		return fmt.Errorf("%s %w", flag, err)
	}
	return err
}
