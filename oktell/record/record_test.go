package record

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
	"github.com/okdash/okdash/oktell/demo"
	"github.com/okdash/okdash/oktell/replay"
)

var t0 = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

type closeBuffer struct {
	bytes.Buffer
	closed bool
}

func (b *closeBuffer) Close() error { b.closed = true; return nil }

// drain plays s on its fake clock until its input ends, returning the events.
func drain(t *testing.T, clk *clocktest.Clock, s oktell.Session) []oktell.Update {
	t.Helper()
	var got []oktell.Update
	err := clocktest.Drive(clk, s.Updates(), 10*time.Second, func(u oktell.Update) bool {
		if u.Event != nil {
			got = append(got, u)
		}
		return u.Status != nil && strings.Contains(u.Status.Reason, "end of input")
	})
	if err != nil {
		t.Fatalf("did not end: %v", err)
	}
	return got
}

func TestRecordReplaysWithTheSameTiming(t *testing.T) {
	for _, name := range []string{"commonlog.log", "bridge-utf16le.bin"} {
		t.Run(name, func(t *testing.T) {
			f, err := os.Open(filepath.Join("..", "..", "testdata", "streams", name))
			if err != nil {
				t.Fatal(err)
			}
			clk := clocktest.New(t0)
			var out closeBuffer
			rec := Wrap(replay.Open(context.Background(), f, name, f, replay.Options{Clock: clk}), &out, clk)
			if c := rec.Capabilities(); !c.ReadOnly {
				t.Errorf("capabilities not passed through: %+v", c)
			}
			first := drain(t, clk, rec)
			rec.Close()
			if !out.closed {
				t.Error("the record file was not closed with the session")
			}
			if bytes.Contains(out.Bytes(), []byte{0}) {
				t.Error("the recording is not UTF-8 text")
			}
			if n := bytes.Count(out.Bytes(), []byte(" xmlevent\n")); n != len(first) {
				t.Errorf("%d headings for %d documents:\n%s", n, len(first), out.String())
			}

			clk2 := clocktest.New(t0.Add(time.Hour))
			again := replay.Open(context.Background(), bytes.NewReader(out.Bytes()), "recording", nil, replay.Options{Clock: clk2})
			defer again.Close()
			second := drain(t, clk2, again)
			if len(second) != len(first) {
				t.Fatalf("replayed %d events, recorded %d", len(second), len(first))
			}
			for i := range first {
				if first[i].Event.Type != second[i].Event.Type {
					t.Errorf("event %d: %s, then %s", i, first[i].Event.Type, second[i].Event.Type)
				}
				if i > 0 {
					g1 := first[i].At.Sub(first[i-1].At)
					g2 := second[i].At.Sub(second[i-1].At)
					if g1 != g2 {
						t.Errorf("gap before event %d: %v live, %v replayed", i, g1, g2)
					}
				}
			}
		})
	}
}

// The demo has no raw bytes: its events are encoded, one document each.
func TestRecordEncodesEventsWithoutRawBytes(t *testing.T) {
	clk := clocktest.New(t0)
	var out closeBuffer
	rec := Wrap(demo.Open(context.Background(), nil, clk, 1), &out, clk)
	deadline := time.After(5 * time.Second)
	for n := 0; n < 2; {
		select {
		case u := <-rec.Updates():
			if u.Event == nil {
				continue
			}
			if n++; n == 1 {
				if !clk.WaitPending(1, 5*time.Second) {
					t.Fatal("the demo did not wait")
				}
				clk.Advance(4 * time.Second) // the line registers
			}
		case <-deadline:
			t.Fatal("demo stalled")
		}
	}
	rec.Close()
	s := out.String()
	if !strings.Contains(s, "usWOphone") || !strings.Contains(s, "Зарегистрирована линия 16016") {
		t.Errorf("recording:\n%s", s)
	}
	if !strings.HasPrefix(s, "2026-11-24 12:00:00.000 xmlevent\n") {
		t.Errorf("first heading: %q", strings.SplitN(s, "\n", 2)[0])
	}
}

func TestToUTF8(t *testing.T) {
	le := []byte{0xFF, 0xFE, '<', 0, 'a', 0, 0x16, 0x04, '>', 0}
	be := []byte{0xFE, 0xFF, 0, '<', 0, 'a', 0x04, 0x16, 0, '>'}
	noBOM := []byte{'<', 0, 'a', 0, '>', 0}
	for _, tc := range []struct {
		in   []byte
		want string
	}{{le, "<aЖ>"}, {be, "<aЖ>"}, {noBOM, "<a>"}, {[]byte("\xEF\xBB\xBF<a/>"), "<a/>"}, {[]byte("<a/>"), "<a/>"}} {
		got, err := ToUTF8(tc.in)
		if err != nil || string(got) != tc.want {
			t.Errorf("ToUTF8(% x) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

type failingWriter struct{}

func (failingWriter) Write(p []byte) (int, error) { return 0, os.ErrClosed }

func TestRecordWriteErrorKeepsTheLink(t *testing.T) {
	clk := clocktest.New(t0)
	rec := Wrap(demo.Open(context.Background(), nil, clk, 1), failingWriter{}, clk)
	defer rec.Close()
	deadline := time.After(5 * time.Second)
	var statuses []oktell.Status
	for {
		select {
		case u := <-rec.Updates():
			if u.Status != nil {
				statuses = append(statuses, *u.Status)
			}
			if u.Status != nil && strings.Contains(u.Status.Reason, "recording stopped") {
				if u.Status.Link != oktell.LinkConnected || !strings.HasPrefix(u.Status.Reason, "demo: built-in shift; recording stopped: ") {
					t.Errorf("status %+v: want the demo's link kept", u.Status)
				}
				return
			}
		case <-deadline:
			t.Fatalf("no recording error; statuses %+v", statuses)
		}
	}
}
