package demo

import (
	"context"
	"testing"
	"time"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
)

func TestServerSets(t *testing.T) {
	const (
		ready, brk, away, busy, res, nophone, disc = oktell.UserReady, oktell.UserLunch, oktell.UserOff,
			oktell.UserFullbusy, oktell.UserReserved, oktell.UserWOphone, oktell.UserDisconnected
	)
	for _, c := range []struct {
		name              string
		cur, chosen, want oktell.UserState
		got               oktell.UserState
		ok                bool
	}{
		{"a call makes a ready operator busy", ready, ready, busy, busy, true},
		{"no call on a break", brk, brk, busy, brk, false},
		{"no call when away", away, away, busy, away, false},
		{"no call while a break is asked for", ready, brk, busy, ready, false},
		{"no task without a phone", nophone, ready, res, nophone, false},
		{"busy stays busy", busy, ready, busy, busy, true},
		{"after a call: ready again", busy, ready, ready, ready, true},
		{"after a call: the break asked for during it", busy, brk, ready, brk, true},
		{"after a call: away asked for during it", busy, away, ready, away, true},
		{"the line back: the break chosen before", nophone, brk, ready, brk, true},
		{"a break is not ended by the server", brk, brk, ready, brk, false},
		{"away is not ended by the server", away, away, ready, away, false},
		{"not even away the server set itself", away, ready, ready, away, false},
		{"the server sets away (an unanswered call)", ready, ready, away, away, true},
		{"the line goes, whatever was chosen", brk, brk, nophone, nophone, true},
		{"disconnected, whatever was chosen", away, away, disc, disc, true},
	} {
		got, ok := ServerSets(c.cur, c.chosen, c.want)
		if got != c.got || ok != c.ok {
			t.Errorf("%s: ServerSets(%v, %v, %v) = %v %v, want %v %v", c.name, c.cur, c.chosen, c.want, got, ok, c.got, c.ok)
		}
	}
}

// An operator who takes a break (or goes away) as soon as they are ready stays in it for
// the whole built-in shift: no call rings, the server makes them neither busy nor ready
// (issue 11, 12). Only the line going away at the end of the shift changes the state.
func TestBuiltinShiftRespectsTheOperatorsChoice(t *testing.T) {
	for _, chosen := range []oktell.UserState{oktell.UserLunch, oktell.UserOff} {
		t.Run(chosen.String(), func(t *testing.T) {
			r, _ := runEngine(t, nil, 1, 1000)
			clk, eng, outs := r.clk, r.eng, r.out

			end := t0.Add(eng.Scenario().Length())
			var after []oktell.UserState // the states after the request
			rings := 0
			see := func(o Output) {
				if o.Doc == nil {
					return
				}
				for i := range o.Doc.Events {
					ev := &o.Doc.Events[i]
					switch ev.Type {
					case oktell.UserStateChanged:
						sc, _ := ev.StateChange()
						after = append(after, sc.State)
					case oktell.RingStarted, oktell.CallDetected, oktell.CommutationStarted:
						rings++
					}
				}
			}
			// Up to the first ready.
			err := clocktest.Drive(clk, outs, 10*time.Second, func(o Output) bool {
				return o.Doc != nil && o.Doc.Events[0].Type == oktell.UserStateChanged && stateOf(t, o).State == oktell.UserReady
			})
			if err != nil {
				t.Fatal(err)
			}
			if err := eng.SetUserState(context.Background(), chosen, false); err != nil {
				t.Fatalf("asking for %v: %v", chosen, err)
			}
			// The confirmation comes 0.4 s later, before the shift's next step.
			clk.Advance(ConfirmDelay)
			for len(after) == 0 {
				select {
				case o := <-outs:
					see(o)
				case <-time.After(5 * time.Second):
					t.Fatal("no confirmation")
				}
			}
			asked := true
			err = clocktest.Drive(clk, outs, 10*time.Second, func(o Output) bool {
				see(o)
				return !clk.Now().Before(end)
			})
			if err != nil {
				t.Fatal(err)
			}
			if !asked || len(after) == 0 || after[0] != chosen {
				t.Fatalf("asked %v, states after %v: want %v confirmed first", asked, after, chosen)
			}
			if rings != 0 {
				t.Errorf("%d calls reached an operator on %v", rings, chosen)
			}
			for i, s := range after {
				if s != chosen && s != oktell.UserWOphone {
					t.Errorf("state %d after the request: %v (all %v); want %v, or no phone when the line goes", i, s, after, chosen)
				}
			}
		})
	}
}
