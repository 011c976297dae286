package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/okdash/okdash/internal/syncbuf"
	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
	"github.com/okdash/okdash/oktell/ws"
	"github.com/okdash/okdash/oktell/ws/wssim"
)

// dashboard runs one dashboard in a Bubble Tea program without a terminal, and reads
// what it draws.
type dashboard struct {
	t    *testing.T
	prog *tea.Program
	out  *syncbuf.Buffer
	seen []byte
	done chan struct{}
}

func runDashboard(t *testing.T, sess oktell.Session, clock oktell.Clock) *dashboard {
	t.Helper()
	r := lipgloss.NewRenderer(nil)
	r.SetColorProfile(termenv.Ascii)
	m, err := newModel(sess, r, uiFlags{Lang: "en", Icons: "unicode", MaxMessages: 100, MaxHistory: 100}, nil, clock)
	if err != nil {
		t.Fatal(err)
	}
	d := &dashboard{t: t, out: &syncbuf.Buffer{}, done: make(chan struct{})}
	d.prog = tea.NewProgram(m, tea.WithInput(nil), tea.WithOutput(d.out), tea.WithoutSignals())
	go func() { defer close(d.done); d.prog.Run() }()
	t.Cleanup(func() { d.prog.Kill(); <-d.done })
	d.prog.Send(tea.WindowSizeMsg{Width: 100, Height: 30})
	return d
}

// wait polls what the dashboard drew since the last wait until it has shown each of
// want.
func (d *dashboard) wait(want ...string) {
	d.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	shown := func() bool {
		text := []byte(ansi.Strip(string(d.seen)))
		for _, s := range want {
			if !bytes.Contains(text, []byte(s)) {
				return false
			}
		}
		return true
	}
	for !shown() {
		if time.Now().After(deadline) {
			d.t.Fatalf("the dashboard never showed %q; it drew:\n%s", want, ansi.Strip(string(d.seen)))
		}
		d.seen = append(d.seen, d.out.Take()...)
		time.Sleep(2 * time.Millisecond) // polling the output, not guessing a duration
	}
	d.seen = d.seen[:0]
}

func (d *dashboard) press(keys ...string) {
	for _, k := range keys {
		switch k {
		case "enter":
			d.prog.Send(tea.KeyMsg{Type: tea.KeyEnter})
		default:
			d.prog.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)})
		}
	}
}

func (d *dashboard) typeText(s string) {
	for _, r := range s {
		d.press(string(r))
	}
}

// The whole path with the fake server on the fake clock: Break opens the picker with
// the server's reasons and the reason chosen reaches the server; after a restart that
// forgets the saved session (okdash never had the password) the password line opens in
// the dashboard, a wrong password is refused and asked again, the right one logs in.
func TestDashboardBreakReasonAndPasswordOverWS(t *testing.T) {
	user := wssim.User{Login: "ivanova", Password: "Секрет-42", Name: "Иванова Мария", Line: "305"}
	srv := wssim.New([]wssim.User{user})
	ts := httptest.NewServer(srv)
	defer ts.Close()
	defer srv.Drop("")
	clk := clocktest.New(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	store := &ws.MemStore{}
	cfg := ws.Config{URL: "ws://" + ts.Listener.Addr().String(), Login: user.Login, Store: store, Clock: clk,
		Password: func() (string, error) { return user.Password, nil }}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	first, err := ws.Dial(ctx, cfg) // saves the session
	if err != nil {
		t.Fatal(err)
	}
	first.Close()
	cfg.Password = nil
	sess, err := ws.Dial(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	d := runDashboard(t, sess, clk)
	d.wait("Иванова Мария · 305")
	srv.SetState(user.Login, oktell.UserReady, false)
	d.wait("Ready")

	for len(srv.Requests()) > 0 {
		<-srv.Requests()
	}
	d.press("2")
	d.wait("Break reason")
	d.press("3")
	d.wait("◐ Break") // the pending "… Break: Обучение" may not live a frame: the server is quick
	for r := range srv.Requests() {
		if r.Name == "setuserstate" {
			if r.Body["lunchreasonid"] != wssim.LunchTypes[2]["id"] {
				t.Fatalf("break request %v: want Обучение's id", r.Body)
			}
			break
		}
	}

	clk.Advance(ws.DefaultStableAfter) // a link that stayed up: its drop is retried at once
	srv.Restart()
	d.wait("Type the password to log in", "Oktell password:")
	d.typeText("Секрет-41")
	d.press("enter")
	d.wait("Refused, try again (2 of 3)")
	d.typeText(user.Password)
	d.press("enter")
	d.wait("▲ connected")
	if srv.Conns(user.Login) != 1 {
		t.Fatalf("%d connections after logging in again", srv.Conns(user.Login))
	}
	if st, _ := srv.State(user.Login); st != oktell.UserLunch {
		t.Fatalf("the server has %v", st)
	}
}

// Over okdash serve, a key whose ws source has neither a password file nor a saved
// session opens the dashboard with its password line (before: the client was told the
// dashboard cannot open); what the operator types there logs in and is not echoed.
func TestServeAsksForThePasswordInTheDashboard(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
	os.Unsetenv(envPassword)
	oktellSrv := wssim.New([]wssim.User{{Login: "ivanova", Password: "pw-Иванова", Name: "Ivanova Maria", Line: "305"}})
	ts := httptest.NewServer(oktellSrv)
	defer ts.Close()
	defer oktellSrv.Drop("")
	src := "ws://" + ts.Listener.Addr().String()
	k, _ := writeClientKey(t, dir, "key")
	authorized := filepath.Join(dir, "authorized_keys")
	line := fmt.Sprintf("okdash-source=%q,okdash-login=ivanova,okdash-lang=en %s ivanova@desk\n", src, pubLine(k))
	if err := os.WriteFile(authorized, []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}
	addr, _, _ := startServe(t, serveFlags{AuthorizedKeys: authorized, HostKey: filepath.Join(dir, "host")},
		sourceFlags{Source: "demo", Speed: 1, Timeout: 10 * time.Second}, serveOpen, newModel)
	screen := dialScreen(t, addr, k)
	screen.wait("Oktell password:")
	if _, err := screen.in.Write([]byte("pw-Иванова\r")); err != nil {
		t.Fatal(err)
	}
	screen.wait("Ivanova Maria")
	if strings.Contains(screen.text(), "pw-") {
		t.Fatal("the password was echoed to the SSH client")
	}
	if oktellSrv.Conns("ivanova") != 1 {
		t.Fatalf("%d connections", oktellSrv.Conns("ivanova"))
	}
}
