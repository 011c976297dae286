package ws_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log"
	"net"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
	"github.com/okdash/okdash/oktell/ws"
	"github.com/okdash/okdash/oktell/ws/wssim"
)

// wait is how long a test waits for something that should happen at once; the
// clock of the session is fake, so only real network round trips take this long.
const wait = 10 * time.Second

var start = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

type fixture struct {
	t     *testing.T
	srv   *wssim.Server
	url   string
	clock *clocktest.Clock
	store *ws.MemStore
	asked atomic.Int32 // how often the password was asked for
	logf  func(string, ...any)
}

func newFixture(t *testing.T, users ...wssim.User) *fixture {
	t.Helper()
	srv := wssim.New(users)
	logf := testLog(t)
	srv.Logf = logf
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { srv.Drop(""); ts.Close() })
	return &fixture{t: t, srv: srv, url: "ws://" + ts.Listener.Addr().String(), clock: clocktest.New(start), store: &ws.MemStore{}, logf: logf}
}

// testLog is t.Logf that goes quiet once the test ends: connection goroutines of the
// server and the client may still log after that, and testing forbids it.
func testLog(t *testing.T) func(string, ...any) {
	var mu sync.Mutex
	done := false
	t.Cleanup(func() { mu.Lock(); done = true; mu.Unlock() })
	return func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		if !done {
			t.Logf(format, args...)
		}
	}
}

func (f *fixture) config(login, password string) ws.Config {
	return ws.Config{
		URL: f.url, Login: login, Store: f.store, Clock: f.clock, Logf: f.logf,
		Password: func() (string, error) { f.asked.Add(1); return password, nil },
	}
}

func (f *fixture) dial(cfg ws.Config) *ws.Session {
	f.t.Helper()
	return dial(f.t, cfg)
}

// dial connects with cfg within wait, failing the test otherwise; the session is closed
// when the test ends.
func dial(t *testing.T, cfg ws.Config) *ws.Session {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	s, err := ws.Dial(ctx, cfg)
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// upAWhile moves the clock past StableAfter, so that the link counts as one that stayed
// up and its drop is retried at once. The keepalive ping this fires is answered.
func (f *fixture) upAWhile() {
	f.t.Helper()
	drainRequests(f.srv)
	f.clock.Advance(ws.DefaultStableAfter)
	f.request("ping")
}

// next returns the next update, failing the test after the deadline.
func next(t *testing.T, s *ws.Session) oktell.Update {
	t.Helper()
	select {
	case u, ok := <-s.Updates():
		if !ok {
			t.Fatal("Updates closed")
		}
		return u
	case <-time.After(wait):
		t.Fatal("no update before the deadline")
	}
	return oktell.Update{}
}

// until reads updates until match accepts one, and returns it.
func until(t *testing.T, s *ws.Session, what string, match func(oktell.Update) bool) oktell.Update {
	t.Helper()
	deadline := time.After(wait)
	for {
		select {
		case u, ok := <-s.Updates():
			if !ok {
				t.Fatalf("Updates closed while waiting for %s", what)
			}
			if match(u) {
				return u
			}
			t.Logf("skipped %s", describe(u))
		case <-deadline:
			t.Fatalf("no %s before the deadline", what)
		}
	}
}

func describe(u oktell.Update) string {
	switch {
	case u.Status != nil:
		return "status " + u.Status.Link.String() + " " + u.Status.Why.String()
	case u.Event != nil:
		return "event " + u.Event.Type.String()
	}
	return "empty update"
}

func untilState(t *testing.T, s *ws.Session, want oktell.UserState, redirect bool) oktell.StateChange {
	t.Helper()
	var sc oktell.StateChange
	until(t, s, want.String(), func(u oktell.Update) bool {
		if u.Event == nil || u.Event.Type != oktell.UserStateChanged {
			return false
		}
		var err error
		sc, err = u.Event.StateChange()
		if err != nil {
			t.Fatalf("StateChange: %v", err)
		}
		return sc.State == want && sc.Redirect == redirect
	})
	return sc
}

func untilLink(t *testing.T, s *ws.Session, want oktell.Link) *oktell.Status {
	t.Helper()
	return until(t, s, "status "+want.String(), func(u oktell.Update) bool {
		return u.Status != nil && u.Status.Link == want
	}).Status
}

// request waits until the server has received a request named name.
func (f *fixture) request(name string) wssim.Request {
	f.t.Helper()
	deadline := time.After(wait)
	for {
		select {
		case r := <-f.srv.Requests():
			if r.Name == name {
				return r
			}
		case <-deadline:
			f.t.Fatalf("the server got no %s before the deadline", name)
		}
	}
}

func TestLoginAndFirstState(t *testing.T) {
	f := newFixture(t)
	cfg := f.config("demo", "demo")
	cfg.Password = func() (string, error) {
		// Asked before connecting: a connection left idle while the operator types may be dropped.
		if n := f.srv.Conns(""); n != 0 {
			t.Errorf("password asked with %d connection(s) open", n)
		}
		return "demo", nil
	}
	s := f.dial(cfg)

	if u := next(t, s); u.Status == nil || u.Status.Link != oktell.LinkConnecting {
		t.Fatalf("first update: %s, want status connecting", describe(u))
	}
	st := next(t, s).Status
	if st == nil || st.Link != oktell.LinkConnected || st.Operator != "Demo Operator" || st.Line != "201" {
		t.Fatalf("second update: %+v, want connected as Demo Operator on 201", st)
	}
	u := next(t, s)
	if u.Event == nil || u.Event.Type != oktell.UserStateChanged {
		t.Fatalf("third update: %s, want UserStateChanged", describe(u))
	}
	sc, err := u.Event.StateChange()
	if err != nil || sc.State != oktell.UserOff || sc.StateName != "usOff" || sc.Redirect {
		t.Fatalf("first state %+v, %v; want usOff without redirect", sc, err)
	}
	// Raw is the event as an XML document, so that --record writes a replayable stream.
	doc, err := oktell.Decode(u.Raw)
	if err != nil || len(doc.Events) != 1 {
		t.Fatalf("Raw %q: %v", u.Raw, err)
	}
	if back, err := doc.Events[0].StateChange(); err != nil || back != sc {
		t.Fatalf("Raw decodes to %+v, %v; want %+v", back, err, sc)
	}
	if got := s.Capabilities(); got.Kind != oktell.SourceWS || !got.SetUserState || got.SendMessage || got.ReadOnly {
		t.Fatalf("capabilities %+v", got)
	}
	if err := s.SendMessage(context.Background(), "x", "y"); !errors.Is(err, oktell.ErrUnsupported) {
		t.Fatalf("SendMessage: %v, want ErrUnsupported", err)
	}

	// What the client sent, in the vendor client's order.
	var names []string
	var login wssim.Request
	for len(names) < 7 {
		r := <-f.srv.Requests()
		names = append(names, r.Name)
		if r.Name == "login" {
			login = r
		}
	}
	want := "ping login subscribeevent getversion getmyuserinfo cc_getlunchtypes getuserstate"
	if got := strings.Join(names, " "); got != want {
		t.Fatalf("requests %q, want %q", got, want)
	}
	h, _ := ws.HashPassword("demo")
	if login.Body["Password"] != h.Password || login.Body["password"] != h.Lower || login.SessionID {
		t.Fatalf("login body %v", login.Body)
	}
	if login.Body["showid"] != jsonNum(1) || login.Body["usewebrtc"] != false {
		t.Fatalf("login body %v: want showid 1, usewebrtc false", login.Body)
	}
	if sid, _ := f.store.Load(f.url, "demo"); sid == "" {
		t.Fatal("no session id stored after login")
	}
	if v := s.ServerVersion(); v != "2.12.1.150416" {
		t.Fatalf("server version %q", v)
	}
	if len(s.LunchReasons()) != len(wssim.LunchTypes) {
		t.Fatalf("lunch reasons %v", s.LunchReasons())
	}
}

func jsonNum(n int) any { return json.Number(strconv.Itoa(n)) }

func TestLoginErrors(t *testing.T) {
	cases := []struct {
		name      string
		login, pw string
		code      int
		msg       string
		wantCode  int
		wantWords []string
	}{
		{name: "wrong password", login: "demo", pw: "nope", wantWords: []string{"Wrong login/pass combination", "login or the password is wrong"}},
		{name: "unknown user", login: "nobody", pw: "demo", wantWords: []string{"Wrong login/pass combination"}},
		{name: "desktop client", login: "demo", pw: "demo", code: 50093, msg: "User already logged in", wantCode: 50093, wantWords: []string{"User already logged in", "50093", "desktop client"}},
		{name: "licence", login: "demo", pw: "demo", code: 50025, msg: "License limit", wantCode: 50025, wantWords: []string{"License limit", "licence limit"}},
		{name: "code only", login: "demo", pw: "demo", code: 12345, wantCode: 12345, wantWords: []string{"error 12345"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t)
			f.srv.RefuseLogins(c.code, c.msg)
			ctx, cancel := context.WithTimeout(context.Background(), wait)
			defer cancel()
			s, err := ws.Dial(ctx, f.config(c.login, c.pw))
			if err == nil {
				s.Close()
				t.Fatal("Dial succeeded")
			}
			var re *oktell.RefusedError
			if !errors.As(err, &re) {
				t.Fatalf("error %v (%T), want *oktell.RefusedError", err, err)
			}
			if re.Code != c.wantCode {
				t.Errorf("code %d, want %d", re.Code, c.wantCode)
			}
			for _, w := range c.wantWords {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if sid, _ := f.store.Load(f.url, c.login); sid != "" {
				t.Errorf("session id %q stored after a refused login", sid)
			}
		})
	}
}

func TestSessionIDReusedWithoutPassword(t *testing.T) {
	f := newFixture(t)
	s := f.dial(f.config("demo", "demo"))
	untilLink(t, s, oktell.LinkConnected)
	s.Close()
	f.request("login")

	cfg := f.config("demo", "demo")
	cfg.Password = func() (string, error) {
		t.Error("password asked for despite a stored session")
		return "", errors.New("no")
	}
	s2 := f.dial(cfg)
	untilLink(t, s2, oktell.LinkConnected)
	r := f.request("login")
	if !r.SessionID || r.Password {
		t.Fatalf("second login sent sessionid=%v password=%v; want the session id alone", r.SessionID, r.Password)
	}
}

func TestExpiredSessionFallsBackToPassword(t *testing.T) {
	f := newFixture(t)
	f.store.Save(f.url, "demo", "stale-session")
	s := f.dial(f.config("demo", "demo"))
	untilLink(t, s, oktell.LinkConnected)
	if r := f.request("login"); !r.SessionID {
		t.Fatal("the stored session id was not tried first")
	}
	if r := f.request("login"); !r.Password {
		t.Fatal("no login with the password after the session was refused")
	}
	if sid, _ := f.store.Load(f.url, "demo"); sid == "" || sid == "stale-session" {
		t.Fatalf("stored session %q, want the new one", sid)
	}
	if f.asked.Load() != 1 {
		t.Fatalf("password asked %d times, want 1", f.asked.Load())
	}
}

func TestStateRoundTrip(t *testing.T) {
	f := newFixture(t)
	s := f.dial(f.config("demo", "demo"))
	untilState(t, s, oktell.UserOff, false)
	ctx := context.Background()

	if err := s.SetUserState(ctx, oktell.UserReady, false); err != nil {
		t.Fatalf("ready: %v", err)
	}
	untilState(t, s, oktell.UserReady, false)
	if st, red := f.srv.State("demo"); st != oktell.UserReady || red {
		t.Fatalf("server state %v %v", st, red)
	}

	if err := s.SetUserState(ctx, oktell.UserLunch, true); err != nil {
		t.Fatalf("break: %v", err)
	}
	untilState(t, s, oktell.UserLunch, true)
	r := f.request("setuserstate")
	for r.Body["userstateid"] != jsonNum(2) {
		r = f.request("setuserstate")
	}
	if r.Body["lunchreasonid"] != wssim.LunchTypes[0]["id"] || r.Body["onredirect"] != true || r.Body["userlogin"] != "demo" {
		t.Fatalf("break request %v: want the first lunch reason, onredirect true, userlogin", r.Body)
	}

	if err := s.SetUserStateReason(ctx, oktell.UserLunch, false, wssim.LunchTypes[2]["id"].(string)); err != nil {
		t.Fatalf("break with a chosen reason: %v", err)
	}
	u := until(t, s, "break with reason 3", func(u oktell.Update) bool {
		if u.Event == nil {
			return false
		}
		p, ok := u.Event.Prop("lunchreasonid")
		return ok && p.Value == wssim.LunchTypes[2]["id"]
	})
	if sc, _ := u.Event.StateChange(); sc.State != oktell.UserLunch || sc.Redirect {
		t.Fatalf("state %+v", sc)
	}

	if err := s.SetUserState(ctx, oktell.UserOff, false); err != nil {
		t.Fatalf("away: %v", err)
	}
	untilState(t, s, oktell.UserOff, false)

	if err := s.SetUserState(ctx, oktell.UserFullbusy, false); err == nil {
		t.Fatal("busy accepted: only the server sets it")
	}
}

func TestServerRefusesReadyWithoutLine(t *testing.T) {
	f := newFixture(t, wssim.User{Login: "noline", Password: "x", Name: "No Line"})
	s := f.dial(f.config("noline", "x"))
	st := untilLink(t, s, oktell.LinkConnected)
	if st.Line != "" {
		t.Fatalf("line %q, want none", st.Line)
	}
	untilState(t, s, oktell.UserWOphone, false)
	err := s.SetUserState(context.Background(), oktell.UserReady, false)
	var re *oktell.RefusedError
	if !errors.As(err, &re) || !strings.Contains(re.Why.String(), "no phone line") {
		t.Fatalf("ready without a line: %v, want a refusal naming the line", err)
	}
}

func TestServerPushesToEveryConnection(t *testing.T) {
	f := newFixture(t)
	a := f.dial(f.config("demo", "demo"))
	untilState(t, a, oktell.UserOff, false)
	b := f.dial(f.config("demo", "demo"))
	untilState(t, b, oktell.UserOff, false)

	if err := f.srv.SetState("demo", oktell.UserFullbusy, true); err != nil {
		t.Fatal(err)
	}
	untilState(t, a, oktell.UserFullbusy, true)
	untilState(t, b, oktell.UserFullbusy, true)

	// A change asked for on one connection reaches the other.
	if err := a.SetUserState(context.Background(), oktell.UserReady, true); err != nil {
		t.Fatal(err)
	}
	untilState(t, b, oktell.UserReady, true)
}

func TestDropThenReconnectWithSessionID(t *testing.T) {
	f := newFixture(t)
	s := f.dial(f.config("demo", "demo"))
	untilState(t, s, oktell.UserOff, false)
	f.srv.SetState("demo", oktell.UserReady, false)
	untilState(t, s, oktell.UserReady, false)
	f.upAWhile()
	drainRequests(f.srv)

	if n := f.srv.Drop("demo"); n != 1 {
		t.Fatalf("dropped %d connections", n)
	}
	until(t, s, "ConnectionLost", func(u oktell.Update) bool {
		return u.Event != nil && u.Event.Type == oktell.ConnectionLost
	})
	st := untilLink(t, s, oktell.LinkReconnecting)
	if st.Why.String() != "the connection was cut" {
		t.Fatalf("reconnecting because %q", st.Why.String())
	}
	untilLink(t, s, oktell.LinkConnected)
	untilState(t, s, oktell.UserReady, false) // a fresh state, though unchanged
	r := f.request("login")
	if !r.SessionID || r.Password {
		t.Fatalf("reconnect login sent sessionid=%v password=%v; want the session id alone", r.SessionID, r.Password)
	}
	if f.asked.Load() != 1 {
		t.Fatalf("password asked %d times, want once", f.asked.Load())
	}
	if err := s.SetUserState(context.Background(), oktell.UserOff, false); err != nil {
		t.Fatalf("after the reconnect: %v", err)
	}
	untilState(t, s, oktell.UserOff, false)
}

func TestServerRestartNeedsNoNewPrompt(t *testing.T) {
	f := newFixture(t)
	s := f.dial(f.config("demo", "demo"))
	untilLink(t, s, oktell.LinkConnected)
	f.upAWhile()
	f.srv.Restart()
	untilLink(t, s, oktell.LinkReconnecting)
	untilLink(t, s, oktell.LinkConnected)
	if f.asked.Load() != 1 {
		t.Fatalf("password asked %d times, want once", f.asked.Load())
	}
}

func TestReconnectBacksOffOnTheClock(t *testing.T) {
	f := newFixture(t)
	s := f.dial(f.config("demo", "demo"))
	untilLink(t, s, oktell.LinkConnected)
	f.upAWhile()
	f.srv.RefuseLogins(0, ws.MsgNotAvailable)
	f.srv.Drop("")
	untilLink(t, s, oktell.LinkReconnecting)
	st := until(t, s, "a retry in 1s", func(u oktell.Update) bool {
		return u.Status != nil && strings.Contains(u.Status.Why.String(), "next try in 1s")
	}).Status
	if !strings.Contains(st.Why.String(), "still starting") {
		t.Fatalf("reason %q", st.Why.String())
	}
	drainRequests(f.srv)
	f.clock.Advance(time.Second)
	until(t, s, "a retry in 2s", func(u oktell.Update) bool {
		return u.Status != nil && strings.Contains(u.Status.Why.String(), "next try in 2s")
	})
	f.srv.RefuseLogins(0, "")
	f.clock.Advance(2 * time.Second)
	untilLink(t, s, oktell.LinkConnected)
}

func TestMultipartReplies(t *testing.T) {
	f := newFixture(t, wssim.User{Login: "ivanova", Password: "Пароль", Name: "Иванова Мария Петровна", Line: "305"})
	f.srv.Multipart(24)
	s := f.dial(f.config("ivanova", "Пароль"))
	st := untilLink(t, s, oktell.LinkConnected)
	if st.Operator != "Иванова Мария Петровна" || st.Line != "305" {
		t.Fatalf("status %+v", st)
	}
	untilState(t, s, oktell.UserOff, false)
	if err := f.srv.SetState("ivanova", oktell.UserLunch, true); err != nil {
		t.Fatal(err)
	}
	untilState(t, s, oktell.UserLunch, true)
}

func TestRequestTimesOut(t *testing.T) {
	f := newFixture(t)
	f.srv.Logf = func(string, ...any) {}
	s := f.dial(f.config("demo", "demo"))
	untilLink(t, s, oktell.LinkConnected)
	drainRequests(f.srv)
	f.srv.Stall(true)
	errc := make(chan error, 1)
	go func() { errc <- s.SetUserState(context.Background(), oktell.UserReady, false) }()
	f.request("setuserstate") // the client is now waiting on the clock
	f.clock.Advance(ws.DefaultTimeout - time.Millisecond)
	select {
	case err := <-errc:
		t.Fatalf("returned before the timeout: %v", err)
	default:
	}
	f.clock.Advance(time.Millisecond)
	select {
	case err := <-errc:
		var te *ws.TimeoutError
		if !errors.As(err, &te) || te.Method != "setuserstate" {
			t.Fatalf("error %v, want a setuserstate timeout", err)
		}
	case <-time.After(wait):
		t.Fatal("SetUserState did not time out")
	}
}

func TestDialToSilentServerTimesOut(t *testing.T) {
	f := newFixture(t)
	f.srv.Stall(true)
	errc := make(chan error, 1)
	go func() {
		_, err := ws.Dial(context.Background(), f.config("demo", "demo"))
		errc <- err
	}()
	f.request("ping")
	f.clock.Advance(ws.DefaultTimeout)
	select {
	case err := <-errc:
		if err == nil || !strings.Contains(err.Error(), "no answer") {
			t.Fatalf("error %v, want no answer", err)
		}
	case <-time.After(wait):
		t.Fatal("Dial did not time out")
	}
}

func TestKeepalivePingsAndDetectsADeadServer(t *testing.T) {
	f := newFixture(t)
	f.srv.Logf = func(string, ...any) {}
	s := f.dial(f.config("demo", "demo"))
	untilLink(t, s, oktell.LinkConnected)
	drainRequests(f.srv)
	f.clock.Advance(ws.DefaultKeepalive)
	f.request("ping")

	f.srv.Stall(true)
	f.clock.Advance(ws.DefaultKeepalive)
	f.request("ping")
	f.srv.Stall(false) // the ping already went unanswered; the next connection is fine
	f.clock.Advance(ws.DefaultTimeout)
	st := untilLink(t, s, oktell.LinkReconnecting)
	if !strings.Contains(st.Why.String(), "keepalive") || !strings.HasSuffix(st.Why.String(), "next try in 1s") {
		t.Fatalf("reason %q, want the keepalive, and a wait: the link was up for less than a minute", st.Why.String())
	}
	f.clock.Advance(time.Second)
	untilLink(t, s, oktell.LinkConnected)
}

func TestRedirectToTLS(t *testing.T) {
	plain := newFixture(t)
	plain.srv.Redirect(true)
	secure := wssim.New(nil)
	ts := httptest.NewUnstartedServer(secure)
	ts.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake below is expected
	ts.StartTLS()
	t.Cleanup(func() { secure.Drop(""); ts.Close() })
	_, port, _ := net.SplitHostPort(ts.Listener.Addr().String())
	cfg := plain.config("demo", "demo")
	cfg.RedirectPort, _ = strconv.Atoi(port)

	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if _, err := ws.Dial(ctx, cfg); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("Dial to a self-signed server: %v, want a certificate error", err)
	}
	cfg.InsecureTLS = true
	s := plain.dial(cfg)
	untilLink(t, s, oktell.LinkConnected)
	if secure.Conns("demo") != 1 {
		t.Fatal("not connected to the TLS server")
	}
}

func TestCloseEndsUpdates(t *testing.T) {
	f := newFixture(t)
	s := f.dial(f.config("demo", "demo"))
	untilLink(t, s, oktell.LinkConnected)
	s.Close()
	s.Close() // twice is fine
	for range s.Updates() {
	}
	if err := s.SetUserState(context.Background(), oktell.UserReady, false); !errors.Is(err, oktell.ErrNotConnected) {
		t.Fatalf("after Close: %v, want ErrNotConnected", err)
	}
}

func drainRequests(s *wssim.Server) {
	for {
		select {
		case <-s.Requests():
		default:
			return
		}
	}
}

func TestLogoutForgetsTheSession(t *testing.T) {
	f := newFixture(t)
	s := f.dial(f.config("demo", "demo"))
	untilLink(t, s, oktell.LinkConnected)
	if err := s.Logout(context.Background()); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if sid, _ := f.store.Load(f.url, "demo"); sid != "" {
		t.Fatalf("session %q kept after logout", sid)
	}
	f.dial(f.config("demo", "demo"))
	if f.asked.Load() != 2 {
		t.Fatalf("password asked %d times, want twice", f.asked.Load())
	}
}

func TestStartWhileServerStarting(t *testing.T) {
	f := newFixture(t)
	f.srv.RefuseLogins(0, ws.MsgNotAvailable)
	s := f.dial(f.config("demo", "demo"))
	st := untilLink(t, s, oktell.LinkReconnecting)
	if !strings.Contains(st.Why.String(), "Service not available") || !strings.Contains(st.Why.String(), "still starting") {
		t.Fatalf("reason %q", st.Why.String())
	}
	until(t, s, "a retry in 1s", func(u oktell.Update) bool {
		return u.Status != nil && strings.Contains(u.Status.Why.String(), "next try in 1s")
	})
	if err := s.SetUserState(context.Background(), oktell.UserReady, false); !errors.Is(err, oktell.ErrNotConnected) {
		t.Fatalf("while not connected: %v, want ErrNotConnected", err)
	}
	f.srv.RefuseLogins(0, "")
	f.clock.Advance(time.Second)
	untilLink(t, s, oktell.LinkConnected)
	untilState(t, s, oktell.UserOff, false)
	if f.asked.Load() != 1 {
		t.Fatalf("password asked %d times, want once", f.asked.Load())
	}
}

// After a reconnect the dashboard must learn again who is logged in and in what
// state: the operator's name and line may have changed while the link was down, and
// a state changed meanwhile was pushed to nobody.
func TestReconnectRefreshesOperatorAndState(t *testing.T) {
	f := newFixture(t)
	s := f.dial(f.config("demo", "demo"))
	if st := untilLink(t, s, oktell.LinkConnected); st.Operator != "Demo Operator" || st.Line != "201" {
		t.Fatalf("connected as %q on %q", st.Operator, st.Line)
	}
	untilState(t, s, oktell.UserOff, false)
	f.upAWhile()

	// Down for a while: the first attempt is refused, the next waits on the clock.
	f.srv.RefuseLogins(0, ws.MsgNotAvailable)
	f.srv.Drop("demo")
	until(t, s, "ConnectionLost", func(u oktell.Update) bool {
		return u.Event != nil && u.Event.Type == oktell.ConnectionLost
	})
	// While down the header still names who was logged in.
	st := untilLink(t, s, oktell.LinkReconnecting)
	if st.Operator != "Demo Operator" || st.Line != "201" {
		t.Fatalf("reconnecting as %q on %q, want the last login's operator and line", st.Operator, st.Line)
	}
	until(t, s, "a retry in 1s", func(u oktell.Update) bool {
		return u.Status != nil && strings.Contains(u.Status.Why.String(), "next try in 1s")
	})

	// Meanwhile an administrator moves the operator to another line and sets a break.
	moved := wssim.DemoUser
	moved.Name, moved.Line = "Demo Operator (2nd floor)", "305"
	if err := f.srv.SetUser(moved); err != nil {
		t.Fatal(err)
	}
	if err := f.srv.SetState("demo", oktell.UserLunch, true); err != nil {
		t.Fatal(err)
	}
	drainRequests(f.srv)
	f.srv.RefuseLogins(0, "")
	f.clock.Advance(time.Second)

	// Connected first, naming the operator as the server now does, then the state.
	u := until(t, s, "connected or a state", func(u oktell.Update) bool {
		return (u.Status != nil && u.Status.Link == oktell.LinkConnected) || (u.Event != nil && u.Event.Type == oktell.UserStateChanged)
	})
	if u.Status == nil {
		t.Fatalf("a state (%s) before the connected status", describe(u))
	}
	if u.Status.Operator != moved.Name || u.Status.Line != "305" {
		t.Fatalf("reconnected as %q on %q, want %q on 305", u.Status.Operator, u.Status.Line, moved.Name)
	}
	if sc := untilState(t, s, oktell.UserLunch, true); sc.StateName != "usLunch" {
		t.Fatalf("state %+v", sc)
	}

	// The client asked the server again rather than trusting what it had.
	f.request("login")
	f.request("getmyuserinfo")
	f.request("getuserstate")
}

// --break-reason: a break asks for the reason chosen by name (any case) or id; one the
// server does not list is refused before anything is sent, naming those it lists.
func TestBreakReasonChosenByName(t *testing.T) {
	f := newFixture(t)
	cfg := f.config("demo", "demo")
	cfg.BreakReason = "обучение"
	s := f.dial(cfg)
	untilState(t, s, oktell.UserOff, false)
	if err := s.SetUserState(context.Background(), oktell.UserLunch, false); err != nil {
		t.Fatalf("break: %v", err)
	}
	r := f.request("setuserstate")
	if r.Body["lunchreasonid"] != wssim.LunchTypes[2]["id"] {
		t.Fatalf("break request %v: want the reason named Обучение", r.Body)
	}
	untilState(t, s, oktell.UserLunch, false)
}
