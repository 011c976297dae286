package replay

import (
	"bytes"
	"context"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
)

// settled waits until no more goroutines run than before and none of them is the
// replay's reader, and fails the test with their stacks when that does not happen.
func settled(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	buf := make([]byte, 1<<20)
	for {
		stacks := string(buf[:runtime.Stack(buf, true)])
		n := runtime.NumGoroutine()
		if n <= before && !strings.Contains(stacks, "oktell/replay.scan") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines, %d before the session:\n%s", n, before, stacks)
		}
		runtime.Gosched()
		time.Sleep(time.Millisecond) // a goroutine that called Done may still be on its way out
	}
}

// firstUpdate waits for the first event of s.
func firstUpdate(t *testing.T, s oktell.Session) {
	t.Helper()
	if err := clocktest.Drive(clocktest.New(t0), s.Updates(), 5*time.Second, func(u oktell.Update) bool { return u.Event != nil }); err != nil {
		t.Fatal(err)
	}
}

// A pipe whose writer stays open: the reader is blocked in Read when the session closes.
func TestReplayCloseReleasesAPipe(t *testing.T) {
	before := runtime.NumGoroutine()
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pw.Close()
	if _, err := pw.WriteString(stateDoc(1, "usReady")); err != nil {
		t.Fatal(err)
	}
	s := Open(context.Background(), pr, "pipe", pr, Options{Clock: instant{}})
	firstUpdate(t, s)
	s.Close()
	settled(t, before)
}

// cancelable blocks in Read until Cancel, like a cancelreader over standard input.
type cancelable struct {
	r        io.Reader
	once     sync.Once
	canceled chan struct{}
}

func (c *cancelable) Read(p []byte) (int, error) {
	if n, err := c.r.Read(p); n > 0 || err != io.EOF {
		return n, err
	}
	<-c.canceled
	return 0, io.ErrClosedPipe
}

func (c *cancelable) Cancel() bool {
	c.once.Do(func() { close(c.canceled) })
	return true
}

func TestReplayCloseCancelsACanceler(t *testing.T) {
	before := runtime.NumGoroutine()
	r := &cancelable{r: strings.NewReader(stateDoc(1, "usReady")), canceled: make(chan struct{})}
	s := Open(context.Background(), r, "standard input", nil, Options{Clock: instant{}})
	firstUpdate(t, s)
	s.Close()
	settled(t, before)
}

// stuck blocks in Read until the test lets it go: a reader nothing can interrupt.
type stuck struct {
	data    *bytes.Reader
	release chan struct{}
}

func (s *stuck) Read(p []byte) (int, error) {
	if s.data.Len() > 0 {
		return s.data.Read(p)
	}
	<-s.release
	return 0, io.EOF
}

// Close does not wait for a read it cannot end: the session still closes at once.
func TestReplayCloseDoesNotWaitForAStuckReader(t *testing.T) {
	before := runtime.NumGoroutine()
	r := &stuck{data: bytes.NewReader([]byte(stateDoc(1, "usReady"))), release: make(chan struct{})}
	s := Open(context.Background(), r, "standard input", nil, Options{Clock: instant{}})
	firstUpdate(t, s)
	closed := make(chan struct{})
	go func() { s.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("Close waited for a read that cannot end")
	}
	close(r.release) // input arrives (or ends): the reader goroutine goes too
	settled(t, before)
}
