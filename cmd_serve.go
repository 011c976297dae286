package main

// The serve subcommand: the dashboard over SSH, one independent dashboard per session.

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	gossh "golang.org/x/crypto/ssh"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/sshserve"
	"github.com/okdash/okdash/ui"
)

// keyOptions are the okdash-* options an authorized_keys line may carry; each sets the
// flag of the same name for the sessions of that key.
var keyOptions = []string{"source", "login", "password-file", "scenario", "speed", "lang", "icons", "theme", "no-color", "bell"}

// serveFlags are the flags of okdash serve besides the source and ui flags.
type serveFlags struct {
	Listen          string
	HostKey         string
	AuthorizedKeys  string
	DemoOpen        bool
	MaxSessions     int
	ConnRate        float64
	ConnBurst       int
	IdleTimeout     time.Duration
	KeepAlive       time.Duration
	ShutdownAfter   time.Duration
	BackgroundQuery time.Duration
}

func (f *serveFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.Listen, "listen", "127.0.0.1:2222", "listen on `ADDR` (use 0.0.0.0:2222 to let other machines in)")
	fs.StringVar(&f.HostKey, "host-key", "", "the server's ed25519 host key `FILE`, generated (mode 0600) on first start and reused (default: okdash/ssh_host_ed25519_key in the user's config directory)")
	fs.StringVar(&f.AuthorizedKeys, "authorized-keys", "", "OpenSSH authorized_keys `FILE` of the keys let in; okdash-* options on a line choose that key's source (required unless --demo-open)")
	fs.BoolVar(&f.DemoOpen, "demo-open", false, "let anyone in, with or without a key, but only to the built-in demo (training rooms)")
	fs.IntVar(&f.MaxSessions, "max-sessions", 100, "most dashboards open at once; 0: no limit")
	fs.Float64Var(&f.ConnRate, "conn-rate", 1, "new connections per second allowed from one address, after the burst; 0: no limit")
	fs.IntVar(&f.ConnBurst, "conn-burst", 40, "new connections one address may open at once (a room behind one NAT address connects together)")
	fs.DurationVar(&f.IdleTimeout, "idle-timeout", 0, "close a dashboard after this long without a key press (e.g. 8h); 0: never, since wall dashboards are left open on purpose")
	fs.DurationVar(&f.KeepAlive, "keepalive", 30*time.Second, "SSH keepalive interval; a client with 3 keepalives unanswered is dropped at the next one; 0: off")
	fs.DurationVar(&f.ShutdownAfter, "shutdown-after", 5*time.Second, "countdown shown on every dashboard when the server stops")
	fs.DurationVar(&f.BackgroundQuery, "background-query", time.Second, "how long to wait for a terminal to tell its background colour; 0: assume dark")
}

// defaultHostKeyPath is okdash/ssh_host_ed25519_key in the user's config directory.
func defaultHostKeyPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("no --host-key and no config directory: %w", err)
	}
	dir = filepath.Join(dir, "okdash")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	return filepath.Join(dir, "ssh_host_ed25519_key"), nil
}

func cmdServe(args []string, io stdio) int {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sigs)
	// A ws:// source without a password file or a stored session would prompt on the
	// server's own terminal, where no SSH client can answer and the session would hang.
	// With no terminal there, it fails at once with a reason the client is shown.
	if devnull, err := os.Open(os.DevNull); err == nil {
		os.Stdin = devnull
	}
	return serveMain(args, io, sigs)
}

// serveMain is okdash serve until a signal on sigs (SIGINT, SIGTERM) and the clean
// shutdown that follows; a second signal cuts the shutdown short.
func serveMain(args []string, io stdio, sigs <-chan os.Signal) int {
	fs := flag.NewFlagSet("okdash serve", flag.ContinueOnError)
	fs.SetOutput(io.err)
	var (
		sf  sourceFlags
		uf  uiFlags
		svf serveFlags
	)
	svf.register(fs)
	sf.register(fs)
	uf.register(fs)
	fs.Usage = func() {
		fmt.Fprintln(io.err, "Usage: okdash serve --authorized-keys FILE [flags]\n       okdash serve --demo-open [flags]\n\nServes the dashboard over SSH: every client gets its own dashboard.\nThe source and look flags are the defaults of every session.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(io.err, "okdash serve: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if err := checkServeFlags(svf, sf); err != nil {
		fmt.Fprintf(io.err, "okdash serve: %v\n", err)
		return 2
	}
	logger := slog.New(slog.NewTextHandler(io.err, nil))
	srv, err := newServe(svf, sf, uf, oktell.RealClock{}, logger, openSession, newModel)
	if err != nil {
		fmt.Fprintf(io.err, "okdash serve: %v\n", err)
		return 1
	}
	l, err := net.Listen("tcp", svf.Listen)
	if err != nil {
		fmt.Fprintf(io.err, "okdash serve: %v\n", err)
		return 1
	}
	logger.Info("listening", "addr", l.Addr().String(), "host_key", gossh.FingerprintSHA256(srv.hostKey.PublicKey()), "mode", srv.mode)

	served := make(chan error, 1)
	go func() { served <- srv.Serve(l) }()
	select {
	case err := <-served:
		if err != nil {
			fmt.Fprintf(io.err, "okdash serve: %v\n", err)
			return 1
		}
		return 0
	case sig := <-sigs:
		logger.Info("shutting down", "signal", sig.String(), "sessions", srv.Sessions(), "countdown", svf.ShutdownAfter.String())
	}
	ctx, cancel := context.WithTimeout(context.Background(), svf.ShutdownAfter+10*time.Second)
	defer cancel()
	go func() {
		// A second signal: no more waiting.
		select {
		case <-sigs:
			logger.Warn("second signal: closing every connection now")
			cancel()
		case <-ctx.Done():
		}
	}()
	status := 0
	if err := srv.Shutdown(ctx); err != nil {
		logger.Warn("shutdown cut short", "err", err)
	}
	if err := <-served; err != nil {
		fmt.Fprintf(io.err, "okdash serve: %v\n", err)
		status = 1
	}
	logger.Info("stopped")
	return status
}

func checkServeFlags(svf serveFlags, sf sourceFlags) error {
	switch {
	case svf.DemoOpen && svf.AuthorizedKeys != "":
		return errors.New("--demo-open lets anyone in to the demo; it does not go with --authorized-keys")
	case svf.DemoOpen && sf.Source != "" && sf.Source != "demo":
		return fmt.Errorf("--demo-open serves only the demo, not --source %s", sf.Source)
	case !svf.DemoOpen && svf.AuthorizedKeys == "":
		return errors.New("give --authorized-keys FILE (the keys let in), or --demo-open to let anyone in to the demo")
	case sf.Source == "-":
		return errors.New("--source - (standard input) cannot be shared by SSH sessions; use file:PATH")
	case sf.Record != "":
		return errors.New("--record writes one terminal's stream; it does not go with serve")
	case svf.ConnRate < 0 || svf.ConnBurst < 0 || svf.MaxSessions < 0:
		return errors.New("--conn-rate, --conn-burst and --max-sessions cannot be negative")
	}
	return nil
}

type (
	openFunc  func(ctx context.Context, sf sourceFlags, clock oktell.Clock) (oktell.Session, error)
	modelFunc func(sess oktell.Session, r *lipgloss.Renderer, uf uiFlags, env func(string) string, clock oktell.Clock) (tea.Model, error)
)

// serveServer is the SSH server with what cmdServe logs about it.
type serveServer struct {
	*sshserve.Server
	hostKey gossh.Signer
	mode    string
}

// newServe builds the server from the flags; open and build make each session's
// Oktell session and dashboard (openSession and newModel, or fakes in tests).
func newServe(svf serveFlags, sf sourceFlags, uf uiFlags, clock oktell.Clock, logger *slog.Logger, open openFunc, build modelFunc) (*serveServer, error) {
	path := svf.HostKey
	if path == "" {
		var err error
		if path, err = defaultHostKeyPath(); err != nil {
			return nil, err
		}
	}
	hostKey, created, err := sshserve.LoadHostKey(path)
	if err != nil {
		return nil, err
	}
	if created {
		logger.Info("generated a new host key", "file", path)
	}
	cfg := sshserve.Config{
		HostKey:         hostKey,
		Open:            svf.DemoOpen,
		Dashboard:       sessionDashboard(sf, uf, svf.DemoOpen, clock, open, build),
		MaxSessions:     svf.MaxSessions,
		ConnRate:        svf.ConnRate,
		ConnBurst:       svf.ConnBurst,
		IdleTimeout:     svf.IdleTimeout,
		KeepAlive:       svf.KeepAlive,
		ShutdownAfter:   svf.ShutdownAfter,
		BackgroundQuery: svf.BackgroundQuery,
		NoColor:         uf.NoColor,
		Clock:           clock,
		Log:             logger,
	}
	mode := "open: anyone can connect, to the demo only"
	if !svf.DemoOpen {
		if cfg.Keys, err = sshserve.OpenKeyFile(svf.AuthorizedKeys, keyOptions); err != nil {
			return nil, err
		}
		mode = fmt.Sprintf("%d authorized keys from %s", cfg.Keys.Len(), svf.AuthorizedKeys)
	}
	s, err := sshserve.New(cfg)
	if err != nil {
		return nil, err
	}
	return &serveServer{Server: s, hostKey: hostKey, mode: mode}, nil
}

// sessionDashboard builds one session's dashboard: the server's flags, then the
// okdash-* options of the client's key line on top.
func sessionDashboard(sf sourceFlags, uf uiFlags, demoOnly bool, clock oktell.Clock, open openFunc, build modelFunc) sshserve.DashboardFunc {
	return func(ctx context.Context, c *sshserve.Client) (tea.Model, io.Closer, error) {
		s, u, err := applyKeyOptions(sf, uf, c.Options)
		if err != nil {
			return nil, nil, err
		}
		if demoOnly || s.Source == "" {
			s.Source = "demo"
		}
		c.Source = s.Source
		lang, err := ui.ResolveLang(u.Lang, c.Getenv)
		if err == nil {
			c.Translate = func(text string) string { return ui.Translate(lang, text) }
		}
		if u.NoColor {
			c.Renderer.SetColorProfile(termenv.Ascii)
		}
		inner, err := open(ctx, s, clock)
		if err != nil {
			return nil, nil, err
		}
		sess := watchServeShift(inner, s, c.Fingerprint, clock) // the session's shift, kept per key
		c.Farewell = func() string {
			sess.Close()
			return ui.ShiftLine(lang, sess.Summary())
		}
		m, err := build(sess, c.Renderer, u, c.Getenv, clock)
		if err != nil {
			sess.Close()
			return nil, nil, err
		}
		return m, sess, nil
	}
}

// applyKeyOptions sets the flags named by a key line's okdash-* options.
func applyKeyOptions(sf sourceFlags, uf uiFlags, opts map[string]string) (sourceFlags, uiFlags, error) {
	for name, v := range opts {
		switch name {
		case "source":
			if v == "-" {
				return sf, uf, errors.New("okdash-source=- (standard input) cannot be served")
			}
			sf.Source = v
		case "login":
			sf.Login = v
		case "password-file":
			sf.PasswordFile = v
		case "scenario":
			sf.Scenario = v
		case "speed":
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || f <= 0 {
				return sf, uf, fmt.Errorf("okdash-speed=%q: want a positive number", v)
			}
			sf.Speed = f
		case "lang":
			uf.Lang = v
		case "icons":
			uf.Icons = v
		case "theme":
			uf.Theme = v
		case "no-color", "bell":
			b, err := strconv.ParseBool(v)
			if err != nil {
				return sf, uf, fmt.Errorf("okdash-%s=%q: want true or false", name, v)
			}
			if name == "bell" {
				uf.Bell = b
			} else {
				uf.NoColor = b
			}
		}
	}
	return sf, uf, nil
}
