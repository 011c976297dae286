package replay

import (
	"regexp"
	"strings"
	"time"
)

// The timestamp forms a log writer puts before a document, most specific first.
var stampForms = []struct {
	re      *regexp.Regexp
	layouts []string
	dayless bool // a time of day only: wraps at midnight
}{
	{ // 2026-11-24T12:00:00.123+03:00, 2026-11-24 12:00:00,123 (what --record writes, ISO logs)
		re:      regexp.MustCompile(`\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?`),
		layouts: []string{"2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999"},
	},
	{ // 24.11.2026 12:00:00 (the vendor's date format), with optional fractions
		re:      regexp.MustCompile(`\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?`),
		layouts: []string{"02.01.2006 15:04:05.999999999"},
	},
	{ // 24/11/2026 12:00:00
		re:      regexp.MustCompile(`\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?`),
		layouts: []string{"02/01/2006 15:04:05.999999999"},
	},
	{ // 12:00:00.123
		re:      regexp.MustCompile(`\b\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?`),
		layouts: []string{"15:04:05.999999999"},
		dayless: true,
	},
}

// Stamp reads the timestamp nearest the end of lead, the text a log writer put before a
// document. dayless says only a time of day was found. The zone is ignored: replays
// use the differences between stamps of one log.
func Stamp(lead string) (t time.Time, dayless, ok bool) {
	for _, f := range stampForms {
		locs := f.re.FindAllStringIndex(lead, -1)
		for i := len(locs) - 1; i >= 0; i-- {
			s := strings.ReplaceAll(lead[locs[i][0]:locs[i][1]], ",", ".")
			for _, l := range f.layouts {
				if t, err := time.Parse(l, s); err == nil {
					return t, f.dayless, true
				}
			}
		}
	}
	return time.Time{}, false, false
}

// pacer turns the stamps of successive documents into delays.
type pacer struct {
	speed  float64
	steady time.Duration
	prev   time.Time
	have   bool
	first  bool
}

func newPacer(speed float64, steady time.Duration) *pacer {
	if speed <= 0 {
		speed = 1
	}
	return &pacer{speed: speed, steady: steady, first: true}
}

// delay is how long to wait before the document whose lead is given.
func (p *pacer) delay(lead string) time.Duration {
	t, dayless, ok := Stamp(lead)
	first := p.first
	p.first = false
	var d time.Duration
	switch {
	case first:
		d = 0
	case ok && p.have:
		d = t.Sub(p.prev)
		if dayless && d < -12*time.Hour { // past midnight
			d += 24 * time.Hour
		}
		if d < 0 { // a clock set back, or documents written out of order
			d = 0
		}
	default:
		d = p.steady
	}
	if ok {
		p.prev, p.have = t, true
	} else {
		p.have = false
	}
	return time.Duration(float64(d) / p.speed)
}
