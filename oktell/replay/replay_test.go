package replay

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
)

func streamPath(name string) string { return filepath.Join("..", "..", "testdata", "streams", name) }

// playAll drives a replay on its fake clock to the end of its input and returns what it
// delivered, up to and including the status that says the input ended.
func playAll(t *testing.T, clk *clocktest.Clock, s oktell.Session) []oktell.Update {
	t.Helper()
	got, _ := playTimed(t, clk, s)
	return got
}

// playTimed is playAll with the fake clock's time when each update arrived: the pace of
// the replay, where Update.At is the log's time.
func playTimed(t *testing.T, clk *clocktest.Clock, s oktell.Session) (got []oktell.Update, played []time.Time) {
	t.Helper()
	err := clocktest.Drive(clk, s.Updates(), 10*time.Second, func(u oktell.Update) bool {
		got, played = append(got, u), append(played, clk.Now())
		return u.Status != nil && strings.Contains(u.Status.Why.String(), "after ")
	})
	if err != nil {
		t.Fatalf("the replay did not end: %v", err)
	}
	return got, played
}

// playedEvents are the events of a replay and when each was delivered.
func playedEvents(t *testing.T, clk *clocktest.Clock, s oktell.Session) (evs []oktell.Update, gaps []time.Duration) {
	t.Helper()
	all, played := playTimed(t, clk, s)
	var at []time.Time
	for i, u := range all {
		if u.Event != nil {
			evs, at = append(evs, u), append(at, played[i])
		}
	}
	for i := 1; i < len(at); i++ {
		gaps = append(gaps, at[i].Sub(at[i-1]))
	}
	return evs, gaps
}

func events(us []oktell.Update) []oktell.Update {
	var out []oktell.Update
	for _, u := range us {
		if u.Event != nil {
			out = append(out, u)
		}
	}
	return out
}

func gaps(us []oktell.Update) []time.Duration {
	var out []time.Duration
	for i := 1; i < len(us); i++ {
		out = append(out, us[i].At.Sub(us[i-1].At))
	}
	return out
}

func openFile(t *testing.T, name string, opts Options) *Session {
	t.Helper()
	f, err := os.Open(streamPath(name))
	if err != nil {
		t.Fatal(err)
	}
	s := Open(context.Background(), f, name, f, opts)
	t.Cleanup(func() { s.Close() })
	return s
}

func TestReplayCommonLogWithItsPacing(t *testing.T) {
	clk := clocktest.New(t0)
	s := openFile(t, "commonlog.log", Options{Clock: clk})
	if c := s.Capabilities(); !c.ReadOnly || c.SetUserState || c.Kind != oktell.SourceFile {
		t.Errorf("capabilities %+v", c)
	}
	if err := s.SetUserState(context.Background(), oktell.UserReady, false); !errors.Is(err, oktell.ErrUnsupported) {
		t.Errorf("SetUserState on a replay: %v", err)
	}
	all, played := playTimed(t, clk, s)
	evs := events(all)
	wantTypes := []oktell.EventType{oktell.UserStateChanged, oktell.Notify, oktell.UserStateChanged,
		oktell.UserMessage, oktell.VoiceMail, oktell.Notify, oktell.UserStateChanged}
	if len(evs) != len(wantTypes) {
		t.Fatalf("%d events, want %d: %+v", len(evs), len(wantTypes), all)
	}
	for i, w := range wantTypes {
		if evs[i].Event.Type != w {
			t.Errorf("event %d is %s, want %s", i, evs[i].Event.Type, w)
		}
		if len(evs[i].Raw) == 0 {
			t.Errorf("event %d has no raw bytes", i)
		}
	}
	want := []time.Duration{2500 * time.Millisecond, 1500 * time.Millisecond, 3250 * time.Millisecond,
		750 * time.Millisecond, 3 * time.Second, time.Second}
	if g := gaps(evs); !slices.Equal(g, want) {
		t.Errorf("gaps %v, want %v (the log's own timing)", g, want)
	}
	var delivered []time.Duration
	for i := 1; i < len(all); i++ {
		if all[i].Event != nil {
			delivered = append(delivered, played[i].Sub(played[i-1]))
		}
	}
	if !slices.Equal(delivered[1:], want) {
		t.Errorf("delivered %v apart, want %v at speed 1", delivered[1:], want)
	}
	// Each event carries its heading's time, in the zone of the machine that wrote it.
	if w := time.Date(2026, 11, 24, 12, 0, 0, 0, time.Local); !evs[0].At.Equal(w) {
		t.Errorf("the first event at %v, want its heading's %v", evs[0].At, w)
	}
	var problem, end string
	for _, u := range all {
		if u.Status != nil && u.Status.Link != oktell.LinkReadOnly {
			t.Errorf("status %+v, want read-only", u.Status)
		}
		if u.Status != nil && strings.Contains(u.Status.Why.String(), "skipped") {
			t.Errorf("a skipped document reported as a status, which the next one replaces: %q", u.Status.Why.String())
		}
		if u.Err != nil {
			if problem != "" {
				t.Errorf("a second problem %v", u.Err)
			}
			problem = u.Err.Error()
		}
		if u.Status != nil {
			end = u.Status.Why.String()
		}
	}
	if !strings.HasPrefix(problem, "commonlog.log: byte ") || !strings.Contains(problem, ": skipped a ") {
		t.Errorf("the broken document was not reported with its offset: %q", problem)
	}
	if !strings.Contains(end, "end of input after 7 documents (1 problem)") {
		t.Errorf("last status %q", end)
	}
}

// Without stamps, documents come a steady second apart in the log (from the start, by
// the session clock), which plays at the replay's speed.
func TestReplayWithoutStampsAtSteadyPace(t *testing.T) {
	clk := clocktest.New(t0)
	s := openFile(t, "bridge-utf16le.bin", Options{Clock: clk, Speed: 2})
	evs, played := playedEvents(t, clk, s)
	if len(evs) != 7 {
		t.Fatalf("%d events, want 7", len(evs))
	}
	for i, g := range played {
		if g != 500*time.Millisecond {
			t.Errorf("gap %d = %v, want 1s at speed 2", i, g)
		}
	}
	for i, g := range gaps(evs) {
		if g != time.Second {
			t.Errorf("the log's gap %d = %v, want the steady 1s", i, g)
		}
	}
	if !evs[0].At.Equal(t0) {
		t.Errorf("the first document at %v, want the start %v", evs[0].At, t0)
	}
	if !bytes.HasPrefix(evs[0].Raw, []byte{0xFF, 0xFE}) {
		t.Errorf("raw bytes are not the UTF-16LE document as received: % x", evs[0].Raw[:4])
	}
}

func TestReplayRecordHeadings(t *testing.T) {
	clk := clocktest.New(t0)
	s := openFile(t, "record.log", Options{Clock: clk, Speed: 0.5})
	evs, played := playedEvents(t, clk, s)
	want := []time.Duration{5 * time.Second, 3 * time.Second, 6500 * time.Millisecond, 1500 * time.Millisecond,
		6 * time.Second, 2 * time.Second}
	if !slices.Equal(played, want) {
		t.Errorf("played %v apart, want %v (the recording's timing at half speed)", played, want)
	}
	for i := range want {
		want[i] /= 2
	}
	if g := gaps(evs); !slices.Equal(g, want) {
		t.Errorf("the log's gaps %v, want %v (the recording's own)", g, want)
	}
}

func TestReplayStopsOnClose(t *testing.T) {
	clk := clocktest.New(t0)
	s := openFile(t, "bridge-utf16le.bin", Options{Clock: clk})
	if !clk.WaitPending(1, 5*time.Second) {
		t.Fatal("the replay did not start waiting")
	}
	s.Close()
	for range s.Updates() {
	}
}

// A recorded stream's line events (their payloads undocumented) drive the line and the
// call, and every property of them is kept.
func TestReplayLineEvents(t *testing.T) {
	doc := func(ts string, typ oktell.EventType, props ...oktell.Property) string {
		ev := oktell.Event{Type: typ, ID: int(typ), RawID: strconv.Itoa(int(typ)), Name: typ.WireName(), Props: props}
		b, err := oktell.Encode(oktell.EventDocument(ev), oktell.UTF8)
		if err != nil {
			t.Fatal(err)
		}
		return ts + " xmlevent\n" + string(b) + "\n\n"
	}
	stream := doc("2026-11-24 12:00:00.000", oktell.RingStarted, oktell.SimpleProp("callerid", "+74951234567", ""),
		oktell.CDataProp("callername", "Петров"), oktell.SimpleProp("connectionindex", "2", "")) +
		doc("2026-11-24 12:00:04.000", oktell.CommutationStarted) +
		doc("2026-11-24 12:00:10.000", oktell.FlashHoldAction, oktell.SimpleProp("flashtypeid", "1", "")) +
		doc("2026-11-24 12:00:12.000", oktell.FlashHoldAction, oktell.SimpleProp("flashtypeid", "2", "")) +
		doc("2026-11-24 12:01:00.000", oktell.CommutationStopped)
	clk := clocktest.New(t0)
	s := Open(context.Background(), strings.NewReader(stream), "calls.log", nil, Options{Clock: clk})
	defer s.Close()
	if !s.Capabilities().Line {
		t.Error("a replay reports the line")
	}
	var lines []string
	var talk time.Time
	for _, u := range playAll(t, clk, s) {
		if u.Line == nil {
			continue
		}
		lines = append(lines, u.Line.State.String())
		switch u.Line.State {
		case oktell.LineRinging:
			if c := u.Line.Call; c.Number != "+74951234567" || c.Name != "Петров" || len(u.Line.Extra) != 1 || u.Line.Extra[0].Key != "connectionindex" {
				t.Errorf("ringing %+v, extra %+v", c, u.Line.Extra)
			}
		case oktell.LineTalking:
			if talk.IsZero() {
				talk = u.Line.Call.TalkStart
			}
		case oktell.LineFree:
			if d := u.At.Sub(talk); d != 56*time.Second {
				t.Errorf("the talk lasted %v by the replay's clock, want 56s", d)
			}
		}
	}
	if got := strings.Join(lines, ","); got != "ringing,talking,on hold,talking,free" {
		t.Errorf("the line went %s", got)
	}
}
