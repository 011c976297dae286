package bridge

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
	"github.com/okdash/okdash/oktell/demo"
	"github.com/okdash/okdash/oktell/feed"
)

var t0 = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

// TestMain lets the test binary act as a bridge over its standard input and output
// (the way a PowerShell bridge would), for the exec tests.
func TestMain(m *testing.M) {
	if os.Getenv("OKDASH_TEST_BRIDGE") == "stdio" {
		// A clock nothing advances: the shift stays at its first step (no line yet), so
		// what the parent asks is judged the same however slowly the machine runs.
		eng := demo.New(nil, clocktest.New(t0), 1)
		err := ServeConn(context.Background(), stdio{}, eng)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bridge:", err)
			os.Exit(3)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

type stdio struct{}

func (stdio) Read(p []byte) (int, error)  { return os.Stdin.Read(p) }
func (stdio) Write(p []byte) (int, error) { return os.Stdout.Write(p) }
func (stdio) Close() error                { return os.Stdin.Close() }

// simulator serves demo engines on a loopback port, all on one fake clock.
func simulator(t *testing.T, sc *demo.Scenario, clk oktell.Clock) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		Serve(ctx, ln, func() Engine { return demo.New(sc, clk, 1) }, io.Discard)
	}()
	t.Cleanup(func() { cancel(); <-done })
	return ln.Addr().String()
}

// step is an update reduced to what a dashboard shows: no times, GUIDs or bytes.
func step(u oktell.Update) string {
	if u.Status != nil {
		switch u.Status.Link {
		case oktell.LinkReconnecting:
			return "status reconnecting: " + u.Status.Why.String()
		case oktell.LinkConnecting:
			return ""
		}
		return "status " + u.Status.Link.String()
	}
	if u.Event == nil {
		return "" // the demo's queue and colleagues: the service channel has no documents for them
	}
	var b strings.Builder
	b.WriteString(u.Event.Type.String())
	for _, p := range u.Event.Props {
		if p.Key == "guid" || p.Key == "datetime" || p.Key == "chainid" {
			continue
		}
		fmt.Fprintf(&b, " %s=%s%s", p.Key, p.Value, p.Text)
	}
	if u.Line != nil {
		fmt.Fprintf(&b, " line=%s", u.Line.State)
		if c := u.Line.Call; c != nil {
			fmt.Fprintf(&b, " call=%s/%s/%s", c.Number, c.Name, c.Direction)
		}
	}
	return b.String()
}

// collect drives a session's engine clock through one whole shift and returns its steps.
func collect(t *testing.T, s oktell.Session, clk *clocktest.Clock, until time.Time, want int) []string {
	t.Helper()
	var got []string
	deadline := time.After(20 * time.Second)
	for {
		select {
		case u := <-s.Updates():
			if st := step(u); st != "" {
				got = append(got, st)
			}
			continue
		case <-deadline:
			t.Fatalf("stalled after %d steps (clock %v)", len(got), clk.Now())
		default:
		}
		if clk.Now().Before(until) {
			if clk.WaitPending(1, 5*time.Millisecond) {
				at, _ := clk.Next()
				clk.Set(at)
			}
		} else if want >= 0 && len(got) >= want {
			return got
		} else if want < 0 {
			// the demo session delivers synchronously: nothing left once parked
			if clk.WaitPending(1, 5*time.Second) && len(s.Updates()) == 0 {
				return got
			}
		}
	}
}

// The done-when of the issue: the bridge against the simulator behaves exactly like
// the built-in demo.
func TestBridgeToSimulatorMatchesTheDemo(t *testing.T) {
	sc := demo.Builtin()
	until := t0.Add(sc.Length() - time.Second)

	dclk := clocktest.New(t0)
	d := demo.Open(context.Background(), sc, dclk, 1)
	defer d.Close()
	want := collect(t, d, dclk, until, -1)

	sclk := clocktest.New(t0)
	addr := simulator(t, sc, sclk)
	c := Open(context.Background(), TCP{Addr: addr}, Options{Clock: clocktest.New(t0)})
	defer c.Close()
	got := collect(t, c, sclk, until, len(want))
	t.Logf("%d steps: %q", len(want), want)
	if len(want) < 30 {
		t.Fatalf("the demo gave only %d steps in a whole shift", len(want))
	}

	if len(got) != len(want) {
		t.Fatalf("bridge gave %d steps, demo %d\nbridge: %q\ndemo:   %q", len(got), len(want), got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("step %d: bridge %q, demo %q", i, got[i], want[i])
		}
	}
	if !strings.Contains(strings.Join(got, "\n"), "status reconnecting: Потеряна связь с сервером Oktell") {
		t.Error("the connection loss did not show on the bridge")
	}
}

func waitFor(t *testing.T, s oktell.Session, what string, ok func(oktell.Update) bool) oktell.Update {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case u, open := <-s.Updates():
			if !open {
				t.Fatalf("closed while waiting for %s", what)
			}
			if ok(u) {
				return u
			}
		case <-deadline:
			t.Fatalf("no %s", what)
		}
	}
}

func isState(want oktell.UserState) func(oktell.Update) bool {
	return func(u oktell.Update) bool {
		if u.Event == nil || u.Event.Type != oktell.UserStateChanged {
			return false
		}
		sc, _ := u.Event.StateChange()
		return sc.State == want
	}
}

func isLink(l oktell.Link) func(oktell.Update) bool {
	return func(u oktell.Update) bool { return u.Status != nil && u.Status.Link == l }
}

func TestBridgeRequestsAnsweredAsTheDemoDoes(t *testing.T) {
	sc, err := demo.Parse("t", strings.NewReader("state usWOphone\nwait 10s\nline on\nstate usReady\nwait 10s\nlink down сбой\nwait 1h\n"))
	if err != nil {
		t.Fatal(err)
	}
	sclk := clocktest.New(t0)
	addr := simulator(t, sc, sclk)
	c := Open(context.Background(), TCP{Addr: addr}, Options{Clock: clocktest.New(t0)})
	defer c.Close()
	waitFor(t, c, "usWOphone", isState(oktell.UserWOphone))
	ctx := context.Background()

	var refused *oktell.RefusedError
	err = c.SetUserState(ctx, oktell.UserReady, false)
	if !errors.As(err, &refused) || refused.Why.String() != "no phone line is registered" || refused.Code != 2 ||
		refused.Why.Code != oktell.ReasonNoPhoneLine {
		t.Fatalf("ready without a line over the bridge: %#v", err)
	}
	sclk.WaitPending(1, 5*time.Second)
	sclk.Advance(10 * time.Second)
	waitFor(t, c, "usReady", isState(oktell.UserReady))
	if err := c.SetUserState(ctx, oktell.UserLunch, true); err != nil {
		t.Fatalf("break: %v", err)
	}
	sclk.Advance(demo.ConfirmDelay)
	u := waitFor(t, c, "usLunch", isState(oktell.UserLunch))
	if sc, _ := u.Event.StateChange(); !sc.Redirect {
		t.Error("redirect was not passed on")
	}
	if len(u.Raw) == 0 || !bytes.HasPrefix(u.Raw, []byte{0xFF, 0xFE}) {
		t.Error("raw bytes missing or not UTF-16LE with a BOM")
	}
	if err := c.SendMessage(ctx, "00000000-0000-0000-0000-000000000009", "Привет"); !errors.As(err, &refused) {
		t.Errorf("message to a stranger: %v", err)
	}
	// The bridge's client loses its server: requests fail as not connected.
	sclk.Advance(10 * time.Second)
	u = waitFor(t, c, "reconnecting", isLink(oktell.LinkReconnecting))
	if u.Status.Why.String() != "сбой" {
		t.Errorf("reason %q", u.Status.Why.String())
	}
	if err := c.SetUserState(ctx, oktell.UserReady, false); !errors.Is(err, oktell.ErrNotConnected) {
		t.Errorf("request while the server is lost: %v", err)
	}
}

// peer is a scripted bridge: each accepted connection is handed to the next handler.
func peer(t *testing.T, handlers ...func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		for _, h := range handlers {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go h(c)
		}
	}()
	t.Cleanup(func() { ln.Close() })
	return ln.Addr().String()
}

func encode(t *testing.T, d *oktell.Document) []byte {
	t.Helper()
	b, err := oktell.Encode(d, oktell.UTF16LE)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestBridgePeerThatNeverAnswers(t *testing.T) {
	got := make(chan []byte, 1)
	addr := peer(t, func(c net.Conn) {
		b := make([]byte, 4096)
		n, _ := c.Read(b)
		got <- b[:n]
		io.Copy(io.Discard, c) // reads on, answers nothing
	})
	clk := clocktest.New(t0)
	c := Open(context.Background(), TCP{Addr: addr}, Options{Clock: clk, Timeout: 5 * time.Second})
	defer c.Close()
	waitFor(t, c, "connected", isLink(oktell.LinkConnected))
	errc := make(chan error, 1)
	go func() { errc <- c.SetUserState(context.Background(), oktell.UserReady, true) }()
	req := <-got
	d, err := oktell.Decode(req)
	if err != nil {
		t.Fatalf("the query does not decode: %v", err)
	}
	method, id, body, ok := oktell.AsQuery(d)
	if !ok || method != MethodSetUserState || len(id) != 36 {
		t.Fatalf("query %q %q %v", method, id, ok)
	}
	if st, redirect, err := oktell.AsSetUserStateRequest(body); err != nil || st != oktell.UserReady || !redirect {
		t.Errorf("request: %v %v %v", st, redirect, err)
	}
	if !clk.WaitPending(1, 5*time.Second) {
		t.Fatal("no timeout timer")
	}
	clk.Advance(5 * time.Second)
	select {
	case err := <-errc:
		if !errors.Is(err, ErrTimeout) {
			t.Errorf("err = %v, want ErrTimeout", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the request did not time out")
	}
}

func TestBridgeLinkDroppedMidDocumentAndPendingRequest(t *testing.T) {
	first := encode(t, demo.StateDocument(oktell.UserReady, false))
	second := encode(t, demo.StateDocument(oktell.UserLunch, false))
	reqSeen := make(chan struct{})
	addr := peer(t,
		func(c net.Conn) { // one whole document, half of the next, then gone
			c.Write(first)
			c.Write(second[:len(second)/2])
			c.Read(make([]byte, 4096)) // a query arrives
			close(reqSeen)
			c.Close()
		},
		func(c net.Conn) { // after the reconnect, a whole document
			c.Write(second)
			io.Copy(io.Discard, c)
		})
	clk := clocktest.New(t0)
	c := Open(context.Background(), TCP{Addr: addr}, Options{Clock: clk})
	defer c.Close()
	waitFor(t, c, "the whole first document", isState(oktell.UserReady))

	err := c.SetUserState(context.Background(), oktell.UserLunch, false)
	<-reqSeen
	if !errors.Is(err, oktell.ErrNotConnected) {
		t.Errorf("request pending across the disconnect: %v, want ErrNotConnected", err)
	}
	u := waitFor(t, c, "reconnecting", isLink(oktell.LinkReconnecting))
	if !strings.Contains(u.Status.Why.String(), "retrying in 500ms") {
		t.Errorf("reason %q", u.Status.Why.String())
	}
	if err := c.SetUserState(context.Background(), oktell.UserLunch, false); !errors.Is(err, oktell.ErrNotConnected) {
		t.Errorf("request while reconnecting: %v", err)
	}
	// The first request's timeout timer is still pending: move on by the backoff until
	// the client has dialled again.
	deadline := time.After(5 * time.Second)
	for reconnected := false; !reconnected; {
		select {
		case u := <-c.Updates():
			reconnected = isLink(oktell.LinkConnected)(u)
		case <-deadline:
			t.Fatal("did not reconnect")
		default:
			if clk.WaitPending(2, 5*time.Millisecond) {
				clk.Advance(500 * time.Millisecond)
			}
		}
	}
	waitFor(t, c, "the document after the reconnect", isState(oktell.UserLunch))
}

func TestBridgeBackoffGrows(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close() // nobody listens: every dial fails at once
	clk := clocktest.New(t0)
	c := Open(context.Background(), TCP{Addr: addr}, Options{Clock: clk, MaxBackoff: 2 * time.Second})
	defer c.Close()
	start := clk.Now()
	for _, want := range []string{"500ms", "1s", "2s"} {
		u := waitFor(t, c, "reconnecting", isLink(oktell.LinkReconnecting))
		if !strings.HasSuffix(u.Status.Why.String(), "retrying in "+want) {
			t.Errorf("reason %q, want retrying in %s", u.Status.Why.String(), want)
		}
		clk.WaitPending(1, 5*time.Second)
		at, _ := clk.Next()
		clk.Set(at)
	}
	// Capped: the next pause is 2s again (the same status is not repeated).
	if !clk.WaitPending(1, 5*time.Second) {
		t.Fatal("no further attempt")
	}
	if at, _ := clk.Next(); at.Sub(start) != 5500*time.Millisecond {
		t.Errorf("fourth attempt at +%v, want +5.5s", at.Sub(start))
	}
}

func TestBridgeExecChild(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("OKDASH_TEST_BRIDGE", "stdio")
	d, err := ParseExec(fmt.Sprintf("'%s' -test.run=NONE", exe))
	if err != nil {
		t.Fatal(err)
	}
	c := Open(context.Background(), d, Options{Clock: clocktest.New(t0)})
	defer c.Close()
	waitFor(t, c, "the child's first state", isState(oktell.UserWOphone))
	var refused *oktell.RefusedError
	if err := c.SetUserState(context.Background(), oktell.UserReady, false); !errors.As(err, &refused) {
		t.Errorf("ready without a line through the child: %v", err)
	}
}

func TestBridgeExecChildExits(t *testing.T) {
	d, err := ParseExec(`sh -c 'cat "$0"; echo "bridge: COM object gone" >&2; exit 4' ../../testdata/streams/bridge-utf16le.bin`)
	if err != nil {
		t.Fatal(err)
	}
	clk := clocktest.New(t0)
	c := Open(context.Background(), d, Options{Clock: clk})
	defer c.Close()
	for run := 1; run <= 2; run++ {
		waitFor(t, c, "the redirect at the end of the capture", func(u oktell.Update) bool {
			if u.Event == nil || u.Event.Type != oktell.UserStateChanged {
				return false
			}
			sc, _ := u.Event.StateChange()
			return sc.Redirect
		})
		u := waitFor(t, c, "reconnecting", isLink(oktell.LinkReconnecting))
		if !strings.Contains(u.Status.Why.String(), "exit status 4") || !strings.Contains(u.Status.Why.String(), "COM object gone") {
			t.Errorf("run %d: reason %q: want the exit status and the last line of standard error", run, u.Status.Why.String())
		}
		// Started again after the backoff.
		if !clk.WaitPending(1, 5*time.Second) {
			t.Fatal("no backoff timer")
		}
		at, _ := clk.Next()
		clk.Set(at)
		waitFor(t, c, "connected again", isLink(oktell.LinkConnected))
	}
}

func TestParseExec(t *testing.T) {
	e, err := ParseExec(`ssh -T "operator@win host" 'powershell -File C:\okdash\bridge.ps1'`)
	if err != nil || len(e.Args) != 4 || e.Args[2] != "operator@win host" || e.Args[3] != `powershell -File C:\okdash\bridge.ps1` {
		t.Errorf("ParseExec = %q, %v", e.Args, err)
	}
	if _, err := ParseExec("   "); err == nil {
		t.Error("an empty command was accepted")
	}
	if _, err := ParseExec(`ssh "unclosed`); err == nil {
		t.Error("an unclosed quote was accepted")
	}
}

// Every connection to the simulator gets its own shift from the start.
func TestSimulatorShiftPerConnection(t *testing.T) {
	sclk := clocktest.New(t0)
	addr := simulator(t, demo.Builtin(), sclk)
	first := Open(context.Background(), TCP{Addr: addr}, Options{Clock: clocktest.New(t0)})
	defer first.Close()
	waitFor(t, first, "the first shift's start", isState(oktell.UserWOphone))
	sclk.WaitPending(1, 5*time.Second)
	sclk.Advance(10 * time.Second)
	waitFor(t, first, "the first shift going ready", isState(oktell.UserReady))

	second := Open(context.Background(), TCP{Addr: addr}, Options{Clock: clocktest.New(t0)})
	defer second.Close()
	waitFor(t, second, "the second shift's start", isState(oktell.UserWOphone))
	// The second operator's request is judged by the second shift: no line yet.
	var refused *oktell.RefusedError
	if err := second.SetUserState(context.Background(), oktell.UserLunch, false); !errors.As(err, &refused) {
		t.Errorf("break on the fresh shift: %v, want refused (no line yet)", err)
	}
	if err := first.SetUserState(context.Background(), oktell.UserLunch, false); err != nil {
		t.Errorf("break on the first shift: %v", err)
	}
}

func TestBridgeBrokenDocumentKeepsTheLinkState(t *testing.T) {
	lost := encode(t, demo.ConnectionLostDocument("сбой"))
	good := encode(t, demo.StateDocument(oktell.UserReady, false))
	broken := []byte("<oktellcommapper><data><event id=\"111\"><property_simple key=</data></oktellcommapper>")
	addr := peer(t, func(c net.Conn) {
		c.Write(broken)
		c.Write(lost)
		c.Write(broken)
		c.Write(good)
		io.Copy(io.Discard, c)
	})
	c := Open(context.Background(), TCP{Addr: addr}, Options{Clock: clocktest.New(t0)})
	defer c.Close()
	// A skipped document is an Update.Err naming the bridge and the offset; it changes no
	// status, so a lost server stays shown as lost.
	var seen []oktell.Update
	record := func(u oktell.Update) {
		if u.Status != nil && strings.Contains(u.Status.Why.String(), "skipped") {
			t.Errorf("a skip reported as a status: %+v", u.Status)
		}
		seen = append(seen, u)
	}
	u := waitFor(t, c, "the first skip", func(u oktell.Update) bool { record(u); return u.Err != nil })
	var ie *feed.InputError
	if !errors.As(u.Err, &ie) || ie.Offset != 0 || !strings.HasPrefix(u.Err.Error(), "tcp://"+addr+": byte 0: skipped a malformed document") {
		t.Errorf("first skip %v", u.Err)
	}
	waitFor(t, c, "the server lost", func(u oktell.Update) bool { record(u); return isLink(oktell.LinkReconnecting)(u) })
	seen = nil
	u = waitFor(t, c, "the second skip", func(u oktell.Update) bool { record(u); return u.Err != nil })
	if !errors.As(u.Err, &ie) || ie.Offset != int64(len(broken)+len(lost)) {
		t.Errorf("second skip %v, want at byte %d", u.Err, len(broken)+len(lost))
	}
	waitFor(t, c, "connected with the next good document", func(u oktell.Update) bool { record(u); return isLink(oktell.LinkConnected)(u) })
	for _, u := range seen[:len(seen)-1] {
		if u.Status != nil && u.Status.Link == oktell.LinkConnected {
			t.Errorf("connected again before the next good document: %+v", u.Status)
		}
	}
	waitFor(t, c, "the good document", isState(oktell.UserReady))
}

func isLine(want oktell.LineState) func(oktell.Update) bool {
	return func(u oktell.Update) bool { return u.Line != nil && u.Line.State == want }
}

// The simulator's calls cross the bridge as line events, and the client turns them into
// the line and the call, keeping every property of the event.
func TestBridgeLineEvents(t *testing.T) {
	sc, err := demo.Parse("t", strings.NewReader("line on\nstate usReady\nring +74951234567 Иванов Иван | Заказ 42\nwait 1s\nanswer\nwait 5s\nhold\nwait 1s\nresume\nhangup\nwait 1h\n"))
	if err != nil {
		t.Fatal(err)
	}
	sclk := clocktest.New(t0)
	addr := simulator(t, sc, sclk)
	cclk := clocktest.New(t0)
	c := Open(context.Background(), TCP{Addr: addr}, Options{Clock: cclk})
	defer c.Close()
	if !c.Capabilities().Line {
		t.Error("a bridge reports the line")
	}
	u := waitFor(t, c, "ringing", isLine(oktell.LineRinging))
	if call := u.Line.Call; call.Number != "+74951234567" || call.Name != "Иванов Иван" || call.Info != "Заказ 42" || call.Direction != oktell.DirectionIn {
		t.Fatalf("ringing %+v", call)
	}
	if u.Event == nil || u.Event.Type != oktell.RingStarted {
		t.Fatalf("the line comes with its event: %+v", u.Event)
	}
	sclk.Advance(time.Second)
	u = waitFor(t, c, "talking", isLine(oktell.LineTalking))
	if call := u.Line.Call; call.Number != "+74951234567" || call.TalkStart.IsZero() || call.Direction != oktell.DirectionIn {
		t.Fatalf("talking %+v", call)
	}
	sclk.Advance(5 * time.Second)
	u = waitFor(t, c, "on hold", isLine(oktell.LineOnHold))
	if !u.Line.Call.OnHold {
		t.Fatalf("held %+v", u.Line.Call)
	}
	sclk.Advance(time.Second)
	waitFor(t, c, "back", isLine(oktell.LineTalking))
	if u := waitFor(t, c, "free", isLine(oktell.LineFree)); u.Line.Call != nil {
		t.Fatalf("free with a call %+v", u.Line.Call)
	}
}
