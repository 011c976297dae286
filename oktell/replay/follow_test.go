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

func stateDoc(state int, name string) string {
	return `<?xml version="1.0" encoding="utf-16"?>
<oktellcommapper version="80710"><data><event id="111" name="userstatechanged">
<property_simple key="newstate" value="` + itoa(state) + `" name="` + name + `" />
<property_simple key="redirect" value="0" /></event></data></oktellcommapper>
`
}

func itoa(i int) string { return string(rune('0' + i)) }

// nextEvent waits for the next event, moving the fake clock on to the next poll
// whenever the follower is parked on it, and returns the statuses before it.
func nextEvent(t *testing.T, clk *clocktest.Clock, s oktell.Session) (oktell.Event, []string) {
	t.Helper()
	var (
		statuses []string
		ev       oktell.Event
	)
	err := clocktest.Drive(clk, s.Updates(), 5*time.Second, func(u oktell.Update) bool {
		if u.Status != nil {
			statuses = append(statuses, u.Status.Reason)
			return false
		}
		ev = *u.Event
		return true
	})
	if err != nil {
		t.Fatalf("no event: %v; statuses %q", err, statuses)
	}
	return ev, statuses
}

func wantState(t *testing.T, ev oktell.Event, want oktell.UserState) {
	t.Helper()
	sc, err := ev.StateChange()
	if err != nil || sc.State != want {
		t.Fatalf("event %+v (%v), want state %s", ev, err, want)
	}
}

func TestFollowLogRotatedAndTruncated(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "CommonLog.txt")
	heading := "24.11.2026 12:00:00.000 xmlevent\r\n"
	if err := os.WriteFile(path, []byte(heading+stateDoc(7, "usWOphone")+heading+stateDoc(1, "usReady")), 0o644); err != nil {
		t.Fatal(err)
	}
	clk := clocktest.New(t0)
	s, err := Follow(context.Background(), path, 0, Options{Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if c := s.Capabilities(); c.Kind != "follow" || !c.ReadOnly {
		t.Errorf("capabilities %+v", c)
	}
	// What the log held plays at once, without waiting on the clock.
	ev, _ := nextEvent(t, clk, s)
	wantState(t, ev, oktell.UserWOphone)
	ev, _ = nextEvent(t, clk, s)
	wantState(t, ev, oktell.UserReady)
	if !clk.Now().Equal(t0) {
		t.Errorf("the existing content waited until %v", clk.Now())
	}

	appendFile(t, path, heading+stateDoc(2, "usLunch"))
	ev, _ = nextEvent(t, clk, s)
	wantState(t, ev, oktell.UserLunch)

	// A document cut by the rotation: its first half in the old file.
	half := stateDoc(3, "usOff")
	appendFile(t, path, heading+half[:40])
	if err := os.Rename(path, path+".1"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(heading+stateDoc(5, "usFullbusy")), 0o644); err != nil {
		t.Fatal(err)
	}
	ev, st := nextEvent(t, clk, s)
	wantState(t, ev, oktell.UserFullbusy)
	if !containsAny(st, "rotated") {
		t.Errorf("statuses %q: the rotation was not reported", st)
	}

	if err := os.WriteFile(path, []byte(stateDoc(1, "usReady")), 0o644); err != nil {
		t.Fatal(err)
	}
	ev, st = nextEvent(t, clk, s)
	wantState(t, ev, oktell.UserReady)
	if !containsAny(st, "truncated") {
		t.Errorf("statuses %q: the truncation was not reported", st)
	}
}

func TestFollowMissingFile(t *testing.T) {
	if _, err := Follow(context.Background(), filepath.Join(t.TempDir(), "nope"), 0, Options{}); err == nil {
		t.Error("following a missing file: no error")
	}
}

func containsAny(ss []string, sub string) bool {
	for _, s := range ss {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
