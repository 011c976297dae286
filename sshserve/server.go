// Package sshserve serves the okdash dashboard over SSH: one real PTY, one Lip Gloss
// renderer and one Bubble Tea program per session, so every trainee or remote operator
// gets an independent, correctly coloured dashboard that follows their window size.
//
// The package knows nothing of Oktell sources: Config.Dashboard builds the model of a
// session from what the server learned about the client (Client). It owns what an SSH
// front door needs: host key, authorized keys with per-key okdash-* options, session
// and connection-rate limits, keepalives, an optional input-idle timeout, a log line
// per session, and a clean shutdown that shows every dashboard why it is closing.
package sshserve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/ttyinput"
	"github.com/okdash/okdash/ui"
)

// Client is what the server knows about one SSH session when it builds its dashboard.
type Client struct {
	User        string
	RemoteAddr  string
	Fingerprint string            // SHA256:... of the key used, "" when none (--demo-open without a key)
	KeyComment  string            // the comment of the key's authorized_keys line
	Options     map[string]string // okdash-* options of the key's line, without the prefix
	Term        string            // the client's TERM
	Environ     []string          // what the client sent (LANG, LC_*, NO_COLOR, ...), plus TERM
	Width       int
	Height      int
	Renderer    *lipgloss.Renderer // renders for this client's terminal

	// Source is set by Config.Dashboard to say what the session shows; it goes to the log.
	Source string
	// Translate, when Config.Dashboard sets it, renders the line written under a closed
	// dashboard in the session's language.
	Translate func(string) string
	// Farewell, when Config.Dashboard sets it, is called once the dashboard has closed;
	// a line it returns (the operator's shift) is written under it.
	Farewell func() string
}

// Getenv reads the client's environment (the last value sent wins).
func (c *Client) Getenv(key string) string { return environ(c.Environ).Getenv(key) }

// DashboardFunc builds the model of one session. The closer, if not nil, is closed
// when the session ends (the Oktell session behind the dashboard, say). ctx ends with
// the SSH session.
type DashboardFunc func(ctx context.Context, c *Client) (tea.Model, io.Closer, error)

// Config configures a Server. Zero values mean the documented defaults.
type Config struct {
	HostKey gossh.Signer
	// Keys lists the keys let in. Nil only with Open.
	Keys *KeyFile
	// Open lets anyone in, with or without a key.
	Open bool
	// Dashboard builds each session's model.
	Dashboard DashboardFunc

	MaxSessions int           // concurrent dashboards; 0: no limit
	ConnRate    float64       // new connections per second per source address; 0: no limit
	ConnBurst   int           // connections a source address may open at once
	IdleTimeout time.Duration // end a session after this long without a key or mouse event; 0: never
	// KeepAlive is the interval of SSH keepalive requests; a client that misses
	// KeepAliveMissed answers in a row is dropped. 0: no keepalives.
	KeepAlive       time.Duration
	KeepAliveMissed int
	// ShutdownAfter is the countdown each dashboard shows before it closes on shutdown
	// or idle timeout (ui.ShutdownMsg.After).
	ShutdownAfter time.Duration
	// LoginGrace is how long a connection may take to log in before it is closed, as
	// sshd's LoginGraceTime: a half-open handshake must not hold a descriptor forever.
	// Default 30s.
	LoginGrace time.Duration
	// BackgroundQuery is how long to wait for the terminal to tell its background
	// colour; 0: do not ask, assume dark.
	BackgroundQuery time.Duration
	NoColor         bool // no colour for anyone (--no-color)
	Version         string
	Clock           oktell.Clock
	Log             *slog.Logger
}

// Server is an SSH server of dashboards.
type Server struct {
	cfg     Config
	srv     *ssh.Server
	limiter *rateLimiter

	mu      sync.Mutex
	live    map[*liveSession]struct{}
	closing bool
	done    sync.WaitGroup // one per admitted session

	keepAliveAnswers atomic.Int64 // for tests: keepalives answered
}

type ctxKey int

const connStatsKey ctxKey = iota

// grace is how long a dashboard may take to close after its countdown before the
// server quits its program itself.
const grace = 2 * time.Second

// New checks cfg and builds the server.
func New(cfg Config) (*Server, error) {
	if cfg.HostKey == nil {
		return nil, errors.New("sshserve: no host key")
	}
	if cfg.Dashboard == nil {
		return nil, errors.New("sshserve: no Dashboard func")
	}
	if cfg.Keys == nil && !cfg.Open {
		return nil, errors.New("sshserve: no authorized keys and not open")
	}
	if cfg.Clock == nil {
		cfg.Clock = oktell.RealClock{}
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.KeepAliveMissed <= 0 {
		cfg.KeepAliveMissed = 3
	}
	if cfg.LoginGrace <= 0 {
		cfg.LoginGrace = 30 * time.Second
	}
	if cfg.Version == "" {
		cfg.Version = "okdash"
	}
	s := &Server{cfg: cfg, live: map[*liveSession]struct{}{}}
	if cfg.ConnRate > 0 {
		s.limiter = newRateLimiter(cfg.ConnRate, cfg.ConnBurst, cfg.Clock)
	}
	opts := []ssh.Option{
		wish.WithVersion(cfg.Version),
		wish.WithPublicKeyAuth(s.checkKey),
		// The dashboard is the whole application: the last (and only) middleware.
		wish.WithMiddleware(func(next ssh.Handler) ssh.Handler {
			return func(sess ssh.Session) { s.handle(sess); next(sess) }
		}),
		func(srv *ssh.Server) error { // our key, so wish generates none in the working directory
			srv.AddHostKey(cfg.HostKey)
			srv.ConnCallback = s.acceptConn
			srv.ConnectionFailedCallback = func(c net.Conn, err error) {
				if !errors.Is(err, io.EOF) {
					cfg.Log.Info("connection failed", "addr", c.RemoteAddr().String(), "err", err)
				}
			}
			return nil
		},
		ssh.AllocatePty(),
	}
	if cfg.Open {
		// Trainees without a key get in too; the handshake still offers publickey first,
		// so those who have one are logged with its fingerprint.
		opts = append(opts, wish.WithKeyboardInteractiveAuth(func(ssh.Context, gossh.KeyboardInteractiveChallenge) bool { return true }))
	}
	srv, err := wish.NewServer(opts...)
	if err != nil {
		return nil, err
	}
	s.srv = srv
	return s, nil
}

// Serve accepts connections on l until Shutdown or Close; it then returns nil.
func (s *Server) Serve(l net.Listener) error {
	err := s.srv.Serve(l)
	if errors.Is(err, ssh.ErrServerClosed) {
		return nil
	}
	return err
}

// Sessions is the number of dashboards open now.
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.live)
}

// Shutdown stops accepting connections, tells every dashboard "server shutting down"
// (ui.ShutdownMsg, with the ShutdownAfter countdown), waits for them to close, and then
// closes every connection. If ctx ends first, it closes everything at once and
// returns ctx's error.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closing = true
	sessions := make([]*liveSession, 0, len(s.live))
	for ls := range s.live {
		sessions = append(sessions, ls)
	}
	s.mu.Unlock()

	stopped := make(chan struct{})
	go func() {
		// Closes the listeners now; its wait for connections is ours below.
		s.srv.Shutdown(ctx) //nolint:errcheck
		close(stopped)
	}()
	for _, ls := range sessions {
		ls.end("server shutting down")
	}
	all := make(chan struct{})
	go func() { s.done.Wait(); close(all) }()
	var err error
	select {
	case <-all:
	case <-ctx.Done():
		err = ctx.Err()
	}
	s.srv.Close() //nolint:errcheck
	<-stopped
	return err
}

// Close closes the listeners and every connection at once.
func (s *Server) Close() error {
	s.mu.Lock()
	s.closing = true
	s.mu.Unlock()
	return s.srv.Close()
}

// acceptConn runs before the SSH handshake: the cheapest place to turn away a flood.
func (s *Server) acceptConn(ctx ssh.Context, c net.Conn) net.Conn {
	host := c.RemoteAddr().String()
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	s.mu.Lock()
	closing := s.closing
	s.mu.Unlock()
	if closing {
		return nil
	}
	if !s.limiter.allow(host) {
		s.cfg.Log.Warn("connection refused", "addr", c.RemoteAddr().String(), "reason", "rate limit: too many new connections from this address")
		return nil
	}
	cc := &countingConn{Conn: c}
	ctx.SetValue(connStatsKey, cc)
	// Real time, not Clock: a network guard, like a read deadline.
	time.AfterFunc(s.cfg.LoginGrace, func() {
		if ctx.Err() == nil && ctx.Value(ssh.ContextKeyConn) == nil { // still no login
			s.cfg.Log.Info("connection closed", "addr", c.RemoteAddr().String(), "reason", "no login within "+shortDuration(s.cfg.LoginGrace))
			c.Close()
		}
	})
	return cc
}

func (s *Server) checkKey(ctx ssh.Context, key ssh.PublicKey) bool {
	if s.cfg.Keys == nil {
		return s.cfg.Open
	}
	ak, err := s.cfg.Keys.Lookup(key)
	if err != nil {
		s.cfg.Log.Error("authorized keys file unreadable; using its last good content", "err", err)
	}
	if ak == nil {
		s.cfg.Log.Info("key refused", "user", ctx.User(), "addr", ctx.RemoteAddr().String(), "key", gossh.FingerprintSHA256(key))
		return false
	}
	return true
}

// countingConn counts the bytes sent to the client, SSH framing included: what the
// link really carries.
type countingConn struct {
	net.Conn
	written atomic.Int64
}

func (c *countingConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.written.Add(int64(n))
	return n, err
}

// liveSession is one admitted session, reachable from Shutdown and the idle timer.
type liveSession struct {
	srv *Server

	mu      sync.Mutex
	p       *tea.Program
	pending []tea.Msg // sent before the program existed
	reason  string    // why the server ends it; "" while nobody has

	lastInput atomic.Int64 // unix nanoseconds of the last key or mouse event
}

func (ls *liveSession) send(msg tea.Msg) {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	if ls.p == nil {
		ls.pending = append(ls.pending, msg)
		return
	}
	go ls.p.Send(msg) // Send blocks until the event loop takes it
}

func (ls *liveSession) setProgram(p *tea.Program) {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	ls.p = p
	for _, m := range ls.pending {
		go p.Send(m)
	}
	ls.pending = nil
}

func (ls *liveSession) endReason() string {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	return ls.reason
}

// end shows the dashboard why it is closing and lets it count down; a program still
// running after the countdown and a grace period is quit.
func (ls *liveSession) end(reason string) {
	ls.mu.Lock()
	if ls.reason != "" {
		ls.mu.Unlock()
		return
	}
	ls.reason = reason
	ls.mu.Unlock()
	after := ls.srv.cfg.ShutdownAfter
	ls.send(ui.ShutdownMsg{Reason: reason, After: after})
	go func() {
		<-ls.srv.cfg.Clock.After(after + grace)
		ls.mu.Lock()
		p := ls.p
		ls.mu.Unlock()
		if p != nil {
			p.Quit()
		}
	}()
}

// admit registers a session unless the server is full or closing.
func (s *Server) admit(ls *liveSession) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closing:
		return errors.New("the server is shutting down")
	case s.cfg.MaxSessions > 0 && len(s.live) >= s.cfg.MaxSessions:
		return fmt.Errorf("the server is full (%d dashboards open); try again later", len(s.live))
	}
	s.live[ls] = struct{}{}
	s.done.Add(1)
	return nil
}

func (s *Server) release(ls *liveSession) {
	s.mu.Lock()
	delete(s.live, ls)
	s.mu.Unlock()
	s.done.Done()
}

// handle runs one SSH session: checks, then one Bubble Tea program on the session's PTY.
func (s *Server) handle(sess ssh.Session) {
	start := s.cfg.Clock.Now()
	fp, comment := "", ""
	var opts map[string]string
	if key := sess.PublicKey(); key != nil {
		fp = gossh.FingerprintSHA256(key)
		if s.cfg.Keys != nil {
			if ak, _ := s.cfg.Keys.Lookup(key); ak != nil {
				comment, opts = ak.Comment, ak.Options
			}
		}
	}
	attrs := []any{"user", sess.User(), "addr", sess.RemoteAddr().String(), "key", fp}
	if comment != "" {
		attrs = append(attrs, "key_comment", comment)
	}
	var (
		reason   string
		source   string
		admitted *liveSession
	)
	defer func() {
		// Logged before the slot is released, so that Shutdown returns after the line.
		defer func() {
			if admitted != nil {
				s.release(admitted)
			}
		}()
		a := append(attrs[:len(attrs):len(attrs)], "source", source, "duration", s.cfg.Clock.Now().Sub(start).Round(time.Second).String(), "reason", reason)
		if cc, ok := sess.Context().Value(connStatsKey).(*countingConn); ok {
			a = append(a, "bytes_sent", cc.written.Load())
		}
		s.cfg.Log.Info("session end", a...)
	}()
	refuse := func(why, msg string) {
		reason = why
		msg = printable(msg) // errors may carry a server's words
		if _, _, isPty := sess.Pty(); isPty {
			fmt.Fprintf(sess, "okdash: %s\r\n", msg)
		} else {
			fmt.Fprintln(sess.Stderr(), "okdash: "+msg)
		}
		sess.Exit(1) //nolint:errcheck
	}

	if len(sess.Command()) > 0 || sess.Subsystem() != "" {
		refuse("command refused", "this server shows the okdash dashboard and runs no commands; connect with plain ssh, no command")
		return
	}
	pty, winCh, ok := sess.Pty()
	if !ok || sess.EmulatedPty() {
		refuse("no terminal", "the dashboard needs a terminal; connect with ssh -t (and without -T or a command)")
		return
	}
	ls := &liveSession{srv: s}
	if err := s.admit(ls); err != nil {
		refuse("refused: "+err.Error(), err.Error())
		return
	}
	admitted = ls
	ls.lastInput.Store(start.UnixNano())

	tty, err := openTTY(pty)
	if err != nil {
		refuse("error: "+err.Error(), "cannot open a terminal: "+err.Error())
		return
	}
	defer tty.Close()
	env := clientEnviron(sess, pty)
	c := &Client{
		User: sess.User(), RemoteAddr: sess.RemoteAddr().String(), Fingerprint: fp, KeyComment: comment,
		Options: opts, Term: pty.Term, Environ: env, Width: pty.Window.Width, Height: pty.Window.Height,
		Renderer: newRenderer(tty, pty, env, s.cfg.NoColor, s.cfg.BackgroundQuery),
	}
	if c.Options == nil {
		c.Options = map[string]string{}
	}
	s.cfg.Log.Info("session start", append(attrs[:len(attrs):len(attrs)], "term", pty.Term, "size", fmt.Sprintf("%dx%d", pty.Window.Width, pty.Window.Height))...)

	ctx, cancel := context.WithCancel(sess.Context())
	defer cancel()
	model, closer, err := s.cfg.Dashboard(ctx, c)
	source = c.Source
	if err != nil {
		refuse("cannot open the dashboard: "+err.Error(), "cannot open the dashboard: "+err.Error())
		return
	}
	if closer != nil {
		defer closer.Close()
	}
	// Input comes through the PTY (raw mode, the client's modes); output goes straight
	// to the channel, so that what the server writes after the program ends cannot
	// overtake the program's last frame still queued in the PTY.
	p := tea.NewProgram(model,
		tea.WithInput(ttyinput.New(tty)), tea.WithOutput(sess), // whole letters, however the reads cut them
		tea.WithAltScreen(),
		tea.WithoutSignalHandler(), // the server handles SIGTERM for all sessions
		tea.WithFilter(func(_ tea.Model, msg tea.Msg) tea.Msg {
			switch msg.(type) {
			case tea.KeyMsg, tea.MouseMsg:
				ls.lastInput.Store(s.cfg.Clock.Now().UnixNano())
			}
			return msg
		}),
	)
	ls.setProgram(p)
	go func() {
		// Not tea.WithContext: a killed program leaves its input reader running
		// against a closed terminal; Quit waits for it.
		<-ctx.Done()
		p.Quit()
	}()
	go watchWindow(ctx, p, tty, pty, winCh)
	if s.cfg.KeepAlive > 0 {
		if conn, ok := sess.Context().Value(ssh.ContextKeyConn).(gossh.Conn); ok {
			go s.keepAlive(ctx, ls, conn)
		}
	}
	if s.cfg.IdleTimeout > 0 {
		go s.idleWatch(ctx, ls)
	}
	_, runErr := p.Run()

	switch r := ls.endReason(); {
	case r != "":
		reason = r
		// Under the dashboard, now gone: the last thing the trainee reads.
		line := "okdash: session closed: " + r
		if c.Translate != nil {
			line = c.Translate(line)
		}
		fmt.Fprintf(sess, "%s\r\n", line)
	case sess.Context().Err() != nil:
		reason = "client disconnected"
	case runErr != nil && !errors.Is(runErr, tea.ErrProgramKilled):
		reason = "error: " + runErr.Error()
	default:
		reason = "dashboard quit" // q, or the dashboard ended itself
	}
	if c.Farewell != nil {
		if line := c.Farewell(); line != "" {
			fmt.Fprintf(sess, "%s\r\n", printable(line))
		}
	}
	sess.Exit(0) //nolint:errcheck
}

// watchWindow passes the client's window changes to the PTY and the program. The ssh
// package's own resizer reads the same channel, so a change it takes first is caught
// by polling the PTY's size: no SIGWINCH reaches a server for a PTY it merely holds.
func watchWindow(ctx context.Context, p *tea.Program, tty *os.File, pty ssh.Pty, winCh <-chan ssh.Window) {
	w, h := pty.Window.Width, pty.Window.Height
	// Output is not a terminal, so the program does not ask its size: tell it, from
	// this goroutine, so that no later change can overtake it.
	p.Send(tea.WindowSizeMsg{Width: w, Height: h})
	poll := time.NewTicker(250 * time.Millisecond)
	defer poll.Stop()
	resized := func(nw, nh int) {
		if nw > 0 && nh > 0 && (nw != w || nh != h) {
			w, h = nw, nh
			p.Send(tea.WindowSizeMsg{Width: w, Height: h})
		}
	}
	for {
		select {
		case <-ctx.Done():
			return
		case win, ok := <-winCh:
			if !ok {
				winCh = nil // closed: polling still works
				continue
			}
			pty.Resize(win.Width, win.Height) //nolint:errcheck
			resized(win.Width, win.Height)
		case <-poll.C:
			if nw, nh, err := ptySize(tty); err == nil {
				resized(nw, nh)
			}
		}
	}
}

// keepAlive drops a connection whose client stopped answering: a laptop closed or a
// network gone leaves no FIN, and without this the session would hold its slot for
// the TCP timeout (many minutes). As sshd's ClientAliveInterval and
// ClientAliveCountMax: a request every interval, and a client with KeepAliveMissed
// requests unanswered at the next tick is dropped.
func (s *Server) keepAlive(ctx context.Context, ls *liveSession, conn gossh.Conn) {
	var unanswered atomic.Int32
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.cfg.Clock.After(s.cfg.KeepAlive):
		}
		if n := int(unanswered.Load()); n >= s.cfg.KeepAliveMissed {
			ls.mu.Lock()
			if ls.reason == "" {
				ls.reason = fmt.Sprintf("client unreachable (no answer to %d keepalives)", n)
			}
			ls.mu.Unlock()
			conn.Close() //nolint:errcheck
			return
		}
		unanswered.Add(1)
		go func() {
			// Any reply, even "unknown request", proves the client is there. An error
			// means the connection is gone, and the session ends by itself.
			if _, _, err := conn.SendRequest("keepalive@openssh.com", true, nil); err == nil {
				unanswered.Store(0)
				s.keepAliveAnswers.Add(1)
			}
		}()
	}
}

// idleWatch ends a session nobody typed into for IdleTimeout.
func (s *Server) idleWatch(ctx context.Context, ls *liveSession) {
	for {
		due := time.Unix(0, ls.lastInput.Load()).Add(s.cfg.IdleTimeout)
		wait := due.Sub(s.cfg.Clock.Now())
		if wait <= 0 {
			ls.end("no input for " + shortDuration(s.cfg.IdleTimeout))
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-s.cfg.Clock.After(wait):
		}
	}
}

// shortDuration writes 30m for 30m0s and 1h for 1h0m0s.
func shortDuration(d time.Duration) string {
	t := d.String()
	t = strings.Replace(t, "m0s", "m", 1)
	return strings.Replace(t, "h0m", "h", 1)
}

// printable drops escape sequences and control characters from text bound for the
// client's terminal.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return -1
		}
		return r
	}, ansi.Strip(s))
}
