package ui

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
)

// replyLine is the reply line on screen, stripped.
func replyLine(m Model) string {
	lines := strings.Split(ansi.Strip(m.View()), "\n")
	return lines[len(lines)-2]
}

func paste(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s), Paste: true} }

func replying(t *testing.T, lang language.Tag) (Model, *fakeSession) {
	t.Helper()
	f := newFake()
	m := step(New(testOptions(f, clocktest.New(t0), lang)), windowSize(80, 24))
	m = step(m, upd(t0, evMessage("24.11.2026 09:00:00", "u1", "Анна", "привет")))
	m = step(m, keyPress("m"))
	require.True(t, m.reply.open)
	return m, f
}

// Near its limit the reply line counts the characters; at the limit it says so, and a
// longer paste is cut there, not without a word. What is sent is what the line holds.
func TestReplyLimitIsShown(t *testing.T) {
	m, f := replying(t, language.English)
	m = step(m, paste(strings.Repeat("a", replyNear-1)))
	assert.NotContains(t, replyLine(m), "/2000", "far from the limit: no count")
	m = step(m, keyPress("b"))
	assert.Contains(t, replyLine(m), fmt.Sprint(replyNear)+"/2000")
	assert.NotContains(t, replyLine(m), "limit")
	m = step(m, paste(strings.Repeat("c", 500)))
	line := replyLine(m)
	assert.True(t, strings.HasSuffix(line, "2000/2000: limit reached"), "%q", line)
	assert.LessOrEqual(t, ansi.StringWidth(line), 80)
	m = step(m, keyPress("d"))
	assert.Equal(t, replyLimit, utf8.RuneCountInString(m.reply.input.Value()), "nothing goes in past the limit")
	m = step(m, keyPress("backspace"))
	assert.True(t, strings.HasSuffix(replyLine(m), "1999/2000"), "%q", replyLine(m))

	var cmd tea.Cmd
	m, cmd = stepCmd(m, keyPress("enter"))
	m = settle(t, m, cmd)
	require.Len(t, f.sent, 1)
	assert.Equal(t, strings.Repeat("a", replyNear-1)+"b"+strings.Repeat("c", 199), f.sent[0].Text)
}

// The limit holds for every script: 2000 Cyrillic letters go in whole (4000 bytes), a
// text of four-byte characters stops at what okdash keeps of a message (MaxTextLen).
func TestReplyLimitInBytes(t *testing.T) {
	m, _ := replying(t, language.Russian)
	m = step(m, paste(strings.Repeat("ж", 2100)))
	assert.Equal(t, strings.Repeat("ж", replyLimit), m.reply.input.Value())
	assert.True(t, strings.HasSuffix(replyLine(m), "2000/2000: предел"), "%q", replyLine(m))

	m, _ = replying(t, language.English)
	m = step(m, paste(strings.Repeat("😀", 1100)))
	assert.Equal(t, oktell.MaxTextLen/4, utf8.RuneCountInString(m.reply.input.Value()))
	assert.LessOrEqual(t, len(m.reply.input.Value()), oktell.MaxTextLen)
	assert.Contains(t, replyLine(m), "limit reached")
}
