package ws

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
)

func TestHashPasswordVectors(t *testing.T) {
	// Computed independently: Python's hashlib.md5(pw.encode("cp1251")).hexdigest().
	cases := []struct{ pw, upper, lower string }{
		{"demo", "fe01ce2a7fbac8fafaed7c982a04e229", "fe01ce2a7fbac8fafaed7c982a04e229"},
		{"Пароль", "08f8e03bd59a7c67dc44028b3e073d5e", "749789e4982b0c563f6729aac100a614"},
		{"пароль", "749789e4982b0c563f6729aac100a614", "749789e4982b0c563f6729aac100a614"},
	}
	for _, c := range cases {
		h, err := HashPassword(c.pw)
		if err != nil {
			t.Fatalf("%q: %v", c.pw, err)
		}
		if h.Password != c.upper || h.Lower != c.lower {
			t.Errorf("%q: got %+v, want %s / %s", c.pw, h, c.upper, c.lower)
		}
	}
	if _, err := HashPassword("ok密码"); err == nil || !strings.Contains(err.Error(), "character 3") {
		t.Fatalf("a character outside Windows-1251: %v, want an error naming character 3", err)
	}
}

func TestDecodeFrame(t *testing.T) {
	f, err := DecodeFrame([]byte(`["getuserstate",{"qid":"q1","result":1,"userstateid":7,"onredirect":true,"big":12345678901234567890}]`))
	if err != nil {
		t.Fatal(err)
	}
	if f.Name != "getuserstate" || f.QID() != "q1" || !f.OK() || f.Err() != nil {
		t.Fatalf("frame %+v", f)
	}
	if n, ok := f.Int("userstateid"); !ok || n != 7 || !f.Bool("onredirect") {
		t.Fatalf("fields of %v", f.Body)
	}
	if f.String("big") != "12345678901234567890" {
		t.Fatalf("a big number was rounded: %s", f.String("big"))
	}

	bad := []struct{ in, want string }{
		{``, "truncated"},
		{`["a",{}`, "truncated"},
		{`{"a":1}`, "want a JSON array"},
		{`["a"]`, "got 1 elements"},
		{`[1,{}]`, "name is not a string"},
		{`["a",[1]]`, "is not an object"},
		{`["a",null]`, "is not an object"},
		{`["a",{}] x`, "at byte"},
		{`["a",{}]["b",{}]`, "data after the frame"},
		{"[\"a\",{\"x\":\"\xff\"}]", "not UTF-8"},
		{`["a",{"x":tru}]`, "at byte"},
	}
	for _, c := range bad {
		_, err := DecodeFrame([]byte(c.in))
		var fe *FrameError
		if !errors.As(err, &fe) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want a *FrameError containing %q", c.in, err, c.want)
		}
	}
	_, err = DecodeFrame([]byte("[\"a\",{\"x\":\"\xff\"}]"))
	if fe := (*FrameError)(nil); !errors.As(err, &fe) || fe.Offset != 11 {
		t.Errorf("offset of the bad byte: %v", err)
	}
}

func TestReplyResult(t *testing.T) {
	cases := []struct {
		in     string
		ok     bool
		code   int
		reason string
	}{
		{`["x",{"qid":"1"}]`, true, 0, ""},
		{`["x",{"qid":"1","result":true}]`, true, 0, ""},
		{`["x",{"qid":"1","result":0,"error":50093,"errormsg":"Already logged in"}]`, false, 50093, "Already logged in (error 50093): close the Oktell desktop client, or log in as another user"},
		{`["x",{"qid":"1","result":"0","errormsg":"Wrong login/pass combination"}]`, false, 0, "Wrong login/pass combination: the login or the password is wrong"},
		{`["x",{"qid":"1","result":false}]`, false, 0, "request failed without a reason"},
		{`["x",{"qid":"1","result":0,"error":"50025"}]`, false, 50025, "error 50025: ask the administrator"},
		{`["x",{"qid":"1","result":0,"errormsg":"bad\u001b[2J\u0007 thing"}]`, false, 0, "bad thing"},
	}
	for _, c := range cases {
		f, err := DecodeFrame([]byte(c.in))
		if err != nil {
			t.Fatal(err)
		}
		if f.OK() != c.ok {
			t.Errorf("%s: OK %v", c.in, f.OK())
			continue
		}
		if c.ok {
			continue
		}
		var re *oktell.RefusedError
		if !errors.As(f.Err(), &re) || re.Code != c.code || !strings.HasPrefix(re.Why.String(), c.reason) {
			t.Errorf("%s: %#v, want code %d reason %q", c.in, f.Err(), c.code, c.reason)
		}
	}
}

func TestStateEvent(t *testing.T) {
	f, _ := DecodeFrame([]byte(`["userstatechanged",{"userstateid":2,"onredirect":1,"onlunch":true,"lunchreasonid":"r1"}]`))
	ev, err := StateEvent(f.Body)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := ev.StateChange()
	if err != nil || sc.State != oktell.UserLunch || sc.StateName != "usLunch" || !sc.Redirect {
		t.Fatalf("%+v %v", sc, err)
	}
	if p, ok := ev.Prop("lunchreasonid"); !ok || p.Value != "r1" {
		t.Fatalf("lunchreasonid not kept: %+v", ev.Props)
	}
	f, _ = DecodeFrame([]byte(`["userstatechanged",{"userstateid":4}]`))
	ev, _ = StateEvent(f.Body)
	if p, _ := ev.Prop("newstate"); p.Value != "4" || p.HasName {
		t.Fatalf("unknown state: %+v", p)
	}
	f, _ = DecodeFrame([]byte(`["userstatechanged",{"userstateid":"x"}]`))
	if _, err := StateEvent(f.Body); err == nil || !strings.Contains(err.Error(), "userstateid") {
		t.Fatalf("a bad state: %v", err)
	}
}

func TestMultipartReassembly(t *testing.T) {
	whole := []byte(`["getmyuserinfo",{"qid":"q9","username":"Иванова Мария","linenumber":"305"}]`)
	parts := SplitMultipart("m1", whole, 7)
	if len(parts) < 3 {
		t.Fatalf("only %d parts", len(parts))
	}
	// Out of order, with a duplicate, and another message interleaved.
	other := SplitMultipart("m2", []byte(`["pong",{"qid":"p"}]`), 1000)
	var ra reassembler
	order := append([][]byte{parts[len(parts)-1], other[0]}, parts[:len(parts)-1]...)
	order = append(order[:3], append([][]byte{parts[0]}, order[3:]...)...)
	var got []*Frame
	for _, b := range order {
		f, err := DecodeFrame(b)
		if err != nil {
			t.Fatal(err)
		}
		w, _, err := ra.add(f)
		if err != nil {
			t.Fatal(err)
		}
		if w != nil {
			got = append(got, w)
		}
	}
	if len(got) != 2 || got[0].Name != "pong" || got[1].String("username") != "Иванова Мария" || string(got[1].Raw) != string(whole) {
		t.Fatalf("reassembled %+v", got)
	}

	bad := []struct {
		body, want string
	}{
		{`{"packetcount":1,"packetnumber":0,"content":""}`, "missing message-id"},
		{`{"message-id":"a","packetcount":0,"packetnumber":0,"content":""}`, "packetcount"},
		{`{"message-id":"a","packetcount":2,"packetnumber":2,"content":""}`, "packetnumber"},
		{`{"message-id":"a","packetcount":1,"packetnumber":0,"content":5}`, "not a string"},
		{`{"message-id":"a","packetcount":1,"packetnumber":0,"content":"!!!"}`, "content"},
		{`{"message-id":"a","packetcount":1,"packetnumber":0,"content":"` + base64.StdEncoding.EncodeToString([]byte(`{"x":1}`)) + `"}`, "joined frame"},
		{`{"message-id":"a","packetcount":1,"packetnumber":0,"content":"` + base64.StdEncoding.EncodeToString([]byte(`["multipart",{}]`)) + `"}`, "itself multipart"},
	}
	for _, c := range bad {
		f, err := DecodeFrame([]byte(`["multipart",` + c.body + `]`))
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := ra.add(f); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.body, err, c.want)
		}
	}
	// Too many unfinished messages: the oldest goes, memory stays bounded.
	for i := 0; i < maxOpenMessages+10; i++ {
		f, _ := DecodeFrame(SplitMultipart("open"+strconv.Itoa(i), []byte(`["x",{"qid":"1"}]`), 4)[0])
		ra.add(f)
	}
	if len(ra.open) > maxOpenMessages {
		t.Fatalf("%d unfinished messages kept", len(ra.open))
	}
}

// A reply that comes after its request timed out is dropped, and the link goes on.
func TestLateReplyDropped(t *testing.T) {
	release := make(chan struct{})
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: []string{"json"}})
		if err != nil {
			return
		}
		defer c.CloseNow()
		for {
			_, b, err := c.Read(r.Context())
			if err != nil {
				return
			}
			f, _ := DecodeFrame(b)
			if f.Name == "slow" {
				go func(qid string) {
					<-release
					out, _ := EncodeFrame("slow", map[string]any{"qid": qid, "answer": "late"})
					c.Write(context.Background(), websocket.MessageText, out)
				}(f.QID())
				continue
			}
			out, _ := EncodeFrame(f.Name, map[string]any{"qid": f.QID(), "answer": f.Name})
			c.Write(r.Context(), websocket.MessageText, out)
		}
	}))
	defer ts.Close()
	ctx := context.Background()
	c, _, err := websocket.Dial(ctx, "ws://"+ts.Listener.Addr().String(), &websocket.DialOptions{Subprotocols: []string{"json"}})
	if err != nil {
		t.Fatal(err)
	}
	clock := clocktest.New(time.Unix(0, 0))
	var logged strings.Builder
	logs := make(chan string, 16)
	l := newLink(c, clock, 20*time.Second, func(format string, args ...any) {
		logs <- format
	})
	defer l.close(errors.New("test over"))

	errc := make(chan error, 1)
	go func() { _, err := l.request(ctx, "slow", nil); errc <- err }()
	if !clock.WaitPending(1, 5*time.Second) {
		t.Fatal("the request never waited on the clock")
	}
	clock.Advance(20 * time.Second)
	var te *TimeoutError
	if err := <-errc; !errors.As(err, &te) {
		t.Fatalf("slow: %v, want a timeout", err)
	}
	close(release)
	select {
	case m := <-logs:
		logged.WriteString(m)
	case <-time.After(5 * time.Second):
		t.Fatal("the late reply was not noticed")
	}
	if !strings.Contains(logged.String(), "late") {
		t.Fatalf("log %q", logged.String())
	}
	f, err := l.request(ctx, "fast", nil)
	if err != nil || f.String("answer") != "fast" {
		t.Fatalf("after a late reply: %+v %v", f, err)
	}
	select {
	case ev := <-l.events:
		t.Fatalf("the late reply became an event: %+v", ev)
	default:
	}
}

func TestFileStore(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "okdash")
	s := FileStore{Dir: dir}
	if id, err := s.Load("ws://a:1", "demo"); id != "" || err != nil {
		t.Fatalf("empty store: %q %v", id, err)
	}
	if err := s.Save("ws://a:1", "demo", "S1"); err != nil {
		t.Fatal(err)
	}
	s.Save("ws://b:1", "demo", "S2")
	s.Save("ws://a:1", "other", "S3")
	for _, c := range []struct{ server, login, want string }{{"ws://a:1", "demo", "S1"}, {"WS://A:1", "demo", "S1"}, {"ws://b:1", "demo", "S2"}, {"ws://a:1", "other", "S3"}, {"ws://a:1", "Demo", ""}} {
		if id, err := s.Load(c.server, c.login); id != c.want || err != nil {
			t.Errorf("%s %s: %q %v, want %q", c.server, c.login, id, err, c.want)
		}
	}
	fi, err := os.Stat(s.Path("ws://a:1", "demo"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v %v", fi.Mode(), err)
	}
	if err := s.Delete("ws://a:1", "demo"); err != nil {
		t.Fatal(err)
	}
	if id, _ := s.Load("ws://a:1", "demo"); id != "" {
		t.Fatalf("after Delete: %q", id)
	}
	if err := s.Delete("ws://a:1", "demo"); err != nil {
		t.Fatalf("second Delete: %v", err)
	}
	os.WriteFile(s.Path("ws://a:1", "demo"), []byte("{not json"), 0o600)
	if _, err := s.Load("ws://a:1", "demo"); err == nil || !strings.Contains(err.Error(), s.Path("ws://a:1", "demo")) {
		t.Fatalf("a broken file: %v, want an error naming it", err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".ws-session-") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}

func TestStateDir(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", "/x/state")
	if d, _ := StateDir(); d != "/x/state/okdash" {
		t.Fatalf("XDG: %s", d)
	}
	t.Setenv("XDG_STATE_HOME", "relative") // the spec says to ignore relative paths
	t.Setenv("HOME", "/home/op")
	if d, _ := StateDir(); d != "/home/op/.local/state/okdash" {
		t.Fatalf("default: %s", d)
	}
}

// The state in a setuserstate reply joins the pushed events in wire order, so that a
// push of a later change that follows it on the wire is also shown after it.
func TestReplyStateKeepsWireOrder(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: []string{"json"}})
		if err != nil {
			return
		}
		defer c.CloseNow()
		_, b, err := c.Read(r.Context())
		if err != nil {
			return
		}
		f, _ := DecodeFrame(b)
		reply, _ := EncodeFrame("setuserstate", map[string]any{"qid": f.QID(), "result": 1, "userstateid": 1})
		push, _ := EncodeFrame("userstatechanged", map[string]any{"userstateid": 2})
		refused, _ := EncodeFrame("setuserstate", map[string]any{"qid": "unknown", "result": 1, "userstateid": 3})
		c.Write(r.Context(), websocket.MessageText, reply)
		c.Write(r.Context(), websocket.MessageText, push)
		sentinel, _ := EncodeFrame("userstatechanged", map[string]any{"userstateid": 5})
		c.Write(r.Context(), websocket.MessageText, refused) // a late reply: not a state
		c.Write(r.Context(), websocket.MessageText, sentinel)
		c.Read(r.Context())
	}))
	defer ts.Close()
	c, _, err := websocket.Dial(context.Background(), "ws://"+ts.Listener.Addr().String(), &websocket.DialOptions{Subprotocols: []string{"json"}})
	if err != nil {
		t.Fatal(err)
	}
	l := newLink(c, clocktest.New(time.Unix(0, 0)), time.Minute, func(string, ...any) {})
	defer l.close(errors.New("test over"))
	if _, err := l.call(context.Background(), "setuserstate", map[string]any{"userstateid": 1}); err != nil {
		t.Fatal(err)
	}
	// 3 (the late reply) must not come between 2 and 5.
	for _, want := range []int64{1, 2, 5} {
		select {
		case f := <-l.events:
			if n, _ := f.Int("userstateid"); n != want || f.Name != "userstatechanged" {
				t.Fatalf("event %s %v, want state %d", f.Name, f.Body, want)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("no state %d", want)
		}
	}
}

// A message the server sends that is not a frame is skipped, and reported as a problem
// naming the byte offset (the dashboard keeps it as a warning): the frames after it
// still arrive.
func TestUnreadableMessageIsAProblemNotALoss(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: []string{"json"}})
		if err != nil {
			return
		}
		defer c.CloseNow()
		good, _ := EncodeFrame("userstatechanged", map[string]any{"userstateid": 2})
		c.Write(r.Context(), websocket.MessageText, []byte(`["userstatechanged",{"userstateid":`))
		c.Write(r.Context(), websocket.MessageBinary, []byte{1, 2, 3})
		c.Write(r.Context(), websocket.MessageText, good)
		c.Read(r.Context())
	}))
	defer ts.Close()
	c, _, err := websocket.Dial(context.Background(), "ws://"+ts.Listener.Addr().String(), &websocket.DialOptions{Subprotocols: []string{"json"}})
	if err != nil {
		t.Fatal(err)
	}
	l := newLink(c, clocktest.New(time.Unix(0, 0)), time.Minute, func(string, ...any) {})
	defer l.close(errors.New("test over"))
	// The warnings come first, in order, then the good frame.
	var problems []error
	for {
		var f Frame
		select {
		case f = <-l.events:
		case <-time.After(10 * time.Second):
			t.Fatal("the good frame after the broken ones never arrived")
		}
		if f.notice != nil {
			problems = append(problems, f.notice)
			continue
		}
		if n, _ := f.Int("userstateid"); n != 2 {
			t.Fatalf("event %s %v, want state 2", f.Name, f.Body)
		}
		break
	}
	var fe *FrameError
	if len(problems) != 2 {
		t.Fatalf("problems %v, want 2", problems)
	}
	for i, want := range []string{"truncated JSON", "binary message of 3 bytes"} {
		err := problems[i]
		if !strings.Contains(err.Error(), want) || !strings.HasPrefix(err.Error(), "WebSocket: ") {
			t.Fatalf("problem %d: %v, want %q", i, err, want)
		}
		if i == 0 && !errors.As(err, &fe) {
			t.Fatalf("problem %v is not a *FrameError", err)
		}
	}
}
