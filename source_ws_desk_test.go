package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
	"github.com/okdash/okdash/oktell/ws"
)

// The trainer's commands on okdash sim --ws's standard input reach a logged-in session:
// a ring with the number and name, the talk, the queue, a colleague, the hang-up.
func TestSimWSDeskCommandsReachTheSession(t *testing.T) {
	users := filepath.Join(t.TempDir(), "users")
	os.WriteFile(users, []byte("demo demo 201 Demo Operator\n[Поддержка]\nivanova pw 305 Иванова Мария\n"), 0o600)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	inR, inW := io.Pipe()
	defer inW.Close()
	var out, errb lockedBuffer
	done := make(chan error, 1)
	go func() { done <- simWS(ctx, "127.0.0.1:0", users, stdio{in: inR, out: &out, err: &errb}) }()
	defer func() { cancel(); inW.Close(); <-done }()
	addr := regexp.MustCompile(`ws://[0-9.:]+`)
	deadline := time.Now().Add(10 * time.Second)
	for addr.FindString(out.String()) == "" && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond) // polls for a condition, with a deadline
	}
	clk := clocktest.New(time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC))
	s, err := ws.Dial(ctx, ws.Config{URL: addr.FindString(out.String()), Login: "demo", Clock: clk,
		Password: func() (string, error) { return "demo", nil }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	until := func(what string, ok func(oktell.Update) bool) oktell.Update {
		t.Helper()
		timeout := time.After(10 * time.Second)
		for {
			select {
			case u := <-s.Updates():
				if ok(u) {
					return u
				}
			case <-timeout:
				t.Fatalf("no %s; the simulator said %q %q", what, out.String(), errb.String())
			}
		}
	}
	line := func(want oktell.LineState) func(oktell.Update) bool {
		return func(u oktell.Update) bool { return u.Line != nil && u.Line.State == want }
	}
	until("the colleagues", func(u oktell.Update) bool { return u.Colleagues != nil && len(u.Colleagues.Colleagues) == 2 })
	until("a free line", line(oktell.LineFree))
	until("the first reading of the queue", func(u oktell.Update) bool { return u.Queue != nil })
	io.WriteString(inW, "ring demo +74951234567 Иванов Иван\n")
	u := until("the ring", line(oktell.LineRinging))
	if c := u.Line.Call; c.Number != "+74951234567" || c.Name != "Иванов Иван" {
		t.Fatalf("ringing %+v", c)
	}
	io.WriteString(inW, "answer demo\n")
	if u := until("the talk", line(oktell.LineTalking)); u.Line.Call.TalkStart.IsZero() {
		t.Fatalf("no talk start %+v", u.Line.Call)
	}
	io.WriteString(inW, "state ivanova ready\n")
	until("ivanova ready", func(u oktell.Update) bool {
		return u.Colleagues != nil && !u.Colleagues.Full && u.Colleagues.Colleagues[0].State == oktell.UserReady
	})
	io.WriteString(inW, "queue add +79161112233 Кузьмина Анна\n")
	for !regexp.MustCompile(`1 waiting`).MatchString(out.String()) && time.Now().Before(deadline.Add(10*time.Second)) {
		time.Sleep(10 * time.Millisecond) // the command is applied; the next 5-second reading shows it
	}
	clk.Advance(ws.QueueInterval)
	until("a queue of one", func(u oktell.Update) bool { return u.Queue != nil && len(u.Queue.Callers) == 1 })
	io.WriteString(inW, "hangup demo\n")
	until("the hang-up", line(oktell.LineFree))
}
