package ws

import (
	"context"
	"crypto/x509"
	"errors"
	"maps"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"
	"github.com/google/uuid"

	"github.com/okdash/okdash/oktell"
)

// errRedirect is the server's websocketredirect: reconnect with TLS on port 443.
var errRedirect = &oktell.ReasonError{Why: oktell.Because(oktell.ReasonTLSRedirect)}

// TimeoutError is a request the server did not answer in time.
type TimeoutError struct {
	Method  string
	Timeout time.Duration
}

func (e *TimeoutError) Error() string { return e.Reason().String() }

// Reason is the timeout as a code: a ping's is said without its method's name.
func (e *TimeoutError) Reason() oktell.Reason {
	if e.Method == "ping" {
		return oktell.Because(oktell.ReasonPingUnanswered, e.Timeout)
	}
	return oktell.Because(oktell.ReasonNoAnswer, e.Method, e.Timeout)
}

// Unwrap makes a TimeoutError an oktell.ErrTimeout for errors.Is.
func (e *TimeoutError) Unwrap() error { return oktell.ErrTimeout }

// Limits of what a server can make the client hold. A hostile or broken server must
// not take the host's memory: every byte kept for later counts against MaxBuffered,
// checked before it is kept, and what does not fit is dropped with a warning.
const (
	// MaxFrame is the largest message read from the server, and the largest frame that
	// multipart pieces may join into.
	MaxFrame = 4 << 20
	// MaxBuffered bounds what waits in memory in all, per connection: pushed frames the
	// session has not taken yet and the pieces of unfinished multipart messages.
	MaxBuffered = 8 << 20
	// queuedOverhead is what one waiting frame costs besides its bytes.
	queuedOverhead = 64
)

// link is one WebSocket connection: a reader that matches replies to requests by qid
// and queues every other frame for the session, within MaxBuffered. A replayed capture
// uses a link without a connection (c nil): its messages come through route.
type link struct {
	c       *websocket.Conn
	clock   oktell.Clock
	timeout time.Duration
	logf    func(string, ...any)
	cap     *capture // nil when not capturing

	ctx    context.Context // lives as long as the connection
	cancel context.CancelFunc

	mu      sync.Mutex
	pending map[string]pendingReq
	err     error // why the link ended; set once

	ra  reassembler // used by the reader only
	seq uint64      // frames routed so far, the reader's own
	in  *inbox      // pushed frames waiting for the session

	tick     <-chan time.Time // the next keepalive
	since    time.Time        // when the login on this link completed, by the session clock
	events   chan Frame       // pushed frames, in arrival order, handed over one at a time
	stop     chan struct{}    // closed when okdash ends the link: the queue is not delivered
	stopOnce sync.Once
	readDone chan struct{} // closed when the reader has stopped
	done     chan struct{} // closed when the reader and the queue have stopped
}

func newLink(c *websocket.Conn, clock oktell.Clock, timeout time.Duration, logf func(string, ...any)) *link {
	return newLinkWith(c, clock, timeout, logf, linkOptions{})
}

// linkOptions are what a session adds to a link.
type linkOptions struct {
	capture     *capture // every frame is written there; nil: none
	maxBuffered int      // the budget; 0: MaxBuffered
}

// newLinkWith is newLink with options. c nil makes the link of a replay: nothing is
// read or sent, messages are handed to route.
func newLinkWith(c *websocket.Conn, clock oktell.Clock, timeout time.Duration, logf func(string, ...any), o linkOptions) *link {
	ctx, cancel := context.WithCancel(context.Background())
	if o.maxBuffered <= 0 {
		o.maxBuffered = MaxBuffered
	}
	b := &budget{max: o.maxBuffered}
	l := &link{
		c: c, clock: clock, timeout: timeout, logf: logf, cap: o.capture, ctx: ctx, cancel: cancel,
		pending:  map[string]pendingReq{},
		ra:       reassembler{budget: b},
		in:       newInbox(b),
		events:   make(chan Frame),
		stop:     make(chan struct{}),
		readDone: make(chan struct{}),
		done:     make(chan struct{}),
	}
	if c == nil {
		close(l.readDone)
		close(l.done)
		close(l.events)
		return l
	}
	// Frames can be large (the user list of a big call centre); multipart covers the rest.
	c.SetReadLimit(MaxFrame)
	go l.read()
	go l.pump()
	return l
}

// skipped reports a message from the server that could not be read: to the diagnostics
// log, and to the dashboard as an Update.Err, since an event may have been in it. The
// warning waits in the queue and reaches the session as a frame (Frame.notice), so that
// a dashboard that is behind never stops the reader, and only the session's own
// goroutines deliver updates.
func (l *link) skipped(err error) {
	l.logf("ws: %v", err)
	l.in.notice(oktell.Wrap(oktell.Because(oktell.ReasonWSProblem, oktell.ReasonOf(err)), err))
}

// reject reports a message route refused: a piece that did not fit the budget is
// counted with the dropped frames, anything else is a skipped message.
func (l *link) reject(err error) {
	var re *roomError
	if errors.As(err, &re) {
		l.in.drop("multipart", 1, re.n)
		return
	}
	l.skipped(err)
}

type pendingReq struct {
	ch     chan Frame // nil on a replay: nobody waits
	method string
}

// statesInReplies are the methods whose successful reply carries the new user state.
func statesInReplies(method string) bool { return method == "setuserstate" }

// read runs until the connection ends. A frame that cannot be read is reported and
// skipped: the frames around it still count.
func (l *link) read() {
	defer close(l.readDone)
	defer l.in.close()
	for {
		typ, b, err := l.c.Read(l.ctx)
		if err != nil {
			l.fail(closeReason(err))
			return
		}
		r, err := l.route(typ, b)
		if cerr := l.cap.received(typ, b, r, err); cerr != nil {
			l.in.notice(cerr)
		}
		if err != nil {
			l.reject(err)
			continue
		}
		switch {
		case r.incomplete:
		case r.redirect:
			l.fail(errRedirect)
			return
		case r.late:
			// A reply after its request gave up: the caller was told it timed out.
			l.logf("ws: dropped a late or unknown reply %q (qid %s)", r.f.Name, r.f.QID())
		default:
			if r.reply != nil && r.reply.ch != nil {
				r.reply.ch <- r.f
			}
			if r.push {
				l.in.push(r.queued())
			}
		}
	}
}

// routed is what one message from the server is for.
type routed struct {
	f          Frame       // the frame, joined when it came in pieces
	parts      int         // the multipart pieces it came in; 0 for a plain frame
	incomplete bool        // a multipart piece: the rest of its message is still to come
	redirect   bool        // websocketredirect: reconnect with TLS
	reply      *pendingReq // the request f answers, if any
	late       bool        // a reply nobody waits for (any more)
	push       bool        // f goes on to the session, named name, as a pushed event
	name       string
}

func (r routed) queued() queued { return queued{raw: r.f.Raw, name: r.name, seq: r.f.seq} }

// route decodes one message and says where it goes: the only reading of the wire, for
// the live link and a replayed capture alike.
func (l *link) route(typ websocket.MessageType, b []byte) (routed, error) {
	if typ != websocket.MessageText {
		return routed{}, &oktell.ReasonError{Why: oktell.Because(oktell.ReasonWSBinary, strconv.Itoa(len(b)))}
	}
	f, err := DecodeFrame(b)
	if err != nil {
		return routed{}, oktell.Wrap(oktell.Because(oktell.ReasonWSUnreadable, err.Error()), err)
	}
	var r routed
	if strings.EqualFold(f.Name, "multipart") {
		whole, n, err := l.ra.add(f)
		if ev, b := l.ra.takeEvicted(); ev > 0 {
			l.in.drop("unfinished multipart", ev, b)
		}
		if err != nil {
			return routed{}, err
		}
		if whole == nil {
			return routed{incomplete: true}, nil
		}
		f, r.parts = *whole, n
	}
	l.seq++
	f.seq = l.seq
	r.f = f
	if strings.EqualFold(f.Name, "websocketredirect") {
		r.redirect = true
		return r, nil
	}
	if qid := f.QID(); qid != "" {
		if p, ok := l.forget(qid); ok {
			r.reply = &p
			if statesInReplies(p.method) && f.OK() && f.Body["userstateid"] != nil {
				// The new state goes on with the pushed events, in wire order, so
				// that a push of a later change is never overtaken by this reply.
				r.push, r.name = true, "userstatechanged"
			}
			return r, nil
		}
		if !isEventName(f.Name) {
			r.late = true
			return r, nil
		}
	}
	r.push, r.name = true, f.Name
	return r, nil
}

// pump hands the queued frames to the session one at a time, decoding each only then:
// what waits is the bytes that arrived, counted against the budget until taken.
func (l *link) pump() {
	defer close(l.done)
	defer func() { <-l.readDone }()
	defer close(l.events)
	for {
		it, notice, ok := l.in.wait(l.stop)
		if !ok {
			return
		}
		f, ok := Frame{notice: notice}, true
		if notice == nil {
			if f, ok = it.frame(); !ok {
				l.in.release(it)
				continue
			}
		}
		select {
		case l.events <- f:
			l.in.release(it)
		case <-l.stop:
			l.in.release(it)
			return
		}
	}
}

// isEventName reports whether a frame is a pushed event that okdash subscribes to,
// even if a server adds a qid to it (the desk's phone events carry one).
func isEventName(name string) bool {
	return strings.EqualFold(name, "userstatechanged") || isDeskEvent(name)
}

// closeReason says in an operator's words, as a code, why the connection ended; the
// library's error stays attached for the diagnostics.
func closeReason(err error) error {
	var ce websocket.CloseError
	var why oktell.Reason
	switch {
	case errors.As(err, &ce) && ce.Code == websocket.StatusNormalClosure:
		why = oktell.Because(oktell.ReasonServerClosed)
	case errors.As(err, &ce):
		said := strconv.Itoa(int(ce.Code))
		if ce.Reason != "" {
			said += " " + oktell.CleanLine(ce.Reason)
		}
		why = oktell.Because(oktell.ReasonServerClosedCode, said)
	case oktell.IsCut(err):
		why = oktell.Because(oktell.ReasonConnectionCut)
	default:
		why = oktell.Because(oktell.ReasonConnectionFailed, oktell.CleanLine(err.Error()))
	}
	return oktell.Wrap(why, err)
}

// dialReason says in an operator's words, as a code, why a connection could not be made
// to target within timeout (timedOut: the dial's own time ran out; status: the HTTP
// status of the server's answer, 0 when none came).
func dialReason(target string, err error, status int, timeout time.Duration, timedOut bool) error {
	var why oktell.Reason
	var unknownCA x509.UnknownAuthorityError
	var invalid x509.CertificateInvalidError
	var host x509.HostnameError
	switch {
	case timedOut:
		why = oktell.Because(oktell.ReasonDialTimeout, timeout)
	case status != 0 && status != http.StatusSwitchingProtocols:
		why = oktell.Because(oktell.ReasonNotWebSocket, strconv.Itoa(status))
	case errors.As(err, &unknownCA), errors.As(err, &invalid), errors.As(err, &host):
		why = oktell.Because(oktell.ReasonCertificate, oktell.CleanLine(err.Error()))
	default:
		why = oktell.NetReason(err) // refused, no such host, cut; else the library's words
	}
	return oktell.Wrap(oktell.Because(oktell.ReasonConnectTo, target, why), err)
}

// notConnected is a request that failed because the link is down (err: why it went).
func notConnected(method string, err error) error {
	why := oktell.ReasonOf(err)
	if why.IsZero() {
		why = oktell.Because(oktell.ReasonConnectionLost)
	}
	return oktell.Wrap(oktell.Because(oktell.ReasonNotConnectedWhy, method, why), oktell.ErrNotConnected)
}

// fail ends the link with err (the first reason wins) and fails every pending request.
func (l *link) fail(err error) {
	l.mu.Lock()
	first := l.err == nil
	if first {
		l.err = err
	}
	pend := l.pending
	l.pending = map[string]pendingReq{}
	l.mu.Unlock()
	for _, p := range pend {
		if p.ch != nil {
			close(p.ch)
		}
	}
	if first && l.c != nil {
		if cerr := l.cap.closed(err); cerr != nil {
			l.in.notice(cerr)
		}
	}
	l.cancel()
}

// close ends the link from our side: what waits in the queue is not delivered.
func (l *link) close(err error) {
	l.fail(err)
	l.stopOnce.Do(func() { close(l.stop) })
	if l.c != nil {
		l.c.Close(websocket.StatusNormalClosure, "")
	}
}

// Err is why the link ended.
func (l *link) Err() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err
}

// request sends name with body (plus a fresh qid) and waits for the reply, the
// request timeout on the session clock, ctx, or the end of the link.
func (l *link) request(ctx context.Context, name string, body map[string]any) (Frame, error) {
	if body == nil {
		body = map[string]any{}
	}
	qid := uuid.NewString()
	body["qid"] = qid
	b, err := EncodeFrame(name, body)
	if err != nil {
		return Frame{}, err
	}
	ch := make(chan Frame, 1)
	l.mu.Lock()
	if l.err != nil {
		err := l.err
		l.mu.Unlock()
		return Frame{}, notConnected(name, err)
	}
	l.pending[qid] = pendingReq{ch: ch, method: name}
	l.mu.Unlock()
	// The timer starts before the frame leaves, so a test that sees the request on the
	// server knows the client is already waiting on the clock.
	timeout := l.clock.After(l.timeout)
	forget := func() {
		l.forget(qid)
		if err := l.cap.forgot(name, qid); err != nil {
			l.in.notice(err)
		}
	}
	if err := l.cap.sent(name, body, b); err != nil {
		l.in.notice(err)
	}
	if err := l.c.Write(l.ctx, websocket.MessageText, b); err != nil {
		forget()
		cut := closeReason(err)
		l.fail(cut)
		return Frame{}, notConnected(name, cut)
	}
	select {
	case f, ok := <-ch:
		if !ok {
			return Frame{}, notConnected(name, l.Err())
		}
		return f, nil
	case <-timeout:
		forget()
		return Frame{}, &TimeoutError{Method: name, Timeout: l.timeout}
	case <-ctx.Done():
		forget()
		return Frame{}, ctx.Err()
	}
}

// expect registers a request that a replayed capture shows okdash sent, so that route
// takes its reply for a reply; forget drops it, as a request that gave up does.
func (l *link) expect(qid, method string) {
	l.mu.Lock()
	l.pending[qid] = pendingReq{method: method}
	l.mu.Unlock()
}

// pendingNow is a copy of the requests waiting for a reply.
func (l *link) pendingNow() map[string]pendingReq {
	l.mu.Lock()
	defer l.mu.Unlock()
	return maps.Clone(l.pending)
}

// forget takes the request qid out of the waiting ones and says what it was: its reply
// came, or it gave up.
func (l *link) forget(qid string) (pendingReq, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	p, ok := l.pending[qid]
	delete(l.pending, qid)
	return p, ok
}

// call is request plus the result check: a refusal becomes a *oktell.RefusedError.
func (l *link) call(ctx context.Context, name string, body map[string]any) (Frame, error) {
	f, err := l.request(ctx, name, body)
	if err != nil {
		return f, err
	}
	if !f.OK() {
		return f, refusal(f.Body)
	}
	return f, nil
}
