package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/okdash/okdash/internal/textfile"
	"github.com/okdash/okdash/oktell"
)

// openSession builds the session that sf.Source names. Each kind lives in its own file.
func openSession(ctx context.Context, sf sourceFlags, clock oktell.Clock) (oktell.Session, error) {
	src := sf.Source
	var (
		s   oktell.Session
		err error
	)
	switch {
	case src == "" || src == "demo":
		s, err = openDemo(ctx, sf, clock)
	case src == "-" || strings.HasPrefix(src, "file:"):
		s, err = openReplay(ctx, sf, clock)
	case strings.HasPrefix(src, "follow:"):
		s, err = openFollow(ctx, sf, clock)
	case strings.HasPrefix(src, "bridge:"):
		s, err = openBridge(ctx, sf, clock)
	case strings.HasPrefix(src, "ws://") || strings.HasPrefix(src, "wss://"):
		s, err = openWS(ctx, sf, clock)
	default:
		return nil, fmt.Errorf("--source %q: unknown kind; want %s", src, sourceKinds)
	}
	if err != nil {
		if src == "" || src == "demo" { // the demo's errors name their flag or file
			return nil, err
		}
		var te *textfile.Error
		if errors.As(err, &te) && te.Line == 0 && strings.HasSuffix(src, ":"+te.Path) {
			return nil, fmt.Errorf("--source %s: %s", src, te.Msg) // the path is in the source already
		}
		return nil, fmt.Errorf("--source %s: %w", src, err)
	}
	if sf.Record != "" && !capturesItself(src) {
		return recordSession(s, sf.Record, clock)
	}
	return s, nil
}

// checkSourceFlags finds the mistakes of the source flags that need no connection, so
// they are usage errors (status 2) told before the dashboard starts.
func checkSourceFlags(sf sourceFlags) error {
	src := sf.Source
	isDemo := src == "" || src == "demo"
	switch {
	case sf.Scenario != "" && !isDemo:
		return errors.New("--scenario plays only on the demo (--source demo, or okdash sim --listen)")
	case src == "file:" || src == "follow:":
		return fmt.Errorf("--source %s: give a file: %sPATH", src, src)
	case strings.HasPrefix(src, "bridge:") && !strings.HasPrefix(src, "bridge:tcp://") && !strings.HasPrefix(src, "bridge:exec:"):
		return fmt.Errorf("--source %s: want bridge:tcp://HOST:PORT or bridge:exec:COMMAND ARGS", src)
	case (strings.HasPrefix(src, "ws://") || strings.HasPrefix(src, "wss://")) && sf.Login == "":
		return fmt.Errorf("--source %s: --login is required for ws:// and wss:// sources", src)
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
