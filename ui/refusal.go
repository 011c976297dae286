package ui

import (
	"time"
	"unicode"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"
)

// refusalFor is how long the status line says why a key did nothing: long enough to be
// read once, short enough not to be mistaken for the state (lazygit's disabled-key toast).
const refusalFor = 3 * time.Second

// refusal is why the last key pressed did nothing ("Break: no link to Oktell"), in the
// status line for a moment. It goes at the first tick of the clock after its time; a
// refused key pressed again says it again, for as long again.
type refusal struct {
	c     *common
	text  string // "" when there is nothing to say
	until time.Time
}

func newRefusal(c *common) refusal { return refusal{c: c} }

func (r *refusal) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case keyRefusedMsg:
		r.text = capitalized(msg.help.Desc) + ": " + msg.why
		// a key comes between ticks: c.now may be a second old, or ahead of the clock when
		// the updates' own times are
		now := r.c.clock.Now()
		if r.c.now.After(now) {
			now = r.c.now
		}
		r.until = now.Add(refusalFor)
	case tickMsg:
		if r.text != "" && !r.c.now.Before(r.until) {
			r.text = ""
		}
	}
	return nil
}

// segment is the status line's segment: why the key did nothing, or "".
func (r *refusal) segment() string {
	if r.text == "" {
		return ""
	}
	th := r.c.theme
	return th.Warning.Render(th.Icons.Stale + " " + r.text)
}

// capitalized is s with its first letter in capitals: a key's help ("break") leading a
// sentence.
func capitalized(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
