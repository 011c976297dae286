package feed

import (
	"testing"
	"time"

	"github.com/okdash/okdash/oktell/clocktest"
)

func TestTimeline(t *testing.T) {
	start := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	log := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	clk := clocktest.New(start)
	tl := NewTimeline(clk, 4)
	step := func(d time.Duration, want time.Time, what string) {
		t.Helper()
		clk.Advance(d)
		if got := tl.Now(); !got.Equal(want) {
			t.Errorf("%s: %v, want %v", what, got, want)
		}
	}
	step(time.Second, start, "before the first document: the start, still")
	if tl.Placed() {
		t.Error("placed before a document")
	}
	tl.At(log)
	step(time.Second, log, "a document delivered: its time, until the replay waits for the next")
	tl.Toward(log.Add(time.Minute))
	step(5*time.Second, log.Add(20*time.Second), "waiting: at four times the clock")
	step(time.Hour, log.Add(time.Minute), "a reader behind: never past the next document")
	tl.At(log.Add(time.Minute))
	tl.Run()
	step(10*time.Second, log.Add(time.Minute+40*time.Second), "the input ended: on at its speed")
	if !tl.Placed() {
		t.Error("not placed after a document")
	}
	if ch := tl.After(time.Second); len(ch) != 0 || clk.Pending() != 1 {
		t.Error("the pacing does not wait on the session clock")
	}
}
