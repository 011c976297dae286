package ui

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/okdash/okdash/oktell"
)

// fuzzKeys are the keys an operator (or a cat on the keyboard) may press.
var fuzzKeys = []string{"1", "2", "3", "4", "r", "b", "a", "f", "к", "и", "ф", "а", "up", "down", "pgup", "pgdown",
	"end", "enter", "esc", "m", "x", "X", "v", "n", "?", "й", "backspace", " ", "G", "k", "j", "ч", "т"}

// fuzzScript turns bytes into a sequence of messages: keys, sizes, events, timers.
type fuzzScript struct{ b []byte }

func (s *fuzzScript) next() byte {
	if len(s.b) == 0 {
		return 0
	}
	c := s.b[0]
	s.b = s.b[1:]
	return c
}

func (s *fuzzScript) str() string {
	n := int(s.next() % 40)
	n = min(n, len(s.b))
	out := string(s.b[:n])
	s.b = s.b[n:]
	return out
}

func (s *fuzzScript) msg(m Model) tea.Msg {
	at := t0.Add(time.Duration(s.next()) * time.Second)
	switch s.next() % 10 {
	case 0:
		return tea.WindowSizeMsg{Width: int(s.next()) % 200, Height: int(s.next()) % 70}
	case 1, 2:
		return keyPress(fuzzKeys[int(s.next())%len(fuzzKeys)])
	case 3:
		return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s.str())}
	case 4:
		types := oktell.EventTypes()
		return upd(at, evBare(types[int(s.next())%len(types)]))
	case 5:
		nts := oktell.NotifyTypes()
		e := evNotify(nts[int(s.next())%len(nts)], s.next()%2 == 0, s.next()%2 == 0, s.str(), s.str(), s.str())
		if s.next()%4 == 0 {
			e.Props[2] = prop("backcolor_argb", s.str())
		}
		if s.next()%3 == 0 {
			e = withGUID(e, s.str()) // repeated deliveries
		}
		return upd(at, e)
	case 6:
		e := evMessage(s.str(), s.str(), s.str(), s.str())
		if s.next()%3 == 0 {
			e = withGUID(e, s.str())
		}
		return upd(at, e)
	case 7:
		st := []oktell.UserState{0, 1, 2, 3, 4, 5, 6, 7, 99}[int(s.next())%9]
		e := evState(st, s.next()%2 == 0)
		if s.next()%5 == 0 {
			e.Props[0] = named("newstate", s.str(), s.str())
		}
		return upd(at, e)
	case 8:
		u := oktell.Update{At: at, Status: &oktell.Status{Link: oktell.Link(s.next() % 6), Why: oktell.Quoted(s.str()), Operator: s.str(), Line: s.str()}}
		if s.next()%2 == 0 {
			u.Status, u.Err = nil, errors.New(s.str()) // an input problem that did not stop the session
		}
		return updateMsg{u}
	}
	switch s.next() % 7 {
	case 0:
		return tickMsg{id: m.tickID, t: at.Add(time.Duration(s.next()) * time.Minute)}
	case 1:
		return tickMsg{id: m.tickID + int(s.next()%2), t: at.Add(time.Duration(s.next()) * time.Second)}
	case 2:
		return confirmTimeoutMsg{id: m.request.pending.id}
	case 3:
		return setStateDoneMsg{id: m.request.pending.id, err: oktell.RefusedSaying(0, s.str())}
	case 4:
		var err error
		if s.next()%2 == 0 {
			err = oktell.ErrNotConnected
		}
		return sentMsg{to: m.reply.to, text: s.str(), err: err}
	case 5:
		return ShutdownMsg{Why: oktell.Quoted(s.str()), After: time.Duration(s.next()) * time.Second}
	}
	return sessionEndedMsg{}
}

// checkFits fails when a line of the view is wider than the terminal or the view is taller.
func checkFits(t *testing.T, m Model) {
	t.Helper()
	v := m.View()
	if m.c.width <= 0 || m.c.height <= 0 {
		return
	}
	lines := strings.Split(v, "\n")
	if len(lines) > m.c.height {
		t.Fatalf("%d lines for a height of %d", len(lines), m.c.height)
	}
	for i, l := range lines {
		if w := ansi.StringWidth(l); w > m.c.width {
			t.Fatalf("line %d is %d wide, terminal %d: %q", i, w, m.c.width, l)
		}
	}
}

func FuzzDashboard(f *testing.F) {
	f.Add([]byte("\x00\x00\x50\x18\x01\x06\x00\x05\x01\x05\x05\x05\x05"))
	f.Add([]byte("\x00\x06ab\x06\x05\x05Петров\x05\x06текст\x00\x02\x07\x00\x02\x00\x01\x01\x00\x01\x11"))
	f.Add([]byte("\x00\x00\x3c\x10\x00\x08\x02\x00\x05\x02\x00\x09\x01\x03\x00\x03\x05\x1b[31m"))
	f.Add([]byte(strings.Repeat("\x01\x05\x01\x06\x09\x04", 20)))
	for _, seed := range []int{1, 2, 3} {
		f.Add([]byte(strconv.Itoa(seed) + strings.Repeat("\x00\x06\x20\x08xxxxxxxxxx\x01\x01\x13", seed*5)))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, _, _ := newTest(80, 24)
		s := &fuzzScript{b: data}
		for i := 0; len(s.b) > 0 && i < 500; i++ {
			nm, _ := m.Update(s.msg(m))
			m = nm.(Model)
			checkFits(t, m)
		}
	})
}

// Every size from tiny to large, in every view, fits.
func TestEverySizeFits(t *testing.T) {
	m, _, _ := newTest(80, 24)
	for _, u := range shift() {
		m = step(m, updateMsg{u})
	}
	m = step(m, upd(t0, evBare(oktell.ConnectionLost)))
	for _, v := range []screen{screenMain, screenHistory, screenHelp, screenShift} {
		m.c.screen = v
		for w := 0; w <= 130; w += 7 {
			for h := 0; h <= 45; h += 3 {
				m = step(m, tea.WindowSizeMsg{Width: w, Height: h})
				checkFits(t, m)
			}
		}
	}
}
