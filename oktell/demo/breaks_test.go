package demo

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
)

// breakreasons lists the reasons in order, each with an id that stays the same from one
// run to the next; mistakes name the line.
func TestParseBreakReasons(t *testing.T) {
	sc, err := Parse("f.txt", strings.NewReader("breakreasons  Обед ,Перерыв, Обучение\nstate usReady\n"))
	if err != nil {
		t.Fatal(err)
	}
	b := oktell.BreakReasons{List: sc.BreakReasons}
	if strings.Join(b.Names(), "|") != "Обед|Перерыв|Обучение" {
		t.Fatalf("reasons %q", b.Names())
	}
	again, _ := Parse("g.txt", strings.NewReader("breakreasons обед\nstate usReady\n"))
	if sc.BreakReasons[0].ID == "" || sc.BreakReasons[0].ID != again.BreakReasons[0].ID || sc.BreakReasons[0].ID == sc.BreakReasons[1].ID {
		t.Fatalf("ids %+v, %+v", sc.BreakReasons, again.BreakReasons)
	}
	for _, tc := range []struct{ script, want string }{
		{"breakreasons\nstate usReady\n", "f.txt:1: breakreasons: want breakreasons NAME, NAME"},
		{"breakreasons Обед,,Перерыв\n", "f.txt:1: breakreasons: reason 2 is empty"},
		{"breakreasons Обед, обед\n", `f.txt:1: breakreasons: "обед" is listed twice`},
		{"breakreasons Обед\nbreakreasons Перерыв\n", "f.txt:2: breakreasons already given on line 1"},
		{"breakreasons " + strings.Repeat("r,", 64) + "r65\n", "f.txt:1: breakreasons: "},
		{"breakreasons " + strings.Repeat("Я", 200) + "\n", "f.txt:1: breakreasons: reason 1 is longer than 256 bytes"},
		{"breakreasons Обед\x07\n", "f.txt:1: breakreasons: reason 1"},
	} {
		_, err := Parse("f.txt", strings.NewReader(tc.script))
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("Parse(%q) = %v, want an error starting %q", tc.script, err, tc.want)
		}
	}
}

// The built-in shift lists three reasons, so trainees meet the picker.
func TestBuiltinShiftListsBreakReasons(t *testing.T) {
	b := oktell.BreakReasons{List: Builtin().BreakReasons}
	if strings.Join(b.Names(), ", ") != "Обед, Перерыв, Обучение" {
		t.Fatalf("the built-in shift lists %q", b.Names())
	}
}

// A break names one of the scenario's reasons, and the confirmation names it back; one
// the scenario does not list is refused with those it does.
func TestEngineBreakReasons(t *testing.T) {
	r := start(t, "breakreasons Обед, Обучение\nstate usReady\nwait 1h\n", 1)
	r.nextState()
	r.settle(1)
	ctx := context.Background()
	learn := r.eng.Scenario().BreakReasons[1].ID
	var refused *oktell.RefusedError
	if err := r.eng.SetUserStateReason(ctx, oktell.UserLunch, false, "nope"); !errors.As(err, &refused) ||
		refused.Why.String() != "there is no break reason nope: the server lists Обед, Обучение" {
		t.Fatalf("an unknown reason: %v", err)
	}
	if err := r.eng.SetUserStateReason(ctx, oktell.UserLunch, false, learn); err != nil {
		t.Fatal(err)
	}
	r.clk.Advance(ConfirmDelay)
	o := r.wait()
	if sc := stateOf(t, o); sc.State != oktell.UserLunch {
		t.Fatalf("confirmed %+v", sc)
	}
	if p, ok := o.Doc.Events[0].Prop("lunchreasonid"); !ok || p.Value != learn {
		t.Fatalf("the confirmation does not name the reason: %+v", o.Doc.Events[0].Props)
	}
	// Without a reason, as over the bridge: the state document stays as it always was.
	if err := r.eng.SetUserState(ctx, oktell.UserReady, false); err != nil {
		t.Fatal(err)
	}
	r.clk.Advance(ConfirmDelay)
	if o := r.wait(); len(o.Doc.Events[0].Props) != 2 {
		t.Fatalf("a plain request confirmed with %+v", o.Doc.Events[0].Props)
	}

	none := start(t, "state usReady\nwait 1h\n", 1)
	none.nextState()
	if err := none.eng.SetUserStateReason(ctx, oktell.UserLunch, false, "Обед"); !errors.As(err, &refused) || !strings.Contains(refused.Why.String(), "lists none") {
		t.Fatalf("a reason where none are listed: %v", err)
	}
}

// The demo tells its reasons after the connected status, as a server after the login,
// with --break-reason resolved; a name the scenario lacks is Unlisted, so the dashboard
// says so at once.
func TestSessionTellsBreakReasons(t *testing.T) {
	for _, tc := range []struct{ flag, def, unlisted string }{
		{"", "", ""}, {"обучение", "Обучение", ""}, {"Отпуск", "", "Отпуск"},
	} {
		s := Open(context.Background(), nil, clocktest.New(t0), 1, WithBreakReason(tc.flag))
		recv(t, s) // connected
		u := recv(t, s)
		if u.BreakReasons == nil || len(u.BreakReasons.List) != 3 || u.BreakReasons.Unlisted != tc.unlisted {
			t.Errorf("--break-reason %q: %+v", tc.flag, u.BreakReasons)
		} else if r, _ := u.BreakReasons.Find(u.BreakReasons.Default); r.Name != tc.def {
			t.Errorf("--break-reason %q: the default is %q", tc.flag, r.Name)
		}
		if err := s.SetUserStateReason(context.Background(), oktell.UserLunch, false, "x"); err == nil {
			t.Error("a reason the scenario does not list was accepted")
		}
		s.Close()
	}
	sc, _ := Parse("plain", strings.NewReader(chatScript))
	s := Open(context.Background(), sc, clocktest.New(t0), 1)
	defer s.Close()
	recv(t, s)
	if u := recv(t, s); u.BreakReasons != nil {
		t.Fatalf("a scenario without reasons told %+v", u.BreakReasons)
	}
}
