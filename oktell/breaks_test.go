package oktell

import (
	"context"
	"errors"
	"testing"
)

var lunch = []BreakReason{{ID: "r1", Name: "Обед"}, {ID: "r2", Name: "Перерыв"}, {ID: "r3", Name: "Обучение"}}

// The reason named beforehand is found by id or by name in any case; one the server does
// not list is kept as Unlisted, so the dashboard can say so at login.
func TestNewBreakReasons(t *testing.T) {
	for _, tc := range []struct {
		want, def, unlisted string
	}{
		{"", "", ""},
		{"r2", "r2", ""},
		{"обучение", "r3", ""},
		{" ОБЕД ", "r1", ""},
		{"Отпуск", "", "Отпуск"},
		{"Отпуск\x1b[31m", "", "Отпуск"},
	} {
		b := NewBreakReasons(lunch, tc.want)
		if b.Default != tc.def || b.Unlisted != tc.unlisted || len(b.List) != 3 {
			t.Errorf("NewBreakReasons(%q) = %+v; want default %q, unlisted %q", tc.want, b, tc.def, tc.unlisted)
		}
	}
	if got := NewBreakReasons(lunch, "").Names(); len(got) != 3 || got[0] != "Обед" || got[2] != "Обучение" {
		t.Errorf("Names() = %q", got)
	}
	a, b := NewBreakReasons(lunch, "r1"), NewBreakReasons(append([]BreakReason(nil), lunch...), "Обед")
	if !a.Equal(b) {
		t.Error("the same list, the same default: not equal")
	}
	if a.Equal(NewBreakReasons(lunch[:2], "r1")) || a.Equal(NewBreakReasons(lunch, "r2")) {
		t.Error("different lists or defaults: equal")
	}
}

type plainSession struct {
	asked []UserState
}

func (p *plainSession) Updates() <-chan Update     { return nil }
func (p *plainSession) Capabilities() Capabilities { return Capabilities{SetUserState: true} }
func (p *plainSession) SetUserState(_ context.Context, s UserState, _ bool) error {
	p.asked = append(p.asked, s)
	return nil
}
func (p *plainSession) SendMessage(context.Context, string, string) error { return nil }
func (p *plainSession) Close() error                                      { return nil }

type reasonSession struct {
	plainSession
	reason string
	pw     string
}

func (r *reasonSession) SetUserStateReason(_ context.Context, s UserState, _ bool, reason string) error {
	r.asked, r.reason = append(r.asked, s), reason
	return nil
}

func (r *reasonSession) Reconnect(_ context.Context, pw string) error { r.pw = pw; return nil }

// A session without reasons takes a break as it always did, and refuses a reason rather
// than dropping it; a session with them gets the reason.
func TestSetUserStateReason(t *testing.T) {
	ctx := context.Background()
	p := &plainSession{}
	if err := SetUserStateReason(ctx, p, UserLunch, false, ""); err != nil || len(p.asked) != 1 {
		t.Fatalf("no reason: %v, asked %v", err, p.asked)
	}
	if err := SetUserStateReason(ctx, p, UserLunch, false, "r1"); !errors.Is(err, ErrUnsupported) || len(p.asked) != 1 {
		t.Fatalf("a reason the session cannot carry: %v, asked %v", err, p.asked)
	}
	r := &reasonSession{}
	if err := SetUserStateReason(ctx, r, UserLunch, true, "r3"); err != nil || r.reason != "r3" {
		t.Fatalf("with a reason: %v, reason %q", err, r.reason)
	}
	if err := Reconnect(ctx, p, "x"); !errors.Is(err, ErrUnsupported) {
		t.Fatalf("Reconnect of a session that cannot: %v", err)
	}
	if err := Reconnect(ctx, r, "secret"); err != nil || r.pw != "secret" {
		t.Fatalf("Reconnect: %v, %q", err, r.pw)
	}
}

// A status that now needs a password is news, not a repeat.
func TestStatusSameNeedPassword(t *testing.T) {
	a := Status{Link: LinkClosed, Why: Because(ReasonWrongLogin)}
	b := a
	b.NeedPassword = true
	if a.Same(b) {
		t.Error("NeedPassword ignored by Same")
	}
}
