package ws_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
	"github.com/okdash/okdash/oktell/ws"
)

// A replayed capture tells time by the capture: what each frame leads to carries the
// frame's recorded time, the operator's break request names its reason as the server
// listed it, and the session's Position is the replay's place in the capture, moving on
// at the replay's speed (before: every update was stamped when it was delivered).
func TestReplayedCaptureTellsTimeByTheCapture(t *testing.T) {
	capture := strings.Join([]string{
		`{"okdash":"ws-capture","version":1,"t":"2026-11-23T09:00:00+03:00","url":"ws://oktell:4066","login":"ivanova"}`,
		`{"t":"2026-11-23T09:00:00+03:00","dir":"out","frame":["cc_getlunchtypes",{"qid":"q1"}]}`,
		`{"t":"2026-11-23T09:00:00.2+03:00","dir":"in","frame":["cc_getlunchtypes",{"qid":"q1","items":[{"id":"7","name":"Обед"},{"id":"8","name":"Перерыв"}]}]}`,
		`{"t":"2026-11-23T09:00:01+03:00","dir":"in","frame":["userstatechanged",{"userstateid":1,"onredirect":false}]}`,
		`{"t":"2026-11-23T09:00:31+03:00","dir":"out","frame":["setuserstate",{"qid":"q2","userstateid":2,"onredirect":false,"lunchreasonid":"7"}]}`,
		`{"t":"2026-11-23T09:00:31.5+03:00","dir":"in","frame":["setuserstate",{"qid":"q2"}]}`,
		`{"t":"2026-11-23T09:00:32+03:00","dir":"in","frame":["userstatechanged",{"userstateid":2,"onredirect":false}]}`,
	}, "\n") + "\n"
	msk := time.FixedZone("", 3*3600)
	at := func(sec float64) time.Time {
		return time.Date(2026, 11, 23, 9, 0, 0, 0, msk).Add(time.Duration(sec * float64(time.Second)))
	}
	clk := clocktest.New(start) // the next day
	rs := ws.Replay(context.Background(), strings.NewReader(capture), "yesterday.capture", nil, ws.ReplayOptions{Clock: clk, Speed: 3})
	defer rs.Close()
	c := rs.Capabilities()
	if !c.LogTimes || c.Position == nil {
		t.Fatalf("capabilities %+v: a replayed capture's times are its own", c)
	}
	next := func(what string, ok func(oktell.Update) bool) oktell.Update {
		t.Helper()
		var got oktell.Update
		if err := clocktest.Drive(clk, rs.Updates(), wait, func(u oktell.Update) bool { got = u; return ok(u) }); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return got
	}
	isState := func(u oktell.Update) bool { return u.Event != nil && u.Event.Type == oktell.UserStateChanged }
	u := next("Ready", isState)
	if !u.At.Equal(at(1)) {
		t.Errorf("Ready at %v, want the frame's 09:00:01", u.At)
	}
	if !clk.WaitPending(1, wait) {
		t.Fatal("the replay did not wait for the next frame")
	}
	clk.Advance(5 * time.Second)
	if p := c.Position.Now(); !p.Equal(at(16)) {
		t.Errorf("5 s into a 30 s wait at speed 3: position %v, want 09:00:16", p)
	}
	u = next("the break request", func(u oktell.Update) bool { return u.Sent != nil })
	if s := u.Sent; s.Answered || s.BreakReason != "7" || s.BreakName != "Обед" || !u.At.Equal(at(31)) {
		t.Errorf("request %+v at %v, want break reason 7 (Обед) at 09:00:31", s, u.At)
	}
	u = next("its outcome", func(u oktell.Update) bool { return u.Sent != nil })
	if !u.Sent.Answered || !u.Sent.Why.IsZero() || !u.At.Equal(at(31.5)) {
		t.Errorf("outcome %+v at %v, want accepted at 09:00:31.5", u.Sent, u.At)
	}
	if u = next("Break", isState); !u.At.Equal(at(32)) {
		t.Errorf("Break at %v, want 09:00:32", u.At)
	}
}
