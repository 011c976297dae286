package main

// The live Oktell source over WebSocket (--source ws://, wss://) and its fake server
// (okdash sim --ws).

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/url"
	"os"
	"strings"

	"github.com/charmbracelet/x/term"

	"github.com/okdash/okdash/internal/textfile"
	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/record"
	"github.com/okdash/okdash/oktell/ws"
	"github.com/okdash/okdash/oktell/ws/wssim"
)

// envPassword is the environment variable that may hold the Oktell password.
const envPassword = "OKDASH_PASSWORD"

// passwordTries is how many passwords the start-up prompt takes, as ssh's.
const passwordTries = 3

// envWSLog names a file for the WebSocket client's diagnostics (skipped frames, late
// replies): the dashboard owns the terminal, so they cannot go to stderr.
const envWSLog = "OKDASH_WS_LOG"

func openWS(ctx context.Context, sf sourceFlags, clock oktell.Clock, con console) (oktell.Session, error) {
	if sf.Login == "" {
		return nil, errors.New("--login is required for ws:// and wss:// sources")
	}
	var store ws.Store
	if dir, err := ws.StateDir(); err == nil {
		store = ws.FileStore{Dir: dir}
	} else {
		fmt.Fprintf(con.err, "okdash: %v; the session id is kept in memory only\n", err)
	}
	pw, reusable := passwordSource(sf, con)
	cfg := ws.Config{
		URL: sf.Source, Login: sf.Login, Password: pw, PasswordReusable: reusable,
		Store: store, Clock: clock, Timeout: sf.Timeout, InsecureTLS: sf.InsecureTLS,
		BreakReason: sf.BreakReason,
		// A mistyped password is asked again, three passwords in all, as ssh asks.
		PasswordTries: passwordTries,
		TryAgain:      func(err error) { fmt.Fprintf(con.err, "okdash: %s; try again\n", serverWords(err)) },
	}
	if con.dashboardAsks {
		// Nobody at this console (okdash serve): the dashboard asks for the password.
		cfg.AskLater = true
		if !reusable {
			cfg.Password = nil
		}
	}
	var err error
	if cfg.Logf, err = wsLog(); err != nil {
		return nil, err
	}
	var capture *os.File
	if sf.Record != "" {
		// A capture of every frame both ways, which --source file: replays.
		if capture, err = record.Create(sf.Record); err != nil {
			return nil, fmt.Errorf("--record: %w", err)
		}
		cfg.Capture = capture // closed with the session
	}
	s, err := ws.Dial(ctx, cfg)
	if err != nil && capture != nil {
		capture.Close() // a second close of a file is harmless
	}
	return s, err
}

// serverWords is what the server said of a refusal, else the error.
func serverWords(err error) string {
	var re *oktell.RefusedError
	if errors.As(err, &re) && re.Why.String() != "" {
		return re.Why.String()
	}
	return err.Error()
}

// wsLog opens the diagnostics log OKDASH_WS_LOG names, of a live ws session or a replayed
// capture; nil when it names none.
func wsLog() (func(string, ...any), error) {
	p := os.Getenv(envWSLog)
	if p == "" {
		return nil, nil
	}
	f, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", envWSLog, err)
	}
	return log.New(f, "", log.LstdFlags|log.Lmicroseconds).Printf, nil
}

// passwordSource picks where the password comes from: --password-file, then
// OKDASH_PASSWORD, then a prompt without echo. It never comes from the command line,
// where other users could read it in the process list. The file and the environment
// may be read again on reconnect; the prompt only before the dashboard starts.
func passwordSource(sf sourceFlags, con console) (func() (string, error), bool) {
	if sf.PasswordFile != "" {
		return func() (string, error) { return readPasswordFile(sf.PasswordFile) }, true
	}
	if pw, ok := os.LookupEnv(envPassword); ok {
		return func() (string, error) {
			if pw == "" {
				return "", fmt.Errorf("%s is empty", envPassword)
			}
			return pw, nil
		}, true
	}
	return func() (string, error) { return promptPassword(con, sf.Login, sf.Source) }, false
}

// readPasswordFile reads the first line of path: a trailing newline (LF or CRLF) is
// not part of the password, spaces are.
func readPasswordFile(path string) (string, error) {
	// Notepad's BOM (UTF-8 or UTF-16) is not part of the password.
	text, err := textfile.Read(path, 64<<10)
	if err != nil {
		return "", fmt.Errorf("--password-file %w", err)
	}
	line, _, _ := strings.Cut(text, "\n")
	line = strings.TrimSuffix(line, "\r")
	if line == "" {
		return "", fmt.Errorf("--password-file %s: the first line is empty", path)
	}
	return line, nil
}

func promptPassword(con console, login, source string) (string, error) {
	f, ok := con.in.(*os.File)
	if !con.interactive || !ok {
		return "", fmt.Errorf("no password: standard input is not a terminal; set %s or give --password-file", envPassword)
	}
	fd := f.Fd()
	host := source
	if u, err := url.Parse(source); err == nil {
		host = u.Host
	}
	fmt.Fprintf(con.err, "Oktell password for %s at %s: ", login, host)
	b, err := term.ReadPassword(fd)
	fmt.Fprintln(con.err)
	if err != nil {
		return "", fmt.Errorf("password prompt: %w", err)
	}
	if len(b) == 0 {
		return "", errors.New("empty password")
	}
	return string(b), nil
}

// simWS runs the fake Oktell WebSocket server on addr until ctx ends. Commands read
// from io.in (see wssim.CommandHelp) drive it; SIGUSR1 drops every connection and
// SIGUSR2 restarts it, for a server running without a terminal.
func simWS(ctx context.Context, addr, usersFile string, io stdio) error {
	var users []wssim.User
	if usersFile != "" {
		var err error
		if users, err = wssim.LoadUsers(usersFile); err != nil {
			return flagFile("--users", err)
		}
	}
	srv := wssim.New(users)
	logger := log.New(io.err, "", log.LstdFlags)
	srv.Logf = logger.Printf

	go simWSSignals(ctx, srv, logger) // SIGUSR1 drops, SIGUSR2 restarts (Unix only)

	return srv.ListenAndServe(ctx, addr, func(a net.Addr) {
		fmt.Fprintf(io.out, "okdash sim: fake Oktell WebSocket server on ws://%s, users: %s\n", a, strings.Join(srv.Users(), ", "))
		fmt.Fprintf(io.out, "okdash sim: type help for commands\n")
		if io.in != nil {
			go readCommands(ctx, srv, io)
		}
	})
}

// readCommands runs the trainer's commands until the input ends; the server goes on.
func readCommands(ctx context.Context, srv *wssim.Server, io stdio) {
	sc := bufio.NewScanner(io.in)
	for sc.Scan() {
		if ctx.Err() != nil {
			return
		}
		out, err := srv.Command(sc.Text())
		switch {
		case err != nil:
			fmt.Fprintf(io.err, "okdash sim: %v\n", err)
		case out != "":
			fmt.Fprintln(io.out, out)
		}
	}
}
