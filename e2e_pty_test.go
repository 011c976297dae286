//go:build unix

package main

import (
	"bytes"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/creack/pty"
)

// startupQuestions runs the built okdash in a pseudo-terminal that answers nothing and
// returns what it wrote up to its first frame.
func startupQuestions(t *testing.T, bin string, args ...string) []byte {
	t.Helper()
	c := exec.Command(bin, args...)
	c.Env = append(os.Environ(), "TERM=xterm-256color", "CI=", "LANG=C")
	tty, err := pty.StartWithSize(c, &pty.Winsize{Cols: 80, Rows: 24})
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { c.Process.Kill(); c.Wait(); tty.Close() })
	got := make(chan []byte, 1)
	go func() {
		var seen []byte
		buf := make([]byte, 4096)
		for {
			n, err := tty.Read(buf)
			seen = append(seen, buf[:n]...)
			if bytes.Contains(seen, []byte("Messages")) || err != nil {
				got <- seen
				return
			}
		}
	}()
	select {
	case seen := <-got:
		return seen
	case <-time.After(30 * time.Second):
		t.Fatal("no first frame within 30 s")
		return nil
	}
}

// On a terminal that answers nothing, okdash asks for the background colour once, the
// question Bubble Tea v1 asks in its own init: --theme auto takes that answer instead of
// asking again (a second question used to cost 5 s more there). How long the first frame
// takes is measured by scripts/bench-start.sh.
func TestStartupAsksTheTerminalOnlyWhatTheThemeNeeds(t *testing.T) {
	bin := okdashBinary(t)
	for _, tc := range []struct {
		theme     string
		questions int
	}{{"dark", 1}, {"light", 1}, {"auto", 1}} {
		seen := startupQuestions(t, bin, "--theme", tc.theme)
		if n := bytes.Count(seen, []byte("\x1b]11;?")); n != tc.questions {
			t.Errorf("--theme %s: asked for the background %d times before the first frame, want %d", tc.theme, n, tc.questions)
		}
	}
}
