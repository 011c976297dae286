package ws

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/coder/websocket"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/feed"
)

// ReplayOptions tune Replay.
type ReplayOptions struct {
	Clock oktell.Clock // nil: the wall clock
	Speed float64      // divides every delay (2 plays twice as fast); <= 0 means 1
	Logf  func(format string, args ...any)
}

// Replay plays a capture (see Config.Capture) as a read-only session, at the pace it was
// captured. Every frame takes the path it took live: what the server sent goes through
// the link's reading (multipart, qid matching, the budget) and then the session's
// handling of replies and pushed events, so a capture from a real server shows what
// okdash made of it, and an unknown frame in it is logged as it was live. Nothing is
// sent anywhere. The operator's own requests in the capture (a state change) come as
// Update.Sent, then their outcome. Every update carries the time the capture recorded
// for the line it came from (Update.At), and the session's Position is the replay's
// place in the capture, moving on at opts.Speed: the dashboard's "now". A line that
// cannot be read is reported (FILE:LINE) and skipped. When the input ends the session
// says so and stays open.
//
// r is read on a goroutine of its own; Close ends it when r is a feed.Canceler or when closer
// (closed with the session) is not nil, as for replay.Open.
func Replay(ctx context.Context, r io.Reader, name string, closer io.Closer, opts ReplayOptions) *Session {
	if opts.Clock == nil {
		opts.Clock = oktell.RealClock{}
	}
	if opts.Speed <= 0 {
		opts.Speed = 1
	}
	tl := feed.NewTimeline(opts.Clock, opts.Speed)
	s := &Session{
		feed: feed.New(ctx, tl, 64), // everything the frames lead to, at the frame's time
		tl:   tl,
		cfg:  Config{Clock: opts.Clock, Timeout: DefaultTimeout, Logf: limitLog(opts.Logf, opts.Clock), Store: &MemStore{}},
	}
	p := &player{s: s, name: name, speed: opts.Speed, reason: oktell.Because(oktell.ReasonReplaying, name), up: true}
	p.l = p.newLink()
	s.statusWhy(oktell.LinkReadOnly, p.reason)
	s.feed.Go(func(ctx context.Context) { p.run(ctx, r, closer) })
	return s
}

// player drives a session's frame handling from a capture.
type player struct {
	s     *Session
	name  string
	speed float64

	l      *link // the connection being replayed
	up     bool  // its login completed: pushed frames go to the session
	prev   time.Time
	at     time.Time // the capture's time reached: it never goes back
	reason oktell.Reason

	frames, problems int
}

func (p *player) newLink() *link {
	return newLinkWith(nil, p.s.feed.Clock(), p.s.cfg.Timeout, p.s.cfg.Logf, linkOptions{})
}

func (p *player) problem(err error) {
	p.problems++
	p.s.feed.Problem(err)
}

func (p *player) run(ctx context.Context, r io.Reader, closer io.Closer) {
	lines, ended := readCapture(r, ctx.Done())
	defer feed.Release(r, closer, ended)
	for {
		var it captureItem
		select {
		case i, ok := <-lines:
			if !ok {
				return
			}
			it = i
		case <-ctx.Done():
			return
		}
		if it.end != nil {
			p.s.tl.Run() // the capture is over; its time goes on
			why := oktell.Because(oktell.ReasonFramesEnded, p.name, p.frames, p.problems)
			if !errors.Is(it.end, io.EOF) {
				why = oktell.Because(oktell.ReasonFramesError, p.name, it.end.Error(), p.frames, p.problems)
			}
			p.s.statusWhy(oktell.LinkReadOnly, why)
			return
		}
		if it.err != nil {
			p.problem(fmt.Errorf("%s:%d: %w", p.name, it.n, it.err))
			continue
		}
		if t := it.line.T; !t.IsZero() {
			if d := t.Sub(p.prev); !p.prev.IsZero() && d > 0 {
				p.s.tl.Toward(t)
				select {
				case <-p.s.feed.Clock().After(time.Duration(float64(d) / p.speed)):
				case <-ctx.Done():
					return
				}
			}
			p.prev = t
			if t.After(p.at) {
				p.at = t
			}
			p.s.tl.At(p.at)
		}
		p.take(it.line, it.n)
		p.drain()
		p.s.statusWhy(oktell.LinkReadOnly, p.reason)
	}
}

func (p *player) take(l captureLine, n int) {
	switch {
	case l.Okdash != "":
		if l.Okdash != captureName {
			p.problem(fmt.Errorf("%s:%d: a %q file, not a %s", p.name, n, l.Okdash, captureName))
			return
		}
		if l.Version > captureVersion {
			p.problem(fmt.Errorf("%s:%d: capture version %d is newer than this okdash (%d): reading what it knows", p.name, n, l.Version, captureVersion))
		}
		p.s.cfg.URL, p.s.cfg.Login = l.URL, l.Login
		p.reason = oktell.Because(oktell.ReasonReplayingAs, p.name, l.Login, l.URL)
	case l.Dir == "out":
		p.out(l, n)
	case l.Dir == "in":
		p.in(l, n)
	case l.Dir == "link" && l.Open != "":
		p.l.close(errors.New("replaced"))
		p.l, p.up = p.newLink(), false
	case l.Dir == "link" && l.Closed != "":
		p.drain()
		pend := p.l.pendingNow()
		p.l.close(errors.New(l.Closed))
		for qid, pr := range pend {
			p.outcome(pr.method, qid, oktell.Because(oktell.ReasonNotConnectedWhy, pr.method, oktell.Quoted(l.Closed)))
		}
		if p.up && !l.Ended {
			p.s.feed.Event(oktell.NewEvent(oktell.ConnectionLost), nil)
		}
		p.l, p.up = p.newLink(), false
	case l.Dir == "link" && l.Forgot != "":
		if req, ok := p.l.forget(l.Forgot); ok {
			p.outcome(req.method, l.Forgot, oktell.RequestWhy(&TimeoutError{Method: req.method, Timeout: DefaultTimeout}))
		}
	default:
		p.problem(fmt.Errorf("%s:%d: not a line of a capture (dir %q)", p.name, n, l.Dir))
	}
}

// out is a frame okdash sent: its reply is expected, and an operator's request is shown.
func (p *player) out(l captureLine, n int) {
	f, err := DecodeFrame(l.Frame)
	if err != nil {
		p.problem(fmt.Errorf("%s:%d: the frame sent: %w", p.name, n, err))
		return
	}
	if qid := f.QID(); qid != "" {
		p.l.expect(qid, f.Name)
	}
	if sent, ok := operatorRequest(f); ok {
		if sent.BreakReason != "" {
			sent.BreakName = p.s.lunchName(sent.BreakReason)
		}
		p.s.feed.Send(oktell.Update{Sent: &sent})
	}
}

// in is a message from the server, read as the live link reads it.
func (p *player) in(l captureLine, n int) {
	b, typ := []byte(l.Frame), websocket.MessageText
	if b == nil {
		b = l.Data
		if l.Binary {
			typ = websocket.MessageBinary
		}
	}
	if b == nil {
		if l.Skipped == "" {
			p.problem(fmt.Errorf("%s:%d: a frame received, but no frame in the line", p.name, n))
			return
		}
		// Withheld from the capture: what okdash said of it live.
		p.problem(fmt.Errorf("WebSocket: %s", l.Skipped))
		return
	}
	r, err := p.l.route(typ, b)
	if err != nil {
		p.l.reject(err)
		return
	}
	p.frames++
	switch {
	case r.incomplete:
	case r.redirect:
		p.s.cfg.Logf("ws: the server answered websocketredirect")
	case r.late:
		p.s.cfg.Logf("ws: dropped a late or unknown reply %q (qid %s)", r.f.Name, r.f.QID())
	default:
		if r.reply != nil {
			p.reply(r.reply.method, r.f)
		}
		if r.push {
			p.l.in.push(r.queued())
		}
	}
}

func (p *player) reply(method string, f Frame) {
	if !f.OK() {
		err := refusal(f.Body)
		p.outcome(method, f.QID(), oktell.ReasonOf(err))
		p.s.cfg.Logf("ws: %s: %s", method, err)
		return
	}
	p.outcome(method, f.QID(), oktell.Reason{})
	if method == "getuserstate" {
		p.s.statusWhy(oktell.LinkReadOnly, p.reason) // as live: who is logged in, then the state
		p.up = true
	}
	p.s.replied(method, f)
}

// outcome shows the answer to an operator's request; other requests are okdash's own.
func (p *player) outcome(method, qid string, why oktell.Reason) {
	if kind := operatorKind(method); kind != 0 {
		p.s.feed.Send(oktell.Update{Sent: &oktell.Sent{Kind: kind, Method: method, ID: qid, Answered: true, Why: why}})
	}
}

// drain hands what waits on the link to the session: warnings always, frames once the
// login completed, as the live session takes them only then.
func (p *player) drain() {
	for {
		if !p.up {
			notice, more := p.l.in.nextNotice()
			if !more {
				return
			}
			p.problem(notice)
			continue
		}
		it, notice, more := p.l.in.next()
		switch {
		case !more:
			return
		case notice != nil:
			p.problem(notice)
		default:
			f, ok := it.frame()
			p.l.in.release(it)
			if ok {
				p.s.pushed(f)
			}
		}
	}
}

// operatorKind says which methods are the operator's requests rather than okdash's own
// (login, pings, reads); a new request the dashboard makes (a chat message) goes here
// and in operatorRequest.
func operatorKind(method string) oktell.SentKind {
	switch method {
	case "setuserstate":
		return oktell.SentState
	}
	return 0
}

// operatorRequest reads a frame okdash sent as the operator's request, if it is one.
func operatorRequest(f Frame) (oktell.Sent, bool) {
	kind := operatorKind(f.Name)
	if kind == 0 {
		return oktell.Sent{}, false
	}
	s := oktell.Sent{Kind: kind, Method: f.Name, ID: f.QID()}
	if kind == oktell.SentState {
		id, _ := f.Int("userstateid")
		s.State, s.Redirect, s.BreakReason = oktell.UserState(id), f.Bool("onredirect"), f.String("lunchreasonid")
	}
	return s, true
}

// captureItem is one line of a capture, an unreadable line, or the end of the input.
type captureItem struct {
	line captureLine
	n    int   // the line number, from 1
	err  error // the line could not be read: skipped
	end  error // io.EOF, or why reading stopped
}

// readCapture reads r on its own goroutine (a read from standard input cannot be
// interrupted by the session's context) until the input ends or done is closed; ended
// is closed when the goroutine has returned.
func readCapture(r io.Reader, done <-chan struct{}) (<-chan captureItem, <-chan struct{}) {
	out := make(chan captureItem, 16)
	end := make(chan struct{})
	go func() {
		defer close(end)
		defer close(out)
		send := func(it captureItem) bool {
			select {
			case out <- it:
				return true
			case <-done:
				return false
			}
		}
		br := bufio.NewReaderSize(r, 64<<10)
		for n := 1; ; n++ {
			b, tooLong, err := readLine(br, maxCaptureLine)
			if len(b) > 0 || tooLong {
				it := captureItem{n: n}
				if tooLong {
					it.err = fmt.Errorf("a line longer than %d bytes: skipped", maxCaptureLine)
				} else if it.err = json.Unmarshal(b, &it.line); it.err != nil {
					it.err = lineError(it.err)
				}
				if !send(it) {
					return
				}
			}
			if err != nil {
				send(captureItem{end: err})
				return
			}
		}
	}()
	return out, end
}

// readLine reads one line without its line end. Beyond max bytes the rest of the line is
// read and discarded, never kept, and tooLong is set.
func readLine(br *bufio.Reader, max int) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			if len(line)+len(chunk) > max+2 { // a line end is not part of the line
				tooLong, line = true, nil
			} else {
				line = append(line, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return bytes.TrimRight(line, "\r\n"), tooLong, err
	}
}

func lineError(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("byte %d: not a capture line: %v", se.Offset, se)
	}
	return fmt.Errorf("not a capture line: %w", err)
}
