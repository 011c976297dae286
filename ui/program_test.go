package ui

import (
	"bytes"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/okdash/okdash/internal/syncbuf"
)

// testProgram runs a model in a real Bubble Tea program, as okdash and okdash serve run
// it: its own renderer, no input, and a terminal (lockedBuffer) that the frames and the
// window-title writes, which Bubble Tea makes from two goroutines, reach one at a time.
// (teatest's ANSI compressor is not safe for those two writers: it made goldens flaky
// under -race.)
type testProgram struct {
	t    testing.TB
	prog *tea.Program
	out  *lockedBuffer
	seen []byte // everything written so far, for wait
	done chan struct{}
	end  tea.Model
	err  error
}

func startProgram(t testing.TB, m tea.Model, w, h int) *testProgram {
	t.Helper()
	tp := &testProgram{t: t, out: &lockedBuffer{}, done: make(chan struct{})}
	tp.prog = tea.NewProgram(m, tea.WithInput(nil), tea.WithOutput(tp.out), tea.WithoutSignals())
	go func() {
		defer close(tp.done)
		tp.end, tp.err = tp.prog.Run()
	}()
	t.Cleanup(func() { tp.prog.Kill(); <-tp.done })
	tp.prog.Send(tea.WindowSizeMsg{Width: w, Height: h})
	return tp
}

// wait polls the terminal until it has shown s, with a deadline.
func (tp *testProgram) wait(s string) {
	tp.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !bytes.Contains(tp.seen, []byte(s)) {
		if time.Now().After(deadline) {
			tp.t.Fatalf("the screen never showed %q", s)
		}
		tp.seen = append(tp.seen, tp.out.Take()...)
		time.Sleep(2 * time.Millisecond) // polling the output, not guessing a duration
	}
}

// finish quits the program after the messages sent so far and returns its last model.
func (tp *testProgram) finish() tea.Model {
	tp.t.Helper()
	tp.prog.Quit()
	select {
	case <-tp.done:
	case <-time.After(10 * time.Second):
		tp.t.Fatal("the program did not quit")
	}
	if tp.err != nil {
		tp.t.Fatalf("program: %v", tp.err)
	}
	return tp.end
}

// lockedBuffer is a terminal for a test program: Bubble Tea writes frames and window
// titles from two goroutines.
type lockedBuffer = syncbuf.Buffer
