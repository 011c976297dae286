package replay

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
	"github.com/okdash/okdash/oktell/feed"
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
// nextEvent drives the clock until the next event, returning the statuses and problems
// (Update.Err, as "error: TEXT") reported before it.
func nextEvent(t *testing.T, clk *clocktest.Clock, s oktell.Session) (oktell.Event, []string) {
	t.Helper()
	var (
		statuses []string
		ev       oktell.Event
	)
	err := clocktest.Drive(clk, s.Updates(), 5*time.Second, func(u oktell.Update) bool {
		if u.Status != nil {
			statuses = append(statuses, u.Status.Why.String())
			return false
		}
		if u.Err != nil {
			var ie *feed.InputError
			if !errors.As(u.Err, &ie) {
				t.Errorf("Update.Err %T %v, want a *feed.InputError", u.Err, u.Err)
			}
			statuses = append(statuses, "error: "+u.Err.Error())
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
	if c := s.Capabilities(); c.Kind != oktell.SourceFollow || !c.ReadOnly {
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

// Like tail -F, a log that does not exist yet is waited for, then read from its start as
// the first file; problems in it name it without a "file N" suffix.
func TestFollowWaitsForTheFileToAppear(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "CommonLog.txt")
	clk := clocktest.New(t0)
	s, err := Follow(context.Background(), path, 0, Options{Clock: clk})
	if err != nil {
		t.Fatalf("following a log not written yet: %v", err)
	}
	defer s.Close()
	first := <-s.Updates()
	if first.Status == nil || first.Status.Why.String() != "waiting for "+path+" to appear" {
		t.Fatalf("first update %+v, want the status saying the file is waited for", first)
	}
	parked(t, clk)
	clk.Advance(time.Second) // still nothing: it keeps waiting, quietly
	parked(t, clk)
	heading := "24.11.2026 12:00:00.000 xmlevent\r\n"
	broken := `<oktellcommapper version="80710"><data><event name="x"></data></oktellcommapper>` + "\r\n"
	if err := os.WriteFile(path, []byte(broken+heading+stateDoc(1, "usReady")), 0o644); err != nil {
		t.Fatal(err)
	}
	ev, st := nextEvent(t, clk, s)
	wantState(t, ev, oktell.UserReady)
	wantStatus(t, st, path+": the file appeared; reading it")
	wantStatus(t, st, "error: "+path+": byte 0: skipped a malformed document")
	for _, x := range st {
		if strings.Contains(x, "gone") || strings.Contains(x, "(file ") {
			t.Errorf("status %q: the first file is not a rotation", x)
		}
	}
	appendFile(t, path, heading+stateDoc(2, "usLunch"))
	ev, _ = nextEvent(t, clk, s)
	wantState(t, ev, oktell.UserLunch)
}

// Other errors opening the log are not waited out.
func TestFollowDirectoryAndUnreadable(t *testing.T) {
	dir := t.TempDir()
	if _, err := Follow(context.Background(), dir, 0, Options{}); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("following a directory: %v", err)
	}
	if os.Geteuid() == 0 {
		t.Skip("root reads any file")
	}
	p := filepath.Join(dir, "secret.log")
	if err := os.WriteFile(p, nil, 0o000); err != nil {
		t.Fatal(err)
	}
	if _, err := Follow(context.Background(), p, 0, Options{}); err == nil {
		t.Error("following an unreadable file: no error")
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

// Problems are told with the file they are in and the byte offset in that file, also
// after a rotation and a truncation.
func TestFollowOffsetsArePerFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "CommonLog.txt")
	heading := "24.11.2026 12:00:00.000 xmlevent\r\n"
	first := heading + stateDoc(7, "usWOphone") + heading + stateDoc(1, "usReady")
	if err := os.WriteFile(path, []byte(first), 0o644); err != nil {
		t.Fatal(err)
	}
	clk := clocktest.New(t0)
	s, err := Follow(context.Background(), path, 0, Options{Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	nextEvent(t, clk, s)
	nextEvent(t, clk, s)

	// The old file ends in half a document; the new one starts with a broken one.
	parked(t, clk)
	clk.Advance(time.Second) // the rotation is seen at 12:00:01
	parked(t, clk)
	cut := stateDoc(3, "usOff")[:60]
	appendFile(t, path, heading+cut)
	if err := os.Rename(path, path+".1"); err != nil {
		t.Fatal(err)
	}
	broken := `<oktellcommapper version="80710"><data><event name="x"></data></oktellcommapper>` + "\r\n"
	if err := os.WriteFile(path, []byte(heading+broken+heading+stateDoc(5, "usFullbusy")), 0o644); err != nil {
		t.Fatal(err)
	}
	ev, st := nextEvent(t, clk, s)
	wantState(t, ev, oktell.UserFullbusy)
	wantStatus(t, st, fmt.Sprintf("error: %s: byte %d: skipped an incomplete document: utf-8 document cut short", path, len(first)+len(heading)))
	// The broken element is 55 bytes into its document.
	wantStatus(t, st, fmt.Sprintf("error: %s (file 2: rotated at 12:00:01): byte %d: skipped a malformed document, the mistake at byte %d: </data> closes <event> (opened at byte %d)", path, len(heading), len(heading)+55, len(heading)+39))

	// Truncated and refilled within one look, a broken document in the new content.
	parked(t, clk)
	clk.Advance(time.Second)
	parked(t, clk)
	if err := os.WriteFile(path, []byte(heading+heading+broken+stateDoc(1, "usReady")+heading+stateDoc(2, "usLunch")), 0o644); err != nil {
		t.Fatal(err)
	}
	ev, st = nextEvent(t, clk, s)
	wantState(t, ev, oktell.UserReady)
	wantStatus(t, st, path+": rewritten; reading from the start")
	wantStatus(t, st, fmt.Sprintf("error: %s (file 3: rewritten at 12:00:02): byte %d: skipped a malformed document, the mistake at byte %d: </data> closes <event> (opened at byte %d)", path, 2*len(heading), 2*len(heading)+55, 2*len(heading)+39))
	ev, _ = nextEvent(t, clk, s)
	wantState(t, ev, oktell.UserLunch)
}

func wantStatus(t *testing.T, statuses []string, prefix string) {
	t.Helper()
	for _, s := range statuses {
		if strings.HasPrefix(s, prefix) || strings.HasPrefix(s, "following "+prefix) {
			return
		}
	}
	t.Errorf("no status starts with %q:\n%s", prefix, strings.Join(statuses, "\n"))
}

// parked waits until the follower waits on the clock, done with the file for now: the
// files are changed only then, so that it never sees them half written.
func parked(t *testing.T, clk *clocktest.Clock) {
	t.Helper()
	if !clk.WaitPending(1, 5*time.Second) {
		t.Fatal("the follower did not wait at the end of the file")
	}
}
