package ui

import (
	"testing"
	"unicode"

	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
)

func TestSanitize(t *testing.T) {
	cases := map[string]string{
		"plain": "plain",
		"Петров\x1b[31m красный\x1b[0m":   "Петров красный",
		"title\x1b]0;pwned\x07 end":       "title end",
		"bell\x07 and\x00 nul":            "bell and nul",
		"c1\u009b31m":                     "c131m",
		"tab\there\r\nnext":               "tab here next",
		"bidi\u202eevil\u202c":            "bidievil",
		"bad \xff utf8":                   "bad \uFFFD utf8",
		"\x1b[2J\x1b[Hclear":              "clear",
		"osc8 \x1b]8;;http://x\x1b\\link": "osc8 link",
	}
	for in, want := range cases {
		assert.Equal(t, want, Sanitize(in), "%q", in)
	}
	assert.Equal(t, "a\nb", SanitizeText("a\r\nb"))
	assert.Equal(t, "a\nb", SanitizeText("a\nb\x1b[1m"))
}

func FuzzSanitize(f *testing.F) {
	for _, s := range []string{"", "\x1b[31mred", "\x1b]0;t\x07", "Привет\tмир\n", "\xc2\x9b", "\x1bP1$r\x1b\\"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, out := range []string{Sanitize(s), SanitizeText(s)} {
			for _, r := range out {
				if r != '\n' && (unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r)) {
					t.Fatalf("control %U left in %q (from %q)", r, out, s)
				}
			}
			if ansi.Strip(out) != out {
				t.Fatalf("escape sequence left in %q (from %q)", out, s)
			}
		}
	})
}
