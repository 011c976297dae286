package replay

import (
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

func TestStamp(t *testing.T) {
	msk := time.FixedZone("MSK", 3*3600)
	for _, tc := range []struct {
		lead    string
		want    string // RFC 3339 with milliseconds of the stamp in UTC, or 15:04:05.000 when dayless; "" when none
		dayless bool
	}{
		{"2026-11-24 12:00:00.123 xmlevent\n", "2026-11-24T09:00:00.123Z", false}, // in the writer's zone (MSK here)
		{"2026-11-24T12:00:01.5+03:00 xmlevent", "2026-11-24T09:00:01.500Z", false},
		{"2026-11-24T12:00:01.5+0100 xmlevent", "2026-11-24T11:00:01.500Z", false},
		{"2026-11-24T12:00:01Z xmlevent", "2026-11-24T12:00:01.000Z", false},
		{"2026-11-24T12:00:01-05:00", "2026-11-24T17:00:01.000Z", false},
		{"2026-11-24T12:00:01+99:00", "", false}, // no such zone
		{"[24.11.2026 12:00:02] CommonLog xmlevent", "2026-11-24T09:00:02.000Z", false},
		{"24.11.2026 12:00:02,250 xmlevent", "2026-11-24T09:00:02.250Z", false},
		{"24/11/2026 12:00:02 xmlevent", "2026-11-24T09:00:02.000Z", false},
		{"12:00:03.123 xmlevent", "12:00:03.123", true},
		{"old 2026-11-24 11:00:00\nnew 2026-11-24 12:00:04", "2026-11-24T09:00:04.000Z", false},
		{"xmlevent", "", false},
		{"", "", false},
	} {
		got, dayless, ok := Stamp(tc.lead, msk)
		if tc.want == "" {
			if ok {
				t.Errorf("Stamp(%q) = %v, want none", tc.lead, got)
			}
			continue
		}
		s := got.UTC().Format("2006-01-02T15:04:05.000Z07:00")
		if dayless {
			s = got.Format("15:04:05.000")
			if got.Location() != msk {
				t.Errorf("Stamp(%q): a time of day in %v, want the writer's zone", tc.lead, got.Location())
			}
		}
		if !ok || s != tc.want || dayless != tc.dayless {
			t.Errorf("Stamp(%q) = %s dayless=%v ok=%v, want %s dayless=%v", tc.lead, s, dayless, ok, tc.want, tc.dayless)
		}
	}
}

func TestPacer(t *testing.T) {
	p := newPacer(2, time.Second, time.UTC)
	day := func(d, hms string) time.Time {
		t, err := time.Parse("2006-01-02 15:04:05", "2026-11-"+d+" "+hms)
		if err != nil {
			panic(err)
		}
		return t
	}
	steps := []struct {
		lead string
		at   time.Time // the document's time in the log
		want time.Duration
	}{
		{"2026-11-24 12:00:00.000 xmlevent", day("24", "12:00:00"), 0},               // the first plays at once
		{"2026-11-24 12:00:04.000 xmlevent", day("24", "12:00:04"), 2 * time.Second}, // 4s at speed 2
		{"2026-11-24 12:00:03.000 xmlevent", day("24", "12:00:04"), 0},               // out of order: no wait, and no going back
		{"no stamp", day("24", "12:00:05"), 500 * time.Millisecond},                  // steady 1s at speed 2
		{"23:59:59.000", day("24", "23:59:59"), 500 * time.Millisecond},              // after a stampless one: steady; on the log's day
		{"00:00:01.000", day("25", "00:00:01"), time.Second},                         // past midnight: the next day
	}
	for i, s := range steps {
		at, d := p.next(s.lead, t0)
		if d != s.want || !at.Equal(s.at) {
			t.Errorf("step %d (%q): at %v after %v, want %v after %v", i, s.lead, at, d, s.at, s.want)
		}
	}
}

// The first time of day of a log, with no date to go by, is the last one not after the
// start: a log that ends before the time of day it is now is today's, else yesterday's.
func TestPacerFirstTimeOfDay(t *testing.T) {
	start := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	for lead, want := range map[string]time.Time{
		"09:30:00 xmlevent": time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC),
		"10:03:00 xmlevent": time.Date(2026, 11, 24, 10, 3, 0, 0, time.UTC), // a writer's clock a little ahead
		"11:00:00 xmlevent": time.Date(2026, 11, 23, 11, 0, 0, 0, time.UTC),
		"no stamp":          start,
	} {
		if at, _ := newPacer(1, time.Second, time.UTC).next(lead, start); !at.Equal(want) {
			t.Errorf("%q: at %v, want %v", lead, at, want)
		}
	}
}
