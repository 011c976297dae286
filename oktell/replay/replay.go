// Package replay plays captured Oktell event streams: a file or standard input with the
// original pacing (file:PATH, -), and a growing log followed as it is written
// (follow:PATH). Both are read-only sessions.
package replay

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/feed"
)

// Options tune a replay.
type Options struct {
	Clock oktell.Clock
	// Speed divides every delay (2 plays twice as fast); <= 0 means 1.
	Speed float64
	// Steady is the pause before a document without a timestamp, at speed 1 (default 1s).
	Steady time.Duration
}

func (o *Options) defaults() {
	if o.Clock == nil {
		o.Clock = oktell.RealClock{}
	}
	if o.Speed <= 0 {
		o.Speed = 1
	}
	if o.Steady <= 0 {
		o.Steady = time.Second
	}
}

// Session is a read-only session playing documents found in a byte stream.
type Session struct {
	*feed.Feed
	kind string
}

var _ oktell.Session = (*Session)(nil)

// Capabilities: read-only.
func (s *Session) Capabilities() oktell.Capabilities {
	return oktell.Capabilities{Kind: s.kind, ReadOnly: true}
}

// SetUserState is not possible on a replay.
func (s *Session) SetUserState(context.Context, oktell.UserState, bool) error {
	return oktell.ErrUnsupported
}

// SendMessage is not possible on a replay.
func (s *Session) SendMessage(context.Context, string, string) error { return oktell.ErrUnsupported }

// item is a scanner item whose bytes are the receiver's own.
type item struct {
	oktell.Item
	err error // the reader's error: the end of the input
}

// scan reads r on its own goroutine (a read from standard input cannot be interrupted)
// and hands over copies of the items until the input ends or done is closed.
func scan(r io.Reader, done <-chan struct{}) <-chan item {
	out := make(chan item, 16)
	go func() {
		defer close(out)
		sc := oktell.NewScanner(r)
		for {
			it, err := sc.Next()
			if err != nil {
				select {
				case out <- item{err: err}:
				case <-done:
				}
				return
			}
			it.Raw = append([]byte(nil), it.Raw...)
			select {
			case out <- item{Item: it}:
			case <-done:
				return
			}
		}
	}()
	return out
}

// Open plays the documents of r, named name in status lines, with their original pacing:
// the timestamp a log writer put before each document (see Stamp), else opts.Steady
// between documents, both divided by opts.Speed. A broken document is reported as a
// status and skipped; the documents around it still play. When the input ends the
// session says so and stays open. closer, when not nil, is closed with the session.
func Open(ctx context.Context, r io.Reader, name string, closer io.Closer, opts Options) *Session {
	opts.defaults()
	f := feed.New(ctx, opts.Clock, 64)
	s := &Session{Feed: f, kind: "file"}
	f.Status(oktell.LinkReadOnly, "replaying "+name)
	f.Go(func(ctx context.Context) {
		if closer != nil {
			defer closer.Close()
		}
		items := scan(r, ctx.Done())
		p := newPacer(opts.Speed, opts.Steady)
		docs, problems := 0, 0
		for {
			var it item
			select {
			case i, ok := <-items:
				if !ok { // closed only once the session is closing
					return
				}
				it = i
			case <-ctx.Done():
				return
			}
			if it.err != nil {
				why := "end of input"
				if !errors.Is(it.err, io.EOF) {
					why = "read error: " + it.err.Error()
				}
				f.Status(oktell.LinkReadOnly, fmt.Sprintf("%s: %s after %s (%s)", name, why, count(docs, "document"), count(problems, "problem")))
				return
			}
			if it.Err != nil {
				problems++
				if !f.Status(oktell.LinkReadOnly, fmt.Sprintf("%s: skipped at byte %d: %v", name, it.Offset, it.Err)) {
					return
				}
				continue
			}
			if d := p.delay(it.Lead); d > 0 {
				select {
				case <-opts.Clock.After(d):
				case <-ctx.Done():
					return
				}
			}
			docs++
			if !deliver(f, it.Doc, it.Raw) {
				return
			}
		}
	})
	return s
}

func deliver(f *feed.Feed, d *oktell.Document, raw []byte) bool {
	for _, ev := range d.Events {
		if !f.Event(ev, raw) {
			return false
		}
	}
	return true
}

func count(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
