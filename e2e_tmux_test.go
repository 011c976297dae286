package main

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// tmuxSession is the built okdash running in a detached tmux of a fixed size, on its own
// server socket so that it touches no other tmux.
type tmuxSession struct {
	t    *testing.T
	sock string
}

func (s *tmuxSession) tmux(args ...string) (string, error) {
	out, err := exec.Command("tmux", append([]string{"-L", s.sock}, args...)...).CombinedOutput()
	return string(out), err
}

func (s *tmuxSession) capture() string {
	out, err := s.tmux("capture-pane", "-p", "-t", "dash")
	if err != nil {
		s.t.Fatalf("tmux capture-pane: %v: %s", err, out)
	}
	return out
}

// resize sets the terminal to w x h cells.
func (s *tmuxSession) resize(w, h int) {
	s.t.Helper()
	if out, err := s.tmux("resize-window", "-t", "dash", "-x", strconv.Itoa(w), "-y", strconv.Itoa(h)); err != nil {
		s.t.Fatalf("tmux resize-window: %v: %s", err, out)
	}
}

func (s *tmuxSession) keys(keys ...string) {
	s.t.Helper()
	if out, err := s.tmux(append([]string{"send-keys", "-t", "dash"}, keys...)...); err != nil {
		s.t.Fatalf("tmux send-keys %q: %v: %s", keys, err, out)
	}
}

// waitFor polls the screen until cond holds, failing with the last screen at the deadline.
func (s *tmuxSession) waitFor(what string, cond func(screen string) bool) string {
	s.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		screen := s.capture()
		if cond(screen) {
			return screen
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("waiting for %s: not on screen within 20s; screen:\n%s", what, screen)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (s *tmuxSession) waitText(text string) string {
	s.t.Helper()
	return s.waitFor(fmt.Sprintf("%q", text), func(screen string) bool { return strings.Contains(screen, text) })
}

// waitExit waits for okdash to end, and checks it ended with status 0. The pane's shell
// prints the status: tmux's own pane_dead_status is not reliable here, as a pane can be
// marked dead before tmux has reaped its process.
func (s *tmuxSession) waitExit() {
	s.t.Helper()
	screen := s.waitText("okdash-exit=")
	if !strings.Contains(screen, "okdash-exit=0") {
		s.t.Fatalf("okdash exited with an error; screen:\n%s", screen)
	}
}

// stateShown is true once the header shows state (glyph and word) with no request
// pending: the header names a pending request too, so the word alone would match early.
func stateShown(state string) func(string) bool {
	return func(screen string) bool {
		first, _, _ := strings.Cut(screen, "\n")
		return strings.HasPrefix(first, " "+state+" ") && !strings.Contains(first, "…")
	}
}

// stateShownOr is stateShown, or the screen shows note.
func stateShownOr(state, note string) func(string) bool {
	shown := stateShown(state)
	return func(screen string) bool { return shown(screen) || strings.Contains(screen, note) }
}

// tmuxSocket is a tmux server name of this process's own, for tag.
func tmuxSocket(tag string) string {
	return fmt.Sprintf("okdash-%s-%d-%d", tag, os.Getpid(), time.Now().UnixNano())
}

// newTmuxSession runs script with sh in a w x h tmux session "dash" on the server sock,
// killed when the test ends.
func newTmuxSession(t *testing.T, sock string, w, h int, script string) *tmuxSession {
	t.Helper()
	s := &tmuxSession{t: t, sock: sock}
	if out, err := s.tmux("-f", "/dev/null", "new-session", "-d", "-s", "dash", "-x", strconv.Itoa(w), "-y", strconv.Itoa(h), "sh", "-c", script); err != nil {
		t.Fatalf("tmux new-session: %v: %s", err, out)
	}
	t.Cleanup(func() { _, _ = s.tmux("kill-server") })
	return s
}

// startTmux builds okdash and runs it with args in an 80x24 tmux.
func startTmux(t *testing.T, env []string, args ...string) *tmuxSession {
	t.Helper()
	needTool(t, "tmux")
	bin := okdashBinary(t)
	sock := tmuxSocket("e2e")
	cmd := append([]string{"env"}, env...)
	cmd = append(cmd, bin)
	cmd = append(cmd, args...)
	// The pane's shell starts okdash when the test says so (a tmux channel), then prints
	// its exit status and stays, so the screen can still be read.
	script := "tmux -L " + shellJoin([]string{sock}) + " wait-for okdash-go && " + shellJoin(cmd) +
		"; echo okdash-exit=$?; sleep 600"
	s := newTmuxSession(t, sock, 80, 24, script)
	if out, err := s.tmux("wait-for", "-S", "okdash-go"); err != nil {
		t.Fatalf("tmux wait-for: %v: %s", err, out)
	}
	return s
}

func shellJoin(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return strings.Join(q, " ")
}

func TestTmuxDashboardOnTheDemo(t *testing.T) {
	s := startTmux(t, []string{"TERM=xterm-256color", "LANG=en_US.UTF-8", "LC_ALL=", "LC_MESSAGES="}, "--icons", "unicode")
	screen := s.waitFor("the dashboard on the demo", func(sc string) bool {
		return strings.Contains(sc, "demo") && strings.Contains(sc, "Messages")
	})
	lines := strings.Split(strings.TrimRight(screen, "\n"), "\n")
	if len(lines) > 24 {
		t.Errorf("%d lines on a 24-line terminal", len(lines))
	}
	for i, l := range lines {
		if w := ansi.StringWidth(l); w > 80 {
			t.Errorf("line %d is %d wide: %q", i, w, l)
		}
	}

	// One key changes the state: Break by its digit, Ready by "r" on the Russian layout.
	// The demo's operator starts without a phone line, which refuses every state; the
	// line comes up and the server sets Ready a few seconds in. A state counts once the
	// server confirmed it (no pending "…" in the header). The demo's first call comes a
	// few seconds after Ready: when it lands while a request waits, the request ends with
	// the note that the server set Busy, which is as good an answer for this test.
	s.waitFor("Ready in the header", stateShown("● Ready"))
	s.keys("2") // the built-in shift lists three break reasons: Break asks which
	s.waitText("── Break reason")
	s.keys("1")
	s.waitFor("Break in the header", stateShownOr("◐ Break", "was not applied"))
	s.keys("к")
	s.waitFor("Ready in the header", stateShownOr("● Ready", "was not applied"))

	s.keys("n")
	s.waitText("── Notifications")
	s.keys("Escape")
	s.waitText("── Messages")
	s.keys("?")
	s.waitText("── Help")
	s.waitText("latin keys shown")
	s.keys("Escape")
	s.waitText("── Messages")

	// Below the minimum size, a clear screen says so; back at 80x24 the dashboard returns.
	s.resize(50, 12)
	s.waitText("Terminal too small")
	s.resize(80, 24)
	s.waitText("── Messages")

	s.keys("q")
	s.waitExit()
}

func TestTmuxRussianAndASCII(t *testing.T) {
	s := startTmux(t, []string{"TERM=linux", "LANG=ru_RU.UTF-8", "LC_ALL=", "LC_MESSAGES=", "NO_COLOR=1"})
	s.waitFor("the Russian dashboard", func(sc string) bool {
		return strings.Contains(sc, "── Сообщения") || strings.Contains(sc, "-- Сообщения")
	})
	screen := s.waitFor("an ASCII rule", func(sc string) bool { return strings.Contains(sc, "-- Сообщения") })
	if strings.Contains(screen, "─") {
		t.Errorf("TERM=linux should draw with ASCII:\n%s", screen)
	}
	s.keys("й")
	s.waitExit()
}
