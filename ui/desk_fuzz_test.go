package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"golang.org/x/text/language"

	"github.com/okdash/okdash/oktell"
)

// deskKeys are the keys of the desk's views, and some that must be text in the filter.
var deskKeys = []string{"c", "с", "w", "ц", "/", ".", "enter", "esc", "up", "down", "pgup", "pgdown", "m", "q", "r", "backspace", "?", "n", "x"}

// deskMsg turns bytes into a desk update, a key or a size.
func (s *fuzzScript) deskMsg(m Model) tea.Msg {
	at := t0.Add(time.Duration(s.next()) * time.Second)
	switch s.next() % 8 {
	case 0:
		return tea.WindowSizeMsg{Width: int(s.next()) % 220, Height: int(s.next()) % 60}
	case 1, 2:
		return keyPress(deskKeys[int(s.next())%len(deskKeys)])
	case 3:
		return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s.str())}
	case 4:
		l := oktell.LineUpdate{State: oktell.LineState(s.next() % 8)}
		if s.next()%4 != 0 {
			l.Call = &oktell.Call{Direction: oktell.CallDirection(s.next() % 4), Number: s.str(), Name: s.str(), Info: s.str(),
				ChainID: s.str(), Conference: s.next()%5 == 0}
			if s.next()%2 == 0 {
				l.Call.TalkStart = at.Add(-time.Duration(s.next()) * time.Minute)
			}
			if s.next()%2 == 0 {
				l.Call.OnHold, l.Call.HoldStart = true, at.Add(time.Duration(int(s.next())-128)*time.Second)
			}
		}
		return lineMsg(at, l)
	case 5:
		var cs []oktell.QueuedCaller
		for n := int(s.next() % 30); n > 0; n-- {
			cs = append(cs, oktell.QueuedCaller{Key: s.str(), Number: s.str(), Name: s.str(), Since: at.Add(-time.Duration(s.next()) * time.Minute)})
		}
		return queueMsg(at, cs...)
	case 6:
		u := oktell.ColleaguesUpdate{Full: s.next()%3 == 0}
		for n := int(s.next() % 20); n > 0; n-- {
			u.Colleagues = append(u.Colleagues, oktell.Colleague{ID: fmt.Sprint(s.next() % 16), Name: s.str(), Number: s.str(),
				Department: []string{"", "Поддержка", "Sales", s.str()}[s.next()%4], State: oktell.UserState(s.next() % 9),
				StateKnown: s.next()%4 != 0, Self: s.next()%9 == 0})
		}
		if s.next()%4 == 0 {
			u.Removed = append(u.Removed, "id:"+fmt.Sprint(s.next()%16))
		}
		return colleaguesMsg(at, u)
	}
	switch s.next() % 4 {
	case 0:
		return tickMsg{id: m.tickID, t: at.Add(time.Duration(s.next()) * time.Minute)}
	case 1:
		return linkStatus(at, oktell.Link(s.next()%5), s.str())
	case 2:
		var err error
		if s.next()%2 == 0 {
			err = oktell.ErrUnsupported
		}
		return sentMsg{to: m.reply.to, text: s.str(), err: err}
	}
	return sessionEndedMsg{}
}

// Whatever the source says about the desk and whatever is typed, every frame fits the
// terminal and nothing panics.
func FuzzDesk(f *testing.F) {
	f.Add([]byte("\x00\x04\x03\x50\x18\x05\x02+7\x03Ива\x04info\x01c\x00\x01\x00\x06\x03\x05\x01\x03abc"))
	f.Add([]byte(strings.Repeat("\x06\x00\x05\x02\x01x\x02yy\x01\x04\x01\x01\x03\x00", 10)))
	f.Add([]byte("\x00\x00\xa0\x30\x06\x00\x03\x04\x01\x01\x01a\x00\x01\x02\x00\x01\x01\x00\x02\x00\x04\x01\x03abc\x01\x01\x06"))
	f.Add([]byte("\x00\x05\x04\x02\x01a\x01b\x01c\x00\x01\x04\x01\x01\x01\x05\x02"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, _ := newDesk(t, 80, 24, language.English, deskCaps)
		s := &fuzzScript{b: data}
		for i := 0; len(s.b) > 0 && i < 300; i++ {
			nm, _ := m.Update(s.deskMsg(m))
			m = nm.(Model)
			checkFits(t, m)
		}
	})
}
