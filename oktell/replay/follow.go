package replay

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/feed"
)

// DefaultPoll is how often a followed log is looked at when nothing new was read.
const DefaultPoll = 250 * time.Millisecond

// fingerprintLen is how many bytes of the start of a followed file, and of what was read
// last, are kept to recognise the file: a log truncated and written again past its old
// size between two looks has the same name, identity and a size that only grew, but not
// the same bytes.
const fingerprintLen = 1024

// tail reads a growing file: at its end it waits (polling on the clock) for more, and
// it follows the path to a new file when the log is rotated (renamed and recreated)
// and back to the start when the file is truncated or rewritten.
//
// Each file (and each rewrite of one) is a segment: at the end of a segment Read returns
// io.EOF once, so the caller starts a new scanner and byte offsets count from the start
// of the file they are in. name says which file the current segment is.
type tail struct {
	path  string
	clock oktell.Clock
	poll  time.Duration
	ctx   context.Context

	f      *os.File
	info   os.FileInfo
	pos    int64
	atEnd  bool          // the last read reached the end of f: look at the path before reading again
	next   bool          // a new segment begins: Read says io.EOF once
	caught atomic.Bool   // the end of the content present at the start was reached
	found  bool          // the file was there at the start: what it held then is the backlog
	head   []byte        // the first bytes of the file, as read
	back   []byte        // the last bytes read, just before pos
	files  int           // segments begun so far, the first included
	name   oktell.Reason // the current segment's file, for messages: its path, or which later file it is

	status func(oktell.Reason) // rotations, truncations and catching up, for the status line
}

func newTail(ctx context.Context, path string, f *os.File, info os.FileInfo, clock oktell.Clock, poll time.Duration, status func(oktell.Reason)) *tail {
	t := &tail{path: path, clock: clock, poll: poll, ctx: ctx, f: f, info: info, files: 1, name: oktell.Quoted(oktell.CleanLine(path)), status: status, found: f != nil}
	if f == nil {
		t.files = 0 // waiting for the file to appear: it will be the first
	}
	return t
}

// backlog says what is read now was in the file when following began: a file found at
// the start, not yet read to its end. A file that appeared later was written since.
func (t *tail) backlog() bool { return t.found && !t.caught.Load() }

func (t *tail) Read(p []byte) (int, error) {
	if t.next {
		t.next = false
		return 0, io.EOF
	}
	for {
		if t.f != nil && !t.atEnd {
			n, err := t.f.Read(p)
			if n > 0 {
				t.remember(p[:n])
				return n, nil
			}
			if err != nil && err != io.EOF {
				return 0, oktell.Wrap(oktell.Because(oktell.ReasonInputFailed, t.name, err.Error()), err)
			}
			t.atEnd = true
			if !t.caught.Swap(true) {
				t.note(oktell.Because(oktell.ReasonUpToDate))
			}
		}
		if t.look() {
			t.atEnd = false
			if t.next {
				t.next = false
				return 0, io.EOF
			}
			continue
		}
		select {
		case <-t.clock.After(t.poll):
		case <-t.ctx.Done():
			return 0, t.ctx.Err()
		}
	}
}

// remember keeps the fingerprint of what was just read.
func (t *tail) remember(b []byte) {
	if len(t.head) < fingerprintLen {
		t.head = append(t.head, b[:min(len(b), fingerprintLen-len(t.head))]...)
	}
	if len(b) >= fingerprintLen {
		t.back = append(t.back[:0], b[len(b)-fingerprintLen:]...)
	} else {
		t.back = append(t.back, b...)
		if over := len(t.back) - fingerprintLen; over > 0 {
			t.back = t.back[:copy(t.back, t.back[over:])]
		}
	}
	t.pos += int64(len(b))
}

// same tells whether the file still holds, at the start and just before pos, the bytes
// read from there.
func (t *tail) same() bool {
	return t.holds(0, t.head) && t.holds(t.pos-int64(len(t.back)), t.back)
}

func (t *tail) holds(off int64, want []byte) bool {
	if len(want) == 0 {
		return true
	}
	got := make([]byte, len(want))
	n, _ := t.f.ReadAt(got, off)
	return n == len(want) && bytes.Equal(got, want)
}

// look examines the path once the end of the current file was reached and reports
// whether there may be something to read right away (from a new segment when t.next).
func (t *tail) look() bool {
	info, err := os.Stat(t.path)
	if err != nil {
		if t.f != nil {
			t.note(oktell.Because(oktell.ReasonFileGone)) // rotated away, not yet recreated
		}
		return false
	}
	if t.f != nil && os.SameFile(info, t.info) {
		switch {
		case info.Size() < t.pos:
			return t.restart(oktell.Because(oktell.ReasonTruncated), oktell.Because(oktell.ReasonFileTruncated))
		case !t.same():
			// Truncated and written again past the old size between two looks, or
			// rewritten in place: what lies beyond pos is not the continuation.
			return t.restart(oktell.Because(oktell.ReasonRewritten), oktell.Because(oktell.ReasonFileRewritten))
		}
		return info.Size() > t.pos
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
	if st, err := f.Stat(); err == nil {
		info = st
	}
	if t.f != nil {
		t.f.Close()
		t.f, t.info = f, info
		t.begin(oktell.Because(oktell.ReasonFileRotated))
		t.note(oktell.Because(oktell.ReasonRotated))
	} else {
		// The file did not exist when following began: it is the first file, read from
		// its start like any file found at the start.
		t.f, t.info, t.files = f, info, 1
		t.note(oktell.Because(oktell.ReasonFileAppeared))
	}
	return true
}

// restart reads the current file again from its start, as a new segment.
func (t *tail) restart(note, why oktell.Reason) bool {
	if _, err := t.f.Seek(0, io.SeekStart); err != nil {
		return false
	}
	t.begin(why)
	t.note(note)
	return true
}

// begin starts a new segment at the start of t.f; why says what happened to the log (a
// code, so that the dashboard names the segment in the operator's language).
func (t *tail) begin(why oktell.Reason) {
	t.pos, t.head, t.back = 0, t.head[:0], t.back[:0]
	t.files++
	t.name = oktell.Because(oktell.ReasonFollowedFile, oktell.CleanLine(t.path), strconv.Itoa(t.files), why, t.clock.Now().Format("15:04:05"))
	t.next = true
}

func (t *tail) note(s oktell.Reason) {
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
// at once, without pacing, as the backlog (Update.Backlog), so the dashboard shows the
// current state without announcing the past; then each new document is delivered as
// it is written. Every update carries the log's time: a document's stamp (see Stamp;
// a time of day alone is on the last day it is not after now), never after the session
// clock's now; one without a stamp, the time of the one before in the backlog, else
// now. "Now" is the session clock's: the backlog is in the past. It survives rotation (the file renamed and
// recreated) and truncation, polling every poll (0: DefaultPoll) on the clock. A file
// that does not exist yet is waited for (status "waiting for PATH to appear"), as
// tail -F does: the log of a client that has not started yet. Any other error opening
// it (no permission, a directory) is returned.
func Follow(ctx context.Context, path string, poll time.Duration, opts Options) (*FollowSession, error) {
	opts.defaults()
	if poll <= 0 {
		poll = DefaultPoll
	}
	var info os.FileInfo
	f, err := os.Open(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		f = nil
	case err != nil:
		return nil, err
	default:
		if info, err = f.Stat(); err != nil {
			f.Close()
			return nil, err
		}
		if info.IsDir() {
			f.Close()
			return nil, fmt.Errorf("%s is a directory", path)
		}
	}
	fd := feed.New(ctx, opts.Clock, 64)
	s := &FollowSession{Session{feed: fd, kind: oktell.SourceFollow}}
	t := newTail(fd.Context(), path, f, info, opts.Clock, poll, func(n oktell.Reason) {
		fd.StatusWhy(oktell.LinkReadOnly, oktell.Because(oktell.ReasonFollowNote, path, n))
	})
	if f == nil {
		fd.StatusWhy(oktell.LinkReadOnly, oktell.Because(oktell.ReasonWaitingFile, path))
	} else {
		fd.StatusWhy(oktell.LinkReadOnly, oktell.Because(oktell.ReasonFollowing, path))
	}
	fd.Go(func(ctx context.Context) {
		defer t.Close()
		lt := logTimes{loc: opts.Zone, clock: opts.Clock}
		// The tail reader waits on ctx itself, so the scanner runs on this goroutine. Each
		// file (or rewrite of one) gets its own scanner: a document cut by a rotation is
		// reported, not glued to the next file, and offsets count within their file.
		for {
			name := t.name
			sc := oktell.NewScanner(t)
			for {
				it, err := sc.Next()
				if errors.Is(err, io.EOF) && ctx.Err() == nil {
					break // the next file
				}
				if err != nil {
					if ctx.Err() == nil {
						fd.StatusWhy(oktell.LinkReadOnly, oktell.Because(oktell.ReasonStoppedFollow, path, oktell.ReasonOf(err)))
					}
					return
				}
				backlog := t.backlog()
				at := lt.at(it.Lead, backlog)
				if it.Err != nil {
					if !fd.Send(oktell.Update{At: at, Err: feed.SkippedIn(name, it), Backlog: backlog}) {
						return
					}
					continue
				}
				if !deliver(fd, it.Doc, append([]byte(nil), it.Raw...), at, backlog) {
					return
				}
			}
		}
	})
	return s, nil
}

// logTimes gives a followed log's documents their times (see Follow).
type logTimes struct {
	loc   *time.Location
	clock oktell.Clock
	last  time.Time // the time of the document before
}

func (l *logTimes) at(lead string, backlog bool) time.Time {
	now := l.clock.Now()
	t, dayless, ok := Stamp(lead, l.loc)
	switch {
	case !ok && backlog && !l.last.IsZero():
		t = l.last // written after the one before: that is all the log says
	case !ok:
		t = now
	case dayless:
		t = notAfter(t, now)
	}
	if t.After(now) { // a writer's clock ahead of ours: nothing is read before it is written
		t = now
	}
	l.last = t
	return t
}
