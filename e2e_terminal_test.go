package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// `okdash > out.txt` and `okdash < /dev/null` in a real terminal: one line and exit
// status 2, not a blank alternate screen forever.
func TestTmuxDashboardWithoutATerminal(t *testing.T) {
	needTool(t, "tmux")
	dir := t.TempDir()
	bin := okdashBinary(t)
	out := filepath.Join(dir, "out.txt")
	b, o := shellJoin([]string{bin}), shellJoin([]string{out})
	script := b + " > " + o + "; echo stdout-exit=$?; " + b + " < /dev/null; echo stdin-exit=$?; sleep 600"
	s := newTmuxSession(t, tmuxSocket("noterm"), 200, 24, script)
	screen := s.waitText("stdin-exit=")
	for _, want := range []string{
		"okdash: standard output is not a terminal: the dashboard draws on one;",
		"stdout-exit=2",
		"okdash: standard input is not a terminal: the dashboard reads its keys from it;",
		"stdin-exit=2",
	} {
		if !strings.Contains(screen, want) {
			t.Errorf("screen lacks %q:\n%s", want, screen)
		}
	}
	if b, err := os.ReadFile(out); err != nil || len(b) != 0 {
		t.Errorf("out.txt holds %q (%v), want nothing: no alternate screen was drawn into it", b, err)
	}
}
