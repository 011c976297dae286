package replay

import (
	"bytes"
	"context"
	"errors"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/feed"
)

// stampForms are the forms Stamp reads, as regular expressions: the reference its hand
// reading is checked against.
var stampForms = []struct {
	re      *regexp.Regexp
	layouts []string
	dayless bool
}{
	{re: regexp.MustCompile(`\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?`),
		layouts: []string{"2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999"}},
	{re: regexp.MustCompile(`\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?`), layouts: []string{"02.01.2006 15:04:05.999999999"}},
	{re: regexp.MustCompile(`\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?`), layouts: []string{"02/01/2006 15:04:05.999999999"}},
	{re: regexp.MustCompile(`\b\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?`), layouts: []string{"15:04:05.999999999"}, dayless: true},
}

func stampRef(lead string, loc *time.Location) (time.Time, bool, bool) {
	for _, f := range stampForms {
		locs := f.re.FindAllStringIndex(lead, -1)
		for i := len(locs) - 1; i >= 0; i-- {
			s := strings.ReplaceAll(lead[locs[i][0]:locs[i][1]], ",", ".")
			in := loc
			if z := refZone(s); z != "" {
				zl, ok := refZoneOf(z)
				if !ok {
					continue
				}
				in, s = zl, s[:len(s)-len(z)]
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

func refZone(s string) string {
	if strings.HasSuffix(s, "Z") {
		return "Z"
	}
	if i := strings.LastIndexAny(s, "+-"); i >= 19 {
		return s[i:]
	}
	return ""
}

func refZoneOf(z string) (*time.Location, bool) {
	if z == "Z" {
		return time.UTC, true
	}
	d := strings.ReplaceAll(z[1:], ":", "")
	hh, err1 := strconv.Atoi(d[:2])
	mm, err2 := strconv.Atoi(d[2:])
	if len(d) != 4 || err1 != nil || err2 != nil || hh > 14 || mm > 59 {
		return nil, false
	}
	off := hh*3600 + mm*60
	if z[0] == '-' {
		off = -off
	}
	return time.FixedZone("", off), true
}

// FuzzStamp: any text before a document reads as a stamp or as none, without panicking,
// as the regular expressions of the forms read it; the log's time never goes back.
func FuzzStamp(f *testing.F) {
	for _, s := range []string{"2026-11-24 12:00:00.123 xmlevent", "24.11.2026 12:00:00", "12:00:00,5", "99:99:99", "31.02.2026 25:00:00", "",
		"2026-11-24T12:00:01.5+03:00 x", "2026-11-24T12:00:01+0300", "2026-11-24T12:00:01Z", "2026-11-24T12:00:01+99:00", "2026-11-24T12:00:01+03:0",
		"x12:00:00", "_12:00:00 23:59:59.1234567891", "29.02.2024 12:00:00 29.02.2023 13:00:00", "[24/11/2026 00:00:00,000] 12:00:00",
		"2026-11-24 12:00:00-", "2026-11-24 12:00:00.-03:00", "a:b:c::12:34:56:78"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, lead string) {
		got, gd, gok := Stamp(lead, time.UTC)
		want, wd, wok := stampRef(lead, time.UTC)
		if gok != wok || gd != wd || !got.Equal(want) || got.Location().String() != want.Location().String() {
			t.Fatalf("Stamp(%q) = %v dayless=%v ok=%v, want %v dayless=%v ok=%v", lead, got, gd, gok, want, wd, wok)
		}
		p := newPacer(1, time.Second, time.UTC)
		first, _ := p.next(lead, t0)
		at, d := p.next(lead, t0)
		if d < 0 {
			t.Fatalf("negative delay %v", d)
		}
		if at.Before(first) {
			t.Fatalf("the log's time went back from %v to %v", first, at)
		}
	})
}

// instant is a clock whose timers fire at once: replays run flat out.
type instant struct{}

func (instant) Now() time.Time { return t0 }
func (instant) After(time.Duration) <-chan time.Time {
	ch := make(chan time.Time, 1)
	ch <- t0
	return ch
}

// FuzzReplay: any input plays to its end, reporting problems as statuses, never panicking.
func FuzzReplay(f *testing.F) {
	for _, name := range []string{"commonlog.log", "bridge-utf16le.bin", "record.log"} {
		b, err := os.ReadFile(streamPath(name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
	f.Add([]byte("<oktellcommapper><data><event id=\"113\""))
	f.Fuzz(func(t *testing.T, b []byte) {
		s := Open(context.Background(), bytes.NewReader(b), "fuzz", nil, Options{Clock: instant{}})
		defer s.Close()
		deadline := time.After(10 * time.Second)
		for {
			select {
			case u := <-s.Updates():
				if u.Status != nil && u.Status.Link != oktell.LinkReadOnly {
					t.Fatalf("status %+v", u.Status)
				}
				if u.Err != nil {
					var ie *feed.InputError
					if !errors.As(u.Err, &ie) || ie.Input != "fuzz" || ie.Offset < 0 || ie.Offset > int64(len(b)) {
						t.Fatalf("problem %v does not name the input and an offset in it", u.Err)
					}
				}
				if u.Status != nil && bytes.Contains([]byte(u.Status.Why.String()), []byte("end of input after")) {
					return
				}
			case <-deadline:
				t.Fatal("the replay did not reach the end of its input")
			}
		}
	})
}
