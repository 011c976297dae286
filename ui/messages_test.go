package ui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
)

// However the operator pages, the selected message's first line (time and sender) is on
// screen, for messages of every height, a message taller than the pane included.
func TestSelectedMessageHeaderStaysVisible(t *testing.T) {
	for _, h := range []int{16, 19, 24} {
		m, _, _ := newTest(80, h)
		for i := 0; i < 30; i++ {
			text := strings.Repeat("слово ", 1+(i*7)%40)
			if i == 12 {
				text = strings.Repeat("очень длинное сообщение ", 60) // taller than the pane
			}
			m = step(m, upd(t0, evMessage(fmt.Sprintf("24.11.2026 09:%02d:00", i), fmt.Sprintf("u%d", i), fmt.Sprintf("S%02d", i), text)))
		}
		keys := []string{"pgup", "pgup", "pgup", "pgup", "pgup", "pgup", "pgup", "pgup", "pgup", "pgup", "pgup",
			"pgdown", "pgdown", "pgdown", "up", "up", "down", "pgdown", "pgdown", "pgdown", "pgdown", "pgdown", "pgdown"}
		for n, k := range keys {
			m = step(m, keyPress(k))
			sel := m.messages.selected()
			v := ansi.Strip(m.View())
			found := false
			for _, l := range strings.Split(v, "\n") {
				if strings.HasPrefix(l, "▌ ") {
					assert.Contains(t, l, sel.sender, "h=%d after %d keys: the selected block starts with its header", h, n+1)
					found = true
					break
				}
			}
			assert.True(t, found, "h=%d after %d keys: the selected message is on screen", h, n+1)
		}
	}
}

// messageBody is the message pane's lines under its rule, stripped, down to the toasts.
func messageBody(m Model) []string {
	lines := strings.Split(ansi.Strip(m.View()), "\n")
	return lines[2 : 2+m.c.lay.listRows]
}

// With --max-messages 25, 40 messages arrive in one batch while the operator reads
// further up: the pane stays full, the selection is on a message kept and on screen,
// and no more are counted unread than are kept.
func TestMessagesDroppedUnderTheView(t *testing.T) {
	for _, batch := range []bool{true, false} {
		o := testOptions(newFake(), clocktest.New(t0), language.English)
		o.MaxMessages = 25
		m := step(New(o), windowSize(80, 24))
		send := func(from, n int) {
			var ups []oktell.Update
			for i := from; i < from+n; i++ {
				ups = append(ups, oktell.Update{At: t0, Event: evMessage("24.11.2026 09:00:00", "u1", "Анна", fmt.Sprintf("message %02d", i))})
			}
			if batch {
				m = step(m, updatesMsg{updates: ups})
				return
			}
			for _, u := range ups {
				m = step(m, updateMsg{u})
			}
		}
		send(0, 20)
		for i := 0; i < 6; i++ {
			m = step(m, keyPress("up"))
		}
		require.GreaterOrEqual(t, m.messages.sel, 0)
		send(20, 40)

		require.Len(t, m.messages.items, 25)
		title, unread := m.messages.title()
		_ = title
		assert.NotEqual(t, "", unread, "batch %v: new messages below the view are unread", batch)
		var n int
		fmt.Sscanf(unread, "%d", &n)
		assert.LessOrEqual(t, n, 25, "batch %v: %q, with 25 kept", batch, unread)

		body := messageBody(m)
		for i, l := range body {
			assert.NotEmpty(t, strings.TrimSpace(l), "batch %v: row %d of the pane empty while messages are kept: %q", batch, i, body)
		}
		sel := -1
		for i, l := range body {
			if strings.HasPrefix(l, "▌ ") {
				sel = i
				break
			}
		}
		assert.GreaterOrEqual(t, sel, 0, "batch %v: the selection is on screen: %q", batch, body)
		assert.Contains(t, strings.Join(body, "\n"), "message 35", "batch %v: the oldest kept is in view", batch)

		// the operator reads on down to the newest: the unread count goes
		for i := 0; i < 30; i++ {
			m = step(m, keyPress("down"))
		}
		_, unread = m.messages.title()
		assert.Equal(t, "", unread)
		assert.Contains(t, strings.Join(messageBody(m), "\n"), "message 59")
	}
}

// Messages that arrive while another screen is shown count unread up to what is kept.
func TestUnreadNeverExceedsWhatIsKept(t *testing.T) {
	o := testOptions(newFake(), clocktest.New(t0), language.English)
	o.MaxMessages = 25
	m := step(New(o), windowSize(80, 24))
	m = step(m, keyPress("n"))
	m = addMessages(m, 40)
	_, unread := m.messages.title()
	assert.Equal(t, "25 unread", unread)
}
