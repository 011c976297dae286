package demo

import (
	"context"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/feed"
)

// Session is the in-process demo: an engine whose outputs become updates.
type Session struct {
	feed *feed.Feed // delivers the updates: its methods are the session's own business
	eng  *Engine
}

var (
	_ oktell.Session           = (*Session)(nil)
	_ oktell.BreakReasonSetter = (*Session)(nil)
)

// Option changes how the demo starts.
type Option func(*options)

type options struct {
	breakReason string
}

// WithBreakReason names the break reason a break takes unless the operator picks
// another (--break-reason): a name or an id of the scenario's breakreasons.
func WithBreakReason(name string) Option { return func(o *options) { o.breakReason = name } }

// Open starts the demo: sc (nil for the built-in shift) played on clock at speed.
func Open(ctx context.Context, sc *Scenario, clock oktell.Clock, speed float64, opts ...Option) *Session {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	f := feed.New(ctx, clock, 64)
	s := &Session{feed: f, eng: New(sc, clock, speed)}
	f.StatusWhy(oktell.LinkConnected, oktell.Because(oktell.ReasonDemo, s.eng.Scenario().Name))
	if list := s.eng.Scenario().BreakReasons; len(list) > 0 || o.breakReason != "" {
		// As a server tells them after the login: the dashboard's picker offers them.
		b := oktell.NewBreakReasons(list, o.breakReason)
		f.Send(oktell.Update{BreakReasons: &b})
	}
	f.Go(func(ctx context.Context) {
		down := false
		err := s.eng.Run(ctx, func(o Output) bool {
			if o.Queue != nil && !f.Send(oktell.Update{Queue: o.Queue}) {
				return false
			}
			if o.Colleagues != nil && !f.Send(oktell.Update{Colleagues: o.Colleagues}) {
				return false
			}
			if o.Doc == nil {
				return true
			}
			for _, ev := range o.Doc.Events {
				reason, lost := feed.LinkLost(&ev)
				if !lost && down {
					// Back: the line is read afresh, as the queue and the colleagues are
					// (the engine's desk did not change while the client heard nothing).
					if !f.StatusWhy(oktell.LinkConnected, oktell.Because(oktell.ReasonDemo, s.eng.Scenario().Name)) || !f.ResendLine() {
						return false
					}
				}
				down = lost
				if !f.Event(ev, nil) {
					return false
				}
				if lost && !f.StatusWhy(oktell.LinkReconnecting, reason) {
					return false
				}
			}
			return true
		})
		if err != nil && ctx.Err() == nil {
			f.StatusWhy(oktell.LinkReadOnly, oktell.Because(oktell.ReasonDemoStopped, err.Error()))
		}
	})
	return s
}

// Engine is the engine behind the session (tests look at its server state).
func (s *Session) Engine() *Engine { return s.eng }

// Capabilities of the demo: everything a real server allows; the line, the queue and
// colleagues when the scenario has calls, a queue and colleagues (the built-in shift has).
func (s *Session) Capabilities() oktell.Capabilities {
	sc := s.eng.Scenario()
	return oktell.Capabilities{Kind: oktell.SourceDemo, SetUserState: true, SendMessage: true,
		Line: sc.HasCalls(), Queue: sc.HasQueue(), Colleagues: len(sc.Roster) > 0}
}

// SetUserState asks the demo server for a state.
func (s *Session) SetUserState(ctx context.Context, state oktell.UserState, redirect bool) error {
	return s.eng.SetUserState(ctx, state, redirect)
}

// SetUserStateReason asks the demo server for a state with a break reason (an id of
// the scenario's breakreasons).
func (s *Session) SetUserStateReason(ctx context.Context, state oktell.UserState, redirect bool, reason string) error {
	return s.eng.SetUserStateReason(ctx, state, redirect, reason)
}

// SendMessage writes to a colleague of the scenario.
func (s *Session) SendMessage(ctx context.Context, userID, text string) error {
	return s.eng.SendMessage(ctx, userID, text)
}

// Updates implements oktell.Session.
func (s *Session) Updates() <-chan oktell.Update { return s.feed.Updates() }

// Close implements oktell.Session: it stops the demo and closes Updates.
func (s *Session) Close() error { return s.feed.Close() }
