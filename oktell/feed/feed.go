// Package feed is the small core every okdash session is built on: it owns the Updates
// channel, stamps each update with the session's clock, runs the session's goroutines
// and, on Close, stops them and closes the channel exactly once.
//
// A source (the demo, a replay, the bridge) holds a *Feed in a field of its own (not
// embedded: Send, Event, StatusWhy are the source's business, not its consumers'), starts
// its loops with Go, and reports what it receives with Event and its link changes with
// StatusWhy.
package feed

import (
	"context"
	"errors"
	"io"
	"strconv"
	"sync"

	"github.com/okdash/okdash/oktell"
)

// Feed delivers a session's updates in order. The zero value is not usable; use New.
type Feed struct {
	clock  oktell.Clock
	ch     chan oktell.Update
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	once   sync.Once

	mu   sync.Mutex
	last *oktell.Status     // the last status sent, so repeats are dropped
	line oktell.LineTracker // the line, as the service channel's line events tell it
}

// New returns a Feed whose goroutines end when parent ends or Close is called.
// buffer is the Updates channel's capacity; a slow reader holds the sources back
// (nothing is dropped) until Close.
func New(parent context.Context, clock oktell.Clock, buffer int) *Feed {
	if clock == nil {
		clock = oktell.RealClock{}
	}
	ctx, cancel := context.WithCancel(parent)
	return &Feed{clock: clock, ch: make(chan oktell.Update, buffer), ctx: ctx, cancel: cancel}
}

// Clock is the feed's clock.
func (f *Feed) Clock() oktell.Clock { return f.clock }

// Context ends when the session is closed.
func (f *Feed) Context() context.Context { return f.ctx }

// Updates is the channel a Session returns from Updates.
func (f *Feed) Updates() <-chan oktell.Update { return f.ch }

// Go runs fn in a goroutine that Close waits for. fn must return soon after ctx ends.
// fn may itself call Go (for a request it must not wait on): Close waits for both.
func (f *Feed) Go(fn func(ctx context.Context)) {
	f.wg.Add(1)
	go func() {
		defer f.wg.Done()
		fn(f.ctx)
	}()
}

// Send delivers u, stamping At with the clock when it is zero. It blocks while the
// reader is behind and returns false once the session is closed.
func (f *Feed) Send(u oktell.Update) bool {
	if u.At.IsZero() {
		u.At = f.clock.Now()
	}
	if f.ctx.Err() != nil {
		return false
	}
	select {
	case f.ch <- u:
		return true
	case <-f.ctx.Done():
		return false
	}
}

// Event delivers one event with the document's bytes as received (raw may be nil). A
// line event of the service channel (oktell.IsLineEvent) comes with the line it leads to
// in the same update, so every source that reads documents reports the line alike.
func (f *Feed) Event(ev oktell.Event, raw []byte) bool {
	e := ev
	return f.EventUpdate(oktell.Update{Event: &e, Raw: raw})
}

// EventUpdate is Event for an update the source made itself, with the log's time in At
// (zero: the clock's now) and Backlog when it is catch-up: the line is tracked at At.
func (f *Feed) EventUpdate(u oktell.Update) bool {
	if u.Event != nil && oktell.IsLineEvent(u.Event.Type) {
		if u.At.IsZero() {
			u.At = f.clock.Now()
		}
		f.mu.Lock()
		u.Line, _ = f.line.Track(u.Event, u.At)
		f.mu.Unlock()
	}
	return f.Send(u)
}

// ResendLine reports the line again as the line events told it, for a source that reads
// it afresh when its link is back (the dashboard marked it stale when the link went);
// nothing before the first line event. It returns false once the session is closed.
func (f *Feed) ResendLine() bool {
	f.mu.Lock()
	l, ok := f.line.Line()
	f.mu.Unlock()
	if !ok {
		return true
	}
	return f.Send(oktell.Update{Line: l})
}

// StatusWhy reports a link change and why, as a code the dashboard translates (a
// source has no way to report a reason as prose: oktell.Reason). A status equal to the
// last one sent is not repeated.
func (f *Feed) StatusWhy(link oktell.Link, why oktell.Reason) bool {
	return f.StatusFull(oktell.Status{Link: link, Why: why})
}

// StatusFull is StatusWhy with every field of oktell.Status. The names are cleaned of
// escape sequences and control characters: they come from the wire.
func (f *Feed) StatusFull(s oktell.Status) bool {
	s.Operator, s.Line = oktell.CleanLine(s.Operator), oktell.CleanLine(s.Line)
	f.mu.Lock()
	if f.last != nil && f.last.Same(s) {
		f.mu.Unlock()
		return true
	}
	st := s
	f.last = &st
	f.mu.Unlock()
	return f.Send(oktell.Update{Status: &s})
}

// LastStatus is the last status reported, and false before the first.
func (f *Feed) LastStatus() (oktell.Status, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.last == nil {
		return oktell.Status{}, false
	}
	return *f.last, true
}

// Close stops the goroutines started with Go, waits for them, and closes Updates.
// It is safe to call more than once and from several goroutines, but not from a
// goroutine started with Go (it would wait for itself).
func (f *Feed) Close() error {
	f.once.Do(func() {
		f.cancel()
		f.wg.Wait()
		// A final status so a reader sees why the stream ended, unless the source
		// already said so (a server that refused for good): "closed" would bury that.
		// Nobody may be reading any more, so it is offered without blocking.
		if last, ok := f.LastStatus(); !ok || last.Link != oktell.LinkClosed {
			select {
			case f.ch <- oktell.Update{At: f.clock.Now(), Status: &oktell.Status{Link: oktell.LinkClosed, Why: oktell.Because(oktell.ReasonClosed)}}:
			default:
			}
		}
		close(f.ch)
	})
	return nil
}

// End ends the session from inside, for a source that gives up for good (a server
// that refuses the login): like Close, but it returns at once, so that a goroutine
// started with Go may call it. Updates is closed once every such goroutine has returned.
func (f *Feed) End() {
	f.cancel() // at once: sends fail and the other goroutines stop now
	go f.Close()
}

// Done is closed when the session is closing.
func (f *Feed) Done() <-chan struct{} { return f.ctx.Done() }

// LinkLost tells whether ev is the Oktell client library reporting that it lost its
// server (ConnectionLost or RestartRequested), and the reason to show: the code in the
// event's "reasoncode" when it is one okdash declares without arguments, else its cdata
// "reason" when it carries one (ours; the vendor's events have no payload). Sources that
// learn about the server link in-band (the demo, the bridge) report Reconnecting on such
// an event and Connected again on the next event of any other kind.
func LinkLost(ev *oktell.Event) (reason oktell.Reason, lost bool) {
	if ev.Type != oktell.ConnectionLost && ev.Type != oktell.RestartRequested {
		return oktell.Reason{}, false
	}
	if p, ok := ev.Prop("reasoncode"); ok {
		if d, ok := oktell.Declaration(oktell.ReasonCode(p.Value)); ok && len(d.Args) == 0 {
			return oktell.Because(oktell.ReasonCode(p.Value)), true
		}
	}
	if p, ok := ev.Prop("reason"); ok && p.Text != "" {
		return oktell.Quoted(p.Text), true
	}
	return oktell.Because(oktell.ReasonServerLost, ev.Type.String()), true
}

// Problem reports a problem with the input that did not stop the session (a document
// skipped as malformed, garbage between documents) as Update.Err. Unlike a status, it is
// not replaced by the next one, so the dashboard can keep it for the operator. It
// returns false once the session is closed.
func (f *Feed) Problem(err error) bool {
	if err == nil {
		return true
	}
	return f.Send(oktell.Update{Err: err})
}

// InputError is a problem with a source's input that the source skipped before going
// on: it names the input, where the skipped bytes begin, and why.
type InputError struct {
	Input string // the file, "-", the bridge's address: what an operator can look at
	// Name is the input as a reason, when its name has words of okdash's own (a followed
	// log's later file: "PATH (file 2: rotated at 10:15:00)"), so that the dashboard says
	// them in the operator's language; Input is then its English.
	Name   oktell.Reason
	Offset int64 // where the skipped bytes begin in that input
	Err    error // why: usually an *oktell.Error, whose offset is the mistake itself
}

// Skipped makes the InputError for a scanner item whose Err is set.
func Skipped(input string, it oktell.Item) *InputError {
	return &InputError{Input: input, Offset: it.Offset, Err: it.Err}
}

// SkippedIn is Skipped for an input whose name is a reason (InputError.Name).
func SkippedIn(name oktell.Reason, it oktell.Item) *InputError {
	return &InputError{Input: name.String(), Name: name, Offset: it.Offset, Err: it.Err}
}

// Error reads "INPUT: byte N: skipped a malformed document: REASON", or, when the mistake
// itself is further in, "INPUT: byte N: skipped a malformed document, the mistake at byte
// M: REASON".
func (e *InputError) Error() string { return oktell.CleanLine(e.Reason().String()) }

// Reason is the error as a code the dashboard translates (see Error); the scanner's own
// words about the mistake are quoted.
func (e *InputError) Reason() oktell.Reason {
	what, detail, at := oktell.Because(oktell.ReasonMalformedDoc), "", int64(-1)
	var oe *oktell.Error
	if errors.As(e.Err, &oe) {
		detail, at = oe.Msg, oe.Offset
		switch oe.Kind {
		case oktell.Garbage:
			what = oktell.Because(oktell.ReasonGarbage)
		case oktell.Truncated:
			what = oktell.Because(oktell.ReasonIncompleteDoc)
		case oktell.TooLarge:
			what = oktell.Because(oktell.ReasonOversizedDoc)
		}
	}
	input, off := e.Name, strconv.FormatInt(e.Offset, 10)
	if input.IsZero() {
		input = oktell.Quoted(oktell.CleanLine(e.Input))
	}
	switch {
	case oe == nil && e.Err != nil:
		return oktell.Because(oktell.ReasonSkippedInput, input, off, oktell.CleanLine(e.Err.Error()))
	case at >= 0 && at != e.Offset:
		return oktell.Because(oktell.ReasonSkippedAt, input, off, what, strconv.FormatInt(at, 10), oktell.CleanLine(detail))
	case detail != "":
		return oktell.Because(oktell.ReasonSkipped, input, off, what, oktell.CleanLine(detail))
	}
	return oktell.Because(oktell.ReasonSkippedBare, input, off, what)
}

// Unwrap returns the reason.
func (e *InputError) Unwrap() error { return e.Err }

// Canceler is a reader whose pending Read can be interrupted, such as the readers of
// github.com/muesli/cancelreader: Cancel makes a blocked Read return and reports whether
// it could.
type Canceler interface{ Cancel() bool }

// Release ends the goroutine reading r for a closing session where that is possible,
// and closes closer. A Canceler is cancelled first; closer is closed after the goroutine
// ended (ended is closed), or, when r cannot be cancelled, to end it (closing a file or
// a socket does). With neither, a Read blocked for good (standard input on some systems)
// stays behind until input arrives or the program exits.
func Release(r io.Reader, closer io.Closer, ended <-chan struct{}) {
	waited := false
	if c, ok := r.(Canceler); ok && c.Cancel() {
		<-ended
		waited = true
	}
	if closer != nil {
		closer.Close()
		if !waited {
			<-ended
		}
	}
}
