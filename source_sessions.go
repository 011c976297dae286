package main

// STUB: replaced by the sessions work (demo, replay, follow, bridge, record).

import (
	"context"
	"errors"

	"github.com/okdash/okdash/oktell"
)

func openDemo(ctx context.Context, sf sourceFlags, clock oktell.Clock) (oktell.Session, error) {
	return nil, errors.New("demo not implemented yet")
}

func openReplay(ctx context.Context, sf sourceFlags, clock oktell.Clock) (oktell.Session, error) {
	return nil, errors.New("replay not implemented yet")
}

func openFollow(ctx context.Context, sf sourceFlags, clock oktell.Clock) (oktell.Session, error) {
	return nil, errors.New("follow not implemented yet")
}

func openBridge(ctx context.Context, sf sourceFlags, clock oktell.Clock) (oktell.Session, error) {
	return nil, errors.New("bridge not implemented yet")
}

func recordSession(s oktell.Session, path string, clock oktell.Clock) (oktell.Session, error) {
	return s, nil
}

// simBridge serves the demo over the bridge protocol on addr until ctx ends.
func simBridge(ctx context.Context, addr, scenario string, speed float64, io stdio) error {
	return errors.New("sim --listen not implemented yet")
}
