package ui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/okdash/okdash/oktell"
)

// ShutdownMsg starts the visible countdown to a clean exit, as ShutdownRequested does.
// The SSH server sends it to every session on SIGTERM.
type ShutdownMsg struct {
	Why   oktell.Reason // why, as a code the dashboard translates (oktell.Quoted for a caller's own words)
	After time.Duration
}

// shutdown is the countdown to a clean exit that Oktell (ShutdownRequested) or the SSH
// server (ShutdownMsg) asked for: its banner, and the exit at its end.
type shutdown struct {
	c      *common
	active bool
	at     time.Time // when okdash quits
	reason string    // why, translated; "" for Oktell's own request
	seq    int       // the countdown's number: the timer of an earlier one is ignored
}

func newShutdown(c *common) shutdown { return shutdown{c: c} }

// quitMsg is the end of the countdown: the root quits.
type quitMsg struct{}

func (s *shutdown) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case ShutdownMsg:
		return s.start(say(s.c.print, msg.Why), msg.After)
	case updateMsg:
		if e := msg.u.Event; e != nil && e.Type == oktell.ShutdownRequested && !msg.u.Backlog { // an old request in a followed log is the past
			return s.start("", s.c.opts.ShutdownAfter) // Oktell's own: the banner says so
		}
	case shutdownNowMsg:
		if s.active && msg.seq == s.seq {
			s.c.post(quitMsg{})
		}
	}
	return nil
}

// start counts down to the exit, reason (in the operator's words) on the banner.
func (s *shutdown) start(reason string, after time.Duration) tea.Cmd {
	if after <= 0 {
		after = s.c.opts.ShutdownAfter
	}
	at := s.c.wall.Add(after) // the countdown's timer is on the wall clock
	if s.active && !at.Before(s.at) {
		return nil // an earlier countdown ends sooner; keep it
	}
	s.active, s.at, s.reason = true, at, reason
	s.seq++
	return shutdownCmd(s.c.clock, s.seq, after)
}

// banner is the countdown's banner text, or "" when none runs.
func (s *shutdown) banner() string {
	if !s.active {
		return ""
	}
	left := max(int((s.at.Sub(s.c.wall)+time.Second-1)/time.Second), 0)
	if s.reason != "" {
		return s.c.tr("%s: closing in %d s", s.reason, left)
	}
	return s.c.tr("Oktell asks okdash to close: closing in %d s", left)
}
