package replay

import (
	"strings"
	"sync"
	"time"
)

// Stamp reads the timestamp nearest the end of lead, the text a log writer put before a
// document, in the most specific form found, in this order:
//
//	2026-11-24T12:00:00.123+03:00, 2026-11-24 12:00:00,123   ISO, what --record writes
//	24.11.2026 12:00:00.123                                  the vendor's CommonLog
//	24/11/2026 12:00:00
//	12:00:00.123                                             a time of day only
//
// Fractions take a point or a comma, up to nine digits. A stamp that names its zone (Z,
// +03:00, +0300: the ISO form only) is read in it; one that does not is read in loc
// (nil: time.Local), the zone of the machine that wrote the log. dayless says only a
// time of day was found: the date is then year 0's, for the caller to place (onDay,
// notAfter). A stamp that is no date (31.02.2026, 25:00:00) is passed over.
//
// It is read by hand, not by regular expressions: it runs for every document of a
// followed log's backlog, and the vendor's form took 7 µs a document that way.
func Stamp(lead string, loc *time.Location) (t time.Time, dayless, ok bool) {
	if loc == nil {
		loc = time.Local
	}
	var tbuf, mbuf [8]int
	times := clockTimes(lead, tbuf[:0])
	for form := formISO; form <= formDayless; form++ {
		// The stamps of this form, left to right, none inside the one before (as a
		// regular expression finds them), then read from the last.
		found, next := mbuf[:0], 0
		for _, p := range times {
			if stampStart(p, form) < next {
				continue
			}
			if end, ok := stampMatch(lead, p, form); ok {
				found, next = append(found, p), end
			}
		}
		for i := len(found) - 1; i >= 0; i-- {
			if t, ok := stampRead(lead, found[i], form, loc); ok {
				return t, form == formDayless, true
			}
		}
	}
	return time.Time{}, false, false
}

// The forms of a stamp, most specific first.
const (
	formISO     = iota // 2006-01-02T15:04:05, or with a space
	formDots           // 02.01.2006 15:04:05
	formSlashes        // 02/01/2006 15:04:05
	formDayless        // 15:04:05, not glued to a word before it
)

// clockTimes are the offsets of every hh:mm:ss in s (two digits each).
func clockTimes(s string, out []int) []int {
	for j := 0; ; {
		k := strings.IndexByte(s[j:], ':')
		if k < 0 {
			return out
		}
		c := j + k // hh:mm:ss has its first colon at p+2
		if p := c - 2; p >= 0 && p+8 <= len(s) && digits(s[p:p+2]) && digits(s[p+3:p+5]) && s[p+5] == ':' && digits(s[p+6:p+8]) {
			out = append(out, p)
		}
		j = c + 1
	}
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func num(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// stampStart is where a stamp of the form whose time of day is at p begins.
func stampStart(p, form int) int {
	if form == formDayless {
		return p
	}
	return p - 11
}

// stampMatch says whether a stamp of the form has its time of day at p, by its shape
// alone, and where it ends.
func stampMatch(s string, p, form int) (end int, ok bool) {
	switch form {
	case formDayless:
		if p > 0 && wordByte(s[p-1]) {
			return 0, false
		}
	default:
		if p < 11 {
			return 0, false
		}
		date, sep := s[p-11:p-1], s[p-1]
		switch form {
		case formISO:
			ok = (sep == ' ' || sep == 'T') && digits(date[:4]) && date[4] == '-' && digits(date[5:7]) && date[7] == '-' && digits(date[8:])
		case formDots, formSlashes:
			mark := byte('.')
			if form == formSlashes {
				mark = '/'
			}
			ok = sep == ' ' && digits(date[:2]) && date[2] == mark && digits(date[3:5]) && date[5] == mark && digits(date[6:])
		}
		if !ok {
			return 0, false
		}
	}
	end = p + 8
	if n := fraction(s[end:]); n > 0 {
		end += 1 + n
	}
	if form == formISO {
		end += zoneLen(s[end:])
	}
	return end, true
}

// fraction is how many digits of a fraction of a second ([.,] and up to nine digits)
// start s, 0 when none.
func fraction(s string) int {
	if len(s) < 2 || (s[0] != '.' && s[0] != ',') {
		return 0
	}
	n := 0
	for n < 9 && 1+n < len(s) && s[1+n] >= '0' && s[1+n] <= '9' {
		n++
	}
	return n
}

// zoneLen is the length of the zone that starts s: "Z", "+03:00", "+0300"; 0 when none.
func zoneLen(s string) int {
	switch {
	case s == "":
		return 0
	case s[0] == 'Z':
		return 1
	case s[0] != '+' && s[0] != '-', len(s) < 5, !digits(s[1:3]):
		return 0
	case digits(s[3:5]):
		return 5
	case s[3] == ':' && len(s) >= 6 && digits(s[4:6]):
		return 6
	}
	return 0
}

// stampRead reads the stamp that stampMatch found at p, if it is a time: a date that
// exists, hours, minutes and seconds in their ranges, a zone that is one.
func stampRead(s string, p, form int, loc *time.Location) (time.Time, bool) {
	y, mo, d := 0, time.January, 1
	switch form {
	case formISO:
		date := s[p-11 : p-1]
		y, mo, d = num(date[:4]), time.Month(num(date[5:7])), num(date[8:])
	case formDots, formSlashes:
		date := s[p-11 : p-1]
		y, mo, d = num(date[6:]), time.Month(num(date[3:5])), num(date[:2])
	}
	if mo < time.January || mo > time.December || d < 1 || d > daysIn(y, mo) {
		return time.Time{}, false
	}
	hh, mm, ss := num(s[p:p+2]), num(s[p+3:p+5]), num(s[p+6:p+8])
	if hh > 23 || mm > 59 || ss > 59 {
		return time.Time{}, false
	}
	end, ns := p+8, 0
	if n := fraction(s[end:]); n > 0 {
		ns = num(s[end+1 : end+1+n])
		for i := n; i < 9; i++ {
			ns *= 10
		}
		end += 1 + n
	}
	if form == formISO {
		if z := s[end : end+zoneLen(s[end:])]; z != "" {
			zl, ok := zoneOf(z)
			if !ok {
				return time.Time{}, false
			}
			loc = zl
		}
	}
	return time.Date(y, mo, d, hh, mm, ss, ns, loc), true
}

func wordByte(c byte) bool {
	return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// zoneOf is the fixed zone a stamp names ("Z", "+03:00", "-0500"); false for one that
// is none (+99:00).
func zoneOf(z string) (*time.Location, bool) {
	if z == "Z" {
		return time.UTC, true
	}
	mins := z[3:]
	if mins[0] == ':' {
		mins = mins[1:]
	}
	hh, mm := num(z[1:3]), num(mins)
	if hh > 14 || mm > 59 {
		return nil, false
	}
	off := hh*3600 + mm*60
	if z[0] == '-' {
		off = -off
	}
	if l, ok := zones.Load(off); ok {
		return l.(*time.Location), true
	}
	l, _ := zones.LoadOrStore(off, time.FixedZone("", off))
	return l.(*time.Location), true
}

// zones are the fixed zones stamps named, by offset: every document of a log names the
// same one, and a new Location for each would be an allocation per document.
var zones sync.Map

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
