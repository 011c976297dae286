package replay

import (
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

func TestStamp(t *testing.T) {
	for _, tc := range []struct {
		lead    string
		want    string // 15:04:05.000 of the stamp, "" when none
		dayless bool
	}{
		{"2026-11-24 12:00:00.123 xmlevent\n", "12:00:00.123", false},
		{"2026-11-24T12:00:01.5+03:00 xmlevent", "12:00:01.500", false},
		{"[24.11.2026 12:00:02] CommonLog xmlevent", "12:00:02.000", false},
		{"24.11.2026 12:00:02,250 xmlevent", "12:00:02.250", false},
		{"12:00:03.123 xmlevent", "12:00:03.123", true},
		{"old 2026-11-24 11:00:00\nnew 2026-11-24 12:00:04", "12:00:04.000", false},
		{"xmlevent", "", false},
		{"", "", false},
	} {
		got, dayless, ok := Stamp(tc.lead)
		if tc.want == "" {
			if ok {
				t.Errorf("Stamp(%q) = %v, want none", tc.lead, got)
			}
			continue
		}
		if !ok || got.Format("15:04:05.000") != tc.want || dayless != tc.dayless {
			t.Errorf("Stamp(%q) = %v dayless=%v ok=%v, want %s dayless=%v", tc.lead, got, dayless, ok, tc.want, tc.dayless)
		}
	}
}

func TestPacer(t *testing.T) {
	p := newPacer(2, time.Second)
	steps := []struct {
		lead string
		want time.Duration
	}{
		{"2026-11-24 12:00:00.000 xmlevent", 0},               // the first plays at once
		{"2026-11-24 12:00:04.000 xmlevent", 2 * time.Second}, // 4s at speed 2
		{"2026-11-24 12:00:03.000 xmlevent", 0},               // out of order: no wait
		{"no stamp", 500 * time.Millisecond},                  // steady 1s at speed 2
		{"23:59:59.000", 500 * time.Millisecond},              // after a stampless one: steady
		{"00:00:01.000", time.Second},                         // past midnight
	}
	for i, s := range steps {
		if got := p.delay(s.lead); got != s.want {
			t.Errorf("step %d (%q): delay %v, want %v", i, s.lead, got, s.want)
		}
	}
}
