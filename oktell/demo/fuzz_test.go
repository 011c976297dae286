package demo

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// FuzzParse: a trainer's scenario file never panics the parser; a failure names the line.
func FuzzParse(f *testing.F) {
	f.Add(builtinShift)
	f.Add([]byte(chatScript))
	f.Add([]byte("wait 1s\nloop\n"))
	f.Add([]byte("link down\nlink up\nline on\nredirect off\nreply x\n"))
	f.Add([]byte("<?xml version=\"1.0\"?>\n<oktellcommapper><data><event id=\"113\" name=\"voicemail\" /></data></oktellcommapper>\n"))
	f.Add([]byte("\uFEFFwait 1h\n<oktellcommapper>\n"))
	f.Add([]byte("breakreasons Обед, Перерыв,Обучение\nstate usLunch\n"))
	f.Add([]byte("department D\ncolleague a 1 A\ncolleague a is usLunch\nring 1 N | I\nanswer\nhold\nresume\nhangup\ncall 2\nqueue add 1 X\nqueue remove 1\nqueue clear\nwait 1s\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		sc, err := Parse("f.txt", bytes.NewReader(b))
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.File != "f.txt" || pe.Line < 0 || !strings.HasPrefix(err.Error(), "f.txt:") {
				t.Fatalf("error without file and line: %v", err)
			}
			if lines := bytes.Count(b, []byte("\n")) + 1; pe.Line > lines || pe.Col < 0 {
				t.Fatalf("%v: line %d column %d is not in a file of %d lines", err, pe.Line, pe.Col, lines)
			}
			return
		}
		if len(sc.Steps) == 0 || len(sc.Replies) == 0 {
			t.Fatalf("accepted a scenario with no steps or replies: %+v", sc)
		}
	})
}
