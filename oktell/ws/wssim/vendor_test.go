package wssim

import (
	"context"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/okdash/okdash/oktell/ws"
)

// rawClient speaks frames to the server directly, as the vendor's client would.
type rawClient struct {
	t *testing.T
	c *websocket.Conn
	n int
}

func (r *rawClient) call(name string, body map[string]any) ws.Frame {
	r.t.Helper()
	r.n++
	if body == nil {
		body = map[string]any{}
	}
	qid := "q" + strconv.Itoa(r.n)
	body["qid"] = qid
	b, _ := ws.EncodeFrame(name, body)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := r.c.Write(ctx, websocket.MessageText, b); err != nil {
		r.t.Fatalf("%s: %v", name, err)
	}
	for {
		_, m, err := r.c.Read(ctx)
		if err != nil {
			r.t.Fatalf("%s: %v", name, err)
		}
		f, err := ws.DecodeFrame(m)
		if err != nil {
			r.t.Fatalf("%s: %v", name, err)
		}
		if f.QID() == qid {
			return f
		}
	}
}

// The vendor client's whole post-login sequence (protocol.md 2) gets an answer with
// the fields that client reads; the four critical methods succeed.
func TestAnswersTheVendorClientsSequence(t *testing.T) {
	srv := New(nil)
	ts := httptest.NewServer(srv)
	defer ts.Close()
	defer srv.Drop("")
	c, _, err := websocket.Dial(context.Background(), "ws://"+ts.Listener.Addr().String(), &websocket.DialOptions{Subprotocols: []string{"json"}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	r := &rawClient{t: t, c: c}

	if f := r.call("getuserstate", map[string]any{"userlogin": "demo"}); f.OK() {
		t.Fatal("answered before login")
	}
	r.call("ping", nil)
	h, _ := ws.HashPassword("demo")
	login := r.call("login", map[string]any{"userlogin": "demo", "Password": h.Password, "password": h.Lower, "showid": 1, "usewebrtc": false})
	if !login.OK() || login.String("sessionid") == "" || login.String("userid") == "" {
		t.Fatalf("login: %v", login.Body)
	}
	u := map[string]any{"userlogin": "demo"}
	with := func(extra map[string]any) map[string]any {
		m := map[string]any{"userlogin": "demo"}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	steps := []struct {
		name   string
		body   map[string]any
		fields []string
	}{
		{"getcurrentqueue", u, []string{"queue"}},
		{"subscribeevent", map[string]any{"eventmethod": []string{"customevent"}}, nil},
		{"subscribeevent", map[string]any{"eventmethod": []string{"userstatechanged"}}, nil},
		{"getversion", with(map[string]any{"showalloweddbstoredprocs": 1}), []string{"version"}},
		{"getmyuserinfo", u, []string{"mainpbxnumber", "username", "hasline", "lineid", "linenumber", "isoperator"}},
		{"cc_getlunchtypes", u, []string{"items"}},
		{"getuserstate", u, []string{"userstateid", "oncallcenter", "onccmanual", "onlunch", "onredirect", "ontask"}},
		{"getredirectrules", u, []string{"redirectrules"}},
		{"getpbxnumbers", with(map[string]any{"mode": "full"}), []string{"numbers"}},
		{"subscribeevent", map[string]any{"eventmethod": []string{"pbxnumberstatechanged"}}, nil},
		{"getallusernumbers", with(map[string]any{"fillsubordinates": true}), []string{"users"}},
		{"getalluserphotolink", with(map[string]any{"mode": "page"}), []string{"links"}},
		{"getextendedlineinfo", u, []string{"linestatestr", "abonent", "timertalklensec", "isflashing"}},
		{"subscribeevent", map[string]any{"eventmethod": []string{"linestatechanged"}}, nil},
		{"subscribeevent", map[string]any{"eventmethod": "phoneevent_ringstarted"}, nil},
		{"subscribeevent", map[string]any{"eventmethod": "phoneevent_ringstarted"}, nil}, // twice, as the client may
	}
	for _, st := range steps {
		f := r.call(st.name, st.body)
		if !f.OK() {
			t.Errorf("%s refused: %v", st.name, f.Body)
			continue
		}
		for _, k := range st.fields {
			if _, ok := f.Body[k]; !ok {
				t.Errorf("%s: no %q in %v", st.name, k, f.Body)
			}
		}
	}
	v := r.call("getversion", with(nil)).Body["version"].(map[string]any)
	if v["dated"] == nil || v["build"] == nil || v["webserverport"] == nil || v["alloweddbstoredprocs"] == nil {
		t.Errorf("version %v", v)
	}
	if f := r.call("nosuchmethod", with(nil)); f.OK() || f.String("errormsg") == "" {
		t.Errorf("an unknown method: %v", f.Body)
	}
	if f := r.call("logout", with(nil)); !f.OK() {
		t.Errorf("logout: %v", f.Body)
	}
	// After logout the session is gone.
	again := r.call("login", map[string]any{"userlogin": "demo", "sessionid": login.String("sessionid")})
	if again.OK() || again.String("errormsg") != ws.MsgSessionNotExist {
		t.Errorf("login with a logged-out session: %v", again.Body)
	}
}
