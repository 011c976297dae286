package oktell

import (
	"strings"
	"unicode"

	"github.com/charmbracelet/x/ansi"
)

// CleanLine makes text that came off the wire (names, notification texts, reasons) safe
// to print on one line of a terminal: escape sequences are removed, then every remaining
// control character (C0, DEL, C1) and bidirectional override, which could move the
// cursor, recolour the terminal or reorder what the operator reads. Tabs and line breaks
// become spaces; invalid UTF-8 becomes U+FFFD.
func CleanLine(s string) string { return clean(s, false) }

// CleanText is CleanLine for message bodies: line breaks are kept, as '\n'.
func CleanText(s string) string { return clean(s, true) }

func clean(s string, keepNewlines bool) string {
	if s == "" {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = ansi.Strip(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\n' && keepNewlines:
			b.WriteRune('\n')
		case r == '\t' || r == '\n' || r == '\r':
			b.WriteByte(' ')
		case unicode.IsControl(r), unicode.Is(unicode.Bidi_Control, r), r == '\u2028', r == '\u2029':
			// dropped: C0, DEL, C1, and bidi overrides
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
