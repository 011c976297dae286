package ui

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
	"github.com/okdash/okdash/oktell/ws"
	"github.com/okdash/okdash/oktell/ws/wssim"
)

// wsRussian drives a WebSocket session through the ways its link fails and checks that
// every status and warning it gives reads in Russian; the server's address stays as it is.
type wsRussian struct {
	t     *testing.T
	srv   *wssim.Server
	ts    *httptest.Server
	url   string
	clock *clocktest.Clock
	s     *ws.Session
	said  []string // every reason said, in Russian
}

// dialRussian serves srv and logs ivanova in to it, for a test that reads every
// reason the link then gives; ctx bounds the test's own requests.
func dialRussian(t *testing.T, srv *wssim.Server) (*wsRussian, context.Context) {
	t.Helper()
	srv.Logf = func(string, ...any) {}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { srv.Drop(""); ts.Close() })
	w := &wsRussian{t: t, srv: srv, ts: ts, url: "ws://" + ts.Listener.Addr().String(), clock: clocktest.New(t0)}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	s, err := ws.Dial(ctx, ws.Config{URL: w.url, Login: "ivanova", Store: &ws.MemStore{}, Clock: w.clock,
		Logf: func(string, ...any) {}, Password: func() (string, error) { return "Секрет-42", nil }})
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	w.s = s
	return w, ctx
}

func (w *wsRussian) check(u oktell.Update) {
	w.t.Helper()
	ru := newPrinter(language.Russian)
	if st := u.Status; st != nil {
		if st.Link != oktell.LinkConnected {
			assert.NotEqual(w.t, oktell.ReasonQuoted, st.Why.Code, "a %s status with prose, not a code: %q", st.Link, st.Why.String())
		}
		w.russian(sayStatus(ru, st))
	}
	if u.Err != nil {
		w.russian(sayError(ru, u.Err))
	}
}

func (w *wsRussian) russian(said string) {
	w.t.Helper()
	if said == "" {
		return
	}
	w.said = append(w.said, said)
	// The address and the server's own words (shown beside what they mean) are not ours.
	plain := strings.NewReplacer(w.url, "", ws.MsgNotAvailable, "", ws.MsgWrongLogin, "", ws.MsgSessionNotExist, "").Replace(said)
	assert.Empty(w.t, englishLeft(plain), "%q", said)
}

// until reads updates, checking each, until a status says match. The clock does not
// move: the test moves it where the session waits on it.
func (w *wsRussian) until(what string, match func(*oktell.Status) bool) *oktell.Status {
	w.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case u, ok := <-w.s.Updates():
			require.True(w.t, ok, "updates closed before %s", what)
			w.check(u)
			if u.Status != nil && match(u.Status) {
				return u.Status
			}
		case <-deadline:
			w.t.Fatalf("no %s before the deadline; said %q", what, w.said)
		}
	}
}

// nextTry moves the clock to the next try the status announces, if it announces one.
func (w *wsRussian) nextTry(st *oktell.Status) {
	if st.Why.Code == oktell.ReasonNextTry {
		w.clock.Advance(st.Why.Args[1].(time.Duration))
	}
}

// waitRequest waits until the server received a request named name.
func (w *wsRussian) waitRequest(name string) {
	w.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case r := <-w.srv.Requests():
			if r.Name == name {
				return
			}
		case <-deadline:
			w.t.Fatalf("the server got no %s", name)
		}
	}
}

func (w *wsRussian) drain() {
	for {
		select {
		case <-w.srv.Requests():
		default:
			return
		}
	}
}

func link(l oktell.Link) func(*oktell.Status) bool {
	return func(st *oktell.Status) bool { return st.Link == l }
}

func saying(l oktell.Link, english string) func(*oktell.Status) bool {
	return func(st *oktell.Status) bool { return st.Link == l && strings.Contains(st.Why.String(), english) }
}

// Every way the WebSocket link fails reaches a Russian screen in Russian: a cut
// connection, a stalled server at the opening ping and at a keepalive, a server that is
// gone, and a request made while the link is down (the QA findings of okdash sim --ws).
func TestWebSocketLinkSpeaksRussian(t *testing.T) {
	srv := wssim.New([]wssim.User{{Login: "ivanova", Password: "Секрет-42", Name: "Иванова Мария", Line: "305"}})
	w, ctx := dialRussian(t, srv)
	s := w.s
	w.until("connected", link(oktell.LinkConnected))

	srv.Drop("ivanova") // `drop LOGIN` in okdash sim --ws
	w.until("the cut", saying(oktell.LinkReconnecting, "the connection was cut"))
	err := s.SetUserState(ctx, oktell.UserReady, false)
	require.Error(t, err)
	w.russian(requestError(&common{print: newPrinter(language.Russian)}, err))

	w.drain()
	srv.Stall(true) // `stall on`: the next connection's opening ping goes unanswered
	w.clock.Advance(ws.DefaultBackoffMin)
	w.waitRequest("ping")
	w.clock.Advance(ws.DefaultTimeout)
	st := w.until("the opening ping", saying(oktell.LinkReconnecting, "opening ping"))
	srv.Stall(false)
	w.nextTry(st)
	w.until("connected again", link(oktell.LinkConnected))

	w.drain()
	srv.Stall(true) // a keepalive goes unanswered
	w.clock.Advance(ws.DefaultKeepalive)
	w.waitRequest("ping")
	srv.Stall(false)
	w.clock.Advance(ws.DefaultTimeout)
	w.nextTry(w.until("the keepalive", saying(oktell.LinkReconnecting, "keepalive")))
	w.until("connected after the keepalive", link(oktell.LinkConnected))

	w.ts.Listener.Close() // the server is gone: nothing answers at its address
	srv.Drop("")
	w.nextTry(w.until("the cut", saying(oktell.LinkReconnecting, "the connection was cut")))
	w.until("refused", saying(oktell.LinkReconnecting, "connection refused"))

	for _, want := range []string{"соединение оборвалось", "первая проверка связи: сервер не ответил за 20 с", "проверка связи: сервер не ответил за 20 с", "в соединении отказано"} {
		assert.True(t, containsAny(w.said, want), "no %q in %q", want, w.said)
	}
}

// A server that is not an Oktell WebSocket port says so in Russian: a reconnection
// that reaches one shows the same reason on the banner.
func TestWebSocketDialErrorsSpeakRussian(t *testing.T) {
	ru := newPrinter(language.Russian)
	for name, h := range map[string]http.Handler{
		"not found":   http.NotFoundHandler(),
		"bad request": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.Error(w, "no", http.StatusBadRequest) }),
		"no json": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if c, err := websocket.Accept(w, r, nil); err == nil {
				c.CloseNow()
			}
		}),
	} {
		ts := httptest.NewServer(h)
		url := "ws://" + ts.Listener.Addr().String()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_, err := ws.Dial(ctx, ws.Config{URL: url, Login: "ivanova", Store: &ws.MemStore{}, Clock: clocktest.New(t0),
			Logf: func(string, ...any) {}, Password: func() (string, error) { return "x", nil }})
		cancel()
		ts.Close()
		require.Error(t, err, name)
		said := sayError(ru, err)
		assert.Empty(t, englishLeft(strings.ReplaceAll(said, url, "")), "%s: %q", name, said)
		var r oktell.Reasoner
		assert.True(t, errors.As(err, &r), "%s: %v is not coded", name, err)
	}
}

func containsAny(list []string, want string) bool {
	for _, s := range list {
		if strings.Contains(s, want) {
			return true
		}
	}
	return false
}

// A server still starting at the first login: the dashboard opens, and its status says
// so in Russian.
func TestWebSocketServerStartingSpeaksRussian(t *testing.T) {
	srv := wssim.New([]wssim.User{{Login: "ivanova", Password: "Секрет-42", Name: "Иванова Мария", Line: "305"}})
	srv.RefuseLogins(0, ws.MsgNotAvailable)
	w, _ := dialRussian(t, srv)
	w.until("starting", link(oktell.LinkReconnecting))
	assert.True(t, containsAny(w.said, "сервер Oktell ещё запускается"), "%q", w.said)
}
