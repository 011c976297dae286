package main

// STUB: replaced by the WebSocket work.

import (
	"context"
	"errors"

	"github.com/okdash/okdash/oktell"
)

func openWS(ctx context.Context, sf sourceFlags, clock oktell.Clock) (oktell.Session, error) {
	return nil, errors.New("ws not implemented yet")
}

// simWS runs the fake Oktell WebSocket server on addr until ctx ends.
func simWS(ctx context.Context, addr, usersFile string, io stdio) error {
	return errors.New("sim --ws not implemented yet")
}
