// Package bridge speaks the bridge stream of protocol.md 1.6: whole Oktell documents both
// ways (UTF-16 with a BOM, or UTF-8), requests as query documents answered by
// queryresult documents with the same id. The client side is an oktell.Session over a
// TCP connection or a child process; the server side serves the demo engine, one
// independent shift per connection, for `okdash sim --listen`.
package bridge

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/feed"
)

// Method names of the queries (the client library's methods).
const (
	MethodSetUserState = "SetUserState"
	MethodSendMessage  = "Messaging_SendMessage"
)

// CodeNotConnected is the result code of a request the bridge could not pass on because
// its client library has lost the Oktell server (ours: the service-message code of
// ConnectionLost). The client turns it into oktell.ErrNotConnected.
const CodeNotConnected = 13103

// ErrTimeout is a request that got no answer within the timeout: oktell.ErrTimeout, so
// callers need not know which source they talk to.
var ErrTimeout = oktell.ErrTimeout

// Conn is one link to a bridge: the documents it writes are read, requests are written.
type Conn interface {
	io.ReadWriteCloser
	// Why explains how the link ended, given the error that ended reading.
	Why(err error) oktell.Reason
}

// Dialer opens a link to a bridge.
type Dialer interface {
	Dial(ctx context.Context) (Conn, error)
	String() string // for the status line: "tcp://host:port", "exec:command"
}

// Options tune a client.
type Options struct {
	Clock      oktell.Clock
	Timeout    time.Duration // how long a request waits for its result (default 20s)
	MinBackoff time.Duration // first pause before reconnecting (default 500ms)
	MaxBackoff time.Duration // longest pause (default 30s)
}

func (o *Options) defaults() {
	if o.Clock == nil {
		o.Clock = oktell.RealClock{}
	}
	if o.Timeout <= 0 {
		o.Timeout = 20 * time.Second
	}
	if o.MinBackoff <= 0 {
		o.MinBackoff = 500 * time.Millisecond
	}
	if o.MaxBackoff < o.MinBackoff {
		o.MaxBackoff = 30 * time.Second
	}
}

// Client is a session over a bridge.
type Client struct {
	feed *feed.Feed // delivers the updates: its methods are the session's own business
	dial Dialer
	opts Options

	writeMu sync.Mutex // one request's bytes at a time

	mu         sync.Mutex
	conn       Conn
	oktellDown bool // the bridge reported ConnectionLost and nothing since
	pending    map[string]chan error
}

var _ oktell.Session = (*Client)(nil)

// Open starts a client that connects through d, and reconnects with backoff whenever
// the link drops, until the session is closed.
func Open(ctx context.Context, d Dialer, opts Options) *Client {
	opts.defaults()
	c := &Client{feed: feed.New(ctx, opts.Clock, 64), dial: d, opts: opts, pending: map[string]chan error{}}
	c.feed.StatusWhy(oktell.LinkConnecting, oktell.Quoted(d.String()))
	c.feed.Go(c.run)
	return c
}

// Capabilities of a bridge: everything.
func (c *Client) Capabilities() oktell.Capabilities {
	// The line comes from the library's line events (231-243); the service channel has no
	// queue or colleague events.
	return oktell.Capabilities{Kind: oktell.SourceBridge, SetUserState: true, SendMessage: true, Line: true}
}

func (c *Client) run(ctx context.Context) {
	backoff := c.opts.MinBackoff
	for {
		conn, err := c.dial.Dial(ctx)
		if ctx.Err() != nil {
			if conn != nil {
				conn.Close()
			}
			return
		}
		var why oktell.Reason
		if err != nil {
			why = oktell.NetReason(err)
		} else {
			start := c.opts.Clock.Now()
			c.mu.Lock()
			c.conn, c.oktellDown = conn, false
			c.mu.Unlock()
			c.feed.StatusWhy(oktell.LinkConnected, oktell.Quoted(c.dial.String()))
			err = c.read(ctx, conn)
			c.drop()
			conn.Close()
			if ctx.Err() != nil {
				return
			}
			why = conn.Why(err)
			if c.opts.Clock.Now().Sub(start) >= c.opts.MaxBackoff {
				backoff = c.opts.MinBackoff // it had been up a good while: retry soon
			}
		}
		c.feed.StatusWhy(oktell.LinkReconnecting, oktell.Because(oktell.ReasonRetrying, c.dial.String(), why, backoff))
		select {
		case <-c.opts.Clock.After(backoff):
		case <-ctx.Done():
			return
		}
		backoff *= 2
		if backoff > c.opts.MaxBackoff {
			backoff = c.opts.MaxBackoff
		}
	}
}

// read delivers what the bridge writes until the link fails or ctx ends.
func (c *Client) read(ctx context.Context, conn Conn) error {
	stop := make(chan struct{})
	defer close(stop)
	go func() { // a blocked read ends only when the link is closed
		select {
		case <-ctx.Done():
			conn.Close()
		case <-stop:
		}
	}()
	sc := oktell.NewScanner(conn)
	for {
		it, err := sc.Next()
		if err != nil {
			return err
		}
		if it.Err != nil {
			c.skipped(it)
			continue
		}
		if r, ok := oktell.AsQueryResult(it.Doc); ok {
			c.resolve(r)
			continue
		}
		raw := append([]byte(nil), it.Raw...)
		for _, ev := range it.Doc.Events {
			if !c.event(ev, raw) {
				return ctx.Err()
			}
		}
	}
}

// skipped reports a broken document as Update.Err: the link status (and a server that
// is lost) stays as it is, and the problem is not replaced by the next status.
func (c *Client) skipped(it oktell.Item) {
	c.feed.Problem(feed.Skipped(c.dial.String(), it))
}

// event delivers one event, tracking whether the bridge's client library is connected
// to the Oktell server, so the link status matches what the demo reports.
func (c *Client) event(ev oktell.Event, raw []byte) bool {
	if reason, lost := feed.LinkLost(&ev); lost {
		c.mu.Lock()
		c.oktellDown = true
		c.failPending(oktell.ErrNotConnected)
		c.mu.Unlock()
		if !c.feed.Event(ev, raw) {
			return false
		}
		return c.feed.StatusWhy(oktell.LinkReconnecting, reason)
	}
	c.mu.Lock()
	wasDown := c.oktellDown
	c.oktellDown = false
	c.mu.Unlock()
	if wasDown && !c.feed.StatusWhy(oktell.LinkConnected, oktell.Quoted(c.dial.String())) {
		return false
	}
	return c.feed.Event(ev, raw)
}

// drop forgets the link; requests still waiting fail with ErrNotConnected.
func (c *Client) drop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.conn = nil
	c.failPending(oktell.ErrNotConnected)
}

func (c *Client) failPending(err error) { // c.mu held
	for id, ch := range c.pending {
		ch <- err
		delete(c.pending, id)
	}
}

func (c *Client) resolve(r oktell.QueryResult) {
	err := resultErr(r)
	c.mu.Lock()
	defer c.mu.Unlock()
	if ch, ok := c.pending[r.ID]; ok { // an answer after its timeout is dropped
		ch <- err
		delete(c.pending, r.ID)
	}
}

// resultErr is what a query's result says of it: nil when it succeeded.
func resultErr(r oktell.QueryResult) error {
	switch {
	case r.ResultCode == 0:
		return nil
	case r.ResultCode == CodeNotConnected:
		return oktell.ErrNotConnected
	}
	if why := wireReason(r); !why.IsZero() {
		return oktell.Refused(r.ResultCode, why) // okdash's own bridge server sent the code
	}
	return oktell.RefusedSaying(r.ResultCode, r.Error) // a bridge's words, as it said them
}

// request sends a query and waits for its result, the timeout, or ctx.
func (c *Client) request(ctx context.Context, method string, req *oktell.Document) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	id := uuid.NewString()
	b, err := oktell.Encode(oktell.Query(method, id, req), oktell.UTF16LE)
	if err != nil {
		return fmt.Errorf("%s: encoding the query: %w", method, err)
	}
	ch := make(chan error, 1)
	c.mu.Lock()
	conn := c.conn
	if conn == nil || c.oktellDown {
		c.mu.Unlock()
		return oktell.ErrNotConnected
	}
	c.pending[id] = ch
	c.mu.Unlock()
	forget := func() {
		c.mu.Lock()
		delete(c.pending, id)
		c.mu.Unlock()
	}
	timeout := c.opts.Clock.After(c.opts.Timeout)

	c.writeMu.Lock()
	if nc, ok := conn.(interface{ SetWriteDeadline(time.Time) error }); ok {
		// A bridge that stopped reading must not hold every later request.
		nc.SetWriteDeadline(time.Now().Add(c.opts.Timeout))
	}
	_, err = conn.Write(b)
	c.writeMu.Unlock()
	if err != nil {
		forget()
		conn.Close() // the reader sees it and reconnects
		return oktell.Wrap(oktell.Because(oktell.ReasonNotConnectedWhy, method, oktell.NetReason(err)), oktell.ErrNotConnected)
	}
	select {
	case err := <-ch:
		return err
	case <-timeout:
		forget()
		return fmt.Errorf("%s: %w (%s)", method, ErrTimeout, c.opts.Timeout)
	case <-ctx.Done():
		forget()
		return ctx.Err()
	}
}

// SetUserState sends a SetUserState query.
func (c *Client) SetUserState(ctx context.Context, state oktell.UserState, redirect bool) error {
	return c.request(ctx, MethodSetUserState, oktell.SetUserStateRequest(state, redirect))
}

// SendMessage sends a Messaging_SendMessage query.
func (c *Client) SendMessage(ctx context.Context, userID, text string) error {
	return c.request(ctx, MethodSendMessage, oktell.SendMessageRequest(userID, text, ""))
}

// TCP dials a bridge listening on addr (host:port).
type TCP struct{ Addr string }

func (t TCP) String() string { return "tcp://" + t.Addr }

// Dial connects.
func (t TCP) Dial(ctx context.Context) (Conn, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", t.Addr)
	if err != nil {
		return nil, err
	}
	return tcpConn{c}, nil
}

type tcpConn struct{ net.Conn }

func (tcpConn) Why(err error) oktell.Reason {
	if err == nil || errors.Is(err, io.EOF) {
		return oktell.Because(oktell.ReasonBridgeClosed)
	}
	return oktell.NetReason(err)
}

// reasonProp is the property of a query result in which okdash's own bridge server (the
// demo behind a bridge) sends its refusal's reason as a code beside the English "error":
// the client library's bridge sends none, and its words are shown as they came.
const reasonProp = "okdash-reason"

// reasonProps are the properties that carry err's reason as a code, when it has one:
// words quoted as someone said them travel as the "error" text alone.
func reasonProps(err error) []oktell.Property {
	var refused *oktell.RefusedError
	if !errors.As(err, &refused) || refused.Why.IsZero() || refused.Why.Code == oktell.ReasonQuoted {
		return nil
	}
	return oktell.ReasonProp(reasonProp, refused.Why)
}

// wireReason is the refusal's reason as a code, when okdash's own bridge sent one that
// okdash declares; zero otherwise (the refusal then quotes the bridge's words).
func wireReason(r oktell.QueryResult) oktell.Reason {
	why, _ := r.ReasonIn(reasonProp)
	return why
}

// resultCode maps a request's outcome to a queryresult's code and error text.
func resultCode(err error) (int, string) {
	var refused *oktell.RefusedError
	switch {
	case err == nil:
		return 0, ""
	case errors.Is(err, oktell.ErrNotConnected):
		return CodeNotConnected, err.Error()
	case errors.As(err, &refused):
		if refused.Code == 0 {
			return 1, refused.Why.String()
		}
		return refused.Code, refused.Why.String()
	}
	return 10108, err.Error() // the library's "exception inside a method"
}

// Updates implements oktell.Session.
func (c *Client) Updates() <-chan oktell.Update { return c.feed.Updates() }

// Close implements oktell.Session: it drops the link, stops reconnecting and closes Updates.
func (c *Client) Close() error { return c.feed.Close() }
