package sshserve

// What a client may make the server spend, checked before it is spent: one session
// channel per connection, a PTY only within --max-sessions, a window of at most
// MaxWidth x MaxHeight, a few short environment variables, and a deadline to start.

import (
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"

	"github.com/okdash/okdash/oktell"
)

// The largest window a client gets: wider than any real screen at a readable font, and
// small enough that a frame costs a few MiB. Larger PTY requests and window changes are
// clamped (and logged); 4294967295x4294967295 once took the server down.
const (
	MaxWidth  = 1000
	MaxHeight = 500
)

// Bounds of what a client or the keys file says that reaches the log or a screen.
const (
	maxEnvValue = 128 // bytes of one environment variable's value
	maxTerm     = 64  // bytes of TERM
	maxUser     = 64  // characters of the user name
	maxComment  = 128 // characters of a key's comment
	maxCommand  = 100 // characters of a refused command or subsystem
)

// envNames are the variables the dashboard reads; any other env request is refused.
var envNames = map[string]bool{
	"TERM": true, "COLORTERM": true, "NO_COLOR": true, "LANG": true,
	"LC_ALL": true, "LC_MESSAGES": true, "LC_CTYPE": true, "LC_COLLATE": true, "LC_NUMERIC": true,
	"LC_TIME": true, "LC_MONETARY": true, "LC_PAPER": true, "LC_NAME": true, "LC_ADDRESS": true,
	"LC_TELEPHONE": true, "LC_MEASUREMENT": true, "LC_IDENTIFICATION": true,
}

// maxEnv is the most variables a session keeps: one of each name (the last sent wins).
var maxEnv = len(envNames)

func envAllowed(name string) bool { return envNames[name] }

// clampWindow bounds the size a client asks for. 0 stays 0: RFC 4254 lets a client
// send zero for "unknown".
func clampWindow(w, h int) (int, int) {
	return min(max(w, 0), MaxWidth), min(max(h, 0), MaxHeight)
}

// cleanField makes text from a client or the keys file (a user name, a comment, a
// command) safe for the log and a screen: no escapes, controls or bidi overrides, and
// at most limit characters.
func cleanField(s string, limit int) string {
	if len(s) > 4*limit {
		s = s[:4*limit] // no need to clean what is cut anyway; ToValidUTF8 mends the cut
	}
	s = oktell.CleanLine(s)
	if utf8.RuneCountInString(s) > limit {
		s = string([]rune(s)[:limit-1]) + "…"
	}
	return s
}

// cleanTerm keeps what a terminfo name is made of (xterm-256color, screen.xterm, vt100+)
// and at most maxTerm bytes of it.
func cleanTerm(t string) string {
	t = strings.Map(func(r rune) rune {
		if r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._+-", r)) {
			return r
		}
		return -1
	}, t)
	if len(t) > maxTerm {
		t = t[:maxTerm]
	}
	return t
}

// printableASCII reports whether s is plain text: what a locale name, NO_COLOR's or
// COLORTERM's value is made of.
func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// connState is what the server tracks of one connection, from its first byte.
type connState struct {
	net.Conn // counts what is written: the bytes the link really carries
	written  atomic.Int64
	channels atomic.Int32  // session channels asked for; one is allowed
	started  atomic.Bool   // the session asked for its shell (or a command): no deadline now
	clamped  atomic.Bool   // a window clamp was logged
	size     atomic.Uint64 // the window last asked for (clamped): width<<32 | height
	resized  chan struct{} // a token when size changed

	mu         sync.Mutex
	live       *liveSession  // admitted at its PTY request
	refusal    oktell.Reason // why its PTY request was refused
	env        []string      // NAME=value, one per name, in the order first sent
	envRefused int
}

func (c *connState) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.written.Add(int64(n))
	return n, err
}

func newConnState(c net.Conn) *connState {
	return &connState{Conn: c, resized: make(chan struct{}, 1)}
}

// setWindow records a window change (clamped) for watchWindow.
func (c *connState) setWindow(w, h uint32) {
	c.size.Store(uint64(w)<<32 | uint64(h))
	select {
	case c.resized <- struct{}{}:
	default: // a token is waiting already; it will read the latest size
	}
}

func (c *connState) window() (w, h int) {
	v := c.size.Load()
	return int(v >> 32), int(v & 0xffffffff)
}

func connOf(ctx ssh.Context) *connState {
	c, _ := ctx.Value(connStateKey).(*connState)
	return c
}

func (c *connState) session() (*liveSession, oktell.Reason) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.live, c.refusal
}

// setenv keeps an env request when okdash reads that variable and its value is short
// plain text; a name sent again replaces its value.
func (c *connState) setenv(payload []byte) bool {
	var kv envRequestMsg
	ok := gossh.Unmarshal(payload, &kv) == nil && envAllowed(kv.Name) &&
		len(kv.Value) <= maxEnvValue && printableASCII(kv.Value) && !c.started.Load()
	if ok && kv.Name == "TERM" {
		ok = cleanTerm(kv.Value) == kv.Value
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !ok {
		c.envRefused++
		return false
	}
	for i, e := range c.env {
		if strings.HasPrefix(e, kv.Name+"=") {
			c.env[i] = kv.Name + "=" + kv.Value
			return true
		}
	}
	c.env = append(c.env, kv.Name+"="+kv.Value)
	return true
}

func (c *connState) environ() (env []string, refused int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.env...), c.envRefused
}

// guardedChannel is a session channel whose requests pass through the server's
// checks before Wish's ssh package sees them.
type guardedChannel struct {
	gossh.NewChannel
	s   *Server
	ctx ssh.Context
	cs  *connState
}

func (g guardedChannel) Accept() (gossh.Channel, <-chan *gossh.Request, error) {
	ch, in, err := g.NewChannel.Accept()
	if err != nil {
		return ch, in, err
	}
	out := make(chan *gossh.Request)
	go g.s.guardRequests(g.ctx, g.cs, in, out)
	return ch, out, nil
}

// The payloads of the requests the guard reads (RFC 4254, 6.2, 6.4 and 6.7).
type (
	ptyRequestMsg struct {
		Term                    string
		Columns, Rows, PxW, PxH uint32
		Modes                   string
	}
	windowChangeMsg struct{ Columns, Rows, PxW, PxH uint32 }
	envRequestMsg   struct{ Name, Value string }
)

// guardRequests passes a session's requests on, checked: env requests are kept here
// (bounded), sizes are clamped, TERM is cleaned, and a window change for a PTY that was
// never made is refused (nobody would read it, and the ssh package would wait forever).
// When the client closes the channel, the connection ends with it: one session each.
func (s *Server) guardRequests(ctx ssh.Context, cs *connState, in <-chan *gossh.Request, out chan<- *gossh.Request) {
	defer cs.Close()
	defer close(out)
	for req := range in {
		ok := true
		switch req.Type {
		case "env":
			req.Reply(cs.setenv(req.Payload), nil) //nolint:errcheck
			continue
		case "pty-req":
			var asked, got window
			req.Payload, asked, got, ok = guardPtyRequest(req.Payload)
			if ok {
				s.logClamp(ctx, cs, asked, got)
			}
		case "window-change":
			var asked, got window
			req.Payload, asked, got, ok = guardWindowChange(req.Payload)
			if live, _ := cs.session(); ok && live != nil {
				s.logClamp(ctx, cs, asked, got)
				cs.setWindow(got.w, got.h)
			} else {
				ok = false
			}
		}
		if !ok {
			req.Reply(false, nil) //nolint:errcheck
			continue
		}
		select {
		case out <- req:
			switch req.Type {
			case "shell", "exec", "subsystem":
				cs.started.Store(true) // the ssh package runs the handler: no deadline now
			}
		case <-ctx.Done():
			req.Reply(false, nil) //nolint:errcheck
		}
	}
}

// window is a size in cells, as a client asks for it.
type window struct{ w, h uint32 }

func (w window) String() string { return fmt.Sprintf("%dx%d", w.w, w.h) }

func clampSize(asked window) window {
	w, h := clampWindow(int(min(asked.w, 1<<20)), int(min(asked.h, 1<<20)))
	return window{uint32(w), uint32(h)}
}

// guardPtyRequest reads a pty-req payload and returns it with its size clamped and its
// TERM cleaned; ok is false for a payload that is not a PTY request.
func guardPtyRequest(payload []byte) (out []byte, asked, got window, ok bool) {
	var p ptyRequestMsg
	if gossh.Unmarshal(payload, &p) != nil {
		return payload, asked, got, false
	}
	asked = window{p.Columns, p.Rows}
	got = clampSize(asked)
	if term := cleanTerm(p.Term); got != asked || term != p.Term {
		p.Columns, p.Rows, p.Term = got.w, got.h, term
		payload = gossh.Marshal(p)
	}
	return payload, asked, got, true
}

// guardWindowChange is guardPtyRequest for a window-change payload.
func guardWindowChange(payload []byte) (out []byte, asked, got window, ok bool) {
	var wc windowChangeMsg
	if gossh.Unmarshal(payload, &wc) != nil {
		return payload, asked, got, false
	}
	asked = window{wc.Columns, wc.Rows}
	if got = clampSize(asked); got != asked {
		wc.Columns, wc.Rows = got.w, got.h
		payload = gossh.Marshal(wc)
	}
	return payload, asked, got, true
}

// logClamp logs the first clamp of a connection: a flood of them is one line.
func (s *Server) logClamp(ctx ssh.Context, cs *connState, asked, got window) {
	if asked != got && cs.clamped.CompareAndSwap(false, true) {
		s.cfg.Log.Warn("window clamped", "user", cleanField(ctx.User(), maxUser), "addr", ctx.RemoteAddr().String(),
			"asked", asked.String(), "size", got.String(), "note", "later clamps of this connection are not logged")
	}
}

func sizeText(w, h int64) string { return fmt.Sprintf("%dx%d", w, h) }

// restoreTerminal is what Bubble Tea writes when a program ends, written by the server
// for a program it could not wait for: modes off, cursor shown, main screen back.
const restoreTerminal = ansi.ResetStyle + ansi.ResetModeMouseNormal + ansi.ResetModeMouseButtonEvent +
	ansi.ResetModeMouseAnyEvent + ansi.ResetModeMouseExtSgr + ansi.ResetModeBracketedPaste +
	ansi.ResetModeFocusEvent + ansi.ShowCursor + ansi.ResetModeAltScreenSaveCursor

// gate is the way to a client's terminal: the program's frames and the server's last
// words go through it, one Write at a time, and nothing after the last words.
type gate struct {
	mu     sync.Mutex
	w      io.Writer
	closed bool
}

func (g *gate) Write(p []byte) (int, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return len(p), nil // the program's goodbye after the server's: dropped
	}
	return g.w.Write(p)
}

// last writes p, unless the last words were written already, and closes the gate.
func (g *gate) last(p string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.closed {
		io.WriteString(g.w, p) //nolint:errcheck
	}
	g.closed = true
}
