package oktell

import "testing"

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
