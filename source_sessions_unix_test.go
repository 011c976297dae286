//go:build unix

package main

import (
	"context"
	"io"
	"os"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
)

const readyDoc = `<oktellcommapper version="80710"><data><event id="111" name="userstatechanged">
<property_simple key="newstate" value="1" name="usReady" /><property_simple key="redirect" value="0" /></event></data></oktellcommapper>
`

// stdinConsole is a console whose standard input is f, what `--source -` reads.
func stdinConsole(f *os.File) console { return console{in: f, err: io.Discard} }

// settled waits until no more goroutines run than before and none of them reads for
// a replay, and fails the test with their stacks when that does not happen.
func settled(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	buf := make([]byte, 1<<20)
	for {
		stacks := string(buf[:runtime.Stack(buf, true)])
		n := runtime.NumGoroutine()
		if n <= before && !strings.Contains(stacks, "oktell/replay.") && !strings.Contains(stacks, "cancelreader") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines, %d before the session:\n%s", n, before, stacks)
		}
		runtime.Gosched()
		time.Sleep(time.Millisecond) // a goroutine that called Done may still be on its way out
	}
}

// Standard input as a shell gives it: a blocking pipe whose writer stays open and silent.
// Closing the session ends the read waiting on it, and leaves standard input open.
func TestStdinPipeReleasedOnClose(t *testing.T) {
	var fds [2]int
	if err := syscall.Pipe(fds[:]); err != nil {
		t.Fatal(err)
	}
	r, w := os.NewFile(uintptr(fds[0]), "stdin"), os.NewFile(uintptr(fds[1]), "writer")
	defer r.Close()
	defer w.Close()
	if _, err := w.WriteString(readyDoc); err != nil {
		t.Fatal(err)
	}

	before := runtime.NumGoroutine()
	s, err := openSession(context.Background(), sourceFlags{Source: "-", Speed: 1}, clocktest.New(testStart), stdinConsole(r))
	if err != nil {
		t.Fatal(err)
	}
	if u := firstEvent(t, s); u.Event.Type != oktell.UserStateChanged {
		t.Errorf("first event %s", u.Event.Type)
	}
	s.Close()
	settled(t, before)

	// Standard input is still open and in blocking mode: what comes next is there to read.
	if _, err := w.WriteString("after"); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 16)
	if n, err := r.Read(buf); err != nil || string(buf[:n]) != "after" {
		t.Errorf("standard input after the session: %q, %v", buf[:n], err)
	}
}

// /dev/null is a character device but not a terminal: an empty stream, not an error.
func TestStdinDevNull(t *testing.T) {
	f, err := os.Open(os.DevNull)
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	before := runtime.NumGoroutine()
	s, err := openSession(context.Background(), sourceFlags{Source: "-", Speed: 1}, clocktest.New(testStart), stdinConsole(f))
	if err != nil {
		t.Fatal(err)
	}
	err = clocktest.Drive(clocktest.New(testStart), s.Updates(), 5*time.Second, func(u oktell.Update) bool {
		return u.Status != nil && strings.Contains(u.Status.Why.String(), "end of input after 0 documents")
	})
	if err != nil {
		t.Error(err)
	}
	s.Close()
	settled(t, before)
}
