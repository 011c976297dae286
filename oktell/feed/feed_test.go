package feed

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
)

var t0 = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

func TestSendStampsAndOrders(t *testing.T) {
	clk := clocktest.New(t0)
	f := New(context.Background(), clk, 8)
	f.StatusWhy(oktell.LinkConnected, oktell.Quoted("up"))
	f.StatusWhy(oktell.LinkConnected, oktell.Quoted("up")) // a repeat is not sent
	f.Event(oktell.Event{Type: oktell.VoiceMail}, nil)
	clk.Advance(time.Second)
	f.Send(oktell.Update{At: t0.Add(time.Hour), Event: &oktell.Event{Type: oktell.Notify}})
	f.Close()
	var got []oktell.Update
	for u := range f.Updates() {
		got = append(got, u)
	}
	if len(got) != 4 {
		t.Fatalf("got %d updates, want 4 (status, event, event, closed): %+v", len(got), got)
	}
	if got[0].Status == nil || got[0].Status.Why.String() != "up" || !got[0].At.Equal(t0) {
		t.Errorf("first update = %+v", got[0])
	}
	if got[1].Event == nil || got[1].Event.Type != oktell.VoiceMail {
		t.Errorf("second update = %+v", got[1])
	}
	if !got[2].At.Equal(t0.Add(time.Hour)) {
		t.Errorf("a given At was replaced: %v", got[2].At)
	}
	if got[3].Status == nil || got[3].Status.Link != oktell.LinkClosed {
		t.Errorf("last update = %+v, want the closed status", got[3])
	}
}

func TestCloseStopsBlockedSendersAndClosesOnce(t *testing.T) {
	f := New(context.Background(), clocktest.New(t0), 0)
	started := make(chan struct{})
	returned := make(chan bool, 1)
	f.Go(func(ctx context.Context) {
		close(started)
		returned <- f.Event(oktell.Event{Type: oktell.VoiceMail}, nil) // nobody reads: blocks
	})
	<-started
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); f.Close() }()
	}
	wg.Wait()
	if ok := <-returned; ok {
		t.Error("a send blocked at Close reported success")
	}
	for range f.Updates() { // drains and ends: the channel is closed
	}
	if f.Send(oktell.Update{}) {
		t.Error("Send after Close reported success")
	}
}

func TestParentContextStopsGoroutines(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	f := New(ctx, clocktest.New(t0), 1)
	done := make(chan struct{})
	f.Go(func(ctx context.Context) { <-ctx.Done(); close(done) })
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("goroutine did not stop with the parent context")
	}
	f.Close()
}

func withCode(code string) oktell.Event {
	return oktell.Event{Type: oktell.ConnectionLost, Props: []oktell.Property{
		{Kind: oktell.CData, Key: "reason", Text: "кабель", HasText: true}, {Key: "reasoncode", Value: code}}}
}

func TestLinkLost(t *testing.T) {
	withReason := oktell.Event{Type: oktell.ConnectionLost, Props: []oktell.Property{{Kind: oktell.CData, Key: "reason", Text: "кабель", HasText: true}}}
	for _, tc := range []struct {
		ev     oktell.Event
		reason string
		lost   bool
	}{
		{withReason, "кабель", true},
		// A code okdash declares without arguments is taken as the reason; any other
		// code (unknown, or one that needs arguments) leaves the words.
		{withCode("server-link-lost"), "connection to the Oktell server lost", true},
		{withCode("no-such-user"), "кабель", true},
		{withCode("made-up"), "кабель", true},
		{oktell.Event{Type: oktell.RestartRequested}, "the Oktell client lost its server (RestartRequested)", true},
		{oktell.Event{Type: oktell.ConnectionLost}, "the Oktell client lost its server (ConnectionLost)", true},
		{oktell.Event{Type: oktell.UserStateChanged}, "", false},
		{oktell.Event{Type: oktell.ShutdownRequested}, "", false},
	} {
		reason, lost := LinkLost(&tc.ev)
		if reason.String() != tc.reason || lost != tc.lost {
			t.Errorf("LinkLost(%s) = %q, %v; want %q, %v", tc.ev.Type, reason, lost, tc.reason, tc.lost)
		}
	}
}

func TestEndFromInsideClosesUpdates(t *testing.T) {
	f := New(context.Background(), clocktest.New(t0), 8)
	stopped := make(chan struct{})
	f.Go(func(ctx context.Context) { <-ctx.Done(); close(stopped) }) // another loop of the source
	f.Go(func(ctx context.Context) {
		f.Event(oktell.Event{Type: oktell.VoiceMail}, []byte("<raw/>"))
		f.StatusWhy(oktell.LinkClosed, oktell.Quoted("refused: wrong password"))
		f.End() // from a goroutine started with Go: Close here would wait for itself
	})
	var got []oktell.Update
	deadline := time.After(5 * time.Second)
	for open := true; open; {
		select {
		case u, ok := <-f.Updates():
			if ok {
				got = append(got, u)
			}
			open = ok
		case <-deadline:
			t.Fatalf("Updates not closed after End; got %d updates", len(got))
		}
	}
	<-stopped // End stopped the other goroutine before Updates closed
	if len(got) != 2 {
		t.Fatalf("got %d updates, want the event and the source's closed status: %+v", len(got), got)
	}
	if string(got[0].Raw) != "<raw/>" {
		t.Errorf("raw %q lost", got[0].Raw)
	}
	// The source's reason is the last word, not a generic "closed".
	if st := got[1].Status; st == nil || st.Link != oktell.LinkClosed || st.Why.String() != "refused: wrong password" {
		t.Errorf("last update %+v, want the source's closed status", got[1])
	}
	f.Close() // after End: a no-op
	if f.Send(oktell.Update{}) {
		t.Error("Send after End reported success")
	}
}

func TestStatusFullKeepsOperatorAndDropsRepeats(t *testing.T) {
	f := New(context.Background(), clocktest.New(t0), 8)
	up := oktell.Status{Link: oktell.LinkConnected, Operator: "Иванова\x1b[2J", Line: "305"}
	f.StatusFull(up)
	f.StatusFull(up) // a repeat
	f.StatusFull(oktell.Status{Link: oktell.LinkReconnecting, Why: oktell.Quoted("cut"), Operator: "Иванова", Line: "305"})
	f.StatusFull(up) // the same as two before: sent, the link changed in between
	f.Close()
	var got []oktell.Status
	for u := range f.Updates() {
		got = append(got, *u.Status)
	}
	if len(got) != 4 {
		t.Fatalf("got %d statuses, want 4 (connected, reconnecting, connected, closed): %+v", len(got), got)
	}
	for _, i := range []int{0, 2} {
		if got[i].Link != oktell.LinkConnected || got[i].Operator != "Иванова" || got[i].Line != "305" {
			t.Errorf("status %d = %+v, want connected as Иванова on 305, cleaned", i, got[i])
		}
	}
}

func TestGoFromInsideIsWaitedFor(t *testing.T) {
	f := New(context.Background(), clocktest.New(t0), 1)
	started := make(chan struct{})
	var innerDone bool
	f.Go(func(ctx context.Context) {
		f.Go(func(ctx context.Context) { // a request the outer loop does not wait on
			close(started)
			<-ctx.Done()
			innerDone = true // read after Close: Close must have waited for this
		})
		<-ctx.Done()
	})
	<-started
	f.Close()
	if !innerDone {
		t.Fatal("Close returned before a goroutine started from inside had ended")
	}
}

func TestProblemIsSentAsErrAndNotDropped(t *testing.T) {
	f := New(context.Background(), clocktest.New(t0), 4)
	defer f.Close()
	f.StatusWhy(oktell.LinkReadOnly, oktell.Quoted("replaying a.log"))
	e := Skipped("a.log", oktell.Item{Offset: 40, Err: &oktell.Error{Kind: oktell.Malformed, Offset: 97, Msg: "</data> closes <event>"}})
	// The same problem twice is two skipped documents: neither is dropped as a repeat.
	f.Problem(e)
	f.Problem(e)
	f.Problem(nil) // nothing to report
	<-f.Updates()
	for i := 0; i < 2; i++ {
		u := <-f.Updates()
		if u.Err != e || u.Status != nil || u.Event != nil || !u.At.Equal(t0) {
			t.Fatalf("update %d = %+v, want only Err stamped at t0", i, u)
		}
	}
	select {
	case u := <-f.Updates():
		t.Fatalf("unexpected %+v", u)
	default:
	}
}

func TestInputErrorText(t *testing.T) {
	for _, c := range []struct {
		err  *InputError
		want string
	}{
		{Skipped("a.log", oktell.Item{Offset: 40, Err: &oktell.Error{Kind: oktell.Malformed, Offset: 97, Msg: "</data> closes <event>"}}),
			"a.log: byte 40: skipped a malformed document, the mistake at byte 97: </data> closes <event>"},
		{Skipped("-", oktell.Item{Offset: 381, Err: &oktell.Error{Kind: oktell.Garbage, Offset: 381, Msg: "14 bytes of binary data"}}),
			"-: byte 381: skipped garbage: 14 bytes of binary data"},
		{Skipped("a.log", oktell.Item{Offset: 7, Err: &oktell.Error{Kind: oktell.TooLarge, Offset: 7, Msg: "utf-8 document larger than 1048576 bytes"}}),
			"a.log: byte 7: skipped an oversized document: utf-8 document larger than 1048576 bytes"},
		{Skipped("a.log", oktell.Item{Offset: 7, Err: &oktell.Error{Kind: oktell.Truncated, Offset: 7, Msg: "cut short"}}),
			"a.log: byte 7: skipped an incomplete document: cut short"},
		{&InputError{Input: "tcp 10.0.0.5:7701", Offset: 12, Err: errors.New("oops\x1b[31m")},
			"tcp 10.0.0.5:7701: byte 12: skipped: oops"},
	} {
		if got := c.err.Error(); got != c.want {
			t.Errorf("got  %q\nwant %q", got, c.want)
		}
		if errors.Unwrap(c.err) != c.err.Err {
			t.Errorf("Unwrap lost the reason of %q", c.want)
		}
	}
}

// A line event of the service channel arrives with the line it leads to, in the same
// update; other events carry no line.
func TestLineEventsCarryTheLine(t *testing.T) {
	clk := clocktest.New(t0)
	f := New(context.Background(), clk, 8)
	f.Event(oktell.Event{Type: oktell.RingStarted, Props: []oktell.Property{oktell.SimpleProp("callerid", "+74951234567", "")}}, nil)
	clk.Advance(3 * time.Second)
	f.Event(oktell.Event{Type: oktell.CommutationStarted}, nil)
	f.Event(oktell.Event{Type: oktell.VoiceMail}, nil)
	f.Event(oktell.Event{Type: oktell.CommutationStopped}, nil)
	f.Close()
	var got []oktell.Update
	for u := range f.Updates() {
		got = append(got, u)
	}
	if len(got) < 4 {
		t.Fatalf("%d updates", len(got))
	}
	if l := got[0].Line; l == nil || l.State != oktell.LineRinging || l.Call.Number != "+74951234567" || got[0].Event == nil {
		t.Fatalf("ring: %+v", got[0])
	}
	if l := got[1].Line; l == nil || l.State != oktell.LineTalking || l.Call.Number != "+74951234567" || !l.Call.TalkStart.Equal(t0.Add(3*time.Second)) {
		t.Fatalf("talk: %+v", got[1].Line)
	}
	if got[2].Line != nil {
		t.Fatalf("a voicemail with a line: %+v", got[2].Line)
	}
	if l := got[3].Line; l == nil || l.State != oktell.LineFree || l.Call != nil {
		t.Fatalf("hang-up: %+v", got[3].Line)
	}
}
