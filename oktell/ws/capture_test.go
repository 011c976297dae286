package ws_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
	"github.com/okdash/okdash/oktell/ws"
	"github.com/okdash/okdash/oktell/ws/wssim"
)

// captureBuffer is a capture file in memory.
type captureBuffer struct {
	mu     sync.Mutex
	b      bytes.Buffer
	closed bool
}

func (c *captureBuffer) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.b.Write(p)
}

func (c *captureBuffer) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	return nil
}

func (c *captureBuffer) bytes() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]byte(nil), c.b.Bytes()...)
}

// recorder keeps every update a session delivers, while a test waits for some of them.
type recorder struct {
	t   *testing.T
	s   oktell.Session
	got []oktell.Update
}

func (r *recorder) until(what string, match func(oktell.Update) bool) oktell.Update {
	r.t.Helper()
	deadline := time.After(wait)
	for {
		select {
		case u, ok := <-r.s.Updates():
			if !ok {
				r.t.Fatalf("Updates closed while waiting for %s", what)
			}
			r.got = append(r.got, u)
			if match(u) {
				return u
			}
		case <-deadline:
			r.t.Fatalf("no %s before the deadline", what)
		}
	}
}

func (r *recorder) state(want oktell.UserState) {
	r.t.Helper()
	r.until(want.String(), func(u oktell.Update) bool {
		if u.Event == nil || u.Event.Type != oktell.UserStateChanged {
			return false
		}
		sc, err := u.Event.StateChange()
		return err == nil && sc.State == want
	})
}

// replayToEnd drives a replay's clock and gathers its updates until it reports the end of
// its input.
func replayToEnd(t *testing.T, clk *clocktest.Clock, rs *ws.Session) []oktell.Update {
	t.Helper()
	var got []oktell.Update
	err := clocktest.Drive(clk, rs.Updates(), wait, func(u oktell.Update) bool {
		got = append(got, u)
		return u.Status != nil && strings.Contains(u.Status.Why.String(), "end of input")
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// timeline is the state changes and lost links of updates, with the time since the first.
func timeline(t *testing.T, us []oktell.Update) []string {
	var out []string
	var first time.Time
	for _, u := range us {
		if u.Event == nil {
			continue
		}
		if first.IsZero() {
			first = u.At
		}
		what := u.Event.Type.String()
		if u.Event.Type == oktell.UserStateChanged {
			sc, err := u.Event.StateChange()
			if err != nil {
				t.Fatal(err)
			}
			what = sc.State.String()
		}
		out = append(out, u.At.Sub(first).String()+" "+what)
	}
	return out
}

// A ws session with a capture writes every frame both ways, with its time; a replay of
// the capture shows the same states at the same pace, the operator's requests and their
// outcomes, and who was logged in, and never a password hash or a session id.
func TestCaptureReplaysTheShift(t *testing.T) {
	f := newFixture(t)
	f.srv.Multipart(40) // replies come in pieces: the capture keeps them joined
	var capt captureBuffer
	cfg := f.config("demo", "demo")
	cfg.Capture = &capt
	s := f.dial(cfg)
	live := &recorder{t: t, s: s}
	ctx := context.Background()

	live.state(oktell.UserOff)
	f.clock.Advance(5 * time.Second)
	if err := s.SetUserState(ctx, oktell.UserReady, true); err != nil {
		t.Fatal(err)
	}
	live.state(oktell.UserReady)
	f.clock.Advance(7 * time.Second)
	if err := s.SetUserStateReason(ctx, oktell.UserLunch, false, "no-such-reason"); err == nil {
		t.Fatal("a break with an unknown reason was accepted")
	}
	if err := f.srv.SetState("demo", oktell.UserLunch, false); err != nil {
		t.Fatal(err)
	}
	live.state(oktell.UserLunch)
	f.upAWhile()
	f.srv.Drop("demo")
	live.until("ConnectionLost", func(u oktell.Update) bool { return u.Event != nil && u.Event.Type == oktell.ConnectionLost })
	live.state(oktell.UserLunch) // read again after the reconnect
	s.Close()
	for u := range s.Updates() {
		live.got = append(live.got, u)
	}
	if !capt.closed {
		t.Error("the capture was not closed with the session")
	}

	raw := capt.bytes()
	h, _ := ws.HashPassword("demo")
	sid, _ := f.store.Load(f.url, "demo")
	for _, secret := range []string{h.Password, h.Lower, sid} {
		if secret == "" || bytes.Contains(raw, []byte(secret)) {
			t.Fatalf("the capture holds a secret %q", secret)
		}
	}
	if !ws.IsCapture(raw) {
		t.Fatalf("not recognised as a capture: %.80q", raw)
	}
	dirs := map[string]int{}
	joined, logins := 0, 0
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l struct {
			Dir   string          `json:"dir"`
			Parts int             `json:"parts"`
			Frame json.RawMessage `json:"frame"`
			T     time.Time       `json:"t"`
		}
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		if l.T.IsZero() {
			t.Fatalf("a line without its time: %s", sc.Text())
		}
		dirs[l.Dir]++
		if l.Parts > 1 {
			joined++
		}
		if l.Dir == "out" && bytes.HasPrefix(l.Frame, []byte(`["login"`)) {
			for _, key := range []string{`"Password":`, `"password":`, `"sessionid":`} {
				if i := bytes.Index(l.Frame, []byte(key)); i >= 0 && !bytes.HasPrefix(l.Frame[i+len(key):], []byte(`"[redacted]"`)) {
					t.Fatalf("login sent with %s not redacted: %s", key, l.Frame)
				}
			}
			logins++
		}
	}
	if dirs["in"] == 0 || dirs["out"] == 0 || dirs["link"] < 3 || joined == 0 || logins != 2 {
		t.Fatalf("lines by direction %v, %d joined from pieces, %d logins", dirs, joined, logins)
	}

	clk := clocktest.New(start.Add(24 * time.Hour))
	var lg lineLog
	rs := ws.Replay(context.Background(), bytes.NewReader(raw), "shift.capture", nil, ws.ReplayOptions{Clock: clk, Logf: lg.logf})
	defer rs.Close()
	if c := rs.Capabilities(); !c.ReadOnly || c.SetUserState {
		t.Fatalf("capabilities of a replay %+v", c)
	}
	if err := rs.SetUserState(ctx, oktell.UserReady, false); err != oktell.ErrUnsupported {
		t.Fatalf("SetUserState on a replay: %v", err)
	}
	replayed := replayToEnd(t, clk, rs)
	if a, b := strings.Join(timeline(t, live.got), ", "), strings.Join(timeline(t, replayed), ", "); a != b {
		t.Fatalf("live:   %s\nreplay: %s", a, b)
	}
	var sent []string
	operator := false
	for _, u := range replayed {
		if u.Event != nil && u.Sent != nil {
			t.Fatal("an update with both an event and a request")
		}
		if u.Sent != nil {
			x := u.Sent
			if x.Answered {
				sent = append(sent, "answer refused="+boolWord(!x.Why.IsZero()))
			} else {
				sent = append(sent, x.State.String()+" redirect="+boolWord(x.Redirect)+" reason="+x.BreakReason)
			}
		}
		if u.Status != nil {
			if u.Status.Link != oktell.LinkReadOnly {
				t.Fatalf("a replay reports %s", u.Status.Link)
			}
			operator = operator || (u.Status.Operator == "Demo Operator" && u.Status.Line == wssim.DemoUser.Line)
		}
	}
	if got, want := strings.Join(sent, "; "), "usReady redirect=yes reason=; answer refused=no; usLunch redirect=no reason=no-such-reason; answer refused=yes"; got != want {
		t.Fatalf("requests replayed: %s\nwant %s", got, want)
	}
	if !operator {
		t.Fatal("the replay never said who was logged in")
	}
}

func boolWord(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// A capture from a real server may hold frames okdash does not know yet: the replay reads
// them as the live session did (logged as ignored), and a broken or oversized line is
// reported with its line number while the lines after it still play.
func TestReplayReadsFramesAsLive(t *testing.T) {
	long := `{"t":"2026-11-24T09:00:02Z","dir":"in","frame":["x",{"pad":"` + strings.Repeat("x", ws.MaxFrame*2) + `"}]}`
	capture := strings.Join([]string{
		`{"okdash":"ws-capture","version":1,"t":"2026-11-24T09:00:00Z","url":"ws://oktell:4066","login":"ivanova"}`,
		`{"t":"2026-11-24T09:00:00Z","dir":"in","frame":["somefuturenews",{"linestatestr":"lsCommutated"}]}`,
		`{"t":"2026-11-24T09:00:01Z","dir":"in","frame":["userstatechanged",{"userstateid":1,"onredirect":false}]}`,
		`not json`,
		long,
		``,
		`{"t":"2026-11-24T09:00:03Z","dir":"in","frame":["userstatechanged",{"userstateid":2,"onredirect":true}]`,
		`{"t":"2026-11-24T09:00:04Z","dir":"in","frame":["userstatechanged",{"userstateid":3}]}`,
	}, "\n") + "\n"
	clk := clocktest.New(start)
	var lg lineLog
	rs := ws.Replay(context.Background(), strings.NewReader(capture), "real.capture", nil, ws.ReplayOptions{Clock: clk, Logf: lg.logf})
	defer rs.Close()
	var states []string
	var problems []string
	for _, u := range replayToEnd(t, clk, rs) {
		if u.Event != nil {
			sc, _ := u.Event.StateChange()
			states = append(states, sc.State.String()+"@"+u.At.Sub(start).String())
		}
		if u.Err != nil {
			problems = append(problems, u.Err.Error())
		}
	}
	if got := strings.Join(states, " "); got != "usReady@1s usOff@4s" {
		t.Errorf("states %s", got)
	}
	want := []string{"real.capture:4: byte 2: not a capture line", "real.capture:5: a line longer than", "real.capture:7: byte "}
	if len(problems) != len(want) {
		t.Fatalf("problems %q, want %d", problems, len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(problems[i], w) {
			t.Errorf("problem %d: %q, want %q…", i, problems[i], w)
		}
	}
	if logged := strings.Join(lg.since(0), "\n"); !strings.Contains(logged, `ignored event "somefuturenews"`) {
		t.Errorf("the unknown frame was not logged as live: %s", logged)
	}
}

func TestIsCapture(t *testing.T) {
	for _, c := range []struct {
		head string
		want bool
	}{
		{`{"okdash":"ws-capture","version":1}` + "\n", true},
		{"\xef\xbb\xbf\r\n" + `{"okdash":"ws-capture","version":1,"url":"` + strings.Repeat("x", 9000), true},
		{`{ "t": "x", "okdash" : "ws-capture" }`, true},
		{`{"okdash":"other"}`, false},
		{"2026-11-24 12:00:00.000 xmlevent\n<?xml", false},
		{"\xff\xfe<\x00", false},
		{"", false},
	} {
		if got := ws.IsCapture([]byte(c.head)); got != c.want {
			t.Errorf("IsCapture(%.40q) = %v", c.head, got)
		}
	}
}
