package ui

import (
	"context"
	"io"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/okdash/okdash/oktell"
)

type (
	// updateMsg is one update from the session, as the panes hear it (At set).
	updateMsg struct{ u oktell.Update }
	// updatesMsg is every update that was waiting on the session, applied at once so
	// that one frame shows them all; ended says the session closed its channel after them.
	updatesMsg struct {
		updates []oktell.Update
		ended   bool
	}
	sessionEndedMsg struct{}
	// screenMsg asks for a screen; the root shows it, the panes hear it.
	screenMsg struct{ to screen }
	tickMsg   struct {
		id int
		t  time.Time
	}
	setStateDoneMsg struct {
		id  int
		err error
	}
	confirmTimeoutMsg struct{ id int }
	sentMsg           struct {
		to   *msgEntry
		text string
		err  error
	}
	shutdownNowMsg struct{ seq int }
)

// maxBatch bounds the updates applied before a frame: a key typed during a flood waits
// for at most one batch (well under a millisecond each at this size).
const maxBatch = 256

// waitUpdates waits for the session's next update, then takes every one that is
// already waiting, up to maxBatch, without waiting for more.
func waitUpdates(ch <-chan oktell.Update) tea.Cmd {
	return func() tea.Msg {
		u, ok := <-ch
		if !ok {
			return updatesMsg{ended: true}
		}
		batch := make([]oktell.Update, 1, min(len(ch)+1, maxBatch))
		batch[0] = u
		for len(batch) < maxBatch {
			select {
			case u, ok := <-ch:
				if !ok {
					return updatesMsg{updates: batch, ended: true}
				}
				batch = append(batch, u)
			default:
				return updatesMsg{updates: batch}
			}
		}
		return updatesMsg{updates: batch}
	}
}

// tickCmd fires at the next whole second, so that the timers on screen change together
// and an idle dashboard redraws once a second at most.
func tickCmd(c oktell.Clock, id int) tea.Cmd {
	return func() tea.Msg {
		now := c.Now()
		next := now.Truncate(time.Second).Add(time.Second)
		t := <-c.After(next.Sub(now))
		return tickMsg{id: id, t: t}
	}
}

func setStateCmd(s oktell.Session, id int, state oktell.UserState, redirect bool, reason string, timeout time.Duration) tea.Cmd {
	return func() tea.Msg {
		if s == nil {
			return setStateDoneMsg{id: id, err: oktell.ErrUnsupported}
		}
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		return setStateDoneMsg{id: id, err: oktell.SetUserStateReason(ctx, s, state, redirect, reason)}
	}
}

// reconnectTimeout is how long the dashboard waits for the first try of a new login; a
// slower try goes on, and the session's status tells how it ended.
const reconnectTimeout = time.Minute

// reconnectCmd asks the session to log in again, with password when it is not "".
func reconnectCmd(s oktell.Session, password string, timeout time.Duration) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		return reconnectDoneMsg{err: oktell.Reconnect(ctx, s, password), withPassword: password != ""}
	}
}

func confirmTimeoutCmd(c oktell.Clock, id int, d time.Duration) tea.Cmd {
	return func() tea.Msg {
		<-c.After(d)
		return confirmTimeoutMsg{id: id}
	}
}

func sendCmd(s oktell.Session, to *msgEntry, text string, timeout time.Duration) tea.Cmd {
	return func() tea.Msg {
		if s == nil {
			return sentMsg{to: to, text: text, err: oktell.ErrUnsupported}
		}
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		return sentMsg{to: to, text: text, err: s.SendMessage(ctx, to.senderID, text)}
	}
}

func shutdownCmd(c oktell.Clock, seq int, d time.Duration) tea.Cmd {
	return func() tea.Msg {
		<-c.After(d)
		return shutdownNowMsg{seq: seq}
	}
}

// bellCmd rings the terminal's bell through w: the process's stdout, or an SSH channel,
// so that each SSH client rings its own terminal.
func bellCmd(w io.Writer) tea.Cmd {
	return func() tea.Msg {
		_, _ = w.Write([]byte{'\a'})
		return nil
	}
}
