package demo

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/okdash/okdash/oktell"
)

// eventOf is the one event of an output's document.
func eventOf(t *testing.T, o Output) *oktell.Event {
	t.Helper()
	if o.Doc == nil || len(o.Doc.Events) != 1 {
		t.Fatalf("output %+v, want a document of one event", o)
	}
	return &o.Doc.Events[0]
}

func ctxFor(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// The room's ring reaches a ready operator with a line: the line rings, the incoming-call
// notification comes with it, and a call nobody answers is missed after its time.
func TestOutsideRingRingsAndIsMissed(t *testing.T) {
	r := start(t, "line on\nstate usReady\nwait 1h\n", 1)
	r.nextState()
	r.settle(1)
	if err := r.eng.Ring(ctxFor(t), "+74951234567", "Иванов Иван", "", 30*time.Second); err != nil {
		t.Fatalf("ring: %v", err)
	}
	if e := eventOf(t, r.wait()); e.Type != oktell.RingStarted {
		t.Fatalf("first output %s, want RingStarted", e.Type)
	} else if p, _ := e.Prop("callerid"); p.Value != "+74951234567" {
		t.Errorf("callerid %+v", p)
	}
	e := eventOf(t, r.wait())
	n, err := e.Notification()
	if err != nil || n.Type != oktell.NltIncomingCall || n.Text != "Входящий вызов: +74951234567, Иванов Иван" {
		t.Fatalf("notification %+v (%v), want the incoming call's", n, err)
	}
	if d := r.eng.Desk(); d.Call == nil || d.Call.Number != "+74951234567" || d.Call.Name != "Иванов Иван" {
		t.Fatalf("desk %+v, want the call on the line", d)
	}
	// A second ring finds the line taken.
	if err := r.eng.Ring(ctxFor(t), "+7000", "", "", 0); !errors.Is(err, ErrNotRouted) {
		t.Errorf("ring on a busy line: %v, want ErrNotRouted", err)
	}
	r.settle(2) // the scenario's wait and the missed call's
	r.clk.Advance(30*time.Second - time.Millisecond)
	select {
	case o := <-r.out:
		t.Fatalf("missed before its time: %+v", o)
	default:
	}
	r.clk.Advance(time.Millisecond)
	if e := eventOf(t, r.wait()); e.Type != oktell.RingFinished {
		t.Fatalf("after 30 s %s, want RingFinished (missed)", e.Type)
	}
	if d := r.eng.Desk(); d.Call != nil {
		t.Errorf("desk %+v, want the line free", d)
	}
}

// A call the scenario answers is not ended by the room's timer: it is a talk now.
func TestOutsideRingAnsweredIsNotMissed(t *testing.T) {
	r := start(t, "line on\nstate usReady\nwait 10s\nanswer\nwait 1h\n", 1)
	checked := make(chan struct{}, 1)
	r.eng.mu.Lock()
	r.eng.missChecked = func() { checked <- struct{}{} }
	r.eng.mu.Unlock()
	r.nextState()
	r.settle(1)
	if err := r.eng.Ring(ctxFor(t), "+7111", "", "", 20*time.Second); err != nil {
		t.Fatal(err)
	}
	r.wait() // RingStarted
	r.wait() // the notification
	r.clk.Advance(10 * time.Second)
	if e := eventOf(t, r.wait()); e.Type != oktell.CommutationStarted {
		t.Fatalf("%s, want the talk", e.Type)
	}
	r.wait() // busy
	r.settle(2)
	r.clk.Advance(10 * time.Second)
	select {
	case <-checked:
	case <-time.After(5 * time.Second):
		t.Fatal("the missed-call timer did not run")
	}
	select {
	case o := <-r.out:
		t.Fatalf("the talk was ended: %+v", o)
	default:
	}
	if d := r.eng.Desk(); d.Call == nil || !d.Call.Talking {
		t.Errorf("desk %+v, want the talk going on", d)
	}
}

// A call reaches only a ready operator: on a break it is not routed, and nothing is sent.
func TestOutsideRingNotRoutedOnABreak(t *testing.T) {
	r := start(t, "line on\nstate usLunch\nwait 1h\n", 1)
	r.nextState()
	r.settle(1)
	if err := r.eng.Ring(ctxFor(t), "+7111", "", "", 0); !errors.Is(err, ErrNotRouted) {
		t.Fatalf("ring on a break: %v, want ErrNotRouted", err)
	}
	select {
	case o := <-r.out:
		t.Fatalf("something was sent: %+v", o)
	default:
	}
}

// The room drops and restores the link: the dashboard is told as for the scenario's own
// link steps, and nothing reaches the operator while it is down.
func TestOutsideLinkAndDeliver(t *testing.T) {
	r := start(t, "line on\nstate usReady\nwait 1h\n", 1)
	r.nextState()
	r.settle(1)
	ctx := ctxFor(t)
	msg := MessageDocument("g1", t0, "trainer-1", "Тренер", "Начинаем")
	if err := r.eng.Deliver(ctx, msg); err != nil {
		t.Fatal(err)
	}
	if e := eventOf(t, r.wait()); e.Type != oktell.UserMessage {
		t.Fatalf("%s, want the message", e.Type)
	}
	if err := r.eng.SetLink(ctx, false); err != nil {
		t.Fatal(err)
	}
	if e := eventOf(t, r.wait()); e.Type != oktell.ConnectionLost {
		t.Fatalf("%s, want ConnectionLost", e.Type)
	}
	if err := r.eng.SetLink(ctx, false); !errors.Is(err, ErrLinkAlready) {
		t.Errorf("down twice: %v", err)
	}
	if err := r.eng.Deliver(ctx, msg); !errors.Is(err, oktell.ErrNotConnected) {
		t.Errorf("a message while down: %v, want ErrNotConnected", err)
	}
	if err := r.eng.Ring(ctx, "+7", "", "", 0); !errors.Is(err, oktell.ErrNotConnected) {
		t.Errorf("a ring while down: %v, want ErrNotConnected", err)
	}
	if err := r.eng.SetLink(ctx, true); err != nil {
		t.Fatal(err)
	}
	if sc := r.waitState(); sc.State != oktell.UserReady {
		t.Errorf("state after the link is back: %+v", sc)
	}
}

// The operator's answer to an outside correspondent goes to it, with its refusal; the
// scenario's colleagues still answer as before.
func TestOutsideListenerGetsTheAnswer(t *testing.T) {
	r := start(t, "line on\nstate usReady\nwait 1h\n", 1)
	r.nextState()
	r.settle(1)
	var got []string
	busy := errors.New("busy")
	r.eng.Listen("Trainer-1", "Тренер", func(text string) error { got = append(got, text); return nil })
	ctx := ctxFor(t)
	if err := r.eng.SendMessage(ctx, "trainer-1", "Понял"); err != nil {
		t.Fatal(err)
	}
	r.eng.Listen("trainer-1", "Тренер", func(text string) error { return busy }) // replaces the first
	if err := r.eng.SendMessage(ctx, "TRAINER-1", "ещё"); !errors.Is(err, busy) {
		t.Errorf("refused answer: %v", err)
	}
	if len(got) != 1 || got[0] != "Понял" {
		t.Errorf("delivered %q", got)
	}
	for i := 0; i < maxListeners+5; i++ {
		r.eng.Listen("t"+string(rune('a'+i)), "", func(string) error { return nil })
	}
	r.eng.mu.Lock()
	n := len(r.eng.listeners)
	r.eng.mu.Unlock()
	if n != maxListeners {
		t.Errorf("%d listeners kept, want at most %d", n, maxListeners)
	}
	if err := r.eng.SendMessage(ctx, "nobody", "x"); err == nil {
		t.Error("a message to nobody was accepted")
	}
}

// An outside step waits for Run no longer than its context: a demo that is not running
// cannot hold the room.
func TestOutsideWithoutRunTimesOut(t *testing.T) {
	e := New(nil, nil, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := e.SetLink(ctx, false); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("%v, want the context's deadline", err)
	}
}

// The room's drop holds: the scenario's steps reach nobody while the link is down (any
// document would read as the link back), and its own link up does not restore what the
// trainer dropped. Only the trainer's restore does.
func TestOutsideLinkDropHoldsAgainstTheScenario(t *testing.T) {
	r := start(t, "line on\nstate usReady\nwait 10s\nredirect on\nstate usLunch\nqueue add +7111 Иванов\nwait 10s\nlink down Потеряна связь\nwait 10s\nlink up\nwait 1h\n", 1)
	if o := r.next(); o.Queue == nil {
		t.Fatalf("first output %+v, want the queue", o)
	}
	r.nextState()
	r.settle(1)
	ctx := ctxFor(t)
	if err := r.eng.SetLink(ctx, false); err != nil {
		t.Fatal(err)
	}
	if e := eventOf(t, r.wait()); e.Type != oktell.ConnectionLost {
		t.Fatalf("%s, want ConnectionLost", e.Type)
	}
	for range 3 { // the redirect, the break and the queue; the link down; the link up
		r.settle(1)
		r.clk.Advance(10 * time.Second)
	}
	r.settle(1) // parked on the last wait: every step before it ran
	select {
	case o := <-r.out:
		t.Fatalf("the scenario reached the operator while the trainer holds the link down: %+v", o.Doc.Events[0].Type)
	default:
	}
	if r.eng.State().LinkUp {
		t.Fatal("the link is up again without the trainer")
	}
	if err := r.eng.SetLink(ctx, false); !errors.Is(err, ErrLinkAlready) {
		t.Errorf("down again: %v, want ErrLinkAlready", err)
	}
	if err := r.eng.SetLink(ctx, true); err != nil {
		t.Fatal(err)
	}
	if sc := r.waitState(); sc.State != oktell.UserReady || sc.Redirect {
		t.Errorf("state after the trainer's restore: %+v, want ready as before the drop", sc)
	}
	if o := r.wait(); o.Queue == nil || len(o.Queue.Callers) != 0 {
		t.Errorf("after the state %+v, want the queue read afresh, empty", o)
	}
	if !r.eng.State().LinkUp {
		t.Error("the trainer's restore left the link down")
	}
}
