package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/okdash/okdash/oktell"
)

// The reason a session gave when it closed stays on the banner after the session ends.
func TestSourceEndedKeepsReason(t *testing.T) {
	m, _, _ := newTest(80, 24)
	m = step(m, linkStatus(t0, oktell.LinkClosed, "session does not exist; start okdash again to enter the password"))
	m = step(m, sessionEndedMsg{})
	assert.Equal(t, "Source ended: session does not exist; start okdash again to enter the password", m.status.banner)
	assert.Contains(t, strings.Join(strings.Fields(ansi.Strip(m.View())), " "), "start okdash again to enter the password")

	m, _, _ = newTest(80, 24)
	m = step(m, sessionEndedMsg{})
	assert.Equal(t, "Source ended", m.status.banner, "no reason, nothing invented")
}

// A long banner wraps to two lines, so the end of the reason ("retrying in 4s") is read.
func TestBannerWrapsToTwoLines(t *testing.T) {
	m, _, _ := newTest(80, 24)
	m = step(m, upd(t0, evState(oktell.UserReady, false)))
	reason := "exec:python3 bridge.py exited: exit status 1 (ConnectionRefusedError: [Errno 111] Connection refused); retrying in 4s"
	m = step(m, linkStatus(t0, oktell.LinkReconnecting, reason))
	v := m.View()
	lines := strings.Split(ansi.Strip(v), "\n")
	require.Len(t, lines, 24, "the screen keeps its height")
	assert.Contains(t, lines[1], "Link to Oktell lost: exec:python3")
	assert.Contains(t, lines[2], "retrying in 4s")
	assert.True(t, strings.HasPrefix(lines[2], "  "), "the second line stands under the text")
	assert.Contains(t, lines[3], "Messages", "the pane starts after the two banner lines")
	for _, l := range lines {
		assert.LessOrEqual(t, ansi.StringWidth(l), 80)
	}

	// a reason longer than two lines is cut at the end of the second
	m = step(m, linkStatus(t0, oktell.LinkReconnecting, strings.Repeat("very long reason ", 20)))
	lines = strings.Split(ansi.Strip(m.View()), "\n")
	require.Len(t, lines, 24)
	assert.True(t, strings.HasSuffix(strings.TrimRight(lines[2], " "), "…"), "%q", lines[2])
	assert.Contains(t, lines[3], "Messages")

	// a short one stays on one line
	m = step(m, linkStatus(t0, oktell.LinkReconnecting, "connection lost"))
	lines = strings.Split(ansi.Strip(m.View()), "\n")
	assert.Contains(t, lines[2], "Messages")
}
