package ui

import (
	"bytes"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"golang.org/x/text/language"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
)

// An idle dashboard, in colour, sends at most 200 bytes a second: one tick a second, and
// only the line with the timer changes (the budget for an SSH session).
func TestIdleBytesPerSecond(t *testing.T) {
	for _, p := range []termenv.Profile{termenv.ANSI, termenv.ANSI256, termenv.TrueColor} {
		t.Run(map[termenv.Profile]string{termenv.ANSI: "16", termenv.ANSI256: "256", termenv.TrueColor: "truecolor"}[p], func(t *testing.T) {
			idleBytes(t, p)
		})
	}
}

func idleBytes(t *testing.T, p termenv.Profile) {
	f := newFake()
	c := clocktest.New(t0)
	r := lipgloss.NewRenderer(nil)
	r.SetColorProfile(p)
	m := New(Options{Session: f, Theme: look(r, "unicode", false, false), Clock: c, Lang: language.Russian})
	// A plain Program, as okdash and okdash serve run it: no ANSI compressor to shrink
	// what is counted.
	out := startProgram(t, m, 80, 24).out
	for _, u := range shift() {
		if u.Event != nil && u.Event.Type == oktell.Notify {
			continue // autohide toasts would expire on the clock and redraw; this is about idling
		}
		f.updates <- u
	}
	f.updates <- oktell.Update{At: t0, Event: evNotify(oktell.NltIncomingCall, false, false, "24.11.2026 09:00:00", "АТС", "звонок")}
	f.updates <- oktell.Update{At: t0, Event: evState(oktell.UserReady, false)}
	// The last update is a marker: once it is on screen, so is everything before it, and
	// no frame of the input is left to be counted against the first idle second.
	f.updates <- oktell.Update{At: t0, Event: evMessage("24.11.2026 09:12:34", "u-petrova", "Петрова Анна", "Конец смены.")}
	var last []byte
	// wait collects what the program writes until it shows what; n is how many bytes that took.
	wait := func(what string, n *int) {
		last = last[:0]
		deadline := time.Now().Add(10 * time.Second)
		for !bytes.Contains(last, []byte(what)) {
			if time.Now().After(deadline) {
				t.Fatalf("the screen never showed %q; last output %q", what, last)
			}
			last = append(last, out.Take()...)
			time.Sleep(2 * time.Millisecond) // polling the output, not guessing a duration
		}
		if n != nil {
			*n = len(last)
		}
	}
	// Ready since t0; the last update arrived at t0+12:34, so the screen shows 12:34.
	wait("Конец смены.", nil)
	base := t0.Add(12*time.Minute + 34*time.Second)
	c.Set(base) // fires the first tick, overdue: it changes nothing on screen
	for i := 1; i <= 5; i++ {
		waitFor(t, func() bool { return c.Pending() == 1 }) // the next tick is armed
		c.Advance(time.Second)
		var n int
		wait("Готов "+FormatDuration(12*time.Minute+time.Duration(34+i)*time.Second), &n)
		for _, unchanged := range []string{"Сообщения", "Петрова", "ВХОДЯЩИЙ", "справка"} {
			if bytes.Contains(last, []byte(unchanged)) {
				t.Errorf("tick %d redrew a line that did not change (%q)", i, unchanged)
			}
		}
		if n > 200 {
			t.Errorf("tick %d: %d bytes for one idle second (budget 200)", i, n)
		}
		t.Logf("tick %d: %d bytes", i, n)
	}
}
