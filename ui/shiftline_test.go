package ui

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"golang.org/x/text/language"

	okshift "github.com/okdash/okdash/oktell/shift"
)

func TestShiftLine(t *testing.T) {
	day := func(calls bool, set func(*okshift.Summary)) okshift.Summary {
		s := okshift.Summary{HasCalls: calls}
		set(&s)
		return s
	}
	m := func(n int) time.Duration { return time.Duration(n) * time.Minute }
	full := day(true, func(s *okshift.Summary) {
		s.Time[okshift.Ready] = m(5*60 + 12)
		s.Time[okshift.Break] = m(48)
		s.Time[okshift.Busy] = m(100)
		s.Time[okshift.Unknown] = m(18)
		s.Breaks, s.Calls = 3, 42
	})
	for _, tc := range []struct {
		name string
		lang language.Tag
		s    okshift.Summary
		want string
	}{
		{"the issue's example", language.English, full,
			"okdash: shift 7h58m — ready 5h12m, break 48m (3), busy 1h40m, unknown 18m, 42 calls"},
		{"in Russian", language.Russian, full,
			"okdash: смена 7 ч 58 мин — готов 5 ч 12 мин, перерыв 48 мин (3), занят 1 ч 40 мин, неизвестно 18 мин, 42 звонка"},
		{"one call, no calls where the source has none", language.English, day(true, func(s *okshift.Summary) {
			s.Time[okshift.Away] = m(61)
			s.Calls = 1
		}), "okdash: shift 1h01m — away 1h01m, 1 call"},
		{"Russian plurals", language.Russian, day(true, func(s *okshift.Summary) {
			s.Time[okshift.Ready] = m(10)
			s.Calls = 5
		}), "okdash: смена 10 мин — готов 10 мин, 5 звонков"},
		{"no calls without the line", language.English, day(false, func(s *okshift.Summary) {
			s.Time[okshift.Ready] = m(10)
			s.Calls = 5
		}), "okdash: shift 10m — ready 10m"},
		{"not watched apart, under a minute left out", language.English, day(false, func(s *okshift.Summary) {
			s.Time[okshift.Ready] = m(50)
			s.Time[okshift.Unknown] = 20 * time.Second
			s.Time[okshift.NotWatched] = m(10)
		}), "okdash: shift 1h00m — ready 50m; not watched 10m"},
		{"a short shift in seconds", language.Russian, day(false, func(s *okshift.Summary) {
			s.Time[okshift.Unknown] = 12 * time.Second
			s.Time[okshift.NoPhone] = 300 * time.Millisecond
		}), "okdash: смена 12 с — неизвестно 12 с"},
		{"nothing counted", language.English, day(true, func(*okshift.Summary) {}), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, ShiftLine(tc.lang, tc.s))
		})
	}
}
