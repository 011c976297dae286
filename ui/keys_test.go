package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/okdash/okdash/oktell"
)

// Below the minimum size the reply line keeps its focus: keys are text, Esc closes it,
// ctrl+c still quits, and the screen says so instead of offering "q quit".
func TestTooSmallKeepsReplyFocus(t *testing.T) {
	m, _, _ := newTest(80, 24)
	m = step(m, upd(t0, evMessage("24.11.2026 09:00:00", "u1", "Анна", "привет")))
	m = step(m, keyPress("m"))
	require.True(t, m.reply.open)
	m = step(m, windowSize(50, 12))
	for _, k := range []string{"q", "r", "x", "й"} {
		var cmd tea.Cmd
		m, cmd = stepCmd(m, keyPress(k))
		assert.False(t, m.quitting, "%s is text", k)
		for _, msg := range runCmd(m, cmd) {
			_, quit := msg.(tea.QuitMsg)
			assert.False(t, quit, "%s does not quit", k)
		}
	}
	assert.Equal(t, "qrxй", m.reply.input.Value())
	v := ansi.Strip(m.View())
	assert.NotContains(t, v, "q quit")
	assert.Contains(t, v, "esc cancel")
	assert.Contains(t, v, "qrxй", "the draft is on screen")
	for _, l := range strings.Split(v, "\n") {
		assert.LessOrEqual(t, ansi.StringWidth(l), 50)
	}

	m = step(m, windowSize(80, 24))
	assert.True(t, m.reply.open, "the draft survives the resize")
	assert.Equal(t, "qrxй", m.reply.input.Value())
	m = step(m, windowSize(50, 12))
	m = step(m, keyPress("esc"))
	assert.False(t, m.reply.open, "esc closes the reply")
	_, cmd := stepCmd(m, keyPress("q"))
	assert.NotNil(t, cmd, "without the reply line, q quits")

	m = step(m, keyPress("ctrl+c"))
	assert.True(t, m.quitting)
}

// With Caps Lock on the letter keys still work, on both layouts; X and G keep their own
// meaning.
func TestCapsLockKeys(t *testing.T) {
	m, f, _ := newTest(80, 24)
	cases := []struct {
		latin string // the key the help shows
		keys  []string
	}{
		{"r", []string{"R", "К"}}, {"b", []string{"B", "И"}}, {"a", []string{"A", "Ф"}},
		{"f", []string{"F", "А"}}, {"q", []string{"Q", "Й"}}, {"n", []string{"N", "Т"}},
		{"v", []string{"V", "М"}}, {"m", []string{"M", "Ь"}},
		{"X", []string{"X", "Ч"}}, {"G", []string{"G", "П"}},
	}
	for _, tc := range cases {
		b := liveBinding(t, m, tc.latin)
		for _, s := range tc.keys {
			assert.True(t, b.presses(keyPress(s)), "%s -> %s", s, b.Help().Desc)
		}
	}
	assert.False(t, liveBinding(t, m, "x").presses(keyPress("X")), "X stays dismiss all")
	assert.False(t, liveBinding(t, m, "X").presses(keyPress("x")))

	m = step(m, upd(t0, evState(oktell.UserReady, false)))
	m, cmd := stepCmd(m, keyPress("B"))
	settle(t, m, cmd)
	assert.Equal(t, []stateCall{{oktell.UserLunch, false}}, f.states)
}

// While the link is down the reply line still opens: an operator already typing an
// answer must not fire hotkeys (a 'q' in the text would quit). Sending then fails with
// the reason and keeps the text.
func TestReplyOpensWhileTheLinkIsDown(t *testing.T) {
	m, _, _ := newTest(80, 24)
	m = step(m, upd(t0, evState(oktell.UserReady, false)))
	m = step(m, upd(t0, evMessage("24.11.2026 09:00:00", "{11111111-0000-0000-0000-000000000001}", "Петрова Анна", "Перезвони")))
	m = step(m, linkStatus(t0, oktell.LinkReconnecting, "connection lost"))
	m = step(m, keyPress("enter"))
	require.True(t, m.reply.open, "Enter opens the reply line while the link is down")
	for _, r := range "иду q й" {
		var cmd tea.Cmd
		m, cmd = stepCmd(m, keyPress(string(r)))
		assert.False(t, m.quitting, "%q is text", r)
		for _, msg := range runCmd(m, cmd) {
			_, quit := msg.(tea.QuitMsg)
			assert.False(t, quit, "%q does not quit", r)
		}
	}
	assert.True(t, m.reply.open)
	assert.Equal(t, "иду q й", m.reply.input.Value())
}

// Every Latin letter has its ЙЦУКЕН twin, on the same key, in both cases; anything
// else has none.
func TestCyrillicTwinIsTheLetterOnTheSameKey(t *testing.T) {
	want := map[string]string{
		"q": "й", "w": "ц", "e": "у", "r": "к", "t": "е", "y": "н", "u": "г", "i": "ш", "o": "щ", "p": "з",
		"a": "ф", "s": "ы", "d": "в", "f": "а", "g": "п", "h": "р", "j": "о", "k": "л", "l": "д",
		"z": "я", "x": "ч", "c": "с", "v": "м", "b": "и", "n": "т", "m": "ь",
	}
	for latin, ru := range want {
		got, ok := cyrillicTwin(latin)
		assert.True(t, ok, latin)
		assert.Equal(t, ru, got, latin)
		got, ok = cyrillicTwin(strings.ToUpper(latin))
		assert.True(t, ok, latin)
		assert.Equal(t, strings.ToUpper(ru), got, strings.ToUpper(latin))
	}
	for _, k := range []string{"", "1", "?", "[", "й", "enter", "ctrl+c", "\xff"} {
		_, ok := cyrillicTwin(k)
		assert.False(t, ok, "%q", k)
	}
}
