package ui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
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
