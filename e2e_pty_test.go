//go:build unix

package main

import (
	"bytes"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
)

// startupQuestions runs the built okdash in a pseudo-terminal and returns what it
// wrote up to its first frame. answer, when set, is written back as the terminal's
// answer to the cursor-position request (after "\x1b[6n" is seen); else the terminal
// answers nothing.
func startupQuestions(t *testing.T, bin, answer string, args ...string) []byte {
	t.Helper()
	c := exec.Command(bin, args...)
	c.Env = append(os.Environ(), "TERM=xterm-256color", "CI=", "LANG=C", "NO_COLOR=", "COLORTERM=")
	tty, err := pty.StartWithSize(c, &pty.Winsize{Cols: 80, Rows: 24})
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { c.Process.Kill(); c.Wait(); tty.Close() })
	got := make(chan []byte, 1)
	go func() {
		var seen []byte
		answered := answer == ""
		buf := make([]byte, 4096)
		for {
			n, err := tty.Read(buf)
			seen = append(seen, buf[:n]...)
			if !answered && bytes.Contains(seen, []byte("\x1b[6n")) {
				tty.WriteString(answer)
				answered = true
			}
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

// Bubble Tea v1's init asks the terminal for its background and waits up to 5 s for
// a terminal that answers nothing: okdash hides TERM from it (internal/earlyterm), so
// only --theme auto asks, once, with its own short wait. How long the first frame
// takes is measured by scripts/bench-start.sh.
func TestStartupAsksTheTerminalOnlyWhatTheThemeNeeds(t *testing.T) {
	bin := okdashBinary(t)
	for _, tc := range []struct {
		theme     string
		questions int
	}{{"dark", 0}, {"light", 0}, {"auto", 1}} {
		seen := startupQuestions(t, bin, "", "--theme", tc.theme)
		if n := bytes.Count(seen, []byte("\x1b]11;?")); n != tc.questions {
			t.Errorf("--theme %s: asked for the background %d times before the first frame, want %d", tc.theme, n, tc.questions)
		}
	}
}

// What TERM says still counts once Bubble Tea's init has run: the colours of a
// 256-colour terminal, and, with --theme auto, the light theme on a terminal that
// answers a white background.
func TestStartupSeesTheTerminalAsItIs(t *testing.T) {
	bin := okdashBinary(t)
	dark := startupQuestions(t, bin, "", "--theme", "dark")
	if !bytes.Contains(dark, []byte("\x1b[38;5;")) && !bytes.Contains(dark, []byte("\x1b[38;2;")) {
		t.Errorf("TERM=xterm-256color: the first frame has no 256-colour or true colour in it:\n%q", dark)
	}
	white := "\x1b]11;rgb:ffff/ffff/ffff\x1b\\\x1b[1;1R"
	light := startupQuestions(t, bin, white, "--theme", "auto")
	lightToo := startupQuestions(t, bin, "", "--theme", "light")
	if ansiColours(light) != ansiColours(lightToo) {
		t.Errorf("--theme auto on a white terminal drew other colours than --theme light:\nauto:  %s\nlight: %s", ansiColours(light), ansiColours(lightToo))
	}
	if ansiColours(light) == ansiColours(dark) {
		t.Errorf("--theme auto on a white terminal drew the dark theme's colours: %s", ansiColours(light))
	}
}

// ansiColours is the set of foreground colour sequences in b, sorted, as one string.
func ansiColours(b []byte) string {
	set := map[string]bool{}
	for _, part := range bytes.Split(b, []byte("\x1b[")) {
		if i := bytes.IndexByte(part, 'm'); i > 0 && bytes.HasPrefix(part, []byte("38;")) {
			set[string(part[:i])] = true
		}
	}
	var out []string
	for c := range set {
		out = append(out, c)
	}
	slices.Sort(out)
	return strings.Join(out, " ")
}

// internal/earlyterm only works if Go runs its init before Bubble Tea's, and
// earlyterm/restore's right after: the order Go's runtime reports must say so.
func TestInitOrderHidesTermFromBubbleTeaOnly(t *testing.T) {
	bin := okdashBinary(t)
	c := exec.Command(bin, "--version")
	c.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	var trace bytes.Buffer
	c.Stderr = &trace
	if err := c.Run(); err != nil {
		t.Fatalf("okdash --version: %v\n%s", err, trace.String())
	}
	at := map[string]int{}
	for i, line := range strings.Split(trace.String(), "\n") {
		if f := strings.Fields(line); len(f) > 1 && f[0] == "init" {
			at[f[1]] = i + 1
		}
	}
	early, tea, restore := at["github.com/okdash/okdash/internal/earlyterm"], at["github.com/charmbracelet/bubbletea"], at["github.com/okdash/okdash/internal/earlyterm/restore"]
	if early == 0 || tea == 0 || restore == 0 || !(early < tea && tea < restore) {
		t.Fatalf("init order: earlyterm at %d, bubbletea at %d, restore at %d; want earlyterm < bubbletea < restore", early, tea, restore)
	}
	// The packages that read the terminal's environment (the rest of okdash's have no
	// terminal code) start once TERM is back.
	for _, pkg := range []string{"theme", "ui", "ttyinput", "sshserve"} {
		if i := at["github.com/okdash/okdash/"+pkg]; i != 0 && i < restore {
			t.Errorf("%s initialised at %d, while TERM was hidden (restored at %d)", pkg, i, restore)
		}
	}
}
