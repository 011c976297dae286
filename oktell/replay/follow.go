package replay

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync/atomic"
	"time"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/feed"
)

// DefaultPoll is how often a followed log is looked at when nothing new was read.
const DefaultPoll = 250 * time.Millisecond

// tail reads a growing file: at its end it waits (polling on the clock) for more, and
// it follows the path to a new file when the log is rotated (renamed and recreated)
// and back to the start when the file is truncated.
type tail struct {
	path  string
	clock oktell.Clock
	poll  time.Duration
	ctx   context.Context

	f      *os.File
	info   os.FileInfo
	pos    int64
	caught atomic.Bool // the end of the content present at the start was reached

	status func(string) // rotations, truncations and catching up, for the status line
}

func (t *tail) Read(p []byte) (int, error) {
	for {
		if t.f != nil {
			n, err := t.f.Read(p)
			t.pos += int64(n)
			if n > 0 {
				return n, nil
			}
			if err != nil && err != io.EOF {
				return 0, err
			}
			if !t.caught.Swap(true) {
				t.note("up to date, waiting for new documents")
			}
			if t.reopen() {
				continue
			}
		} else if t.reopen() {
			continue
		}
		select {
		case <-t.clock.After(t.poll):
		case <-t.ctx.Done():
			return 0, t.ctx.Err()
		}
	}
}

// reopen looks at the path after the end of the current file was reached and reports
// whether there may be something new to read right away.
func (t *tail) reopen() bool {
	info, err := os.Stat(t.path)
	if err != nil {
		t.note("the file is gone; waiting for it to come back") // rotated away, not yet recreated
		return false
	}
	if t.f != nil && os.SameFile(info, t.info) {
		if info.Size() < t.pos { // truncated in place
			if _, err := t.f.Seek(0, io.SeekStart); err != nil {
				return false
			}
			t.pos = 0
			t.note("truncated; reading from the start")
			return true
		}
		return false
	}
	if t.f != nil {
		if st, err := t.f.Stat(); err == nil && st.Size() > t.pos {
			return true // written to after we reached its end: finish it before moving on
		}
	}
	f, err := os.Open(t.path)
	if err != nil {
		return false
	}
	if t.f != nil {
		t.f.Close()
		t.note("rotated; reading the new file")
	}
	t.f, t.info, t.pos = f, info, 0
	if st, err := f.Stat(); err == nil {
		t.info = st
	}
	return true
}

func (t *tail) note(s string) {
	if t.status != nil {
		t.status(s)
	}
}

func (t *tail) Close() error {
	if t.f != nil {
		return t.f.Close()
	}
	return nil
}

// FollowSession is a followed log.
type FollowSession struct{ Session }

// Follow tails the log at path, as `tail -F` does. What the file already holds is played
// at once, without pacing, so the dashboard shows the current state; then each new
// document is delivered as it is written. It survives rotation (the file renamed and
// recreated) and truncation, polling every poll (0: DefaultPoll) on the clock.
func Follow(ctx context.Context, path string, poll time.Duration, opts Options) (*FollowSession, error) {
	opts.defaults()
	if poll <= 0 {
		poll = DefaultPoll
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if info.IsDir() {
		f.Close()
		return nil, fmt.Errorf("%s is a directory", path)
	}
	fd := feed.New(ctx, opts.Clock, 64)
	s := &FollowSession{Session{Feed: fd, kind: "follow"}}
	t := &tail{path: path, clock: opts.Clock, poll: poll, ctx: fd.Context(), f: f, info: info,
		status: func(n string) { fd.Status(oktell.LinkReadOnly, "following "+path+": "+n) }}
	fd.Status(oktell.LinkReadOnly, "following "+path)
	fd.Go(func(ctx context.Context) {
		defer t.Close()
		// The tail reader waits on ctx itself, so the scanner runs on this goroutine.
		sc := oktell.NewScanner(t)
		for {
			it, err := sc.Next()
			if err != nil {
				if ctx.Err() == nil {
					fd.Status(oktell.LinkReadOnly, fmt.Sprintf("%s: stopped following: %v", path, err))
				}
				return
			}
			if it.Err != nil {
				fd.Status(oktell.LinkReadOnly, fmt.Sprintf("%s: skipped at byte %d: %v", path, it.Offset, it.Err))
				continue
			}
			if !deliver(fd, it.Doc, append([]byte(nil), it.Raw...)) {
				return
			}
		}
	})
	return s, nil
}
