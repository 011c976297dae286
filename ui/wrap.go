package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// keepHyphen stands in for a hyphen between digits while text is wrapped: ansi.Wrap
// always breaks after '-', which splits phone numbers ("+7 (495) 123-" / "45-67") and
// dates that an operator must read whole. It is one cell wide, like the hyphen.
const keepHyphen = '\uE000'

// wrap wraps s to w cells at spaces (and at hyphens inside words, but not between
// digits), by display width.
func wrap(s string, w int) string {
	if !strings.Contains(s, "-") {
		return ansi.Wrap(s, w, "")
	}
	b := []rune(s)
	protected := false
	for i := 1; i+1 < len(b); i++ {
		if b[i] == '-' && isDigit(b[i-1]) && isDigit(b[i+1]) {
			b[i], protected = keepHyphen, true
		}
	}
	out := ansi.Wrap(string(b), w, "")
	if protected {
		out = strings.ReplaceAll(out, string(keepHyphen), "-")
	}
	return out
}

func isDigit(r rune) bool { return '0' <= r && r <= '9' }
