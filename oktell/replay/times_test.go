package replay

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
)

// recv is the session's next update, within a real-time bound.
func recv(t *testing.T, s oktell.Session) oktell.Update {
	t.Helper()
	select {
	case u, ok := <-s.Updates():
		if !ok {
			t.Fatal("the session ended")
		}
		return u
	case <-time.After(5 * time.Second):
		t.Fatal("no update")
	}
	return oktell.Update{}
}

// recvEvent skips statuses up to the next event.
func recvEvent(t *testing.T, s oktell.Session) oktell.Update {
	t.Helper()
	for {
		if u := recv(t, s); u.Event != nil || u.Sent != nil {
			return u
		}
	}
}

// waiting waits until the replay waits on the clock for its next document.
func waiting(t *testing.T, clk *clocktest.Clock) {
	t.Helper()
	if !clk.WaitPending(1, 5*time.Second) {
		t.Fatal("the replay did not wait for its next document")
	}
}

// A replay tells time by its log: every update carries its heading's time, and the
// session's Position, the dashboard's "now", is the replay's place in the log, moving
// on at the replay's speed between documents and after the end (before: At was the
// moment of delivery, and the dashboard's now was today's).
func TestReplayTellsTimeByTheLog(t *testing.T) {
	msk := time.FixedZone("MSK", 3*3600)
	at := func(hms string) time.Time {
		t, _ := time.ParseInLocation("2006-01-02 15:04:05", "2026-11-23 "+hms, msk)
		return t
	}
	head := func(hms string) string { return "2026-11-23 " + hms + ".000+03:00 xmlevent\n" }
	stream := head("08:00:00") + stateDoc(1, "usReady") + head("08:00:30") + stateDoc(2, "usLunch") +
		"xmlevent\n" + stateDoc(3, "usOff") // no stamp: a steady second after
	for _, speed := range []float64{1, 3} {
		t.Run(map[float64]string{1: "speed 1", 3: "speed 3"}[speed], func(t *testing.T) {
			clk := clocktest.New(t0) // today, a day after the log
			s := Open(context.Background(), strings.NewReader(stream), "yesterday.log", nil, Options{Clock: clk, Speed: speed})
			defer s.Close()
			c := s.Capabilities()
			if !c.LogTimes || c.Position == nil {
				t.Fatalf("capabilities %+v: a replay's times are its log's, and it says where it is", c)
			}
			pos := c.Position
			if st := recv(t, s); st.Status == nil || !st.At.Equal(t0) {
				t.Fatalf("first update %+v: the status before any document, at the start", st)
			}

			u := recvEvent(t, s)
			if !u.At.Equal(at("08:00:00")) || u.Backlog {
				t.Fatalf("first document at %v backlog=%v, want its heading's 08:00:00, news", u.At, u.Backlog)
			}
			waiting(t, clk)
			if p := pos.Now(); !p.Equal(at("08:00:00")) {
				t.Errorf("position %v, want 08:00:00 until time passes", p)
			}
			clk.Advance(5 * time.Second)
			if p, want := pos.Now(), at("08:00:00").Add(time.Duration(5*speed)*time.Second); !p.Equal(want) {
				t.Errorf("position 5s later %v, want %v (at speed %v)", p, want, speed)
			}
			clk.Advance(time.Duration(30/speed)*time.Second - 5*time.Second)
			u = recvEvent(t, s)
			if !u.At.Equal(at("08:00:30")) || !clk.Now().Equal(t0.Add(time.Duration(30/speed)*time.Second)) {
				t.Fatalf("second document at %v played at %v, want 08:00:30 after %v", u.At, clk.Now(), 30/speed)
			}
			// Played a second of the log later, however fast: the position is bounded
			// by the next document, never ahead of what was delivered.
			waiting(t, clk)
			clk.Advance(time.Hour)
			u = recvEvent(t, s)
			if !u.At.Equal(at("08:00:31")) {
				t.Errorf("a document without a stamp at %v, want a steady second after the one before", u.At)
			}
			for u := recv(t, s); u.Status == nil || !strings.Contains(u.Status.Why.String(), "end of input"); u = recv(t, s) {
			}
			clk.Advance(10 * time.Second) // the log is over: its time goes on at the replay's speed
			if p, want := pos.Now(), at("08:00:31").Add(time.Duration(10*speed)*time.Second); !p.Equal(want) {
				t.Errorf("position after the end %v, want %v", p, want)
			}
		})
	}
}

// A followed log's backlog is the past: each document at its heading's time, marked
// Backlog until the end of what the file held at the start; what is written later is
// news, at its own time but never after now. "Now" is the session clock's.
func TestFollowBacklogAtTheLogsTimes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "CommonLog.txt")
	head := func(stamp string) string { return stamp + " xmlevent\r\n" }
	backlog := head("2026-11-24 11:30:00.000") + stateDoc(1, "usReady") +
		"xmlevent\r\n" + stateDoc(5, "usFullbusy") + // no stamp: the one before's time
		head("24.11.2026 11:45:10,500") + stateDoc(2, "usLunch") +
		head("11:50:00") + stateDoc(3, "usOff") + // a time of day: today's, not after now
		head("23:10:00") + stateDoc(1, "usReady") + // ahead of now: yesterday's
		head("2026-11-24 11:55:00") + `<oktellcommapper><data><event id="x"></data></oktellcommapper>` + "\r\n"
	if err := os.WriteFile(path, []byte(backlog), 0o644); err != nil {
		t.Fatal(err)
	}
	clk := clocktest.New(t0) // 12:00 UTC
	s, err := Follow(context.Background(), path, 0, Options{Clock: clk, Zone: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if c := s.Capabilities(); !c.LogTimes || c.Position != nil {
		t.Fatalf("capabilities %+v: a followed log's times are its own, now is the clock's", c)
	}
	utc := func(day int, hms string) time.Time {
		t, _ := time.Parse("2006-01-02 15:04:05.000", "2026-11-"+itoa2(day)+" "+hms)
		return t
	}
	var got []oktell.Update
	for {
		u := recv(t, s)
		if u.Status != nil && strings.Contains(u.Status.Why.String(), "up to date") {
			if u.Backlog {
				t.Error("the end of the backlog is marked as backlog")
			}
			break
		}
		if u.Event != nil || u.Err != nil {
			got = append(got, u)
		}
	}
	want := []time.Time{utc(24, "11:30:00.000"), utc(24, "11:30:00.000"), utc(24, "11:45:10.500"),
		utc(24, "11:50:00.000"), utc(23, "23:10:00.000"), utc(24, "11:55:00.000")}
	if len(got) != len(want) {
		t.Fatalf("%d backlog updates, want %d: %+v", len(got), len(want), got)
	}
	for i, u := range got {
		if !u.Backlog || !u.At.Equal(want[i]) {
			t.Errorf("backlog update %d at %v backlog=%v, want %v, backlog", i, u.At, u.Backlog, want[i])
		}
	}
	if got[5].Err == nil {
		t.Errorf("the broken document is not the problem: %+v", got[5])
	}

	for _, c := range []struct {
		lead string
		want time.Time // zero: now, when it is read
	}{
		{head("2026-11-24 12:00:01.000"), utc(24, "12:00:01.000")},
		{head("2026-11-24 12:10:00.000"), time.Time{}}, // a writer's clock ahead: now
		{"xmlevent\r\n", time.Time{}},                  // no stamp: now
	} {
		waiting(t, clk)
		clk.Advance(2 * time.Second)
		waiting(t, clk)
		appendFile(t, path, c.lead+stateDoc(1, "usReady"))
		var u oktell.Update
		err := clocktest.Drive(clk, s.Updates(), 5*time.Second, func(x oktell.Update) bool { u = x; return x.Event != nil })
		if err != nil {
			t.Fatal(err)
		}
		want := c.want
		if want.IsZero() {
			want = clk.Now()
		}
		if u.Backlog || !u.At.Equal(want) {
			t.Errorf("%q written later: at %v backlog=%v, want %v, news", c.lead, u.At, u.Backlog, want)
		}
	}
}

func itoa2(n int) string { return string(rune('0'+n/10)) + string(rune('0'+n%10)) }

// A log that appears after following began was written since: nothing in it is backlog.
func TestFollowFileThatAppearsIsNews(t *testing.T) {
	path := filepath.Join(t.TempDir(), "CommonLog.txt")
	clk := clocktest.New(t0)
	s, err := Follow(context.Background(), path, 0, Options{Clock: clk, Zone: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	waiting(t, clk)
	if err := os.WriteFile(path, []byte("2026-11-24 11:59:59.000 xmlevent\n"+stateDoc(1, "usReady")+stateDoc(2, "usLunch")), 0o644); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		var u oktell.Update
		if err := clocktest.Drive(clk, s.Updates(), 5*time.Second, func(x oktell.Update) bool { u = x; return x.Event != nil }); err != nil {
			t.Fatal(err)
		}
		if u.Backlog {
			t.Errorf("%+v: a document of a file that appeared later is marked as backlog", u)
		}
	}
}
