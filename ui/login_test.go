package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/okdash/okdash/oktell"
)

func closedMsg(needPassword bool, why oktell.Reason) updateMsg {
	return updateMsg{oktell.Update{At: t0, Status: &oktell.Status{Link: oktell.LinkClosed, Why: why, NeedPassword: needPassword}}}
}

var (
	wrongLogin = oktell.Because(oktell.ReasonRefusedByServer, oktell.Because(oktell.ReasonRefused,
		oktell.Quoted("Wrong login/pass combination"), oktell.Because(oktell.ReasonWrongLogin)))
	desktop = oktell.Because(oktell.ReasonRefusedByServer, oktell.Because(oktell.ReasonDesktopClient))
)

// typeText types each letter of s into the model.
func typeText(t *testing.T, m Model, s string) Model {
	t.Helper()
	for _, r := range s {
		m = keys(t, m, string(r))
	}
	return m
}

// After the link closed for good, l logs in again; a session that cannot has no such
// key, and while the link is up l says why it does nothing.
func TestReconnectKey(t *testing.T) {
	m, f := newReasonTest(80, 24, language.English)
	m = step(m, linkStatus(t0, oktell.LinkConnected, ""))
	m = step(m, upd(t0, evState(oktell.UserReady, false)))
	b := liveBinding(t, m, "l")
	assert.False(t, b.Enabled())
	assert.Equal(t, "the link to Oktell is not closed", b.why)

	m = step(m, closedMsg(false, desktop))
	require.False(t, m.login.open, "no password is asked for a refusal about something else")
	assert.True(t, keyEnabled(m, "l"))
	screen := strings.Join(strings.Fields(ansi.Strip(m.View())), " ")
	assert.Contains(t, screen, "⚠ Press l to log in again. ", "the banner leads with what to do")
	assert.Contains(t, screen, "refused by the server", "then why")
	assert.Contains(t, screen, "l log in again", "on the help bar")
	m = keys(t, m, "д") // the Russian layout
	assert.Equal(t, []string{""}, f.passwords, "the saved session or the password at hand")
	m = step(m, linkStatus(t0, oktell.LinkConnected, ""))
	assert.False(t, keyEnabled(m, "l"))

	plain, _, _ := newTest(80, 24)
	plain = step(plain, closedMsg(false, desktop))
	for _, b := range plain.liveKeys(plain.c) {
		assert.False(t, b.presses(keyPress("l")), "a session that cannot log in again offers no key")
	}
	assert.NotContains(t, ansi.Strip(plain.View()), "Press l")
}

// The server wants a password: the line opens by itself, does not echo, holds the focus
// (a q typed is part of the password), and takes three: each refused one asks again,
// the third closes the line with the server's reason and l opens it anew. The password
// reaches the session and nothing else: not the screen, the toasts, the history.
func TestPasswordLine(t *testing.T) {
	m, f := newReasonTest(80, 24, language.English)
	m = step(m, linkStatus(t0, oktell.LinkConnected, "Иванова Мария"))
	m = step(m, closedMsg(true, wrongLogin))
	require.True(t, m.login.open, "the line opens at once")
	assert.Contains(t, ansi.Strip(m.View()), "Type the password to log in. ", "the banner leads with what to do")
	f.againErr = oktell.RefusedSaying(0, "Wrong login/pass combination: the login or the password is wrong")

	const secret = "q1-Пароль"
	m = typeText(t, m, secret)
	assert.False(t, m.quitting, "q went into the password")
	screen := ansi.Strip(m.View())
	assert.NotContains(t, screen, "Пароль", "no echo")
	assert.Contains(t, screen, "Oktell password: *********")
	m = keys(t, m, "enter")
	assert.Equal(t, []string{secret}, f.passwords)
	assert.Empty(t, m.login.input.Value(), "the line forgets it at once")
	assert.Contains(t, ansi.Strip(m.View()), "Refused, try again (2 of 3): ")

	m = typeText(t, m, "second")
	m = keys(t, m, "enter")
	m = typeText(t, m, "third")
	m = keys(t, m, "enter")
	assert.Equal(t, []string{secret, "second", "third"}, f.passwords)
	assert.False(t, m.login.open, "three refusals close the line")
	require.NotEmpty(t, toastTexts(m))
	assert.Equal(t, "The password was refused 3 times: refused: Wrong login/pass combination: the login or the password is wrong; press l to try again", toastTexts(m)[len(toastTexts(m))-1])

	m = keys(t, m, "l")
	require.True(t, m.login.open, "l opens the line again")
	assert.Contains(t, ansi.Strip(m.View()), "Oktell password: ", "three tries afresh")
	m = keys(t, m, "esc")
	assert.False(t, m.login.open)
	m = keys(t, m, "l")
	f.againErr = nil
	m = typeText(t, m, "right")
	m = keys(t, m, "enter")
	assert.False(t, m.login.open, "logged in")
	m = step(m, linkStatus(t0, oktell.LinkConnected, ""))
	assert.False(t, keyEnabled(m, "l"))

	for _, text := range append(append(toastTexts(m), historyTexts(m)...), ansi.Strip(m.View())) {
		for _, pw := range []string{secret, "second", "third", "right"} {
			assert.NotContains(t, text, pw)
		}
	}
}

// An empty Enter sends nothing; the line stays above the help bar on every screen and at
// the smallest size, and speaks Russian.
func TestPasswordLineRussianAndSmall(t *testing.T) {
	m, f := newReasonTest(60, 16, language.Russian)
	m = step(m, closedMsg(true, wrongLogin))
	m = keys(t, m, "enter")
	assert.Empty(t, f.passwords, "nothing typed, nothing sent")
	screen := ansi.Strip(m.View())
	assert.Contains(t, screen, "Пароль Oktell: ")
	assert.Contains(t, screen, "enter войти")
	assert.Contains(t, screen, "Введите пароль, чтобы войти")
	assert.Len(t, strings.Split(m.View(), "\n"), 16)

	m = step(m, windowSize(50, 12))
	assert.Contains(t, ansi.Strip(m.View()), "Пароль Oktell: ", "the line keeps the focus when too small, and says so")
}

// A link that fails on the try (not a refusal) says so and closes the line: the session
// goes on trying by itself, and its status says how.
func TestPasswordLineLinkFails(t *testing.T) {
	m, f := newReasonTest(80, 24, language.English)
	m = step(m, closedMsg(true, wrongLogin))
	f.againErr = oktell.ErrNotConnected
	m = typeText(t, m, "pw")
	m = step(m, linkStatus(t0, oktell.LinkReconnecting, "connection refused"))
	m = keys(t, m, "enter")
	assert.False(t, m.login.open)
	assert.Contains(t, toastTexts(m), "Could not log in again: not connected to Oktell")
}

// The keys of the picker, of the password line and l speak Russian, and every one of
// them is disabled exactly when it says why (as TestEveryBindingSpeaksRussian and
// TestEveryBindingIsListed check for the other panes).
func TestPickerAndLoginKeysSpeakRussian(t *testing.T) {
	m, _ := newReasonTest(100, 30, language.Russian)
	m = step(m, reasonsMsg(lunch, ""))
	m = step(m, upd(t0, evState(oktell.UserReady, false)))
	states := map[string]Model{"connected": m}
	states["on a break"] = step(m, upd(t0, evBreak("r1")))
	states["picker"] = keys(t, m, "2")
	states["closed"] = step(m, closedMsg(false, desktop))
	states["password"] = step(m, closedMsg(true, wrongLogin))
	for name, s := range states {
		assertKeysSpeakRussian(t, name, s)
	}
	assert.Contains(t, ansi.Strip(states["picker"].View()), "Причина перерыва")
	assert.Contains(t, ansi.Strip(states["closed"].View()), "Нажмите l, чтобы войти снова")
}

var pickerKeys = []string{"2", "b", "и", "l", "д", "1", "3", "9", "up", "down", "enter", "esc", "q", "x", "backspace"}

// Whatever the server lists, however the links and tries go and whatever is pressed,
// the picker and the password line fit the terminal and nothing panics.
func FuzzPickerAndLogin(f *testing.F) {
	f.Add([]byte("\x00\x03ab\x02cd\x00\x02\x00\x02\x05\x02\x0a"))
	f.Add([]byte("\x01\x01\x02\x03\x02\x03\x03\x01\x03\x01\x03\x01\x02\x09"))
	f.Add([]byte(strings.Repeat("\x00\x09xxxxxxxxxxxxxxxxxxxxxxxxxxxxx\x02\x00\x02\x08", 12)))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, _ := newReasonTest(80, 24, language.English)
		m = step(m, upd(t0, evState(oktell.UserReady, false)))
		s := &fuzzScript{b: data}
		for i := 0; len(s.b) > 0 && i < 500; i++ {
			var msg tea.Msg
			switch s.next() % 5 {
			case 0:
				n := int(s.next() % 30)
				list := make([]oktell.BreakReason, 0, n)
				for j := 0; j < n; j++ {
					list = append(list, oktell.BreakReason{ID: s.str(), Name: s.str()})
				}
				msg = reasonsMsg(list, s.str())
			case 1:
				msg = closedMsg(s.next()%2 == 0, oktell.Quoted(s.str()))
			case 2:
				msg = keyPress(pickerKeys[int(s.next())%len(pickerKeys)])
			case 3:
				errs := []error{nil, oktell.RefusedSaying(0, s.str()), oktell.ErrNotConnected}
				msg = reconnectDoneMsg{err: errs[int(s.next())%len(errs)], withPassword: s.next()%2 == 0}
			default:
				msg = s.msg(m)
			}
			nm, _ := m.Update(msg)
			m = nm.(Model)
			checkFits(t, m)
		}
	})
}
