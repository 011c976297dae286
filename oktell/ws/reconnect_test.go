package ws_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/ws"
	"github.com/okdash/okdash/oktell/ws/wssim"
)

var ivanova = wssim.User{Login: "ivanova", Password: "Секрет-42", Name: "Иванова Мария", Line: "305"}

// logBook keeps every diagnostic line, so a test can say what never reached them.
type logBook struct {
	mu    sync.Mutex
	lines []string
}

func (b *logBook) logf(format string, args ...any) {
	b.mu.Lock()
	b.lines = append(b.lines, fmt.Sprintf(format, args...))
	b.mu.Unlock()
}

func (b *logBook) text() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.Join(b.lines, "\n")
}

// reconnect calls Reconnect with a deadline.
func reconnect(t *testing.T, s *ws.Session, password string) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	return s.Reconnect(ctx, password)
}

// Started from a saved session, okdash never had the password; when the server forgets
// the session the link closes asking for one, and stays so (nothing buries the reason)
// until the operator gives it: a wrong one is refused and asked again, the right one
// logs in. The password reaches neither the diagnostics nor the store.
func TestRestartWithoutPasswordWaitsForOne(t *testing.T) {
	f := newFixture(t, ivanova)
	first := f.dial(f.config("ivanova", ivanova.Password))
	untilLink(t, first, oktell.LinkConnected)
	first.Close()

	var book logBook
	cfg := f.config("ivanova", "")
	cfg.Password, cfg.Logf = nil, book.logf
	s := f.dial(cfg)
	untilLink(t, s, oktell.LinkConnected)
	if err := reconnect(t, s, "anything"); err != nil {
		t.Fatalf("Reconnect while connected: %v", err)
	}
	f.upAWhile()
	f.srv.Restart()
	st := untilLink(t, s, oktell.LinkClosed)
	if !st.NeedPassword || !strings.Contains(st.Why.String(), "Session does not exist") {
		t.Fatalf("closed with %+v; want the password asked for, and why", st)
	}
	if st.Operator != "Иванова Мария" {
		t.Errorf("the closed status forgot who was logged in: %+v", st)
	}

	drainRequests(f.srv)
	var re *oktell.RefusedError
	if err := reconnect(t, s, "Секрет-41"); !errors.As(err, &re) {
		t.Fatalf("a wrong password: %v, want a refusal", err)
	}
	// The next update after the closed one is the try the operator asked for.
	if u := next(t, s); u.Status == nil || u.Status.Link != oktell.LinkConnecting {
		t.Fatalf("after closed: %s, want connecting", describe(u))
	}
	st = untilLink(t, s, oktell.LinkClosed)
	if !st.NeedPassword || !strings.Contains(st.Why.String(), "Wrong login/pass combination") {
		t.Fatalf("after a wrong password: %+v", st)
	}
	if r := f.request("login"); !r.Password {
		t.Fatalf("the try sent no password: %+v", r)
	}

	if err := reconnect(t, s, ivanova.Password); err != nil {
		t.Fatalf("the right password: %v", err)
	}
	untilLink(t, s, oktell.LinkConnected)
	untilState(t, s, oktell.UserOff, false)
	if sid, _ := f.store.Load(f.url, "ivanova"); sid == "" {
		t.Fatal("no session saved after the new login")
	}
	if err := s.SetUserState(context.Background(), oktell.UserReady, false); err != nil {
		t.Fatalf("after logging in again: %v", err)
	}
	h, _ := ws.HashPassword(ivanova.Password)
	if log := book.text(); strings.Contains(log, ivanova.Password) || strings.Contains(log, h.Password) || strings.Contains(log, h.Lower) {
		t.Fatalf("the password reached the diagnostics:\n%s", log)
	}
}

// A refusal that is not about the password (the desktop client holds the user) closes
// the link without asking for one; Reconnect tries again with what is at hand, as often
// as the operator asks, until the server lets them in.
func TestRefusedLoginReconnectsWhenAsked(t *testing.T) {
	f := newFixture(t)
	s := f.dial(f.config("demo", "demo"))
	untilLink(t, s, oktell.LinkConnected)
	f.upAWhile()
	f.srv.RefuseLogins(ws.CodeDesktopClient, "User already logged in")
	f.srv.Drop("")
	st := untilLink(t, s, oktell.LinkClosed)
	if st.NeedPassword || !strings.Contains(st.Why.String(), "desktop client") {
		t.Fatalf("closed with %+v", st)
	}
	var re *oktell.RefusedError
	if err := reconnect(t, s, ""); !errors.As(err, &re) || re.Code != ws.CodeDesktopClient {
		t.Fatalf("still refused: %v", err)
	}
	untilLink(t, s, oktell.LinkClosed)

	f.srv.RefuseLogins(0, "")
	drainRequests(f.srv)
	if err := reconnect(t, s, ""); err != nil {
		t.Fatalf("let in: %v", err)
	}
	untilLink(t, s, oktell.LinkConnected)
	f.request("login")
	if f.asked.Load() != 1 { // the refusal dropped the saved session; the hashes at hand did
		t.Fatalf("password asked %d times, want once", f.asked.Load())
	}
}

// A try that meets a server still starting is not a refusal for good: the session goes
// on trying by itself on the backoff, as after a drop.
func TestReconnectToAStartingServerKeepsTrying(t *testing.T) {
	f := newFixture(t)
	s := f.dial(f.config("demo", "demo"))
	untilLink(t, s, oktell.LinkConnected)
	f.upAWhile()
	f.srv.RefuseLogins(ws.CodeLicenceLimit, "License limit")
	f.srv.Drop("")
	untilLink(t, s, oktell.LinkClosed)
	f.srv.RefuseLogins(0, ws.MsgNotAvailable)
	if err := reconnect(t, s, ""); err == nil {
		t.Fatal("a starting server let the try in")
	}
	until(t, s, "a retry in 1s", func(u oktell.Update) bool {
		return u.Status != nil && u.Status.Link == oktell.LinkReconnecting && strings.Contains(u.Status.Why.String(), "next try in 1s")
	})
	f.srv.RefuseLogins(0, "")
	f.clock.Advance(time.Second)
	untilLink(t, s, oktell.LinkConnected)
}

// At the start a mistyped password is asked again, three passwords in all as ssh asks;
// the third refusal ends Dial with the server's reason. A password file is read once:
// it would give the same answer.
func TestDialAsksThreeTimes(t *testing.T) {
	for _, tc := range []struct {
		name     string
		typed    []string
		reusable bool
		ok       bool
		asked    int
	}{
		{"second right", []string{"Секрет-41", ivanova.Password}, false, true, 2},
		{"third right", []string{"a", "b", ivanova.Password}, false, true, 3},
		{"three wrong", []string{"a", "b", "c", ivanova.Password}, false, false, 3},
		{"a file is read once", []string{"a", ivanova.Password}, true, false, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, ivanova)
			cfg := f.config("ivanova", "")
			asked := 0
			cfg.Password = func() (string, error) { asked++; return tc.typed[asked-1], nil }
			cfg.PasswordReusable = tc.reusable
			cfg.PasswordTries = 3
			var told []string
			cfg.TryAgain = func(err error) { told = append(told, err.Error()) }
			ctx, cancel := context.WithTimeout(context.Background(), wait)
			defer cancel()
			s, err := ws.Dial(ctx, cfg)
			if s != nil {
				defer s.Close()
			}
			if tc.ok != (err == nil) || asked != tc.asked || len(told) != tc.asked-1 {
				t.Fatalf("Dial: %v; asked %d times, told %q; want ok=%v, %d asks", err, asked, told, tc.ok, tc.asked)
			}
			for _, w := range told {
				if !strings.Contains(w, "Wrong login/pass combination") {
					t.Errorf("told %q before asking again", w)
				}
			}
			var re *oktell.RefusedError
			if !tc.ok && (!errors.As(err, &re) || !strings.Contains(err.Error(), "login or the password is wrong")) {
				t.Fatalf("the end of the tries: %v, want the server's reason", err)
			}
		})
	}
}

// okdash serve has nobody to prompt: with AskLater, Dial gives the dashboard a session
// whose link waits for the password, and Reconnect brings it. A wrong password from a
// file waits the same way rather than failing the SSH session.
func TestDialAskLaterWaitsForThePassword(t *testing.T) {
	f := newFixture(t, ivanova)
	cfg := f.config("ivanova", "")
	cfg.Password, cfg.AskLater = nil, true
	s := f.dial(cfg)
	st := untilLink(t, s, oktell.LinkClosed)
	if !st.NeedPassword || !strings.Contains(st.Why.String(), "no password was given") {
		t.Fatalf("closed with %+v", st)
	}
	if !s.Capabilities().Reconnect {
		t.Fatal("a live session that cannot reconnect")
	}
	if err := reconnect(t, s, ivanova.Password); err != nil {
		t.Fatal(err)
	}
	st = untilLink(t, s, oktell.LinkConnected)
	if st.Operator != "Иванова Мария" {
		t.Fatalf("connected as %+v", st)
	}

	g := newFixture(t, ivanova)
	cfg = g.config("ivanova", "не тот")
	cfg.PasswordReusable, cfg.AskLater = true, true
	s = g.dial(cfg)
	if st := untilLink(t, s, oktell.LinkClosed); !st.NeedPassword || !strings.Contains(st.Why.String(), "Wrong login") {
		t.Fatalf("a wrong password file: %+v", st)
	}
}

// The break reasons reach the dashboard after the login, with --break-reason resolved
// against them; a reconnect that lists the same says nothing, one that lists others
// says so, naming a --break-reason the new list lacks.
func TestBreakReasonsReported(t *testing.T) {
	f := newFixture(t)
	cfg := f.config("demo", "demo")
	cfg.BreakReason = "обучение"
	s := f.dial(cfg)
	u := until(t, s, "break reasons", func(u oktell.Update) bool { return u.BreakReasons != nil })
	b := u.BreakReasons
	if strings.Join(b.Names(), ",") != "Обед,Перерыв,Обучение" || b.Default != wssim.LunchTypes[2]["id"] || b.Unlisted != "" {
		t.Fatalf("break reasons %+v", b)
	}

	f.upAWhile()
	f.srv.Drop("")
	untilLink(t, s, oktell.LinkReconnecting)
	until(t, s, "the state after the reconnect", func(u oktell.Update) bool {
		if u.BreakReasons != nil {
			t.Fatalf("the same list told again: %+v", u.BreakReasons)
		}
		return u.Event != nil && u.Event.Type == oktell.UserStateChanged
	})

	f.srv.SetLunchTypes([]map[string]any{{"id": "x1", "name": "Обед"}, {"id": "x2", "name": "Совещание\x1b[2J"}})
	f.upAWhile()
	f.srv.Drop("")
	b = until(t, s, "the new break reasons", func(u oktell.Update) bool { return u.BreakReasons != nil }).BreakReasons
	if strings.Join(b.Names(), ",") != "Обед,Совещание" || b.Default != "" || b.Unlisted != "обучение" {
		t.Fatalf("after the change: %+v", b)
	}
}

// A server cannot make okdash keep an endless list of break reasons, nor endless names:
// the first oktell.MaxBreakReasons are kept, each name cut, and the history says so.
func TestBreakReasonsBounded(t *testing.T) {
	f := newFixture(t)
	items := make([]map[string]any, 2000) // within a frame's 4 MiB: more is the link's own limit
	for i := range items {
		items[i] = map[string]any{"id": fmt.Sprintf("r%d", i), "name": strings.Repeat("Я", 400)}
	}
	f.srv.SetLunchTypes(items)
	s := f.dial(f.config("demo", "demo"))
	var problem error
	b := until(t, s, "break reasons", func(u oktell.Update) bool {
		if u.Err != nil {
			problem = u.Err
		}
		return u.BreakReasons != nil
	}).BreakReasons
	if len(b.List) != oktell.MaxBreakReasons || len(s.LunchReasons()) != oktell.MaxBreakReasons {
		t.Fatalf("kept %d reasons", len(b.List))
	}
	for _, r := range b.List {
		if len(r.Name) > oktell.MaxNameLen {
			t.Fatalf("a name of %d bytes kept", len(r.Name))
		}
	}
	if problem == nil || !strings.Contains(problem.Error(), "lists 2000 entries; okdash keeps the first 64") {
		t.Fatalf("told %v", problem)
	}
	if err := s.SetUserStateReason(context.Background(), oktell.UserLunch, false, "r63"); err != nil {
		t.Fatal(err)
	}
	if r := f.request("setuserstate"); r.Body["lunchreasonid"] != "r63" {
		t.Fatalf("break request %v", r.Body)
	}
}
