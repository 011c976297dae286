package replay

import (
	"bytes"
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/feed"
)

// FuzzStamp: any text before a document reads as a stamp or as none, without panicking.
func FuzzStamp(f *testing.F) {
	for _, s := range []string{"2026-11-24 12:00:00.123 xmlevent", "24.11.2026 12:00:00", "12:00:00,5", "99:99:99", "31.02.2026 25:00:00", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, lead string) {
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
				if u.Status != nil && bytes.Contains([]byte(u.Status.Reason), []byte("end of input after")) {
					return
				}
			case <-deadline:
				t.Fatal("the replay did not reach the end of its input")
			}
		}
	})
}
