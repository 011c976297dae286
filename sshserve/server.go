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
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
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
	// Say, when Config.Dashboard sets it, renders the line written under a closed
	// dashboard in the session's language.
	Say func(oktell.Reason) string
	// Farewell, when Config.Dashboard sets it, is called once the dashboard has closed;
	// a line it returns (the operator's shift) is written under it.
	Farewell func() string
	// KeepOpen, when Config.Dashboard sets it, spares the session the idle timeout: a
	// wall screen is left open on purpose, and nobody types into it.
	KeepOpen bool
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
	// SayRefusal, when set, renders a refusal told before any dashboard is built (the
	// server is full or stopping) in the client's language: c holds what the client sent
	// (Environ: LANG, LC_*) and its key's options. Nil: English.
	SayRefusal func(c *Client, r oktell.Reason) string
	// TrainerKeys lists the trainers' keys (nil: none): such a key gets in too, and its
	// session is built by Room instead of Dashboard (the trainer's room). A key in both
	// files is a trainer's.
	TrainerKeys *KeyFile
	Room        DashboardFunc

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
	// LoginGrace is how long a connection may take to log in and ask for its session
	// before it is closed, as sshd's LoginGraceTime: a half-open handshake, or a login
	// that opens nothing, must not hold a descriptor (or a PTY) forever. Default 30s.
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
	live    map[*liveSession]struct{} // admitted at their PTY request
	closing bool
	done    sync.WaitGroup // one per admitted session

	keepAliveAnswers atomic.Int64 // for tests: keepalives answered
}

type ctxKey int

const connStateKey ctxKey = iota

const (
	// grace is how long a dashboard may take to close after its countdown before the
	// server quits its program itself.
	grace = 2 * time.Second
	// lingerAfterEnd is how long a connection whose session has ended may stay open,
	// for its client to close it.
	lingerAfterEnd = 5 * time.Second
	// When a shutdown is cut short: how long the last words to every client may take
	// (a client that reads nothing cannot hold the server), then its handlers.
	restoreWait = time.Second
	endWait     = 2 * time.Second
)

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
	if cfg.TrainerKeys != nil && cfg.Room == nil {
		return nil, errors.New("sshserve: trainer keys without a Room func")
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
	if cfg.Keys != nil {
		cfg.Keys.setLog(cfg.Log)
	}
	if cfg.TrainerKeys != nil {
		cfg.TrainerKeys.setLog(cfg.Log)
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
			return func(sess ssh.Session) { s.run(sess); next(sess) }
		}),
		func(srv *ssh.Server) error { // our key, so wish generates none in the working directory
			srv.AddHostKey(cfg.HostKey)
			srv.ConnCallback = s.acceptConn
			srv.ConnectionFailedCallback = func(c net.Conn, err error) {
				if !errors.Is(err, io.EOF) {
					cfg.Log.Info("connection failed", "addr", c.RemoteAddr().String(), "err", cleanField(err.Error(), 200))
				}
			}
			srv.ChannelHandlers = map[string]ssh.ChannelHandler{"session": s.sessionChannel}
			// sftp and scp ask for a subsystem: refused as a command is, with a reason.
			srv.SubsystemHandlers = map[string]ssh.SubsystemHandler{"default": s.run}
			srv.PtyHandler = s.admitPty(allocatePty())
			return nil
		},
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

// allocatePty is the ssh package's handler that makes a real PTY.
func allocatePty() ssh.PtyHandler {
	var srv ssh.Server
	ssh.AllocatePty()(&srv) //nolint:errcheck // sets a field
	return srv.PtyHandler
}

// Serve accepts connections on l until Shutdown or Close; it then returns nil.
func (s *Server) Serve(l net.Listener) error {
	err := s.srv.Serve(l)
	if errors.Is(err, ssh.ErrServerClosed) {
		return nil
	}
	return err
}

// Sessions is the number of sessions open now (each holds a PTY: its dashboard's).
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.live)
}

func (s *Server) sessions() []*liveSession {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*liveSession, 0, len(s.live))
	for ls := range s.live {
		out = append(out, ls)
	}
	return out
}

// Shutdown stops accepting connections, tells every dashboard "server shutting down"
// (ui.ShutdownMsg, with the ShutdownAfter countdown), waits for them to close, and then
// closes every connection. If ctx ends first, it gives every client its terminal back
// with the reason under it, closes everything, and returns ctx's error once every
// session's end is logged.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closing = true
	s.mu.Unlock()

	stopped := make(chan struct{})
	go func() {
		// Closes the listeners now; its wait for connections is ours below.
		s.srv.Shutdown(ctx) //nolint:errcheck
		close(stopped)
	}()
	for _, ls := range s.sessions() {
		ls.end(oktell.Because(oktell.ReasonServerStopping))
	}
	all := make(chan struct{})
	go func() { s.done.Wait(); close(all) }()
	var err error
	select {
	case <-all:
	case <-ctx.Done():
		err = ctx.Err()
		s.cutShort(all)
	}
	s.srv.Close() //nolint:errcheck
	<-stopped
	return err
}

// cutShort ends every session at once, as well as it can: the client's terminal is
// restored by the server (the program may be in the middle of a frame), every
// connection is closed, and every end is logged.
func (s *Server) cutShort(all <-chan struct{}) {
	sessions := s.sessions()
	restored := make(chan struct{})
	go func() {
		var wg sync.WaitGroup
		for _, ls := range sessions {
			wg.Add(1)
			go func() { defer wg.Done(); ls.lastWords() }()
		}
		wg.Wait()
		close(restored)
	}()
	// Real time, not Clock: network guards.
	select {
	case <-restored:
	case <-time.After(restoreWait):
	}
	s.srv.Close() //nolint:errcheck
	select {
	case <-all:
	case <-time.After(endWait):
	}
	for _, ls := range sessions {
		if rec := ls.rec.Load(); rec != nil {
			rec.end(ls.endReason()) // a no-op for those whose handler logged it
		}
	}
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
	cs := newConnState(c)
	ctx.SetValue(connStateKey, cs)
	// Real time, not Clock: a network guard, like a read deadline. A connection must
	// log in and ask for its session in time: a login that opens nothing (or a PTY
	// and no shell) would otherwise hold a descriptor, or a PTY, forever.
	time.AfterFunc(s.cfg.LoginGrace, func() {
		if ctx.Err() != nil || cs.started.Load() {
			return
		}
		reason := "no login within " + shortDuration(s.cfg.LoginGrace)
		if ctx.Value(ssh.ContextKeyConn) != nil {
			reason = "no session started within " + shortDuration(s.cfg.LoginGrace)
		}
		s.cfg.Log.Info("connection closed", "addr", c.RemoteAddr().String(), "reason", reason)
		c.Close()
	})
	return cs
}

func (s *Server) checkKey(ctx ssh.Context, key ssh.PublicKey) bool {
	if s.cfg.TrainerKeys != nil && s.cfg.TrainerKeys.Lookup(key) != nil {
		return true
	}
	if s.cfg.Keys == nil {
		return s.cfg.Open
	}
	if s.cfg.Keys.Lookup(key) == nil {
		s.cfg.Log.Info("key refused", "user", cleanField(ctx.User(), maxUser), "addr", ctx.RemoteAddr().String(), "key", gossh.FingerprintSHA256(key))
		return false
	}
	return true
}

// sessionChannel admits the one session channel of a connection, its requests checked
// by guardRequests; any other is refused before anything is spent on it.
func (s *Server) sessionChannel(srv *ssh.Server, conn *gossh.ServerConn, nc gossh.NewChannel, ctx ssh.Context) {
	cs := connOf(ctx)
	if n := cs.channels.Add(1); n > 1 {
		nc.Reject(gossh.Prohibited, "okdash serve: one session per connection") //nolint:errcheck
		if n == 2 {
			s.cfg.Log.Info("channel refused", "user", cleanField(ctx.User(), maxUser), "addr", ctx.RemoteAddr().String(), "reason", "one session per connection")
		}
		return
	}
	ssh.DefaultSessionHandler(srv, conn, guardedChannel{NewChannel: nc, s: s, ctx: ctx, cs: cs}, ctx)
}

// admitPty takes a place under MaxSessions before alloc makes the PTY; a refused PTY
// request leaves the reason for the session's handler to tell the client.
func (s *Server) admitPty(alloc ssh.PtyHandler) ssh.PtyHandler {
	return func(ctx ssh.Context, sess ssh.Session, pty ssh.Pty) (func() error, error) {
		cs := connOf(ctx)
		ls := &liveSession{srv: s, cs: cs, handled: make(chan struct{})}
		refuse := func(why oktell.Reason) {
			cs.mu.Lock()
			cs.refusal = why
			cs.mu.Unlock()
		}
		if why := s.admit(ls); !why.IsZero() {
			refuse(why)
			return nil, oktell.Wrap(why, nil)
		}
		closePty, err := alloc(ctx, sess, pty)
		if err != nil {
			s.release(ls)
			refuse(oktell.Because(oktell.ReasonServeNoTTY, err.Error()))
			return nil, err
		}
		cs.mu.Lock()
		cs.live = ls
		cs.mu.Unlock()
		// Called when the channel's requests end, after the handler (if any) started.
		return func() error {
			err := closePty()
			if cs.started.Load() {
				<-ls.handled // its "session end" is logged before the place is given back
			}
			s.release(ls)
			return err
		}, nil
	}
}

// liveSession is one admitted session, reachable from Shutdown and the idle timer.
type liveSession struct {
	srv     *Server
	cs      *connState
	handled chan struct{}                 // closed when the session's handler returns
	rec     atomic.Pointer[sessionRecord] // set when the handler starts

	mu      sync.Mutex
	p       *tea.Program
	pending []tea.Msg     // sent before the program existed
	reason  string        // why the server ends it, in English for the log; "" while nobody has
	why     oktell.Reason // the same, as a code for the dashboard and the closing line
	out     *gate         // to the client's terminal, once the program runs
	say     func(oktell.Reason) string

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

func (ls *liveSession) setProgram(p *tea.Program, out *gate, say func(oktell.Reason) string) {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	ls.p, ls.out, ls.say = p, out, say
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

// endWhy is why the server ended the session, as a code; zero while nobody has.
func (ls *liveSession) endWhy() oktell.Reason {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	if ls.why.IsZero() && ls.reason != "" {
		return oktell.Quoted(ls.reason)
	}
	return ls.why
}

// closedLine is what the client reads under its closed dashboard, in its language.
func (ls *liveSession) closedLine(why oktell.Reason) string {
	ls.mu.Lock()
	say := ls.say
	ls.mu.Unlock()
	r := oktell.Because(oktell.ReasonSessionClosed, why)
	line := r.String()
	if say != nil {
		line = say(r)
	}
	return line + "\r\n"
}

// lastWords gives the client its terminal back, with the reason under it, while the
// program may still be running; the program's own goodbye is dropped.
func (ls *liveSession) lastWords() {
	ls.mu.Lock()
	out := ls.out
	ls.mu.Unlock()
	why := ls.endWhy()
	if why.IsZero() {
		why = oktell.Because(oktell.ReasonServerStopping)
	}
	if out != nil {
		out.last(restoreTerminal + ls.closedLine(why))
	}
}

// end shows the dashboard why it is closing and lets it count down; a program still
// running after the countdown and a grace period is quit. A session that has not
// asked for its shell has nothing to show: its connection is closed.
func (ls *liveSession) end(why oktell.Reason) {
	ls.mu.Lock()
	if ls.reason != "" {
		ls.mu.Unlock()
		return
	}
	ls.reason, ls.why = why.String(), why
	ls.mu.Unlock()
	if !ls.cs.started.Load() {
		ls.cs.Close()
		return
	}
	after := ls.srv.cfg.ShutdownAfter
	ls.send(ui.ShutdownMsg{Why: why, After: after})
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

// admit registers a session unless the server is full or closing, and else says why
// (as a code: the client's language is known only once its shell is asked for).
func (s *Server) admit(ls *liveSession) oktell.Reason {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closing:
		return oktell.Because(oktell.ReasonServerStopping)
	case s.cfg.MaxSessions > 0 && len(s.live) >= s.cfg.MaxSessions:
		return oktell.Because(oktell.ReasonServerFull, len(s.live))
	}
	s.live[ls] = struct{}{}
	s.done.Add(1)
	return oktell.Reason{}
}

// sayRefusal is a refusal in the client's language (Config.SayRefusal), from what the
// client sent so far.
func (s *Server) sayRefusal(cs *connState, sess ssh.Session, opts map[string]string, why oktell.Reason) string {
	if s.cfg.SayRefusal == nil {
		return why.String()
	}
	pty, _, _ := sess.Pty()
	env, _ := clientEnviron(cs, pty)
	return s.cfg.SayRefusal(&Client{User: sess.User(), RemoteAddr: sess.RemoteAddr().String(), Options: opts, Term: pty.Term, Environ: env}, why)
}

func (s *Server) release(ls *liveSession) {
	s.mu.Lock()
	delete(s.live, ls)
	s.mu.Unlock()
	s.done.Done()
}

// What the session lines say for a session without a key (only an open server lets
// one in) and for one refused before any source was opened (reason says why).
const (
	noKey    = "none"
	noSource = "none"
)

// sessionRecord is what the "session end" line says. It is written once: by the
// session's handler, or by a shutdown that could not wait for it.
type sessionRecord struct {
	s     *Server
	cs    *connState
	start time.Time
	attrs []any // user, addr, key, ...

	mu     sync.Mutex
	source string
	extra  []any // what was refused
	once   sync.Once
}

func (r *sessionRecord) set(source string, extra ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if source != "" {
		r.source = source
	}
	r.extra = append(r.extra, extra...)
}

func (r *sessionRecord) end(reason string) {
	r.once.Do(func() {
		r.mu.Lock()
		a := append(r.attrs[:len(r.attrs):len(r.attrs)], r.extra...)
		a = append(a, "source", r.source, "duration", r.s.cfg.Clock.Now().Sub(r.start).Round(time.Second).String(), "reason", oktell.CleanLine(reason))
		r.mu.Unlock()
		if r.cs != nil {
			a = append(a, "bytes_sent", r.cs.written.Load())
		}
		r.s.cfg.Log.Info("session end", a...)
	})
}

// run is one session, and the end of its connection after it.
func (s *Server) run(sess ssh.Session) {
	s.handle(sess)
	// A client closes its connection when its session ends; one that does not is
	// closed for it (one session per connection).
	cs := connOf(sess.Context())
	time.AfterFunc(lingerAfterEnd, func() { cs.Close() })
}

// handle runs one SSH session: checks, then one Bubble Tea program on the session's PTY.
func (s *Server) handle(sess ssh.Session) {
	start := s.cfg.Clock.Now()
	cs := connOf(sess.Context())
	ls, refusal := cs.session()
	if ls != nil {
		defer close(ls.handled)
	}
	fp, comment, keyGone, trainer := "", "", false, false
	var opts map[string]string
	if key := sess.PublicKey(); key != nil {
		fp = gossh.FingerprintSHA256(key)
		if s.cfg.TrainerKeys != nil {
			if ak := s.cfg.TrainerKeys.find(key); ak != nil {
				comment, opts, trainer = ak.Comment, ak.Options, true
			}
		}
		if s.cfg.Keys != nil && !trainer {
			if ak := s.cfg.Keys.find(key); ak != nil {
				comment, opts = ak.Comment, ak.Options
			} else {
				keyGone = !s.cfg.Open // removed from the file since the login
			}
		}
	}
	user := cleanField(sess.User(), maxUser)
	logKey := fp
	if logKey == "" {
		logKey = noKey
	}
	attrs := []any{"user", user, "addr", sess.RemoteAddr().String(), "key", logKey}
	if comment != "" {
		attrs = append(attrs, "key_comment", comment)
	}
	build := s.cfg.Dashboard
	if trainer {
		attrs = append(attrs, "room", true)
		build = s.cfg.Room
	}
	rec := &sessionRecord{s: s, cs: cs, start: start, attrs: attrs, source: noSource}
	if ls != nil {
		ls.rec.Store(rec)
	}
	var reason string
	defer func() { rec.end(reason) }() // before the place is given back: Shutdown returns after the line
	refuse := func(why, msg string) {
		reason = why
		msg = oktell.CleanLine(msg) // errors may carry a server's words
		if _, _, isPty := sess.Pty(); isPty {
			fmt.Fprintf(sess, "okdash: %s\r\n", msg)
		} else {
			fmt.Fprintln(sess.Stderr(), "okdash: "+msg)
		}
		sess.Exit(1) //nolint:errcheck
	}

	// Told in the client's language, as the refusals below (sayRefusal).
	say := func(code oktell.ReasonCode, args ...any) string {
		return s.sayRefusal(cs, sess, opts, oktell.Because(code, args...))
	}
	switch {
	case sess.Subsystem() != "":
		rec.set("", "subsystem", cleanField(sess.Subsystem(), maxCommand))
		refuse("command refused", say(oktell.ReasonServeNoCommands))
		return
	case sess.RawCommand() != "":
		rec.set("", "command", cleanField(sess.RawCommand(), maxCommand))
		refuse("command refused", say(oktell.ReasonServeNoCommands))
		return
	case keyGone:
		refuse("key no longer authorized", say(oktell.ReasonServeKeyRevoked))
		return
	}
	pty, _, ok := sess.Pty()
	switch {
	case !refusal.IsZero():
		refuse("refused: "+refusal.String(), s.sayRefusal(cs, sess, opts, refusal))
		return
	case !ok || sess.EmulatedPty() || ls == nil:
		refuse("no terminal", say(oktell.ReasonServeNeedsTTY))
		return
	}
	ls.lastInput.Store(start.UnixNano())

	tty, err := openTTY(pty)
	if err != nil {
		refuse("error: "+err.Error(), say(oktell.ReasonServeNoTTY, err.Error()))
		return
	}
	defer tty.Close()
	env, envRefused := clientEnviron(cs, pty)
	c := &Client{
		User: user, RemoteAddr: sess.RemoteAddr().String(), Fingerprint: fp, KeyComment: comment,
		Options: opts, Term: pty.Term, Environ: env, Width: pty.Window.Width, Height: pty.Window.Height,
		Renderer: newRenderer(tty, pty, env, s.cfg.NoColor, s.cfg.BackgroundQuery),
	}
	if c.Options == nil {
		c.Options = map[string]string{}
	}
	startAttrs := append(attrs[:len(attrs):len(attrs)], "term", pty.Term, "size", sizeText(int64(pty.Window.Width), int64(pty.Window.Height)))
	if envRefused > 0 {
		startAttrs = append(startAttrs, "env_refused", envRefused)
	}
	s.cfg.Log.Info("session start", startAttrs...)

	ctx, cancel := context.WithCancel(sess.Context())
	defer cancel()
	model, closer, err := build(ctx, c)
	rec.set(c.Source)
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
	out := &gate{w: sess}
	p := tea.NewProgram(model,
		tea.WithInput(ttyinput.New(tty)), tea.WithOutput(out), // whole letters, however the reads cut them
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
	ls.setProgram(p, out, c.Say)
	go func() {
		// Not tea.WithContext: a killed program leaves its input reader running
		// against a closed terminal; Quit waits for it.
		<-ctx.Done()
		p.Quit()
	}()
	go watchWindow(ctx, p, pty, cs)
	if s.cfg.KeepAlive > 0 {
		if conn, ok := sess.Context().Value(ssh.ContextKeyConn).(gossh.Conn); ok {
			go s.keepAlive(ctx, ls, conn)
		}
	}
	if s.cfg.IdleTimeout > 0 && !c.KeepOpen {
		go s.idleWatch(ctx, ls)
	}
	_, runErr := p.Run()

	switch r := ls.endReason(); {
	case r != "":
		reason = r
		// Under the dashboard, now gone: the last thing the trainee reads.
		out.last(ls.closedLine(ls.endWhy()))
	case sess.Context().Err() != nil:
		reason = "client disconnected"
	case runErr != nil && !errors.Is(runErr, tea.ErrProgramKilled):
		reason = "error: " + runErr.Error()
	default:
		reason = "dashboard quit" // q, or the dashboard ended itself
	}
	if c.Farewell != nil {
		if line := c.Farewell(); line != "" {
			fmt.Fprintf(sess, "%s\r\n", oktell.CleanLine(line))
		}
	}
	sess.Exit(0) //nolint:errcheck
}

// resizeEvery is the most often a program is told that its window changed: each
// change costs a whole frame, and a client may send thousands of changes a second.
const resizeEvery = 100 * time.Millisecond

// watchWindow tells the program its window size: the first, then each change the
// client asks for (clamped by guardRequests), at most one every resizeEvery, the latest
// winning. The ssh package resizes the PTY itself, in order.
func watchWindow(ctx context.Context, p *tea.Program, pty ssh.Pty, cs *connState) {
	type size struct{ w, h int }
	var sent size
	sent.w, sent.h = clampWindow(pty.Window.Width, pty.Window.Height)
	want := sent
	// Output is not a terminal, so the program does not ask its size: tell it, from
	// this goroutine, so that no later change can overtake it.
	p.Send(tea.WindowSizeMsg{Width: sent.w, Height: sent.h})
	var cooling <-chan time.Time // nil: a change goes at once
	send := func() {
		if want != sent {
			sent = want
			p.Send(tea.WindowSizeMsg{Width: sent.w, Height: sent.h})
			cooling = time.After(resizeEvery) // real time: a guard, not the dashboard's clock
		}
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-cs.resized:
			if w, h := cs.window(); w > 0 && h > 0 {
				want = size{w, h}
				if cooling == nil {
					send()
				}
			}
		case <-cooling:
			cooling = nil
			send()
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
				ls.reason = "client unreachable (no answer to " + plural(n, "keepalive", "keepalives") + ")"
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
			ls.end(oktell.Because(oktell.ReasonIdle, s.cfg.IdleTimeout))
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

// plural writes "1 dashboard", "2 dashboards".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
