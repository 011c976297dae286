package ws

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/coder/websocket"
	"github.com/google/uuid"

	"github.com/okdash/okdash/oktell"
)

// errRedirect is the server's websocketredirect: reconnect with TLS on port 443.
var errRedirect = errors.New("the server asks for a TLS connection (websocketredirect)")

// TimeoutError is a request the server did not answer in time.
type TimeoutError struct {
	Method  string
	Timeout time.Duration
}

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("%s: no answer from the server in %s", e.Method, e.Timeout)
}

// Unwrap makes a TimeoutError an oktell.ErrTimeout for errors.Is.
func (e *TimeoutError) Unwrap() error { return oktell.ErrTimeout }

// link is one WebSocket connection: a reader that matches replies to requests by qid
// and passes every other frame on as an event.
type link struct {
	c       *websocket.Conn
	clock   oktell.Clock
	timeout time.Duration
	logf    func(string, ...any)
	problem func(error) // a message skipped as unreadable: the dashboard keeps it as a warning

	ctx    context.Context // lives as long as the connection
	cancel context.CancelFunc

	mu      sync.Mutex
	pending map[string]pendingReq
	err     error // why the link ended; set once

	tick   <-chan time.Time // the next keepalive
	events chan Frame       // pushed frames, in arrival order
	done   chan struct{}    // closed when the reader has stopped
}

func newLink(c *websocket.Conn, clock oktell.Clock, timeout time.Duration, logf func(string, ...any), problem func(error)) *link {
	ctx, cancel := context.WithCancel(context.Background())
	if problem == nil {
		problem = func(error) {}
	}
	l := &link{
		c: c, clock: clock, timeout: timeout, logf: logf, problem: problem, ctx: ctx, cancel: cancel,
		pending: map[string]pendingReq{},
		events:  make(chan Frame, 256),
		done:    make(chan struct{}),
	}
	// Frames can be large (the user list of a big call centre); multipart covers the rest.
	c.SetReadLimit(16 << 20)
	go l.read()
	return l
}

// skipped reports a message from the server that could not be read: to the diagnostics
// log, and to the dashboard as an Update.Err, since an event may have been in it.
func (l *link) skipped(err error) {
	l.logf("ws: %v", err)
	l.problem(fmt.Errorf("WebSocket: %w", err))
}

type pendingReq struct {
	ch     chan Frame
	method string
}

// statesInReplies are the methods whose successful reply carries the new user state.
func statesInReplies(method string) bool { return method == "setuserstate" }

// read runs until the connection ends. A frame that cannot be read is reported and
// skipped: the frames around it still count.
func (l *link) read() {
	defer close(l.done)
	defer close(l.events)
	var ra reassembler
	for {
		typ, b, err := l.c.Read(l.ctx)
		if err != nil {
			l.fail(closeReason(err))
			return
		}
		if typ != websocket.MessageText {
			l.skipped(fmt.Errorf("skipped a binary message of %d bytes", len(b)))
			continue
		}
		f, err := DecodeFrame(b)
		if err != nil {
			l.skipped(fmt.Errorf("skipped a message: %w", err))
			continue
		}
		if strings.EqualFold(f.Name, "multipart") {
			whole, err := ra.add(f)
			if err != nil {
				l.skipped(err)
				continue
			}
			if whole == nil {
				continue
			}
			f = *whole
		}
		if strings.EqualFold(f.Name, "websocketredirect") {
			l.fail(errRedirect)
			return
		}
		if qid := f.QID(); qid != "" {
			l.mu.Lock()
			p, ok := l.pending[qid]
			delete(l.pending, qid)
			l.mu.Unlock()
			if ok {
				p.ch <- f
				if statesInReplies(p.method) && f.OK() && f.Body["userstateid"] != nil {
					// The new state goes on with the pushed events, in wire order, so
					// that a push of a later change is never overtaken by this reply.
					f.Name = "userstatechanged"
				} else {
					continue
				}
			}
			if !ok && !isEventName(f.Name) {
				// A reply after its request gave up: the caller was told it timed out.
				l.logf("ws: dropped a late or unknown reply %q (qid %s)", f.Name, qid)
				continue
			}
		}
		select {
		case l.events <- f:
		case <-l.ctx.Done():
			return
		}
	}
}

// isEventName reports whether a frame is a pushed event that okdash subscribes to,
// even if a server adds a qid to it (the desk's phone events carry one).
func isEventName(name string) bool {
	return strings.EqualFold(name, "userstatechanged") || isDeskEvent(name)
}

// closeReason says in an operator's words why the connection ended; the library's
// error stays attached for the diagnostics.
func closeReason(err error) error {
	var ce websocket.CloseError
	switch {
	case errors.As(err, &ce) && ce.Code == websocket.StatusNormalClosure:
		return errors.New("the server closed the connection")
	case errors.As(err, &ce):
		if ce.Reason != "" {
			return fmt.Errorf("the server closed the connection (%d %s)", int(ce.Code), sanitize(ce.Reason))
		}
		return fmt.Errorf("the server closed the connection (%d)", int(ce.Code))
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE):
		// A reset is a cut too: a server that closes while requests are in flight resets.
		return errors.New("the connection was cut")
	}
	return fmt.Errorf("the connection failed: %w", err)
}

// fail ends the link with err (the first reason wins) and fails every pending request.
func (l *link) fail(err error) {
	l.mu.Lock()
	if l.err == nil {
		l.err = err
	}
	pend := l.pending
	l.pending = map[string]pendingReq{}
	l.mu.Unlock()
	for _, p := range pend {
		close(p.ch)
	}
	l.cancel()
}

// close ends the link from our side.
func (l *link) close(err error) {
	l.fail(err)
	l.c.Close(websocket.StatusNormalClosure, "")
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
		return Frame{}, fmt.Errorf("%s: %w: %v", name, oktell.ErrNotConnected, err)
	}
	l.pending[qid] = pendingReq{ch: ch, method: name}
	l.mu.Unlock()
	// The timer starts before the frame leaves, so a test that sees the request on the
	// server knows the client is already waiting on the clock.
	timeout := l.clock.After(l.timeout)
	forget := func() {
		l.mu.Lock()
		delete(l.pending, qid)
		l.mu.Unlock()
	}
	if err := l.c.Write(l.ctx, websocket.MessageText, b); err != nil {
		forget()
		l.fail(closeReason(err))
		return Frame{}, fmt.Errorf("%s: %w: %v", name, oktell.ErrNotConnected, err)
	}
	select {
	case f, ok := <-ch:
		if !ok {
			return Frame{}, fmt.Errorf("%s: %w: %v", name, oktell.ErrNotConnected, l.Err())
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
