package wssim

import (
	"context"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
	"github.com/okdash/okdash/oktell/ws"
)

// vendorClient plays oktell.js 1.8.4 against the fake server: its requests in its order
// with its parameters, its event handlers (each re-reads getextendedlineinfo), and its
// derivations of the phone state, the current abonent, the queue and the user list. It
// keeps what that client keeps, so a test can compare with what okdash shows.
type vendorClient struct {
	t     *testing.T
	c     *websocket.Conn
	login string

	mu      sync.Mutex
	n       int
	waiting map[string]chan ws.Frame
	events  chan ws.Frame

	phone   oktell.PhoneMemory
	abonent *oktell.Abonent // phone.abonentList's one entry (simple calls)
	held    *oktell.Abonent // phone._holdAbonent
	queue   map[string]oktell.Abonent
	numbers map[string]map[string]any // numbers[n.number] = n, its state updated by pushes
	users   map[string]map[string]any // users[u.id], with numberObj
	log     []string                  // the vendor's API events, as its apps see them
}

func dialVendor(t *testing.T, url, login, password string) *vendorClient {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{Subprotocols: []string{"json"}})
	if err != nil {
		t.Fatal(err)
	}
	v := &vendorClient{t: t, c: c, login: login, waiting: map[string]chan ws.Frame{}, events: make(chan ws.Frame, 256),
		queue: map[string]oktell.Abonent{}, numbers: map[string]map[string]any{}, users: map[string]map[string]any{}}
	go v.read()
	t.Cleanup(func() { c.CloseNow() })
	if f := v.raw("ping", nil); f.QID() == "" {
		t.Fatal("no pong")
	}
	h, _ := ws.HashPassword(password)
	if f := v.send("login", map[string]any{"Password": h.Password, "password": h.Lower, "showid": 1, "usewebrtc": false}); !f.OK() {
		t.Fatalf("login: %v", f.Body)
	}
	v.afterLogin()
	return v
}

// read is the client's onMessage: replies go to their callback by qid, events to the
// handlers (the events channel).
func (v *vendorClient) read() {
	for {
		_, b, err := v.c.Read(context.Background())
		if err != nil {
			close(v.events)
			return
		}
		f, err := ws.DecodeFrame(b)
		if err != nil {
			v.t.Errorf("the server wrote a frame the vendor's client cannot parse: %v", err)
			continue
		}
		v.mu.Lock()
		ch, ok := v.waiting[f.QID()]
		delete(v.waiting, f.QID())
		v.mu.Unlock()
		if ok {
			ch <- f
			continue
		}
		v.events <- f
	}
}

// raw is server.sendOktell: no userlogin (ping, subscribeevent).
func (v *vendorClient) raw(method string, body map[string]any) ws.Frame {
	v.t.Helper()
	if body == nil {
		body = map[string]any{}
	}
	v.mu.Lock()
	v.n++
	qid := "0." + strconv.Itoa(v.n)
	ch := make(chan ws.Frame, 1)
	v.waiting[qid] = ch
	v.mu.Unlock()
	body["qid"] = qid
	b, _ := ws.EncodeFrame(method, body)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := v.c.Write(ctx, websocket.MessageText, b); err != nil {
		v.t.Fatalf("%s: %v", method, err)
	}
	select {
	case f := <-ch:
		return f
	case <-ctx.Done():
		v.t.Fatalf("%s: no answer (the vendor's client would report error 1102)", method)
	}
	return ws.Frame{}
}

// send is the Oktell object's sendOktell: the login added to every request.
func (v *vendorClient) send(method string, body map[string]any) ws.Frame {
	v.t.Helper()
	m := map[string]any{"userlogin": v.login}
	for k, x := range body {
		m[k] = x
	}
	return v.raw(method, m)
}

func (v *vendorClient) subscribe(names ...string) {
	v.t.Helper()
	if f := v.raw("subscribeevent", map[string]any{"eventmethod": names}); !f.OK() {
		v.t.Fatalf("subscribeevent %v: %v", names, f.Body)
	}
}

// afterLogin is the client's login callback and its 'login' event, in order.
func (v *vendorClient) afterLogin() {
	t := v.t
	t.Helper()
	v.loadQueue() // phone.queue() before anything else, then every 5 s
	v.subscribe("customevent")
	v.subscribe("userstatechanged")
	ver := v.send("getversion", map[string]any{"showalloweddbstoredprocs": 1})
	if !ver.OK() {
		t.Fatal("getversion refused: the vendor's client disconnects (1206)")
	}
	if f := v.send("getmyuserinfo", nil); !f.OK() {
		t.Fatal("getmyuserinfo refused (1210)")
	}
	v.send("cc_getlunchtypes", nil)
	if f := v.send("getuserstate", nil); !f.OK() {
		t.Fatal("getuserstate refused (1209)")
	}
	v.send("getredirectrules", nil)
	nums := v.send("getpbxnumbers", map[string]any{"mode": "full"}) // loadPbxNumbers
	if list, ok := nums.Body["numbers"].([]any); nums.OK() && ok {
		for _, n := range list {
			m := n.(map[string]any)
			v.numbers[ws.Frame{Body: m}.String("number")] = m
		}
	}
	v.subscribe("pbxnumberstatechanged")
	users := v.send("getallusernumbers", map[string]any{"fillsubordinates": true}) // loadUsers
	if list, ok := users.Body["users"].([]any); users.OK() && ok {
		for _, u := range list {
			m := u.(map[string]any)
			f := ws.Frame{Body: m}
			v.users[f.String("id")] = map[string]any{"id": f.String("id"), "name": f.String("name"), "number": f.String("main"),
				"numberObj": v.numbers[f.String("main")]}
		}
	}
	v.send("getalluserphotolink", map[string]any{"mode": "page"})
	if !v.loadStates() {
		t.Fatal("getextendedlineinfo refused (1207)")
	}
	for _, ev := range []string{"linestatechanged", "flashstatechanged", "confcompositionchanged", "confcompetitorstatechanged",
		"phoneevent_acmcallstarted", "phoneevent_acmcallstopped", "phoneevent_ringstarted", "phoneevent_ringstopped",
		"phoneevent_ivrstarted", "phoneevent_commstarted", "phoneevent_commstopped"} {
		v.subscribe(ev)
	}
	v.send("cc_getlunchtypes", nil)
}

// loadStates is phone.loadStates: getextendedlineinfo, its hold and abonent bookkeeping,
// then setStateFromResultData.
func (v *vendorClient) loadStates() bool {
	f := v.send("getextendedlineinfo", map[string]any{})
	if !f.OK() {
		return false
	}
	info := ws.ParseLineInfo(f.Body)
	if info.IsFlashing && info.Flashed != nil {
		h := *info.Flashed
		v.held = &h
	} else {
		v.held = nil
	}
	if !info.HasAbonent {
		return true
	}
	a := info.Abonent
	a.ChainID = info.ChainID
	if info.CalledID != "" && a.CallerID == "" {
		a.CallerID = info.CalledID
	}
	if a.Key() != "" { // createAbonent gives an abonent only with a key
		v.abonent = &a
	} else {
		v.abonent = nil
	}
	old := v.phone.State
	v.phone = oktell.VendorPhone(info, v.phone)
	if v.phone.State != old {
		v.log = append(v.log, "stateChange "+v.phone.State.String())
		if v.phone.State == oktell.PhoneReady || v.phone.State == oktell.PhoneDisconnected {
			v.abonent = nil // removeAbonents
		}
	}
	return true
}

// loadQueue is phone.queue: queueAbonentEnter and queueAbonentLeave by createAbonent's key.
func (v *vendorClient) loadQueue() {
	f := v.send("getcurrentqueue", map[string]any{})
	if !f.OK() {
		v.t.Fatalf("getcurrentqueue refused (2701): %v", f.Body)
	}
	now := map[string]oktell.Abonent{}
	items, _ := f.Body["queue"].([]any)
	for _, it := range items {
		a := ws.ParseAbonent(it.(map[string]any))
		now[a.Key()] = a
		if _, ok := v.queue[a.Key()]; !ok {
			v.queue[a.Key()] = a
			v.log = append(v.log, "queueAbonentEnter "+a.Phone())
		}
	}
	for k, a := range v.queue {
		if _, ok := now[k]; !ok {
			delete(v.queue, k)
			v.log = append(v.log, "queueAbonentLeave "+a.Phone())
		}
	}
}

// handle waits for the event named and runs the vendor's handler for it (and for every
// event before it).
func (v *vendorClient) handle(name string) ws.Frame {
	v.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case f, ok := <-v.events:
			if !ok {
				v.t.Fatalf("connection closed waiting for %s", name)
			}
			switch f.Name {
			case "pbxnumberstatechanged":
				list, _ := f.Body["numbers"].([]any)
				for _, x := range list {
					m := x.(map[string]any)
					fr := ws.Frame{Body: m}
					if n := v.numbers[fr.String("num")]; n != nil {
						n["state"] = m["numstateid"]
					}
				}
			case "phoneevent_commstarted", "phoneevent_commstopped", "phoneevent_ringstarted", "phoneevent_ringstopped",
				"linestatechanged", "flashstatechanged", "phoneevent_acmcallstopped":
				v.loadStates()
			}
			if f.Name == name {
				return f
			}
		case <-deadline:
			v.t.Fatalf("no %s event", name)
		}
	}
}

// numberState is what the vendor's client shows for a user: users[id].numberObj.state.
func (v *vendorClient) numberState(id string) string {
	u := v.users[id]
	if u == nil {
		return "no such user"
	}
	n, _ := u["numberObj"].(map[string]any)
	if n == nil {
		return "no number"
	}
	return ws.Frame{Body: n}.String("state")
}

// The vendor's client follows the fake server through a ring, a talk, a hold and a
// hang-up exactly as it would a real server; its queue and its user list follow too.
func TestVendorClientFollowsTheDesk(t *testing.T) {
	users, err := ParseUsers(strings.NewReader("demo demo 201 Demo Operator\n[Поддержка]\nivanova pw 305 Иванова Мария\n[Продажи]\npetrov pw 306 Петров Пётр\n"))
	if err != nil {
		t.Fatal(err)
	}
	srv := New(users)
	clk := clocktest.New(time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC))
	srv.Clock = clk
	ts := httptest.NewServer(srv)
	defer ts.Close()
	defer srv.Drop("")
	url := "ws://" + ts.Listener.Addr().String()
	v := dialVendor(t, url, "demo", "demo")
	if v.phone.State != oktell.PhoneReady {
		t.Fatalf("after login the vendor's phone is %v, want ready", v.phone.State)
	}

	// The user list: every user, joined with its number, department and state.
	if len(v.users) != 3 {
		t.Fatalf("users %v", v.users)
	}
	ivanova := srv.users["ivanova"]
	if n, _ := v.users[ivanova.ID]["numberObj"].(map[string]any); n == nil || n["department"] != "Поддержка" || v.numberState(ivanova.ID) != "3" {
		t.Fatalf("ivanova as the vendor sees her: %v", v.users[ivanova.ID])
	}
	// A colleague's change reaches the vendor's number list.
	if err := srv.SetState("ivanova", oktell.UserReady, false); err != nil {
		t.Fatal(err)
	}
	v.handle("pbxnumberstatechanged")
	if got := v.numberState(ivanova.ID); got != "1" {
		t.Fatalf("ivanova's number state %q after she became ready, want 1", got)
	}

	if err := srv.Ring("demo", "+74951234567", "Иванов Иван", "Заказ 42"); err != nil {
		t.Fatal(err)
	}
	v.handle("phoneevent_ringstarted")
	if v.phone.State != oktell.PhoneRing || v.abonent == nil || v.abonent.Phone() != "+74951234567" || v.abonent.DisplayName() != "Иванов Иван" {
		t.Fatalf("ringing: phone %v, abonent %+v", v.phone.State, v.abonent)
	}
	v.handle("linestatechanged")

	clk.Advance(2 * time.Second)
	if err := srv.Answer("demo"); err != nil {
		t.Fatal(err)
	}
	v.handle("phoneevent_commstarted")
	if v.phone.State != oktell.PhoneTalk || v.abonent.Phone() != "+74951234567" {
		t.Fatalf("answered: phone %v, abonent %+v", v.phone.State, v.abonent)
	}
	v.handle("linestatechanged")
	demo := srv.users["demo"]
	v.handle("pbxnumberstatechanged") // its own number is busy now
	if got := v.numberState(demo.ID); got != "5" {
		t.Fatalf("the operator's number during the talk: %q, want 5 (busy)", got)
	}
	clk.Advance(65 * time.Second)
	if f := v.send("getextendedlineinfo", nil); f.String("timertalklensec") != "65" {
		t.Fatalf("talk timer %q after 65 s", f.String("timertalklensec"))
	}

	if _, err := srv.Hold("demo"); err != nil {
		t.Fatal(err)
	}
	v.handle("flashstatechanged")
	if v.phone.State != oktell.PhoneTalk || v.held == nil || v.held.Phone() != "+74951234567" {
		t.Fatalf("on hold: phone %v, hold %+v", v.phone.State, v.held)
	}
	if f := v.send("getflashedabonentinfo", nil); !f.Bool("containsflashed") {
		t.Fatalf("getflashedabonentinfo while on hold: %v", f.Body)
	}
	v.handle("linestatechanged")
	if _, err := srv.Hold("demo"); err != nil {
		t.Fatal(err)
	}
	v.handle("flashstatechanged")
	if v.held != nil || v.phone.State != oktell.PhoneTalk {
		t.Fatalf("back from hold: phone %v, hold %+v", v.phone.State, v.held)
	}
	v.handle("linestatechanged")

	if err := srv.Hangup("demo"); err != nil {
		t.Fatal(err)
	}
	v.handle("phoneevent_commstopped")
	if v.phone.State != oktell.PhoneReady || v.abonent != nil {
		t.Fatalf("hung up: phone %v, abonent %+v", v.phone.State, v.abonent)
	}
	v.handle("linestatechanged")
	v.handle("pbxnumberstatechanged")
	if got := v.numberState(demo.ID); got != "3" {
		t.Fatalf("the operator's number after the talk: %q, want 3 (away again)", got)
	}

	// A ring that nobody answers.
	srv.Ring("demo", "84950000000", "", "")
	v.handle("phoneevent_ringstarted")
	if v.phone.State != oktell.PhoneRing || v.abonent.DisplayName() != "84950000000" {
		t.Fatalf("ringing without a name: %v %+v", v.phone.State, v.abonent)
	}
	srv.Hangup("demo")
	v.handle("phoneevent_ringstopped")
	if v.phone.State != oktell.PhoneReady {
		t.Fatalf("after an unanswered ring: %v", v.phone.State)
	}

	// The queue, as the 5-second poll sees it.
	srv.QueueAdd("+79161112233", "Кузьмина Анна")
	srv.QueueAdd("+78121234567", "")
	v.loadQueue()
	srv.QueueRemove("+79161112233")
	v.loadQueue()
	srv.QueueClear()
	v.loadQueue()
	want := []string{"stateChange ring", "stateChange talk", "stateChange ready", "stateChange ring", "stateChange ready",
		"queueAbonentEnter +79161112233", "queueAbonentEnter +78121234567", "queueAbonentLeave +79161112233", "queueAbonentLeave +78121234567"}
	if got := strings.Join(v.log, "\n"); got != strings.Join(want, "\n") {
		t.Errorf("the vendor's client saw\n%s\nwant\n%s", got, strings.Join(want, "\n"))
	}
}
