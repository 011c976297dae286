package termquery

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParseReadsWhatTerminalsAnswer(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     Answer
		done     bool
	}{
		{"xterm, ST, black", "\x1b]11;rgb:0000/0000/0000\x1b\\\x1b[24;1R", Answer{Answered: true, Known: true, Dark: true}, true},
		{"BEL, white", "\x1b]11;rgb:ffff/ffff/ffff\a\x1b[5;10R", Answer{Answered: true, Known: true, Dark: false}, true},
		{"two hex digits, solarized light", "\x1b]11;rgb:fd/f6/e3\x1b\\\x1b[1;1R", Answer{Answered: true, Known: true}, true},
		{"#RRGGBB, dark grey", "\x1b]11;#1e1e1e\a\x1b[1;1R", Answer{Answered: true, Known: true, Dark: true}, true},
		{"rgba", "\x1b]11;rgba:ffff/ffff/ffff/ffff\a\x1b[1;1R", Answer{Answered: true, Known: true}, true},
		{"only the cursor: no OSC 11", "\x1b[24;80R", Answer{Answered: true}, true},
		{"a key typed before the answers", "q\x1b[A\x1b]11;rgb:0/0/0\a\x1b[3;3R", Answer{Answered: true, Known: true, Dark: true}, true},
		{"colour not understood", "\x1b]11;purple\a\x1b[1;1R", Answer{Answered: true}, true},
		{"the colour, the cursor still to come", "\x1b]11;rgb:ffff/ffff/ffff\x1b\\", Answer{Known: true}, false},
		{"cut inside the OSC", "\x1b]11;rgb:ff", Answer{}, false},
		{"cut inside the cursor report", "\x1b[24;", Answer{}, false},
		{"nothing", "", Answer{}, false},
		{"a report without a column is no cursor position", "\x1b[24R", Answer{}, false},
		{"OSC cut short by the cursor report", "\x1b]11;rgb:0/0/0\x1b[2;2R", Answer{Answered: true, Known: true, Dark: true}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, done := Parse([]byte(tc.in))
			assert.Equal(t, tc.done, done)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestAsksOnlyTerminalsThatAnswerForThemselves(t *testing.T) {
	for term, want := range map[string]bool{"xterm-256color": true, "linux": true, "": true, "screen-256color": false, "tmux-256color": false, "dumb": false} {
		assert.Equal(t, want, Asks(term), term)
	}
}

// Whatever the terminal (or a hostile peer pretending to be one) sends, Parse neither
// panics nor reads past its input, and an answer is final: more bytes after the cursor
// report change nothing.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"\x1b]11;rgb:ffff/ffff/ffff\x1b\\\x1b[24;1R", "\x1b[1;1R", "\x1b]11;#000000\a", "\x1b]\x1b[", "\x1b[;R", "\x1b]11;rgb://\a"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		a, done := Parse(b)
		if !done {
			return
		}
		more, done2 := Parse(append(append([]byte{}, b...), "\x1b]11;rgb:1234/5678/9abc\a\x1b[9;9R"...))
		if !done2 || more != a {
			t.Fatalf("answer %+v changed to %+v by bytes after it", a, more)
		}
	})
}
