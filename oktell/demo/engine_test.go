package demo

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
	"github.com/okdash/okdash/oktell/feed"
)

var t0 = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

// runner runs an engine on a fake clock and collects its outputs.
type runner struct {
	t   *testing.T
	clk *clocktest.Clock
	eng *Engine
	out chan Output
}

func start(t *testing.T, script string, speed float64) *runner {
	t.Helper()
	sc, err := Parse("test", strings.NewReader(script))
	if err != nil {
		t.Fatal(err)
	}
	r, _ := runEngine(t, sc, speed, 100)
	return r
}

// runEngine runs sc (nil: the built-in shift) on a fake clock from t0, its outputs into
// a channel of buf; stop ends the run and waits for it, as the test's end does.
func runEngine(t *testing.T, sc *Scenario, speed float64, buf int) (r *runner, stop func()) {
	t.Helper()
	clk := clocktest.New(t0)
	r = &runner{t: t, clk: clk, eng: New(sc, clk, speed), out: make(chan Output, buf)}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		r.eng.Run(ctx, func(o Output) bool { r.out <- o; return true })
	}()
	stop = func() { cancel(); <-done }
	t.Cleanup(stop)
	return r, stop
}

// next waits for the next output (advancing the fake clock to the next timer as needed).
func (r *runner) next() Output {
	r.t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case o := <-r.out:
			return o
		case <-deadline:
			r.t.Fatal("no output")
		default:
		}
		// Outputs are handed over before the engine parks on its clock, so once a
		// timer is pending, an empty channel means the engine is idle.
		if r.clk.WaitPending(1, 5*time.Millisecond) && len(r.out) == 0 {
			if at, ok := r.clk.Next(); ok {
				r.clk.Set(at)
			}
		}
	}
}

// wait waits for the next output without moving the clock.
func (r *runner) wait() Output {
	r.t.Helper()
	select {
	case o := <-r.out:
		return o
	case <-time.After(5 * time.Second):
		r.t.Fatal("no output")
	}
	return Output{}
}

func (r *runner) nextState() oktell.StateChange { r.t.Helper(); return stateOf(r.t, r.next()) }

func (r *runner) waitState() oktell.StateChange { r.t.Helper(); return stateOf(r.t, r.wait()) }

func stateOf(t *testing.T, o Output) oktell.StateChange {
	t.Helper()
	if o.Doc == nil || len(o.Doc.Events) != 1 || o.Doc.Events[0].Type != oktell.UserStateChanged {
		t.Fatalf("output %+v, want a UserStateChanged", o)
	}
	sc, err := o.Doc.Events[0].StateChange()
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// settle waits until the engine is parked on its clock (the steps before the wait ran).
func (r *runner) settle(n int) {
	r.t.Helper()
	if !r.clk.WaitPending(n, 5*time.Second) {
		r.t.Fatal("engine did not reach its wait")
	}
}

func TestEngineStateDirectivesAndRefusals(t *testing.T) {
	r := start(t, "state usWOphone\nwait 10s\nline on\nstate usReady\nredirect on\nwait 1h\n", 1)
	if sc := r.nextState(); sc.State != oktell.UserWOphone || sc.Redirect {
		t.Fatalf("first state %+v", sc)
	}
	r.settle(1)
	ctx := context.Background()

	var refused *oktell.RefusedError
	if err := r.eng.SetUserState(ctx, oktell.UserReady, false); !errors.As(err, &refused) || !strings.Contains(refused.Why.String(), "no phone line") {
		t.Errorf("ready without a line: %v, want refused for the missing line", err)
	}
	if err := r.eng.SetUserState(ctx, oktell.UserFullbusy, false); !errors.As(err, &refused) || !strings.Contains(refused.Why.String(), "set by the server only") {
		t.Errorf("asking for busy: %v, want refused", err)
	}
	if err := r.eng.SetUserState(ctx, oktell.UserState(4), false); !errors.As(err, &refused) || refused.Why.String() != "there is no user state 4" {
		t.Errorf("asking for state 4: %v, want refused", err)
	}
	// The current state with another redirect is a redirect toggle: allowed without a line.
	if err := r.eng.SetUserState(ctx, oktell.UserWOphone, true); err != nil {
		t.Fatalf("redirect toggle: %v", err)
	}
	r.clk.Advance(ConfirmDelay - time.Millisecond)
	select {
	case o := <-r.out:
		t.Fatalf("answered before the confirmation delay: %+v", o)
	default:
	}
	r.clk.Advance(time.Millisecond)
	if sc := r.waitState(); sc.State != oktell.UserWOphone || !sc.Redirect {
		t.Errorf("toggle confirmed as %+v", sc)
	}
	// The script goes on: line on, ready (keeping redirect), redirect on.
	if sc := r.nextState(); sc.State != oktell.UserReady || !sc.Redirect {
		t.Errorf("scripted ready = %+v", sc)
	}
	if sc := r.nextState(); sc.State != oktell.UserReady || !sc.Redirect {
		t.Errorf("scripted redirect = %+v", sc)
	}
	r.settle(1)
	if err := r.eng.SetUserState(ctx, oktell.UserLunch, false); err != nil {
		t.Fatalf("break with a line: %v", err)
	}
	r.clk.Advance(ConfirmDelay)
	if sc := r.waitState(); sc.State != oktell.UserLunch || sc.Redirect {
		t.Errorf("break confirmed as %+v", sc)
	}
	if st := r.eng.State(); st.State != oktell.UserLunch || !st.Line || !st.LinkUp {
		t.Errorf("server state %+v", st)
	}
}

func TestEngineLinkDownRefusesRequests(t *testing.T) {
	r := start(t, "state usReady\nwait 1s\nlink down кабель\nwait 5s\nlink up\nwait 1h\n", 4)
	r.nextState()
	o := r.next()
	if o.Doc == nil || o.Doc.Events[0].Type != oktell.ConnectionLost {
		t.Fatalf("want the ConnectionLost document first, got %+v", o)
	}
	if p, _ := o.Doc.Events[0].Prop("reason"); p.Text != "кабель" {
		t.Errorf("reason %+v", p)
	}
	if st := r.eng.State(); st.LinkUp {
		t.Fatal("the server state still has the link up")
	}
	r.settle(1)
	if err := r.eng.SetUserState(context.Background(), oktell.UserLunch, false); !errors.Is(err, oktell.ErrNotConnected) {
		t.Errorf("request while down: %v, want ErrNotConnected", err)
	}
	down := r.clk.Now()
	if sc := r.nextState(); sc.State != oktell.UserReady {
		t.Errorf("state after link up %+v", sc)
	}
	if got := r.clk.Now().Sub(down); got != 5*time.Second/4 {
		t.Errorf("link down for %v at speed 4, want %v", got, 5*time.Second/4)
	}
	if st := r.eng.State(); !st.LinkUp {
		t.Error("the link is not back up")
	}
}

func TestParseWaitForms(t *testing.T) {
	sc, err := Parse("w", strings.NewReader("wait 1m30s\nwait 2.5\nwait 500ms\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := sc.Length(); got != 93*time.Second {
		t.Errorf("length %v, want 1m33s", got)
	}
}

func TestParseErrorsNameTheLine(t *testing.T) {
	for _, tc := range []struct{ script, want string }{
		{"wait 1s\nwait soon\n", "f.txt:2: wait \"soon\""},
		{"wait -3\n", "f.txt:1: wait \"-3\""},
		{"state usSleeping\n", "f.txt:1: state \"usSleeping\""},
		{"# c\n\nredirect maybe\n", "f.txt:3: redirect \"maybe\""},
		{"link sideways\n", "f.txt:1: link"},
		{"loop\n", "f.txt:1: loop with no wait"},
		{"dance\n", "f.txt:1: unknown directive \"dance\""},
		{"wait 1s\n<?xml version=\"1.0\"?>\n<oktellcommapper>\n", "f.txt:2: document not closed"},
		{"# nothing\n", "f.txt:1: the scenario has no steps"},
		{"reply\n", "f.txt:1: reply: the text is missing"},
	} {
		_, err := Parse("f.txt", strings.NewReader(tc.script))
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("Parse(%q) = %v, want an error starting %q", tc.script, err, tc.want)
		}
	}
}

// A broken document is reported at the line and column of the mistake, not at the line
// where the document starts; offsets in the reason become lines and columns too, and
// placeholders before the mistake do not shift it.
func TestParseErrorsInDocumentsNameTheMistake(t *testing.T) {
	for _, tc := range []struct{ script, want string }{
		{"wait 1s\n<oktellcommapper version=\"80710\">\n  <data>\n    <event id=\"111\" name=\"userstatechanged\">\n      <property_simple key=\"newstate\" value=\"1\">\n    </event>\n  </data>\n</oktellcommapper>\n",
			"f.txt:6:5: document: </event> closes <property_simple> (opened at line 5 column 7)"},
		{"<oktellcommapper><data><event id=\"114\" name=\"usermessage\"><property_simple key=\"time\" value=\"${now}\" /><property_simple key=\"guid\" value=\"${guid}\" /><bogus/></event></data></oktellcommapper>\n",
			"f.txt:1:150: document: unknown element <bogus>"},
		{"# ÿ\n<oktellcommapper><data><event id=\"113\" name=\"voicemail\">\n\tприв <x></event></data></oktellcommapper>\n",
			"f.txt:3:2: document: text \"прив \""},
		{"<oktellcommapper><data></data></oktellcommapper>\n", "f.txt:1: document holds no event"},
	} {
		_, err := Parse("f.txt", strings.NewReader(tc.script))
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("Parse(%q) = %v, want an error starting %q", tc.script, err, tc.want)
		}
	}
}

func TestExpandTrackedMapsBack(t *testing.T) {
	text := "a${now}b${guid}c${x}d"
	got, back := expandTracked(text, time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), "G")
	if want := expand(text, time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), "G"); got != want {
		t.Fatalf("expandTracked %q, expand %q", got, want)
	}
	for _, c := range []struct{ in, want byte }{{'a', 'a'}, {'b', 'b'}, {'c', 'c'}, {'d', 'd'}} {
		e := int64(strings.IndexByte(got, c.in))
		if o := back(e); text[o] != c.want {
			t.Errorf("back(%d) = %d (%q), want %q", e, o, text[o], c.want)
		}
	}
	if o := back(int64(strings.Index(got, "2026"))); o != 1 {
		t.Errorf("inside ${now}: %d, want 1 (the placeholder)", o)
	}
}

// A drop okdash makes travels as a code alone, so each LinkDrop is a reason without
// arguments (the type admits no other), and a reader of its document (feed.LinkLost, a
// replay of a recording) gets back the very reason, not its English.
func TestLinkDropsAreCodesAlone(t *testing.T) {
	for _, d := range linkDrops {
		decl, ok := oktell.Declaration(d.code)
		if !ok || len(decl.Args) != 0 {
			t.Errorf("%q: a link drop must be a declared code without arguments (%v)", d.code, decl.Args)
			continue
		}
		doc := ConnectionLostWhyDocument(d)
		why, lost := feed.LinkLost(&doc.Events[0])
		if !lost || why.Code != d.code || len(why.Args) != 0 {
			t.Errorf("%q: the document reads back as %#v, %v", d.code, why, lost)
		}
	}
}
