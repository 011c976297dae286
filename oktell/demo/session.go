package demo

import (
	"context"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/feed"
)

// Session is the in-process demo: an engine whose outputs become updates.
type Session struct {
	*feed.Feed
	eng *Engine
}

var _ oktell.Session = (*Session)(nil)

// Open starts the demo: sc (nil for the built-in shift) played on clock at speed.
func Open(ctx context.Context, sc *Scenario, clock oktell.Clock, speed float64) *Session {
	f := feed.New(ctx, clock, 64)
	s := &Session{Feed: f, eng: New(sc, clock, speed)}
	f.Status(oktell.LinkConnected, "demo: "+s.eng.Scenario().Name)
	f.Go(func(ctx context.Context) {
		err := s.eng.Run(ctx, func(o Output) bool {
			if o.Link != nil {
				if o.Link.Up {
					return f.Status(oktell.LinkConnected, "demo: "+s.eng.Scenario().Name)
				}
				return f.Status(oktell.LinkReconnecting, o.Link.Reason)
			}
			for _, ev := range o.Doc.Events {
				if !f.Event(ev, nil) {
					return false
				}
			}
			return true
		})
		if err != nil && ctx.Err() == nil {
			f.Status(oktell.LinkReadOnly, "demo stopped: "+err.Error())
		}
	})
	return s
}

// Engine is the engine behind the session (tests look at its server state).
func (s *Session) Engine() *Engine { return s.eng }

// Capabilities of the demo: everything a real server allows.
func (s *Session) Capabilities() oktell.Capabilities {
	return oktell.Capabilities{Kind: "demo", SetUserState: true, SendMessage: true}
}

// SetUserState asks the demo server for a state.
func (s *Session) SetUserState(ctx context.Context, state oktell.UserState, redirect bool) error {
	return s.eng.SetUserState(ctx, state, redirect)
}

// SendMessage writes to a colleague of the scenario.
func (s *Session) SendMessage(ctx context.Context, userID, text string) error {
	return s.eng.SendMessage(ctx, userID, text)
}
