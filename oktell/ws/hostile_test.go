package ws_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
	"github.com/okdash/okdash/oktell/ws"
	"github.com/okdash/okdash/oktell/ws/wssim"
)

// hostile is a server that answers the login sequence as a real one does and lets a test
// do what a hostile one would: act is called for every request before the answer, with a
// send that writes a frame; it returns false to leave the request unanswered.
type hostile struct {
	t      *testing.T
	url    string
	logins atomic.Int32
	act    func(name string, send func(name string, body map[string]any)) bool

	mu    sync.Mutex
	conns []*websocket.Conn
}

func newHostile(t *testing.T, act func(name string, send func(name string, body map[string]any)) bool) *hostile {
	h := &hostile{t: t, act: act}
	ts := httptest.NewServer(http.HandlerFunc(h.serve))
	t.Cleanup(func() { h.dropAll(); ts.Close() })
	h.url = "ws://" + ts.Listener.Addr().String()
	return h
}

func (h *hostile) dropAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, c := range h.conns {
		c.CloseNow()
	}
	h.conns = nil
}

func (h *hostile) serve(w http.ResponseWriter, r *http.Request) {
	c, err := websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: []string{"json"}})
	if err != nil {
		return
	}
	h.mu.Lock()
	h.conns = append(h.conns, c)
	h.mu.Unlock()
	defer c.CloseNow()
	ctx := r.Context()
	send := func(name string, body map[string]any) {
		b, _ := ws.EncodeFrame(name, body)
		c.Write(ctx, websocket.MessageText, b)
	}
	for {
		_, b, err := c.Read(ctx)
		if err != nil {
			return
		}
		f, err := ws.DecodeFrame(b)
		if err != nil {
			return
		}
		if f.Name == "login" {
			h.logins.Add(1)
		}
		if h.act != nil && !h.act(f.Name, send) {
			continue
		}
		reply := map[string]any{"qid": f.QID(), "result": 1}
		switch f.Name {
		case "login":
			reply["userid"], reply["sessionid"] = "u1", "s1"
		case "getversion":
			reply["version"] = map[string]any{"dated": 150416, "build": "2.12.1.150416"}
		case "getmyuserinfo":
			reply["username"], reply["linenumber"] = "Hostile Test", "201"
		case "getuserstate":
			reply["userstateid"] = 3
		case "setuserstate":
			reply["userstateid"] = f.Body["userstateid"]
		}
		send(f.Name+"result", reply)
	}
}

func (h *hostile) config(clock oktell.Clock) ws.Config {
	return ws.Config{
		URL: h.url, Login: "demo", Store: &ws.MemStore{}, Clock: clock, Logf: testLog(h.t),
		Password: func() (string, error) { return "demo", nil }, MaxBuffered: testBudget,
	}
}

func (h *hostile) dial(cfg ws.Config) *ws.Session {
	h.t.Helper()
	return dial(h.t, cfg)
}

// heap is the live heap after a collection.
func heap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// padded is a pushed user state of about n bytes.
func padded(state, n int) map[string]any {
	return map[string]any{"userstateid": state, "pad": strings.Repeat("x", n)}
}

// testBudget is the budget the hostile tests give the client (Config.MaxBuffered), so
// that a few MiB exceed it: tens of MiB through the race detector take minutes on a busy
// machine. TestPushesAtTheDefaultBudget checks MaxBuffered itself.
const testBudget = 1 << 20

// allowance is what a test allows the client to keep: what it may buffer, and room for
// one frame in hand and the test's own garbage.
func allowance(budget int) int64 { return int64(budget) + 4<<20 }

// heavyWait bounds a request behind tens of MiB of frames: slow under -race on a busy
// machine, never timed.
const heavyWait = time.Minute

// checkGrowth fails the test when the live heap grew by more than allowance(budget).
func checkGrowth(t *testing.T, before uint64, budget int, what string) {
	t.Helper()
	grew := int64(heap()) - int64(before)
	if max := allowance(budget); grew > max {
		t.Errorf("the client holds %.1f MiB more after %s; allowed %d MiB", float64(grew)/(1<<20), what, max>>20)
		return
	}
	t.Logf("heap grew by %.1f MiB after %s", float64(grew)/(1<<20), what)
}

// floodOnSetUserState connects, asks for a state while nobody reads Updates (the
// dashboard is behind), and checks that what the server sent before its reply (flood)
// grew the heap by at most testBudget: when SetUserState returns the client has read it.
func (h *hostile) floodOnSetUserState(flood string) *ws.Session {
	h.t.Helper()
	s := h.dial(h.config(clocktest.New(start)))
	untilLink(h.t, s, oktell.LinkConnected)
	before := heap()
	ctx, cancel := context.WithTimeout(context.Background(), heavyWait)
	defer cancel()
	if err := s.SetUserState(ctx, oktell.UserReady, false); err != nil {
		h.t.Fatalf("SetUserState behind %s: %v (the client stopped reading)", flood, err)
	}
	checkGrowth(h.t, before, testBudget, flood)
	return s
}

// Frames pushed during the login wait for the session: what waits is bounded in total
// (before: a queue of 256 frames, each kept twice; 100 frames of 64 KiB held 14 MiB).
func TestPushesDuringLoginAreBounded(t *testing.T) {
	pushesDuringLogin(t, 100, 64<<10, testBudget)
}

// The same at the budget okdash runs with: 250 frames of 64 KiB held 33 MiB before.
func TestPushesAtTheDefaultBudget(t *testing.T) {
	if raceDetector {
		t.Skip("tens of MiB through the race detector; the race is covered at a small budget")
	}
	pushesDuringLogin(t, 250, 64<<10, 0)
}

func pushesDuringLogin(t *testing.T, pushes, size, budget int) {
	measure, measured := make(chan struct{}), make(chan struct{})
	h := newHostile(t, func(name string, send func(string, map[string]any)) bool {
		switch name {
		case "getmyuserinfo":
			for i := 0; i < pushes; i++ {
				send("userstatechanged", padded(1+i%2, size))
			}
		case "cc_getlunchtypes": // the client has read every push: it answered the one after them
			close(measure)
			<-measured
		}
		return true
	})
	cfg := h.config(clocktest.New(start))
	cfg.MaxBuffered = budget
	if budget == 0 {
		budget = ws.MaxBuffered
	}
	before := heap()
	dialed := make(chan *ws.Session, 1)
	go func() {
		s, err := ws.Dial(context.Background(), cfg)
		if err != nil {
			t.Errorf("Dial: %v", err)
		}
		dialed <- s
	}()
	select {
	case <-measure:
		checkGrowth(t, before, budget, fmt.Sprintf("%d pushes of %d KiB during the login", pushes, size>>10))
	case <-time.After(heavyWait):
		t.Error("the login stalled behind the pushes")
	}
	close(measured)
	s := <-dialed
	if s == nil || t.Failed() {
		return
	}
	t.Cleanup(func() { s.Close() })
	// The state read at login wins over the older pushes that waited for it.
	untilState(t, s, oktell.UserOff, false)
	until(t, s, "a warning of dropped frames", func(u oktell.Update) bool {
		return u.Err != nil && strings.Contains(u.Err.Error(), "dropped") && strings.Contains(u.Err.Error(), "userstatechanged")
	})
}

// A server that pushes faster than the dashboard reads makes the client hold at most
// its budget, then it drops with a warning (before: 100 frames of 64 KiB held 14 MiB).
func TestPushesBeyondTheBudgetAreDropped(t *testing.T) {
	const small, pushes, size = 260, 100, 64 << 10
	h := newHostile(t, func(name string, send func(string, map[string]any)) bool {
		if name == "setuserstate" {
			for i := 0; i < small; i++ { // fill the dashboard's queue: states alternate, each is news
				send("userstatechanged", padded(1+i%2, 0))
			}
			for i := 0; i < pushes; i++ {
				send("userstatechanged", padded(1+i%2, size))
			}
		}
		return true
	})
	s := h.floodOnSetUserState(fmt.Sprintf("%d pushes of %d KiB the dashboard did not take", pushes, size>>10))
	until(t, s, "a warning of dropped frames", func(u oktell.Update) bool {
		return u.Err != nil && strings.Contains(u.Err.Error(), "dropped") && strings.Contains(u.Err.Error(), "userstatechanged")
	})
}

// A login flood of more frames than the old queue had slots does not stop the login
// (before: the reader stopped at 256 queued frames and getuserstate never got its answer).
func TestManyPushesDuringLoginDoNotStopIt(t *testing.T) {
	const pushes, size = 300, 8 << 10
	h := newHostile(t, func(name string, send func(string, map[string]any)) bool {
		if name == "getuserstate" {
			for i := 0; i < pushes; i++ {
				send("userstatechanged", padded(1+i%2, size))
			}
		}
		return true
	})
	s := h.dial(h.config(clocktest.New(start)))
	untilLink(t, s, oktell.LinkConnected)
	untilState(t, s, oktell.UserOff, false)
	until(t, s, "a warning of dropped frames", func(u oktell.Update) bool {
		return u.Err != nil && strings.Contains(u.Err.Error(), "dropped")
	})
}

// Unfinished multipart messages share the same budget (before: 64 of them, up to 64 MiB
// each; 8 MiB held in this test).
func TestUnfinishedMultipartIsBounded(t *testing.T) {
	const messages, size = 64, 128 << 10
	h := newHostile(t, func(name string, send func(string, map[string]any)) bool {
		if name == "setuserstate" {
			for i := 0; i < messages; i++ {
				send("multipart", map[string]any{
					"message-id": "m" + strconv.Itoa(i), "packetcount": 2, "packetnumber": 0,
					"content": strings.Repeat("QUJD", size/4),
				})
			}
		}
		return true
	})
	s := h.floodOnSetUserState(fmt.Sprintf("%d unfinished multipart messages of %d KiB", messages, size>>10))
	until(t, s, "a warning of dropped pieces", func(u oktell.Update) bool {
		return u.Err != nil && strings.Contains(u.Err.Error(), "unfinished multipart")
	})
}

// A server that drops the link right after each login is tried less and less often, on
// the session clock: 1 s, 2 s, 4 s ... (before: at once, 302 logins in 30 s).
func TestDropAfterEachLoginBacksOff(t *testing.T) {
	var h *hostile
	h = newHostile(t, func(name string, send func(string, map[string]any)) bool {
		if name == "getuserstate" {
			go func() { // once the reply is out
				time.Sleep(time.Millisecond)
				h.dropAll()
			}()
		}
		return true
	})
	clk := clocktest.New(start)
	s := h.dial(h.config(clk))
	var waits []string
	for clk.Now().Sub(start) < 30*time.Second {
		st := until(t, s, "a retry after a wait", func(u oktell.Update) bool {
			return u.Status != nil && u.Status.Link == oktell.LinkReconnecting && strings.Contains(u.Status.Why.String(), "next try in ")
		}).Status
		d, err := time.ParseDuration(st.Why.String()[strings.LastIndex(st.Why.String(), " ")+1:])
		if err != nil {
			t.Fatalf("reason %q: %v", st.Why.String(), err)
		}
		waits = append(waits, d.String())
		clk.Advance(d)
	}
	if got, want := strings.Join(waits, " "), "1s 2s 4s 8s 16s"; got != want {
		t.Errorf("waits %s, want %s", got, want)
	}
	if n := h.logins.Load(); n > 6 {
		t.Fatalf("%d logins in 30 s of a server that drops each", n)
	}
}

// A link that stayed up a while is news when it drops: the first try goes at once, and
// the backoff starts again.
func TestStableLinkResetsTheBackoff(t *testing.T) {
	f := newFixture(t)
	s := f.dial(f.config("demo", "demo"))
	untilLink(t, s, oktell.LinkConnected)
	f.srv.Drop("demo")
	st := untilLink(t, s, oktell.LinkReconnecting)
	if !strings.HasSuffix(st.Why.String(), "next try in 1s") {
		t.Fatalf("a link up for no time dropped: %q, want a wait", st.Why.String())
	}
	f.clock.Advance(time.Second)
	untilLink(t, s, oktell.LinkConnected)
	f.upAWhile()
	f.srv.Drop("demo")
	st = untilLink(t, s, oktell.LinkReconnecting)
	if st.Why.String() != "the connection was cut" {
		t.Fatalf("a link up for a minute dropped: %q, want a try at once", st.Why.String())
	}
	untilLink(t, s, oktell.LinkConnected)
}

// lineLog collects the lines of Config.Logf.
type lineLog struct {
	mu    sync.Mutex
	lines []string
}

func (l *lineLog) logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
}

func (l *lineLog) since(n int) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.lines[n:]...)
}

// The diagnostics log quotes what the server chose: each line is cleaned and cut, and
// the rate is capped, saying so (before: 1,000 lines of 1 KB, escape sequences and all).
func TestLogOfAFloodIsCutAndCapped(t *testing.T) {
	const flood = 1000
	hostileQID := "\x1b]0;pwned\x07\x1b[2J" + strings.Repeat("q", 1<<10) + "\nforged line"
	floods := atomic.Int32{}
	h := newHostile(t, func(name string, send func(string, map[string]any)) bool {
		if name == "setuserstate" {
			n := flood
			if floods.Add(1) > 1 {
				n = 100
			}
			for i := 0; i < n; i++ {
				send("surprise", map[string]any{"qid": hostileQID + strconv.Itoa(i)}) // a reply nobody asked for
			}
		}
		return true
	})
	var lg lineLog
	clk := clocktest.New(start)
	cfg := h.config(clk)
	cfg.Logf = lg.logf
	s := h.dial(cfg)
	untilLink(t, s, oktell.LinkConnected)
	ask := func() {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), heavyWait)
		defer cancel()
		if err := s.SetUserState(ctx, oktell.UserReady, false); err != nil { // answered after the flood
			t.Fatal(err)
		}
	}
	ask()
	lines := lg.since(0)
	if len(lines) > 51 {
		t.Fatalf("%d log lines for %d late replies with the clock standing still; want the burst of 50", len(lines), flood)
	}
	for _, l := range lines {
		if len(l) > 400 {
			t.Fatalf("a log line of %d bytes: %.80q…", len(l), l)
		}
		if strings.ContainsAny(l, "\x1b\x07\n\r") {
			t.Fatalf("a log line with control characters: %.120q", l)
		}
	}
	clk.Advance(10 * time.Second) // 20 more lines may go out
	n := len(lg.since(0))
	ask()
	more := lg.since(n)
	if len(more) == 0 || !strings.Contains(more[0], "log lines dropped") {
		t.Fatalf("after the pause the log goes on with %q, want the count of dropped lines first", more)
	}
	if len(more) > 21 {
		t.Fatalf("%d lines 10 s later, want at most 20 and the count", len(more))
	}
}

// After a websocketredirect whose target stops answering, okdash goes back to the address
// it was given (before: it retried wss://HOST:443 for ever).
func TestRedirectTargetGoneFallsBack(t *testing.T) {
	plain := newFixture(t)
	plain.srv.Redirect(true)
	secure := wssim.New(nil)
	ts := httptest.NewUnstartedServer(secure)
	ts.Config.ErrorLog = log.New(io.Discard, "", 0)
	ts.StartTLS()
	t.Cleanup(func() { secure.Drop(""); ts.Close() })
	_, port, _ := net.SplitHostPort(ts.Listener.Addr().String())
	cfg := plain.config("demo", "demo")
	cfg.RedirectPort, _ = strconv.Atoi(port)
	cfg.InsecureTLS = true
	s := plain.dial(cfg)
	untilLink(t, s, oktell.LinkConnected)
	if secure.Conns("demo") != 1 {
		t.Fatal("not connected to the redirect's target")
	}

	// The server stops redirecting, and the TLS port goes away.
	plain.srv.Redirect(false)
	secure.Drop("")
	ts.Close()
	st := until(t, s, "a retry after a wait", func(u oktell.Update) bool {
		return u.Status != nil && strings.Contains(u.Status.Why.String(), "next try in 1s")
	}).Status
	if st.Link != oktell.LinkReconnecting {
		t.Fatalf("status %+v", st)
	}
	plain.clock.Advance(time.Second)
	untilLink(t, s, oktell.LinkConnected)
	if plain.srv.Conns("demo") != 1 {
		t.Fatal("not connected to the address given")
	}
}
