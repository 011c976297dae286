package ui

import (
	"context"
	"io"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/okdash/okdash/oktell"
)

type (
	updateMsg       struct{ u oktell.Update }
	sessionEndedMsg struct{}
	tickMsg         struct {
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

// waitUpdate reads the session's next update.
func waitUpdate(ch <-chan oktell.Update) tea.Cmd {
	return func() tea.Msg {
		u, ok := <-ch
		if !ok {
			return sessionEndedMsg{}
		}
		return updateMsg{u}
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

func setStateCmd(s oktell.Session, id int, state oktell.UserState, redirect bool, timeout time.Duration) tea.Cmd {
	return func() tea.Msg {
		if s == nil {
			return setStateDoneMsg{id: id, err: oktell.ErrUnsupported}
		}
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		return setStateDoneMsg{id: id, err: s.SetUserState(ctx, state, redirect)}
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

func expireCmd(c oktell.Clock, id, gen int, d time.Duration) tea.Cmd {
	return func() tea.Msg {
		<-c.After(d)
		return expireToastMsg{id: id, gen: gen}
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
