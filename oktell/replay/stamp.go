package replay

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// The timestamp forms a log writer puts before a document, most specific first. A
// stamp may end in its zone (Z, +03:00, +0300); one without is in the writer's zone.
var stampForms = []struct {
	re      *regexp.Regexp
	layouts []string
	dayless bool // a time of day only: wraps at midnight
}{
	{ // 2026-11-24T12:00:00.123+03:00, 2026-11-24 12:00:00,123 (what --record writes, ISO logs)
		re:      regexp.MustCompile(`\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?`),
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
// document. A stamp that names its zone is read in it; one that does not is read in loc
// (nil: time.Local), the zone of the machine that wrote the log. dayless says only a
// time of day was found: the date is then year 0's, for the caller to place (onDay,
// notAfter).
func Stamp(lead string, loc *time.Location) (t time.Time, dayless, ok bool) {
	if loc == nil {
		loc = time.Local
	}
	if !strings.Contains(lead, ":") { // every form has one: most leads are "xmlevent"
		return time.Time{}, false, false
	}
	for _, f := range stampForms {
		locs := f.re.FindAllStringIndex(lead, -1)
		for i := len(locs) - 1; i >= 0; i-- {
			s := strings.ReplaceAll(lead[locs[i][0]:locs[i][1]], ",", ".")
			in := loc
			if zone := stampZone(s); zone != "" {
				z, known := zoneOf(zone)
				if !known {
					continue
				}
				in, s = z, s[:len(s)-len(zone)]
			}
			for _, l := range f.layouts {
				if t, err := time.ParseInLocation(l, s, in); err == nil {
					return t, f.dayless, true
				}
			}
		}
	}
	return time.Time{}, false, false
}

// stampZone is the zone at the end of an ISO stamp ("Z", "+03:00", "-0500"), or "".
func stampZone(s string) string {
	if strings.HasSuffix(s, "Z") {
		return "Z"
	}
	// the zone's sign comes after the seconds: "2006-01-02T15:04:05" is 19 bytes
	if i := strings.LastIndexAny(s, "+-"); i >= 19 {
		return s[i:]
	}
	return ""
}

// zoneOf is the fixed zone a stamp names.
func zoneOf(z string) (*time.Location, bool) {
	if z == "Z" {
		return time.UTC, true
	}
	digits := strings.ReplaceAll(z[1:], ":", "")
	if len(digits) != 4 {
		return nil, false
	}
	hh, err1 := strconv.Atoi(digits[:2])
	mm, err2 := strconv.Atoi(digits[2:])
	if err1 != nil || err2 != nil || hh > 14 || mm > 59 {
		return nil, false
	}
	off := hh*3600 + mm*60
	if z[0] == '-' {
		off = -off
	}
	return time.FixedZone("", off), true
}

// onDay puts a time of day on the day nearest ref: within twelve hours of it, so that a
// log that passes midnight goes on to the next day.
func onDay(tod, ref time.Time) time.Time {
	ref = ref.In(tod.Location())
	y, m, d := ref.Date()
	t := time.Date(y, m, d, tod.Hour(), tod.Minute(), tod.Second(), tod.Nanosecond(), tod.Location())
	switch {
	case t.Sub(ref) > 12*time.Hour:
		return t.AddDate(0, 0, -1)
	case ref.Sub(t) > 12*time.Hour:
		return t.AddDate(0, 0, 1)
	}
	return t
}

// stampSlack is how far ahead of the reader's clock a log writer's clock may be: a time
// of day further ahead than that was yesterday's.
const stampSlack = 5 * time.Minute

// notAfter puts a time of day on the last day on which it is not after ref (give or
// take stampSlack): a followed log's documents were written before they are read.
func notAfter(tod, ref time.Time) time.Time {
	ref = ref.In(tod.Location())
	y, m, d := ref.Date()
	t := time.Date(y, m, d, tod.Hour(), tod.Minute(), tod.Second(), tod.Nanosecond(), tod.Location())
	if t.Sub(ref) > stampSlack {
		t = t.AddDate(0, 0, -1)
	}
	return t
}

// pacer turns the stamps of successive documents into the log's times and the delays
// between them.
type pacer struct {
	speed  float64
	steady time.Duration
	loc    *time.Location
	last   time.Time // the log time of the document before
	have   bool      // it had a stamp
	first  bool
}

func newPacer(speed float64, steady time.Duration, loc *time.Location) *pacer {
	if speed <= 0 {
		speed = 1
	}
	return &pacer{speed: speed, steady: steady, loc: loc, first: true}
}

// next is the log time of the document whose lead is given, and how long to wait before
// it. A document without a stamp comes steady after the one before (the first at start,
// the session clock's time); a time of day alone is placed on the day the log has
// reached (the first one on the last day it is not after start). The log's time never
// goes back: a document stamped before the one before happened at the same time.
func (p *pacer) next(lead string, start time.Time) (at time.Time, wait time.Duration) {
	t, dayless, ok := Stamp(lead, p.loc)
	switch {
	case ok && dayless && p.first:
		t = notAfter(t, start)
	case ok && dayless:
		t = onDay(t, p.last)
	}
	var d time.Duration
	switch {
	case p.first:
		if !ok {
			t = start
		}
		at = t
	case ok && p.have:
		d = max(t.Sub(p.last), 0) // a clock set back, or documents written out of order: no wait
		at = t
	case ok: // after a document without a stamp, whose time was a guess
		d = p.steady
		at = t
	default:
		d = p.steady
		at = p.last.Add(p.steady)
	}
	if !p.first && at.Before(p.last) {
		at = p.last
	}
	p.first, p.have, p.last = false, ok, at
	return at, time.Duration(float64(d) / p.speed)
}
