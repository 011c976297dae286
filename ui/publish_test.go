package ui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
	"github.com/okdash/okdash/room"
)

// The dashboard tells the room what it shows: the state and since when, a request on
// its way, the last key; nothing on an idle tick; and never the text of a reply.
func TestDashboardPublishesToTheRoom(t *testing.T) {
	f := newFake()
	clk := clocktest.New(t0)
	var got []room.Snapshot
	o := testOptions(f, clk, language.English)
	o.Publish = func(s room.Snapshot) { got = append(got, s) }
	m := step(New(o), tea.WindowSizeMsg{Width: 80, Height: 24})
	m = step(m, upd(t0, evState(oktell.UserReady, true)))
	require.NotEmpty(t, got)
	last := got[len(got)-1]
	assert.True(t, last.Known)
	assert.Equal(t, oktell.UserReady, last.State)
	assert.Equal(t, t0, last.Since)
	assert.True(t, last.Redirect)
	assert.Equal(t, oktell.LinkConnected, last.Link)

	n := len(got)
	m = tickAt(m, t0.Add(time.Second))
	m = tickAt(m, t0.Add(2*time.Second))
	assert.Len(t, got, n, "an idle dashboard publishes nothing: the room counts the time itself")

	clk.Set(t0.Add(3 * time.Second))
	m = step(m, keyPress("b"))
	last = got[len(got)-1]
	assert.Equal(t, "b", last.LastKey)
	assert.Equal(t, t0.Add(3*time.Second), last.LastKeyAt)
	assert.Equal(t, "Break", last.Pending, "the request on its way, by its catalog key")

	m = step(m, upd(t0.Add(4*time.Second), evState(oktell.UserLunch, true)))
	last = got[len(got)-1]
	assert.Equal(t, oktell.UserLunch, last.State)
	assert.Empty(t, last.Pending)

	// A reply: the keys that open and send it are named, the text never.
	m = step(m, upd(t0.Add(5*time.Second), evMessage("24.11.2026 09:00:05", "u-1", "Петрова", "Как дела?")))
	m = step(m, keyPress("enter"))
	assert.Equal(t, "enter", got[len(got)-1].LastKey)
	for _, k := range []string{"с", "е", "к", "р", "е", "т", " ", "secret words"} {
		m = step(m, keyPress(k))
		assert.Equal(t, room.KeyTyping, got[len(got)-1].LastKey)
	}
	m = step(m, keyPress("enter"))
	assert.Equal(t, "enter", got[len(got)-1].LastKey)
	m = step(m, keyPress("esc"))
	for _, s := range got {
		assert.False(t, strings.Contains(s.LastKey, "secret") || s.LastKey == "с" || s.LastKey == "т", "text reached the room: %q", s.LastKey)
	}
	// A paste outside a line is named, not shown.
	_ = step(m, keyPress("hunter2"))
	assert.Equal(t, "paste", got[len(got)-1].LastKey)
}
