// Package termquery asks the terminal for its background colour with a short wait,
// for --theme auto.
//
// It writes the question (OSC 11) and then a cursor-position request (DSR), which
// every terminal answers, and reads until the DSR answer: a terminal that knows OSC
// 11 answers it first, one that does not answers only DSR, and one that answers
// nothing (script, a serial console) costs the wait and no more. termenv asks the same
// way but waits a constant 5 s.
package termquery

import (
	"bytes"
	"strings"
	"time"
)

// Wait is how long the dashboard waits for an answer: a terminal answers in a few
// milliseconds, over SSH in a round trip; the first frame of a terminal that answers
// nothing comes within half a second.
const Wait = 350 * time.Millisecond

// maxAnswer bounds what is read while waiting: both answers are under 64 bytes.
const maxAnswer = 1024

// Answer is what the terminal said.
type Answer struct {
	Answered bool // the cursor position came back: the terminal answers queries
	Known    bool // it also said its background colour
	Dark     bool // that colour is dark (HSL lightness under one half), when Known
}

// Question is what is written to the terminal.
const Question = "\x1b]11;?\x1b\\" + "\x1b[6n"

// Asks reports whether a terminal named term is asked at all: screen and tmux answer
// for one of the terminals they may be attached to, and dumb ones answer nothing (as
// termenv decides).
func Asks(term string) bool {
	return !strings.HasPrefix(term, "screen") && !strings.HasPrefix(term, "tmux") && !strings.HasPrefix(term, "dumb")
}

// Parse reads the terminal's answers in b: done once the cursor position has come,
// with the background colour if it came before it.
func Parse(b []byte) (a Answer, done bool) {
	for i := 0; i < len(b); i++ {
		if b[i] != 0x1b || i+1 >= len(b) {
			continue
		}
		switch b[i+1] {
		case ']':
			body, end, ok := oscBody(b[i+2:])
			if !ok {
				return a, false // the rest of it is still to come
			}
			if c, ok := bytes.CutPrefix(body, []byte("11;")); ok {
				if dark, ok := darkColour(c); ok {
					a.Known, a.Dark = true, dark
				}
			}
			i += 1 + end
		case '[':
			if n, ok := cursorReport(b[i+2:]); ok {
				a.Answered = true
				return a, true
			} else if n > 0 {
				i += 1 + n
			}
		}
	}
	return a, false
}

// oscBody is the text of an OSC sequence whose "ESC ]" came just before b, up to its
// terminator (BEL or ESC \), and how many bytes of b it took with the terminator.
func oscBody(b []byte) (body []byte, n int, ok bool) {
	for i, c := range b {
		switch {
		case c == 0x07:
			return b[:i], i + 1, true
		case c == 0x1b && i+1 < len(b) && b[i+1] == '\\':
			return b[:i], i + 2, true
		case c == 0x1b && i+1 < len(b):
			return b[:i], i, true // cut short by another sequence
		}
	}
	return nil, 0, false
}

// cursorReport reports whether b, what follows "ESC [", is a cursor position report
// (ROW ; COL R); n is how much of b is a finished other sequence to skip.
func cursorReport(b []byte) (n int, ok bool) {
	semi := false
	for i, c := range b {
		switch {
		case c >= '0' && c <= '9':
		case c == ';' && !semi:
			semi = true
		case c == 'R':
			return i + 1, semi && i > 0
		default:
			return 0, false
		}
	}
	return 0, false
}

// darkColour reads an X11 colour as terminals answer OSC 11 ("rgb:RRRR/GGGG/BBBB",
// one to four hex digits each, or "#RRGGBB") and says whether it is dark.
func darkColour(c []byte) (dark, ok bool) {
	var parts [][]byte
	switch {
	case bytes.HasPrefix(c, []byte("rgb:")):
		parts = bytes.Split(c[4:], []byte("/"))
	case bytes.HasPrefix(c, []byte("rgba:")):
		parts = bytes.Split(c[5:], []byte("/"))
		if len(parts) == 4 {
			parts = parts[:3]
		}
	case len(c) == 7 && c[0] == '#':
		parts = [][]byte{c[1:3], c[3:5], c[5:7]}
	default:
		return false, false
	}
	if len(parts) != 3 {
		return false, false
	}
	var v [3]float64
	for i, p := range parts {
		if len(p) < 1 || len(p) > 4 {
			return false, false
		}
		var x uint32
		for _, d := range p {
			h, ok := hexDigit(d)
			if !ok {
				return false, false
			}
			x = x<<4 | h
		}
		v[i] = float64(x) / float64(uint32(1)<<(4*len(p))-1)
	}
	hi, lo := max(v[0], v[1], v[2]), min(v[0], v[1], v[2])
	return (hi+lo)/2 < 0.5, true
}

func hexDigit(d byte) (uint32, bool) {
	switch {
	case d >= '0' && d <= '9':
		return uint32(d - '0'), true
	case d >= 'a' && d <= 'f':
		return uint32(d-'a') + 10, true
	case d >= 'A' && d <= 'F':
		return uint32(d-'A') + 10, true
	}
	return 0, false
}
