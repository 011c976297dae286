package main

import (
	"context"
	"fmt"
	"strings"

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
