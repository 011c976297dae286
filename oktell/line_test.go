package oktell

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

var lt0 = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

func TestVendorPhone(t *testing.T) {
	ab := func(a Abonent) LineInfo { return LineInfo{LineStateStr: "lsHookUp", HasAbonent: true, Abonent: a} }
	for _, c := range []struct {
		name string
		info LineInfo
		in   PhoneMemory
		want PhoneMemory
	}{
		{"no abonent keeps the state", LineInfo{LineStateStr: "lsHookUp"}, PhoneMemory{State: PhoneTalk}, PhoneMemory{State: PhoneTalk}},
		{"empty abonent on a hooked-up line is ready", ab(Abonent{}), PhoneMemory{State: PhoneTalk}, PhoneMemory{State: PhoneReady}},
		{"ringing", ab(Abonent{IsRinging: true, Number: "101"}), PhoneMemory{}, PhoneMemory{State: PhoneRing}},
		{"ringing wins over commutated", ab(Abonent{IsRinging: true, IsCommutated: true}), PhoneMemory{}, PhoneMemory{State: PhoneRing}},
		{"a call-back rings", ab(Abonent{IsRinging: true, Direction: "acm_callback"}), PhoneMemory{}, PhoneMemory{State: PhoneBackRing}},
		{"a back ring goes on ringing back", ab(Abonent{IsRinging: true}), PhoneMemory{State: PhoneBackRing}, PhoneMemory{State: PhoneBackRing}},
		{"commutated talks", ab(Abonent{IsCommutated: true, Number: "101"}), PhoneMemory{State: PhoneRing}, PhoneMemory{State: PhoneTalk}},
		{"on hold talks", ab(Abonent{IsWaitingInFlash: true}), PhoneMemory{}, PhoneMemory{State: PhoneTalk}},
		{"a conference talks", ab(Abonent{IsConference: true}), PhoneMemory{}, PhoneMemory{State: PhoneTalk}},
		{"an autodial does not talk yet", ab(Abonent{IsCommutated: true, Number: "5"}), PhoneMemory{State: PhoneCall, AutoCall: true}, PhoneMemory{State: PhoneCall}},
		{"an announced autodial rings back from ready", ab(Abonent{}), PhoneMemory{State: PhoneReady, AutoCall: true}, PhoneMemory{State: PhoneBackRing, AutoCall: true}},
		{"the autodial itself calls", ab(Abonent{IsAutoCall: true}), PhoneMemory{State: PhoneReady, AutoCall: true}, PhoneMemory{State: PhoneBackCall}},
		{"a routing IVR talks", LineInfo{LineStateStr: "lsCommutated", HasAbonent: true, Abonent: Abonent{IsIVR: true}}, PhoneMemory{State: PhoneCall, AutoCall: true}, PhoneMemory{State: PhoneTalk, AutoCall: true}},
		{"an IVR waiting for an answer does not", LineInfo{LineStateStr: "lsCommutated", HasAbonent: true, Abonent: Abonent{IsIVR: true, IsWaitingForAnswer: true}}, PhoneMemory{}, PhoneMemory{State: PhoneReady}},
		{"a number alone is calling", ab(Abonent{Number: "84951234567"}), PhoneMemory{AutoCall: false}, PhoneMemory{State: PhoneCall}},
		{"an external line alone is calling", ab(Abonent{ExtLine: "3"}), PhoneMemory{}, PhoneMemory{State: PhoneCall}},
		{"disconnected", LineInfo{LineStateStr: "lsDisconnected", HasAbonent: true}, PhoneMemory{State: PhoneTalk}, PhoneMemory{State: PhoneDisconnected}},
		{"reserved keeps the state", LineInfo{LineStateStr: "lsReserved", HasAbonent: true}, PhoneMemory{State: PhoneRing}, PhoneMemory{State: PhoneRing}},
	} {
		if got := VendorPhone(c.info, c.in); got != c.want {
			t.Errorf("%s: %+v from %+v, want %+v", c.name, got, c.in, c.want)
		}
	}
}

func TestDeriveLineThroughACall(t *testing.T) {
	type step struct {
		name  string
		after time.Duration
		info  LineInfo
		want  LineState
		check func(t *testing.T, l LineUpdate, now time.Time)
	}
	ring := Abonent{IsRinging: true, Number: "+74951234567", SimpleName: "Иванов Иван", ChainID: "c1", Comment: "VIP"}
	talk := Abonent{IsCommutated: true, Number: "+74951234567", SimpleName: "Иванов Иван", ChainID: "c1"}
	held := talk
	held.IsCommutated, held.IsWaitingInFlash = false, true
	var talkStart, holdStart time.Time
	steps := []step{
		{"ring", 0, LineInfo{LineStateStr: "lsHookUp", HasAbonent: true, Abonent: ring}, LineRinging, func(t *testing.T, l LineUpdate, now time.Time) {
			c := l.Call
			if c.Direction != DirectionIn || c.Number != "+74951234567" || c.Name != "Иванов Иван" || c.Info != "VIP" || !c.TalkStart.IsZero() {
				t.Errorf("ringing call %+v", c)
			}
		}},
		{"answer", 5 * time.Second, LineInfo{LineStateStr: "lsCommutated", HasAbonent: true, Abonent: talk, TimerTalkLenSec: 1}, LineTalking, func(t *testing.T, l LineUpdate, now time.Time) {
			c := l.Call
			talkStart = now.Add(-time.Second)
			if !c.TalkStart.Equal(talkStart) || c.Direction != DirectionIn || c.Info != "VIP" || c.OnHold {
				t.Errorf("talking call %+v: want the ring's direction and info, talk start %v", c, talkStart)
			}
		}},
		{"the timer rounds differently", 10 * time.Second, LineInfo{LineStateStr: "lsCommutated", HasAbonent: true, Abonent: talk, TimerTalkLenSec: 12}, LineTalking, func(t *testing.T, l LineUpdate, now time.Time) {
			if !l.Call.TalkStart.Equal(talkStart) {
				t.Errorf("talk start moved to %v from %v", l.Call.TalkStart, talkStart)
			}
		}},
		{"hold", 3 * time.Second, LineInfo{LineStateStr: "lsHookUp", HasAbonent: true, Abonent: held, IsFlashing: true, Flashed: &held, TimerTalkLenSec: 14}, LineOnHold, func(t *testing.T, l LineUpdate, now time.Time) {
			holdStart = now
			if c := l.Call; !c.OnHold || !c.HoldStart.Equal(now) || !c.TalkStart.Equal(talkStart) {
				t.Errorf("held call %+v", c)
			}
		}},
		{"still on hold", 7 * time.Second, LineInfo{LineStateStr: "lsHookUp", HasAbonent: true, Abonent: held, IsFlashing: true, Flashed: &held, TimerTalkLenSec: 21}, LineOnHold, func(t *testing.T, l LineUpdate, now time.Time) {
			if !l.Call.HoldStart.Equal(holdStart) {
				t.Errorf("hold start moved to %v", l.Call.HoldStart)
			}
		}},
		{"back from hold", time.Second, LineInfo{LineStateStr: "lsCommutated", HasAbonent: true, Abonent: talk, TimerTalkLenSec: 22}, LineTalking, func(t *testing.T, l LineUpdate, now time.Time) {
			if c := l.Call; c.OnHold || !c.HoldStart.IsZero() || !c.TalkStart.Equal(talkStart) {
				t.Errorf("call after hold %+v", c)
			}
		}},
		{"reserved keeps it", time.Second, LineInfo{LineStateStr: "lsReserved", HasAbonent: true, Extra: []Field{{"x", "1"}}}, LineTalking, func(t *testing.T, l LineUpdate, now time.Time) {
			if l.Call == nil || len(l.Extra) != 1 {
				t.Errorf("kept line %+v: want the call and the new fields", l)
			}
		}},
		{"hang up", time.Second, LineInfo{LineStateStr: "lsHookUp", HasAbonent: true}, LineFree, func(t *testing.T, l LineUpdate, now time.Time) {
			if l.Call != nil {
				t.Errorf("free line with call %+v", l.Call)
			}
		}},
		{"the phone goes away", time.Second, LineInfo{LineStateStr: "lsDisconnected", HasAbonent: true}, LineDisconnected, nil},
	}
	var l LineUpdate
	var m PhoneMemory
	now := lt0
	for _, st := range steps {
		now = now.Add(st.after)
		l, m = DeriveLine(l, m, st.info, now)
		if l.State != st.want {
			t.Fatalf("%s: line %v (vendor %v), want %v", st.name, l.State, m.State, st.want)
		}
		if st.check != nil {
			st.check(t, l, now)
		}
	}
}

func TestDeriveLineCases(t *testing.T) {
	for _, c := range []struct {
		name  string
		info  LineInfo
		state LineState
		call  *Call
	}{
		{"a call-back rings back", LineInfo{HasAbonent: true, Abonent: Abonent{IsRinging: true, Direction: "acm_callback", CallerID: "500"}},
			LineRinging, &Call{Direction: DirectionCallback, Number: "500"}},
		{"dialling out", LineInfo{HasAbonent: true, Abonent: Abonent{Number: "84951112233", Name: "ООО Ромашка"}},
			LineCalling, &Call{Direction: DirectionOut, Number: "84951112233", Name: "ООО Ромашка"}},
		{"the vendor's name order", LineInfo{HasAbonent: true, Abonent: Abonent{IsRinging: true, Number: "7", Caption: "Caption", UserLogin: "login"}},
			LineRinging, &Call{Direction: DirectionIn, Number: "7", Name: "Caption"}},
		{"a name that is the number is no name", LineInfo{HasAbonent: true, Abonent: Abonent{IsRinging: true, Number: "7"}},
			LineRinging, &Call{Direction: DirectionIn, Number: "7"}},
		{"calledid and chainid of the reply", LineInfo{HasAbonent: true, ChainID: "ch", CalledID: "300", Abonent: Abonent{IsRinging: true}},
			LineRinging, &Call{Direction: DirectionIn, Number: "300", ChainID: "ch"}},
		{"no chain is no chain id", LineInfo{HasAbonent: true, ChainID: NoChain, Abonent: Abonent{IsRinging: true, Number: "1"}},
			LineRinging, &Call{Direction: DirectionIn, Number: "1"}},
		{"free with a caller on hold", LineInfo{HasAbonent: true, IsFlashing: true, Flashed: &Abonent{Number: "55", Name: "Held"}},
			LineOnHold, &Call{Number: "55", Name: "Held", OnHold: true, HoldStart: lt0}},
		{"a conference", LineInfo{HasAbonent: true, Abonent: Abonent{IsConference: true, ConferenceID: "cf"}},
			LineTalking, &Call{Conference: true, TalkStart: lt0}},
		{"the abonent's other fields are kept", LineInfo{HasAbonent: true, Abonent: Abonent{IsRinging: true, Number: "1", Extra: []Field{{"isfax", "true"}}}},
			LineRinging, &Call{Direction: DirectionIn, Number: "1", Extra: []Field{{"isfax", "true"}}}},
	} {
		l, _ := DeriveLine(LineUpdate{}, PhoneMemory{}, c.info, lt0)
		if l.State != c.state || !reflect.DeepEqual(l.Call, c.call) {
			t.Errorf("%s: %v %+v, want %v %+v", c.name, l.State, l.Call, c.state, c.call)
		}
	}
}

// A talk okdash did not see ring (started in the middle of it) has no direction; the
// talk timer starts where the server's timer says.
func TestDeriveLineJoinsATalk(t *testing.T) {
	l, _ := DeriveLine(LineUpdate{}, PhoneMemory{}, LineInfo{LineStateStr: "lsCommutated", HasAbonent: true,
		Abonent: Abonent{IsCommutated: true, Number: "9"}, TimerTalkLenSec: 95}, lt0)
	if l.State != LineTalking || l.Call.Direction != DirectionUnknown || !l.Call.TalkStart.Equal(lt0.Add(-95*time.Second)) {
		t.Fatalf("%v %+v", l.State, l.Call)
	}
	// A new call on the same line is not the old one: its talk starts afresh.
	l2, _ := DeriveLine(l, PhoneMemory{State: PhoneTalk}, LineInfo{LineStateStr: "lsCommutated", HasAbonent: true,
		Abonent: Abonent{IsCommutated: true, Number: "10"}, TimerTalkLenSec: 0}, lt0.Add(time.Second))
	if !l2.Call.TalkStart.Equal(lt0.Add(time.Second)) {
		t.Fatalf("the next call's talk start %v", l2.Call.TalkStart)
	}
}

func lineEvent(t EventType, props ...Property) *Event {
	return &Event{Type: t, ID: int(t), Name: t.WireName(), Props: props}
}

func TestLineFromEvent(t *testing.T) {
	type step struct {
		name  string
		ev    *Event
		want  LineState
		check func(t *testing.T, l LineUpdate)
	}
	now := lt0
	run := func(t *testing.T, steps []step) {
		var l LineUpdate
		for i, st := range steps {
			at := now.Add(time.Duration(i) * 10 * time.Second)
			var ok bool
			l, ok = LineFromEvent(l, st.ev, at)
			if !ok || l.State != st.want {
				t.Fatalf("%s: %v %v, want %v", st.name, ok, l.State, st.want)
			}
			if st.check != nil {
				st.check(t, l)
			}
		}
	}
	t.Run("ring, talk, hold, hang up", func(t *testing.T) {
		run(t, []step{
			{"ring", lineEvent(RingStarted, SimpleProp("callerid", "+74951234567", ""), CDataProp("callername", "Петров"),
				CDataProp("callerinfo", "Заказ 42\nдоставка"), SimpleProp("chainid", "c1", ""), SimpleProp("istask", "0", "")), LineRinging,
				func(t *testing.T, l LineUpdate) {
					if c := l.Call; c.Number != "+74951234567" || c.Name != "Петров" || c.Info != "Заказ 42\nдоставка" || c.Direction != DirectionIn {
						t.Errorf("ringing %+v", c)
					}
					if !reflect.DeepEqual(l.Extra, []Field{{"istask", "0"}}) {
						t.Errorf("extra %+v", l.Extra)
					}
				}},
			{"ring over", lineEvent(RingFinished, SimpleProp("chainid", "c1", "")), LineFree, nil},
			{"ring again", lineEvent(RingStarted, SimpleProp("callerid", "101", "")), LineRinging, nil},
			{"answer", lineEvent(CommutationStarted, SimpleProp("chainid", "c2", "")), LineTalking, func(t *testing.T, l LineUpdate) {
				if c := l.Call; c.Number != "101" || c.Direction != DirectionIn || !c.TalkStart.Equal(lt0.Add(30*time.Second)) {
					t.Errorf("talking %+v", c)
				}
			}},
			{"hold", lineEvent(FlashHoldAction, SimpleProp("flashtypeid", "1", "")), LineOnHold, func(t *testing.T, l LineUpdate) {
				if c := l.Call; !c.OnHold || !c.HoldStart.Equal(lt0.Add(40*time.Second)) || !c.TalkStart.Equal(lt0.Add(30*time.Second)) {
					t.Errorf("held %+v", c)
				}
			}},
			{"resume", lineEvent(FlashHoldAction, SimpleProp("flashtypeid", "2", "")), LineTalking, func(t *testing.T, l LineUpdate) {
				if c := l.Call; c.OnHold || !c.TalkStart.Equal(lt0.Add(30*time.Second)) {
					t.Errorf("resumed %+v", c)
				}
			}},
			{"toggle without a type", lineEvent(FlashHoldAction), LineOnHold, nil},
			{"toggle back", lineEvent(FlashHoldAction), LineTalking, nil},
			{"a ring finishing after the answer changes nothing", lineEvent(RingFinished), LineTalking, nil},
			{"hang up", lineEvent(CommutationStopped), LineFree, func(t *testing.T, l LineUpdate) {
				if l.Call != nil {
					t.Errorf("call after hang-up %+v", l.Call)
				}
			}},
		})
	})
	t.Run("line states and detected calls", func(t *testing.T) {
		run(t, []step{
			{"line up", lineEvent(LineStateChange, SimpleProp("linestate", "1", "lsHookUp")), LineFree, nil},
			{"a call detected", lineEvent(CallDetected, CDataProp("number", "222"), CDataProp("name", "Сидоров")), LineRinging, func(t *testing.T, l LineUpdate) {
				if c := l.Call; c.Number != "222" || c.Name != "Сидоров" {
					t.Errorf("detected %+v", c)
				}
			}},
			{"commutated by line state", lineEvent(LineStateChange, SimpleProp("linestatestr", "lsCommutated", "")), LineTalking, func(t *testing.T, l LineUpdate) {
				if c := l.Call; c.Number != "222" || c.TalkStart.IsZero() {
					t.Errorf("talking %+v", c)
				}
			}},
			{"the other party hangs up while held", lineEvent(FlashHoldAction, SimpleProp("flashtypeid", "4", "")), LineFree, nil},
			{"talk timer from the event", lineEvent(CommutationStarted, SimpleProp("callerid", "5", ""), SimpleProp("timertalklensec", "8", "")), LineTalking, func(t *testing.T, l LineUpdate) {
				if !l.Call.TalkStart.Equal(lt0.Add(40*time.Second - 8*time.Second)) {
					t.Errorf("talk start %v", l.Call.TalkStart)
				}
			}},
			{"a timer no server can mean is not believed", lineEvent(CommutationStopped), LineFree, nil},
			{"", lineEvent(CommutationStarted, SimpleProp("callerid", "6", ""), SimpleProp("timertalklensec", "99999999999999", "")), LineTalking, func(t *testing.T, l LineUpdate) {
				if !l.Call.TalkStart.Equal(lt0.Add(60 * time.Second)) {
					t.Errorf("talk start %v", l.Call.TalkStart)
				}
			}},
			{"a switch between parties changes nothing", lineEvent(FlashHoldAction, SimpleProp("flashtypeid", "5", "")), LineTalking, nil},
			{"disconnected", lineEvent(LineStateChange, SimpleProp("linestate", "0", "lsDisconnected")), LineDisconnected, nil},
			{"dialling out", lineEvent(CallDetected, SimpleProp("callerid", "84951112233", ""), SimpleProp("callerdirection", "out", "")), LineCalling, func(t *testing.T, l LineUpdate) {
				if c := l.Call; c.Direction != DirectionOut || c.Number != "84951112233" {
					t.Errorf("calling %+v", c)
				}
			}},
			{"the called party answers", lineEvent(CommutationStarted), LineTalking, func(t *testing.T, l LineUpdate) {
				if c := l.Call; c.Direction != DirectionOut || c.Number != "84951112233" {
					t.Errorf("talking %+v", c)
				}
			}},
		})
	})
	if _, ok := LineFromEvent(LineUpdate{}, lineEvent(Notify), lt0); ok {
		t.Error("a Notify is not a line event")
	}
	if _, ok := LineFromEvent(LineUpdate{}, lineEvent(FaxStarted), lt0); ok {
		t.Error("a fax is not read as a line event")
	}
}

func TestLineFromEventBounds(t *testing.T) {
	var props []Property
	props = append(props, CDataProp("callername", strings.Repeat("я", 1000)))
	for i := 0; i < 200; i++ {
		props = append(props, SimpleProp("k"+strings.Repeat("x", i%3), strings.Repeat("v", 1000), ""))
	}
	l, _ := LineFromEvent(LineUpdate{}, lineEvent(RingStarted, props...), lt0)
	if len(l.Call.Name) > MaxNameLen || len(l.Extra) > MaxFields {
		t.Fatalf("name %d bytes, %d extra fields", len(l.Call.Name), len(l.Extra))
	}
	for _, f := range l.Extra {
		if len(f.Value) > MaxNameLen {
			t.Fatalf("field value %d bytes", len(f.Value))
		}
	}
	if !strings.HasPrefix(strings.Repeat("я", 1000), l.Call.Name) {
		t.Fatal("a name cut inside a letter")
	}
}

func TestLineTracker(t *testing.T) {
	var tr LineTracker
	if _, ok := tr.Track(lineEvent(UserStateChanged), lt0); ok {
		t.Fatal("a state change is not a line event")
	}
	l, ok := tr.Track(lineEvent(RingStarted, SimpleProp("callerid", "1", "")), lt0)
	if !ok || l.State != LineRinging {
		t.Fatalf("%v %+v", ok, l)
	}
	l.Call.Number = "changed by the reader"
	l2, _ := tr.Track(lineEvent(CommutationStarted), lt0)
	if l2.Call.Number != "1" {
		t.Fatalf("the tracker shares its call with a reader: %q", l2.Call.Number)
	}
}
