package demo

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/okdash/okdash/oktell"
)

func TestParseDeskDirectives(t *testing.T) {
	sc, err := Parse("desk.txt", strings.NewReader(`department Поддержка
colleague ivanova 301 Иванова  Мария
department
colleague petrov 302 Петров
colleague ivanova is usLunch
ring +74951234567 Иванов Иван | Заказ 42 | срочно
ring 101
call 84951112233 ООО Ромашка
answer
hold
resume
hangup
queue add +79161112233 Кузьмина Анна
queue remove +79161112233
queue clear
wait 1s
`))
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.Roster) != 2 || sc.Roster[0].Name != "Иванова  Мария" || sc.Roster[0].Department != "Поддержка" ||
		sc.Roster[1].Department != "" || sc.Roster[0].ID == "" || sc.Colleagues[strings.ToLower(sc.Roster[1].ID)] != "Петров" {
		t.Fatalf("roster %+v", sc.Roster)
	}
	var got []string
	for _, st := range sc.Steps {
		got = append(got, strings.TrimRight(strings.Join([]string{st.Number, st.Name, st.Info, st.Login, map[bool]string{true: st.State.String()}[st.Op == OpColleague]}, "/"), "/"))
	}
	want := []string{"///ivanova/usLunch", "+74951234567/Иванов Иван/Заказ 42 | срочно", "101", "84951112233/ООО Ромашка", "", "", "", "", "+79161112233/Кузьмина Анна", "+79161112233", "", ""}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("steps\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !sc.HasCalls() || !sc.HasQueue() {
		t.Error("the scenario has calls and a queue")
	}
	for _, tc := range []struct{ script, want string }{
		{"ring\n", "f.txt:1: ring: want ring NUMBER [NAME] [| INFO]"},
		{"ring | x\n", "f.txt:1: ring: want ring NUMBER"},
		{"call\n", "f.txt:1: call: want call NUMBER [NAME]"},
		{"wait 1s\nanswer now\n", "f.txt:2: answer takes no argument"},
		{"hangup 1\n", "f.txt:1: hangup takes no argument"},
		{"queue\n", "f.txt:1: queue \"\": want queue add NUMBER"},
		{"queue add\n", "f.txt:1: queue add: want queue add NUMBER [NAME]"},
		{"queue remove 1 2\n", "f.txt:1: queue remove: want queue remove NUMBER"},
		{"queue clear all\n", "f.txt:1: queue clear takes no argument"},
		{"queue pop\n", "f.txt:1: queue \"pop\""},
		{"colleague a\n", "f.txt:1: colleague: want colleague LOGIN NUMBER NAME"},
		{"colleague a 1 A\n# x\ncolleague a 2 B\n", "f.txt:3: colleague \"a\" already declared on line 1"},
		{"colleague a is usReady\n", "f.txt:1: colleague \"a\" is not declared above"},
		{"colleague a 1 A\ncolleague a is sleeping\n", "f.txt:2: colleague a is \"sleeping\""},
	} {
		_, err := Parse("f.txt", strings.NewReader(tc.script))
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("Parse(%q) = %v, want an error starting %q", tc.script, err, tc.want)
		}
	}
}

// lineOf is the event a desk output carries, "" for none.
func lineOf(o Output) oktell.EventType {
	if o.Doc == nil || len(o.Doc.Events) == 0 {
		return 0
	}
	return o.Doc.Events[0].Type
}

func TestEngineCalls(t *testing.T) {
	r := start(t, `line on
state usReady
ring +74951234567 Иванов | VIP
wait 1s
answer
wait 1s
hold
hold
wait 1s
resume
hangup
wait 1s
call 84951112233 Ромашка
answer
hangup
wait 1h
`, 1)
	if s := r.nextState(); s.State != oktell.UserReady {
		t.Fatalf("state %v", s.State)
	}
	o := r.next()
	if lineOf(o) != oktell.RingStarted {
		t.Fatalf("want a ring, got %+v", o)
	}
	ev := o.Doc.Events[0]
	for k, v := range map[string]string{"callerid": "+74951234567", "callername": "Иванов", "callerinfo": "VIP", "callerdirection": "in"} {
		if p, _ := ev.Prop(k); p.Value != v && p.Text != v {
			t.Errorf("ring %s = %+v, want %q", k, p, v)
		}
	}
	if d := r.eng.Desk(); d.Call == nil || d.Call.Talking || d.Call.Number != "+74951234567" {
		t.Errorf("desk while ringing %+v", d.Call)
	}
	if o := r.next(); lineOf(o) != oktell.CommutationStarted {
		t.Fatalf("want the answer, got %+v", o)
	}
	if s := r.wait(); stateOf(t, s).State != oktell.UserFullbusy {
		t.Fatalf("the answer makes the operator busy: %+v", s)
	}
	o = r.next()
	if lineOf(o) != oktell.FlashHoldAction {
		t.Fatalf("want the hold, got %+v", o)
	}
	if p, _ := o.Doc.Events[0].Prop("flashtypeid"); p.Value != "1" {
		t.Errorf("hold flash type %+v", p)
	}
	// The second hold does nothing: the call is on hold already.
	o = r.next()
	if p, _ := o.Doc.Events[0].Prop("flashtypeid"); lineOf(o) != oktell.FlashHoldAction || p.Value != "2" {
		t.Fatalf("want the resume, got %+v", o)
	}
	if o := r.wait(); lineOf(o) != oktell.CommutationStopped {
		t.Fatalf("want the hang-up, got %+v", o)
	}
	if s := r.waitState(); s.State != oktell.UserReady {
		t.Fatalf("after the hang-up the operator is %v, want ready", s.State)
	}
	o = r.next()
	if p, _ := o.Doc.Events[0].Prop("callerdirection"); lineOf(o) != oktell.CallDetected || p.Value != "out" {
		t.Fatalf("want the operator dialling, got %+v", o)
	}
	r.wait()      // answered
	r.waitState() // busy
	r.wait()      // hung up
	r.waitState() // ready
	if d := r.eng.Desk(); d.Call != nil {
		t.Errorf("the line is not free: %+v", d.Call)
	}
}

// A ring that is not routed (the operator is not ready, or already on a call) leaves the
// steps of that call doing nothing.
func TestEngineRingsOnlyAReadyOperator(t *testing.T) {
	r := start(t, `state usOff
line on
ring 1
answer
hold
hangup
state usReady
ring 2
ring 3
wait 1s
hangup
line off
ring 4
wait 1h
`, 1)
	if s := r.nextState(); s.State != oktell.UserOff {
		t.Fatal(s)
	}
	// Away: ring 1 and its answer, hold and hang-up do nothing; "state usReady" does not end away.
	r.settle(1)
	if d := r.eng.Desk(); d.Call != nil || len(r.out) != 0 {
		t.Fatalf("a call reached an operator who is away: %+v, %d outputs", d.Call, len(r.out))
	}
}

func TestEngineRingsAfterReady(t *testing.T) {
	r := start(t, "line on\nstate usReady\nring 2\nring 3\nwait 1s\nline off\nring 4\nwait 1h\n", 1)
	r.nextState()
	o := r.next()
	if p, _ := o.Doc.Events[0].Prop("callerid"); lineOf(o) != oktell.RingStarted || p.Value != "2" {
		t.Fatalf("want ring 2, got %+v", o)
	}
	r.settle(1)
	if len(r.out) != 0 {
		t.Fatalf("a second ring on a busy line: %+v", <-r.out)
	}
	// The line goes away: the ringing call ends with it; no ring without a line.
	if o := r.next(); lineOf(o) != oktell.RingFinished {
		t.Fatalf("want the ring to end with the line, got %+v", o)
	}
	r.settle(1)
	if len(r.out) != 0 {
		t.Fatalf("a ring without a line: %+v", <-r.out)
	}
}

func TestEngineQueueAndColleagues(t *testing.T) {
	r := start(t, `department Продажи
colleague volkov 16031 Волков Сергей
colleague popov 16035 Попов Денис
queue add 1 Первый
wait 2s
queue add 1 Снова первый
queue add 2
queue remove 1
colleague popov is usLunch
colleague popov is usLunch
link down сбой
queue add 3
colleague volkov is usOff
wait 1s
link up
wait 1h
`, 1)
	o := r.wait()
	if c := o.Colleagues; c == nil || !c.Full || len(c.Colleagues) != 2 || c.Colleagues[0].Department != "Продажи" || c.Colleagues[1].State != oktell.UserReady {
		t.Fatalf("the start: %+v", o)
	}
	if o := r.wait(); o.Queue == nil || len(o.Queue.Callers) != 0 {
		t.Fatalf("an empty queue at the start: %+v", o)
	}
	if o := r.wait(); o.Queue == nil || len(o.Queue.Callers) != 1 || o.Queue.Callers[0].Name != "Первый" || !o.Queue.Callers[0].Since.Equal(t0) {
		t.Fatalf("after one caller: %+v", o.Queue)
	}
	if o := r.next(); len(o.Queue.Callers) != 2 || o.Queue.Callers[1].Key == o.Queue.Callers[0].Key {
		t.Fatalf("the same number twice: %+v", o.Queue)
	}
	if o := r.wait(); len(o.Queue.Callers) != 3 {
		t.Fatalf("three callers: %+v", o.Queue)
	}
	if o := r.wait(); len(o.Queue.Callers) != 1 || o.Queue.Callers[0].Number != "2" || !o.Queue.Callers[0].Since.Equal(t0.Add(2*time.Second)) {
		t.Fatalf("after the remove: %+v", o.Queue)
	}
	if o := r.wait(); o.Colleagues == nil || o.Colleagues.Full || len(o.Colleagues.Colleagues) != 1 || o.Colleagues.Colleagues[0].State != oktell.UserLunch {
		t.Fatalf("popov on a break: %+v", o)
	}
	// The same state again is no change; while the link is down nothing is heard.
	if o := r.wait(); lineOf(o) != oktell.ConnectionLost {
		t.Fatalf("want the link down, got %+v", o)
	}
	o = r.next()
	if lineOf(o) != oktell.UserStateChanged {
		t.Fatalf("link up: the state first, got %+v", o)
	}
	if o := r.wait(); o.Colleagues == nil || !o.Colleagues.Full || o.Colleagues.Colleagues[0].State != oktell.UserReady || o.Colleagues.Colleagues[1].State != oktell.UserLunch {
		t.Fatalf("link up: the colleagues afresh, without what happened while down: %+v", o.Colleagues)
	}
	if o := r.wait(); o.Queue == nil || len(o.Queue.Callers) != 1 {
		t.Fatalf("link up: the queue afresh: %+v", o)
	}
	// Messages to a listed colleague are answered.
	if err := r.eng.SendMessage(context.Background(), r.eng.Desk().Roster[0].ID, "Привет"); err != nil {
		t.Fatal(err)
	}
}

// An operator who goes on a break (or away) while a call rings in is not put on that
// call: the server routes it back, so the ring ends with the state and the scenario's
// answer of it does nothing (found trying the demo: Break, then "Talking" on a break).
func TestEngineWithdrawsTheRingFromAnOperatorWhoLeaves(t *testing.T) {
	for _, leave := range []oktell.UserState{oktell.UserLunch, oktell.UserOff} {
		r := start(t, "line on\nstate usReady\nring 2\nwait 5s\nanswer\nwait 1h\n", 1)
		r.nextState()
		if o := r.next(); lineOf(o) != oktell.RingStarted {
			t.Fatalf("want the ring, got %+v", o)
		}
		r.settle(1)
		if err := r.eng.SetUserState(context.Background(), leave, false); err != nil {
			t.Fatal(err)
		}
		r.clk.Advance(ConfirmDelay)
		if s := stateOf(t, r.wait()); s.State != leave {
			t.Fatalf("confirmed %+v, want %s", s, leave)
		}
		if o := r.wait(); lineOf(o) != oktell.RingFinished {
			t.Fatalf("%s: the ring goes on, got %+v", leave, o)
		}
		r.clk.Advance(5 * time.Second) // the scenario's answer
		r.settle(1)
		if d := r.eng.Desk(); d.Call != nil || len(r.out) != 0 {
			t.Fatalf("%s: the operator was put on the call: %+v, %d outputs", leave, d.Call, len(r.out))
		}
	}
}
