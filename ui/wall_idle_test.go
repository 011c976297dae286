package ui

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"golang.org/x/text/language"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
)

// An idle wall redraws only what changed: while callers wait, once a second the rows of
// the longest wait in large type (the tiles' times change once a minute); with nobody
// waiting, nothing at all. Measured as the dashboard's idle test does: a plain Program,
// its standard renderer, the bytes it writes.
func TestWallIdleBytesPerSecond(t *testing.T) {
	for _, tc := range []struct {
		w, h   int
		budget int // bytes for one second with callers waiting
	}{{80, 24, 300}, {160, 48, 700}} {
		for _, p := range []termenv.Profile{termenv.ANSI, termenv.ANSI256, termenv.TrueColor} {
			name := fmt.Sprintf("%dx%d_%s", tc.w, tc.h, map[termenv.Profile]string{termenv.ANSI: "16", termenv.ANSI256: "256", termenv.TrueColor: "truecolor"}[p])
			t.Run(name, func(t *testing.T) { wallIdle(t, p, tc.w, tc.h, tc.budget) })
		}
	}
}

// shadowWall is a second wall fed the same, whose frames say which lines the program's
// frames change.
type shadowWall struct {
	m    Wall
	last []string
}

func (s *shadowWall) step(msg tea.Msg) []string {
	s.m = wstep(s.m, msg)
	next := strings.Split(s.m.View(), "\n")
	var changed []string
	for i, l := range next {
		if i >= len(s.last) || s.last[i] != l {
			changed = append(changed, l)
		}
	}
	s.last = next
	return changed
}

func wallIdle(t *testing.T, p termenv.Profile, w, h, budget int) {
	newWall := func(f *fakeSession, c *clocktest.Clock) Wall {
		r := lipgloss.NewRenderer(nil)
		r.SetColorProfile(p)
		return NewWall(WallOptions{Session: f, Theme: look(r, "unicode", false, false), Clock: c, Lang: language.Russian, PageTime: DefaultPageTime})
	}
	f, c := wallFake(), clocktest.New(t0)
	out := startProgram(t, newWall(f, c), w, h).out
	shadow := &shadowWall{m: newWall(wallFake(), clocktest.New(t0))}
	shadow.step(tea.WindowSizeMsg{Width: w, Height: h})
	ups := morning()
	for _, u := range ups {
		f.updates <- u
	}
	shadow.step(updatesMsg{updates: ups})

	var seen []byte
	// wait collects what the program writes until it has written every line of want;
	// it returns how many bytes that took.
	wait := func(what string, want []string) int {
		t.Helper()
		seen = seen[:0]
		deadline := time.Now().Add(10 * time.Second)
		for {
			missing := ""
			for _, l := range want {
				if !bytes.Contains(seen, []byte(l)) {
					missing = l
					break
				}
			}
			if missing == "" {
				return len(seen)
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: the screen never showed %q; last output %q", what, missing, seen)
			}
			seen = append(seen, out.Take()...)
			time.Sleep(2 * time.Millisecond) // polling the output, not guessing a duration
		}
	}
	wait("the morning", []string{"0 мин", "Смирнова"})
	tick := func(at time.Time) []string {
		waitFor(t, func() bool { return c.Pending() == 1 }) // the next tick is armed
		c.Set(at)
		return shadow.step(tickMsg{id: shadow.m.tickID, t: at})
	}
	// The clock jumps to 12:40: the tick armed at the start fires overdue, at 0:01, and
	// changes nothing; the next ones fire at each whole second from there.
	base := t0.Add(12*time.Minute + 40*time.Second)
	waitFor(t, func() bool { return c.Pending() == 1 })
	c.Set(base)
	if changed := shadow.step(tickMsg{id: shadow.m.tickID, t: t0.Add(time.Second)}); len(changed) > 0 {
		t.Fatalf("an overdue tick changed %q", changed)
	}
	wait("the next whole second", tick(base.Add(time.Second)))
	base = base.Add(time.Second)
	rows := shadow.m.lay.face.rows
	for i := 1; i <= 5; i++ {
		changed := tick(base.Add(time.Duration(i) * time.Second))
		if len(changed) > rows {
			t.Errorf("second %d changed %d lines, want at most the %d of the large type", i, len(changed), rows)
		}
		n := wait(fmt.Sprintf("second %d", i), changed)
		for _, unchanged := range []string{"Поддержка", "Смирнова", "справка", "Готов 6"} {
			if bytes.Contains(seen, []byte(unchanged)) {
				t.Errorf("second %d redrew a line that did not change (%q)", i, unchanged)
			}
		}
		if n > budget {
			t.Errorf("second %d: %d bytes (budget %d)", i, n, budget)
		}
		t.Logf("second %d: %d bytes, %d lines", i, n, len(changed))
	}

	// Nobody waits: the seconds pass without a byte; the next change draws only itself.
	empty := oktell.Update{At: base.Add(5 * time.Second), Queue: &oktell.Queue{}}
	f.updates <- empty
	wait("the empty queue", shadow.step(updatesMsg{updates: []oktell.Update{empty}}))
	for i := 6; i <= 15; i++ {
		if changed := tick(base.Add(time.Duration(i) * time.Second)); len(changed) > 0 {
			t.Fatalf("second %d changed %q with nobody waiting", i, changed)
		}
	}
	marker := oktell.Update{At: base.Add(15 * time.Second), Colleagues: delta(colleague("bochkarev", oktell.UserLunch))}
	f.updates <- marker
	changed := shadow.step(updatesMsg{updates: []oktell.Update{marker}})
	n := wait("a change after ten idle seconds", changed)
	for _, l := range shadow.m.bigQueue() {
		if bytes.Contains(seen, []byte(l)) {
			t.Errorf("the large type was redrawn while nobody waited")
		}
	}
	// What was written is the changed lines and the cursor's moves between them: the ten
	// seconds before added nothing.
	size := 0
	for _, l := range changed {
		size += len(l) + 8 // the line and its erase-to-end
	}
	if most := size + 8*h; n > most {
		t.Errorf("ten idle seconds and a tile's change: %d bytes, more than the %d lines that changed (%d)", n, len(changed), most)
	}
	t.Logf("ten idle seconds and a tile's change: %d bytes, %d lines", n, len(changed))
}
