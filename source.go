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
		return nil, fmt.Errorf("--source %s: %w", src, err)
	}
	if sf.Record != "" {
		return recordSession(s, sf.Record, clock)
	}
	return s, nil
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
