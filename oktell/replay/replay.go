// Package replay plays captured Oktell event streams: a file or standard input with the
// original pacing (file:PATH, -), and a growing log followed as it is written
// (follow:PATH). Both are read-only sessions.
package replay

import (
	"context"
	"errors"
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
	// Zone is the zone of the timestamps that name none (nil: time.Local, the log
	// written on this machine): the log's times are read in it.
	Zone *time.Location
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
	if o.Zone == nil {
		o.Zone = time.Local
	}
}

// Session is a read-only session playing documents found in a byte stream.
type Session struct {
	feed *feed.Feed // delivers the updates: its methods are the session's own business
	kind oktell.SourceKind
	tl   *feed.Timeline // a replay's place in its log; nil when following
}

var _ oktell.Session = (*Session)(nil)

// Capabilities: read-only, in the log's times; a replay says where it is in its log.
func (s *Session) Capabilities() oktell.Capabilities {
	// The line, from the log's line events (231-243); a log has no queue or colleagues.
	c := oktell.Capabilities{Kind: s.kind, ReadOnly: true, Line: true, LogTimes: true}
	if s.tl != nil {
		c.Position = s.tl
	}
	return c
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

// scan reads r on its own goroutine (a read from standard input cannot be interrupted by
// the session's context) and hands over copies of the items until the input ends or done
// is closed. The returned ended is closed when the goroutine has returned.
func scan(r io.Reader, done <-chan struct{}) (items <-chan item, ended <-chan struct{}) {
	out := make(chan item, 16)
	end := make(chan struct{})
	go func() {
		defer close(end)
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
	return out, end
}

// Open plays the documents of r, named name in status lines, with their original pacing:
// the timestamp a log writer put before each document (see Stamp), else opts.Steady
// between documents, both divided by opts.Speed. Every update carries the log's time
// (Update.At: the document's stamp), and the session's Position is the replay's place
// in the log, moving on at opts.Speed (see feed.Timeline): the dashboard's "now". A
// broken document is reported as a status and skipped; the documents around it still
// play. When the input ends the session says so and stays open.
//
// r is read on a goroutine of its own. Close ends it and waits for it when it can: when r
// is a feed.Canceler, and when closer is not nil; closer is closed with the session, and
// closing it must end a pending Read of r (it does for files and sockets). With a reader
// that is neither, a Read that never returns is left behind (see release).
func Open(ctx context.Context, r io.Reader, name string, closer io.Closer, opts Options) *Session {
	opts.defaults()
	tl := feed.NewTimeline(opts.Clock, opts.Speed)
	f := feed.New(ctx, tl, 64) // every update stamped with the replay's place in the log
	s := &Session{feed: f, kind: oktell.SourceFile, tl: tl}
	f.StatusWhy(oktell.LinkReadOnly, oktell.Because(oktell.ReasonReplaying, name))
	f.Go(func(ctx context.Context) {
		items, ended := scan(r, ctx.Done())
		defer feed.Release(r, closer, ended)
		p := newPacer(opts.Speed, opts.Steady, opts.Zone)
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
				tl.Run() // the log is over; its time goes on
				why := oktell.Because(oktell.ReasonInputEnded, name, docs, problems)
				if !errors.Is(it.err, io.EOF) {
					why = oktell.Because(oktell.ReasonReadError, name, it.err.Error(), docs, problems)
				}
				f.StatusWhy(oktell.LinkReadOnly, why)
				return
			}
			if it.Err != nil {
				problems++
				if !f.Problem(feed.Skipped(name, it.Item)) {
					return
				}
				continue
			}
			at, d := p.next(it.Lead, opts.Clock.Now())
			if d > 0 {
				tl.Toward(at)
				select {
				case <-opts.Clock.After(d):
				case <-ctx.Done():
					return
				}
			}
			tl.At(at)
			docs++
			if !deliver(f, it.Doc, it.Raw, at, false) {
				return
			}
		}
	})
	return s
}

// deliver hands on the events of d, or, for a request the operator made that a recording
// kept (see oktell.SentDocument), the request or its outcome as Update.Sent, at the
// log's time at; backlog marks catch-up (see oktell.Update.Backlog).
func deliver(f *feed.Feed, d *oktell.Document, raw []byte, at time.Time, backlog bool) bool {
	if s, ok := oktell.AsSent(d); ok {
		return f.Send(oktell.Update{At: at, Sent: &s, Backlog: backlog})
	}
	for i := range d.Events {
		ev := d.Events[i]
		if !f.EventUpdate(oktell.Update{At: at, Event: &ev, Raw: raw, Backlog: backlog}) {
			return false
		}
	}
	return true
}

// Updates implements oktell.Session.
func (s *Session) Updates() <-chan oktell.Update { return s.feed.Updates() }

// Close implements oktell.Session: it stops reading and closes Updates.
func (s *Session) Close() error { return s.feed.Close() }
