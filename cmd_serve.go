package main

// The serve subcommand: the dashboard over SSH, one independent dashboard per session.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	gossh "golang.org/x/crypto/ssh"
	"golang.org/x/text/language"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/demo"
	"github.com/okdash/okdash/sshserve"
	"github.com/okdash/okdash/theme"
	"github.com/okdash/okdash/ui"
)

// keyOptions are the okdash-* options an authorized_keys line may carry; each sets the
// flag of the same name for the sessions of that key. okdash-wall=true opens the wall
// (okdash wall) instead of a dashboard, with okdash-department and okdash-page-time.
var keyOptions = []string{"source", "login", "password-file", "scenario", "speed", "lang", "icons", "theme", "no-color", "bell",
	"wall", "department", "page-time"}

// serveFlags are the flags of okdash serve besides the source and ui flags (declared
// in flags.go).
type serveFlags struct {
	Listen          string
	HostKey         string
	AuthorizedKeys  string
	TrainerKeys     string
	DemoOpen        bool
	MaxSessions     int
	ConnRate        float64
	ConnBurst       int
	IdleTimeout     time.Duration
	KeepAlive       time.Duration
	ShutdownAfter   time.Duration
	BackgroundQuery time.Duration
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
	return serveMain(args, io, sigs)
}

// serveMain is okdash serve until a signal on sigs (SIGINT, SIGTERM) and the clean
// shutdown that follows; a second signal cuts the shutdown short.
func serveMain(args []string, io stdio, sigs <-chan os.Signal) int {
	p, err := serveCmd.parse(args, os.Getenv)
	if err != nil {
		return parseFail(io, serveCmd, err)
	}
	if len(p.args) > 0 {
		return usageFail(io, serveCmd, usagef("unexpected argument %q", p.args[0]))
	}
	sf, uf, svf := p.opts.Source, p.opts.UI, p.opts.Serve
	if err := checkServeFlags(svf, sf); err != nil {
		fmt.Fprintf(io.err, "okdash serve: %v\n", err)
		return 2
	}
	logger := slog.New(slog.NewTextHandler(io.err, nil))
	// A ws:// source without a password file or a stored session would prompt on the
	// server's own terminal, where no SSH client can answer and the session would hang:
	// its sessions have no console, and the dashboard's password line asks instead.
	open := func(ctx context.Context, sf sourceFlags, clock oktell.Clock) (oktell.Session, error) {
		return openSession(ctx, sf, clock, serveConsole(io.err))
	}
	srv, err := newServe(svf, sf, uf, oktell.RealClock{}, logger, open, newModel)
	if err != nil {
		fmt.Fprintf(io.err, "okdash serve: %v\n", err)
		if errors.As(err, new(badConfig)) {
			return 2 // as a bad flag: nothing was started
		}
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

// serveConsole is what okdash serve's sessions have of a console: the server's stderr
// for notices, nobody to answer a prompt, and a dashboard that asks instead.
func serveConsole(errw io.Writer) console { return console{err: errw, dashboardAsks: true} }

func checkServeFlags(svf serveFlags, sf sourceFlags) error {
	switch {
	case svf.DemoOpen && svf.AuthorizedKeys != "":
		return errors.New("--demo-open lets anyone in to the demo; it does not go with --authorized-keys")
	case svf.DemoOpen && sourceKindOf(sf.Source) != sourceDemo:
		return fmt.Errorf("--demo-open serves only the demo, not --source %s", sf.Source)
	case !svf.DemoOpen && svf.AuthorizedKeys == "":
		return errors.New("give --authorized-keys FILE (the keys let in), or --demo-open to let anyone in to the demo")
	case svf.TrainerKeys != "" && svf.TrainerKeys == svf.AuthorizedKeys:
		return errors.New("--trainer-keys and --authorized-keys name the same file: every key would open the room; give the trainers a file of their own")
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

// badConfig is a flag, a scenario or an authorized_keys line that would stop sessions
// from opening: found at start rather than at every trainee's login.
type badConfig struct{ error }

func (e badConfig) Unwrap() error { return e.error }

// newServe builds the server from the flags; open and build make each session's
// Oktell session and dashboard (openSession and newModel, or fakes in tests). What
// every session would open (source, scenario, look) is checked first.
func newServe(svf serveFlags, sf sourceFlags, uf uiFlags, clock oktell.Clock, logger *slog.Logger, open openFunc, build modelFunc) (*serveServer, error) {
	if err := checkSession(sessionSource(sf, svf.DemoOpen), uf); err != nil {
		return nil, badConfig{err}
	}
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
	reg, trainerKeys, err := openRoom(svf, sf, uf, clock, logger)
	if err != nil {
		return nil, err
	}
	cfg := sshserve.Config{
		HostKey:         hostKey,
		Open:            svf.DemoOpen,
		Dashboard:       traineeDashboard(reg, sf, uf, svf.DemoOpen, clock, open, build),
		SayRefusal:      refusalSayer(uf),
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
		check := func(ak *sshserve.AuthorizedKey) error { return checkKeyOptions(sf, uf, ak.Options) }
		if cfg.Keys, err = sshserve.OpenKeyFile(svf.AuthorizedKeys, keyOptions, check); err != nil {
			return nil, badConfig{err}
		}
		n := cfg.Keys.Len()
		mode = plural(n, "authorized key", "authorized keys") + " from " + svf.AuthorizedKeys
		if n == 0 {
			logger.Warn("the authorized keys file holds no key: nobody can log in until one is added", "file", svf.AuthorizedKeys)
		}
	}
	if trainerKeys != nil {
		cfg.TrainerKeys, cfg.Room = trainerKeys, roomDashboard(reg, uf, clock)
		mode += "; " + plural(trainerKeys.Len(), "trainer key", "trainer keys") + " from " + svf.TrainerKeys + " open the room"
	}
	s, err := sshserve.New(cfg)
	if err != nil {
		return nil, err
	}
	return &serveServer{Server: s, hostKey: hostKey, mode: mode}, nil
}

// plural writes "1 authorized key", "2 authorized keys".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// sessionSource is the source a session of these flags opens: the demo unless a
// source is given, and only the demo under --demo-open.
func sessionSource(sf sourceFlags, demoOnly bool) sourceFlags {
	if demoOnly || sf.Source == "" {
		sf.Source = "demo"
	}
	return sf
}

// flagError is a value that a session could not open with: the flag (or the okdash-*
// option that sets it) and why.
type flagError struct {
	flag, value string
	err         error
}

func (e *flagError) Error() string {
	switch {
	case e.flag == "scenario":
		return e.err.Error() // names its file, and the line
	case e.value == "":
		return fmt.Sprintf("--%s is missing: %v", e.flag, e.err)
	}
	return fmt.Sprintf("--%s %s: %v", e.flag, e.value, e.err)
}

// checkSession checks what a session of these flags would open, without opening it
// (no connection is made): what would otherwise refuse every trainee at login.
func checkSession(sf sourceFlags, uf uiFlags) error {
	bad := func(flag, value string, err error) error { return &flagError{flag: flag, value: value, err: err} }
	if checkSpeed(sf.Speed) != nil {
		return bad("speed", strconv.FormatFloat(sf.Speed, 'g', -1, 64), errors.New("want a number above 0, such as 0.5, 1 or 10"))
	}
	src := sf.Source
	kind := sourceKindOf(src)
	if kind == sourceDemo {
		if _, err := demo.Load(sf.Scenario); err != nil {
			return bad("scenario", sf.Scenario, err)
		}
	} else if sf.Scenario != "" {
		return bad("scenario", sf.Scenario, fmt.Errorf("plays only on the demo, not on --source %s", src))
	}
	prefix, rest, _ := strings.Cut(src, ":")
	switch kind {
	case sourceDemo:
	case sourceStdin:
		return bad("source", src, errors.New("standard input cannot be shared by SSH sessions; use file:PATH"))
	case sourceFile, sourceFollow:
		if rest == "" {
			return bad("source", src, fmt.Errorf("give a file: %s:PATH", prefix))
		}
		if kind == sourceFile { // a log to follow may not exist yet
			f, err := os.Open(rest)
			if err != nil {
				return bad("source", src, err)
			}
			f.Close()
		}
	case sourceBridge:
		if _, err := bridgeDialer(rest); err != nil {
			return bad("source", src, err)
		}
	case sourceWS:
		if err := wsSyntax(src); err != nil {
			return bad("source", src, err)
		}
		if sf.Login == "" {
			return bad("login", "", errors.New("ws:// and wss:// sources need one"))
		}
		if sf.PasswordFile != "" {
			if _, err := readPasswordFile(sf.PasswordFile); err != nil {
				// The flag's name and value go in front: only the reason stays.
				why := strings.TrimPrefix(strings.TrimPrefix(err.Error(), "--password-file "), sf.PasswordFile+": ")
				return bad("password-file", sf.PasswordFile, errors.New(why))
			}
		}
	default:
		return bad("source", src, errors.New("unknown kind; want demo, file:PATH, follow:PATH, bridge:tcp://HOST:PORT, bridge:exec:COMMAND, ws://HOST:PORT or wss://HOST:PORT"))
	}
	if _, err := uiOptions(nil, nil, uf, func(string) string { return "" }, oktell.RealClock{}); err != nil {
		return err // names its flag
	}
	return nil
}

// checkKeyOptions checks an authorized_keys line's okdash-* options on top of the
// server's flags, as sessionDashboard will apply them; the error names the option.
func checkKeyOptions(sf sourceFlags, uf uiFlags, opts map[string]string) error {
	s, u, err := applyKeyOptions(sf, uf, opts)
	if err != nil {
		return err
	}
	if v, ok := opts["lang"]; ok {
		if t, err := language.Parse(v); err != nil || !slices.Contains([]string{"en", "ru"}, baseLang(t)) {
			return fmt.Errorf("okdash-lang=%s: want en or ru", v)
		}
	}
	if v, ok := opts["icons"]; ok {
		if _, err := theme.Icons(v, ""); err != nil || v == "" {
			return fmt.Errorf("okdash-icons=%s: want unicode or ascii", v)
		}
	}
	if v, ok := opts["theme"]; ok && !slices.Contains([]string{"auto", "dark", "light"}, v) {
		return fmt.Errorf("okdash-theme=%s: want auto, dark or light", v)
	}
	wall, _, err := keyWall(opts)
	if err != nil {
		return err
	}
	err = checkSession(sessionSource(s, false), u)
	if err == nil && wall {
		if err := checkWallSource(sessionSource(s, false)); err != nil {
			return fmt.Errorf("okdash-wall=true: %v", err)
		}
	}
	var fe *flagError
	if !errors.As(err, &fe) {
		return err
	}
	if v, ok := opts[fe.flag]; ok && fe.flag == "scenario" && strings.HasPrefix(fe.err.Error(), v) {
		return fmt.Errorf("okdash-scenario: %v", fe.err) // names its file (and line)
	}
	if v, ok := opts[fe.flag]; ok {
		return fmt.Errorf("okdash-%s=%q: %v", fe.flag, v, fe.err)
	}
	if fe.value == "" {
		return fmt.Errorf("okdash-%s is missing: %v", fe.flag, fe.err)
	}
	for _, name := range []string{"source", "scenario"} { // what brought the server's flag in
		if v, ok := opts[name]; ok {
			return fmt.Errorf("okdash-%s=%q: with the server's %v", name, v, fe)
		}
	}
	return fmt.Errorf("the server's %v", fe)
}

// refusalSayer renders a refusal told before the dashboard is built (the server full or
// stopping) in the language that dashboard would have had: the key's okdash-lang, else
// the server's --lang, else the client's LC_ALL, LC_MESSAGES or LANG.
func refusalSayer(uf uiFlags) func(*sshserve.Client, oktell.Reason) string {
	return func(c *sshserve.Client, r oktell.Reason) string {
		flag := uf.Lang
		if v, ok := c.Options["lang"]; ok {
			flag = v
		}
		lang, err := ui.ResolveLang(flag, c.Getenv)
		if err != nil { // a key's bad okdash-lang is refused at load; English is safe
			lang = language.English
		}
		return ui.Say(lang, r)
	}
}

func baseLang(t language.Tag) string {
	b, _ := t.Base()
	return b.String()
}

// sessionDashboard builds one session's dashboard: the server's flags, then the
// okdash-* options of the client's key line on top.
func sessionDashboard(sf sourceFlags, uf uiFlags, demoOnly bool, clock oktell.Clock, open openFunc, build modelFunc) sshserve.DashboardFunc {
	return func(ctx context.Context, c *sshserve.Client) (tea.Model, io.Closer, error) {
		s, u, err := applyKeyOptions(sf, uf, c.Options)
		if err != nil {
			return nil, nil, err
		}
		wall, wf, err := keyWall(c.Options)
		if err != nil {
			return nil, nil, err
		}
		if demoOnly || s.Source == "" {
			s.Source = "demo"
		}
		c.Source = s.Source
		lang, err := ui.ResolveLang(u.Lang, c.Getenv)
		if err == nil {
			c.Say = func(r oktell.Reason) string { return ui.Say(lang, r) }
		}
		inner, err := open(ctx, s, clock)
		if err != nil {
			return nil, nil, err
		}
		if wall { // the wall screen: nobody's shift, and no key pressed for days
			c.Source, c.KeepOpen = s.Source+" (wall)", true
			m, err := newWallModel(inner, c.Renderer, u, wf, c.Getenv, clock)
			if err != nil {
				inner.Close()
				return nil, nil, err
			}
			return m, inner, nil
		}
		sess := watchServeShift(inner, s, c.Fingerprint, clock) // the session's shift, kept per key
		c.Farewell = func() string {
			sess.Close()
			return ui.ShiftLine(lang, sess.Summary())
		}
		m, err := build(sess, c.Renderer, u, c.Getenv, clock) // the watched session: its shift view too
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

// keyWall reads a key line's wall options: okdash-wall=true opens the wall, which
// okdash-department and okdash-page-time set up as --department and --page-time do.
func keyWall(opts map[string]string) (bool, wallFlags, error) {
	wf := wallFlags{PageTime: ui.DefaultPageTime}
	wall := false
	if v, ok := opts["wall"]; ok {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return false, wf, fmt.Errorf("okdash-wall=%q: want true or false", v)
		}
		wall = b
	}
	if v, ok := opts["page-time"]; ok {
		d, err := time.ParseDuration(strings.TrimSpace(v))
		if err != nil || d < 0 {
			return false, wf, fmt.Errorf("okdash-page-time=%q: want a duration such as 15s or 1m (0: the pages turn only by key)", v)
		}
		wf.PageTime = d
	}
	if v, ok := opts["department"]; ok {
		wf.Department = v
	}
	if !wall {
		for _, name := range []string{"department", "page-time"} {
			if _, ok := opts[name]; ok {
				return false, wf, fmt.Errorf("okdash-%s is an option of the wall: add okdash-wall=true, or remove it", name)
			}
		}
	}
	return wall, wf, nil
}
