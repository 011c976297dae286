package oktell

import (
	"testing"
	"unicode"

	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
)

func TestCleanLineAndText(t *testing.T) {
	for _, tc := range []struct{ in, line, text string }{
		{"", "", ""},
		{"Зайди плиз", "Зайди плиз", "Зайди плиз"},
		{"red \x1b[31malert\x1b[0m", "red alert", "red alert"},
		{"title\x1b]2;pwned\x07 here", "title here", "title here"},
		{"a\r\nb\tc", "a b c", "a\nb c"},
		{"bell\x07 del\x7f c1\u009b", "bell del c1", "bell del c1"},
		{"bidi \u202eevil\u202c end", "bidi evil end", "bidi evil end"},
		{"bad \xff utf8", "bad \uFFFD utf8", "bad \uFFFD utf8"},
	} {
		if got := CleanLine(tc.in); got != tc.line {
			t.Errorf("CleanLine(%q) = %q, want %q", tc.in, got, tc.line)
		}
		if got := CleanText(tc.in); got != tc.text {
			t.Errorf("CleanText(%q) = %q, want %q", tc.in, got, tc.text)
		}
	}
}

func TestCleanLineStripsWireEscapes(t *testing.T) {
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
		assert.Equal(t, want, CleanLine(in), "%q", in)
	}
	assert.Equal(t, "a\nb", CleanText("a\r\nb"))
	assert.Equal(t, "a\nb", CleanText("a\nb\x1b[1m"))
}

func FuzzCleanLine(f *testing.F) {
	for _, s := range []string{"", "\x1b[31mred", "\x1b]0;t\x07", "Привет\tмир\n", "\xc2\x9b", "\x1bP1$r\x1b\\"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, out := range []string{CleanLine(s), CleanText(s)} {
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
