package demo

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
	"github.com/okdash/okdash/oktell/feed"
)

// TestBuiltinShift plays the whole embedded shift on a fake clock and checks it tells
// the story the trainers rely on.
func TestBuiltinShift(t *testing.T) {
	sc := Builtin()
	if l := sc.Length(); l < 2*time.Minute || l > 3*time.Minute {
		t.Errorf("the shift lasts %v at speed 1, want 2 to 3 minutes", l)
	}
	if len(sc.Colleagues) < 3 {
		t.Errorf("colleagues %v, want at least 3 who write", sc.Colleagues)
	}
	r, stop := runEngine(t, sc, 1, 1000)
	clk, outs := r.clk, r.out

	// Advance timer by timer until the shift has looped back to its start.
	end := t0.Add(sc.Length())
	for clk.Now().Before(end) {
		if !clk.WaitPending(1, 5*time.Second) {
			t.Fatal("the engine stopped waiting on its clock")
		}
		at, _ := clk.Next()
		clk.Set(at)
	}
	clk.WaitPending(1, 5*time.Second) // the first steps of the second round ran
	stop()
	close(outs)

	var (
		states    []oktell.UserState
		redirects []bool
		types     = map[oktell.NotifyType]bool{}
		autohide  = map[bool]bool{}
		dbsaved   bool
		color     uint32
		messages  int
		voicemail int
		linkDown  bool
		linkUp    bool
		lost      int
		pbxinfo   []string
	)
	for o := range outs {
		if o.Doc == nil {
			continue // the queue and the colleagues: TestBuiltinShiftDesk
		}
		for i := range o.Doc.Events {
			ev := &o.Doc.Events[i]
			if reason, lost := feed.LinkLost(ev); lost {
				linkDown = true
				if reason.Code != oktell.ReasonQuoted || reason.String() == "" {
					t.Errorf("link down without the scenario's reason: %q", reason)
				}
			} else if linkDown {
				linkUp = true
			}
			switch ev.Type {
			case oktell.UserStateChanged:
				s, err := ev.StateChange()
				if err != nil {
					t.Fatal(err)
				}
				if len(states) == 0 || states[len(states)-1] != s.State {
					states = append(states, s.State)
				}
				if len(redirects) == 0 || redirects[len(redirects)-1] != s.Redirect {
					redirects = append(redirects, s.Redirect)
				}
			case oktell.Notify:
				n, err := ev.Notification()
				if err != nil {
					t.Fatalf("notification: %v", err)
				}
				if n.Time.IsZero() || n.GUID == "" || n.GUID == "${guid}" {
					t.Errorf("notification %q: time %v guid %q not filled in", n.Text, n.Time, n.GUID)
				}
				types[n.Type] = true
				autohide[n.AutoHide] = true
				dbsaved = dbsaved || n.DBSaved
				if n.Type == oktell.NltColor {
					color = n.BackColorARGB
				}
				if n.Type == oktell.NltPBXinfo {
					pbxinfo = append(pbxinfo, n.Text)
				}
			case oktell.UserMessage:
				m, err := ev.Message()
				if err != nil || m.SenderName == "" || m.Text == "" {
					t.Errorf("message %+v: %v", m, err)
				}
				messages++
			case oktell.VoiceMail:
				voicemail++
			case oktell.ConnectionLost:
				lost++
			}
		}
	}
	wantStates := []oktell.UserState{oktell.UserWOphone, oktell.UserReady, oktell.UserFullbusy, oktell.UserReady,
		oktell.UserFullbusy, oktell.UserReady, oktell.UserWOphone}
	if len(states) < len(wantStates) {
		t.Fatalf("states %v, want %v", states, wantStates)
	}
	for i, s := range wantStates {
		if states[i] != s {
			t.Fatalf("states %v, want %v (the second round starting again)", states, wantStates)
		}
	}
	if len(redirects) < 3 || redirects[0] || !redirects[1] || redirects[2] {
		t.Errorf("redirect went %v, want off, on, off", redirects)
	}
	for _, nt := range oktell.NotifyTypes() {
		if !types[nt] {
			t.Errorf("no %s notification", nt)
		}
	}
	if len(pbxinfo) == 0 || pbxinfo[0] != "Зарегистрирована линия 16016" {
		t.Errorf("first PBX info %q, want the line registering", pbxinfo)
	}
	if !autohide[true] || !autohide[false] || !dbsaved {
		t.Errorf("autohide seen %v, dbsaved %v: want both autohide values and some saved", autohide, dbsaved)
	}
	if color>>24 == 0 || color&0xFFFFFF == 0 {
		t.Errorf("nltColor ARGB %#x: want an opaque, visible colour", color)
	}
	if messages < 3 || voicemail < 1 || lost != 1 || !linkDown || !linkUp {
		t.Errorf("messages %d, voicemails %d, ConnectionLost %d, link down %v, back up %v", messages, voicemail, lost, linkDown, linkUp)
	}
}

func TestBuiltinSpeed(t *testing.T) {
	eng := New(nil, clocktest.New(t0), 4)
	if got := eng.scale(4 * time.Second); got != time.Second {
		t.Errorf("4s at speed 4 = %v", got)
	}
}

func TestBuiltinTextIsTheShift(t *testing.T) {
	text := BuiltinText()
	sc, err := Parse("printed", bytes.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	if b := Builtin(); len(sc.Steps) != len(b.Steps) || sc.Length() != b.Length() {
		t.Errorf("the printed shift has %d steps (%v), the built-in %d (%v)", len(sc.Steps), sc.Length(), len(b.Steps), b.Length())
	}
	text[0] = 'X' // a copy: the caller may change it
	if BuiltinText()[0] != '#' {
		t.Error("BuiltinText hands out the embedded bytes themselves")
	}
}

// TestBuiltinShiftDesk plays the whole shift through the demo session, as the dashboard
// sees it, on a fake clock: a call rings with its number, name and note, is answered
// (the talk timer starts), held, resumed and ended; a second call; the queue grows and
// shrinks; twelve colleagues in two departments change state.
func TestBuiltinShiftDesk(t *testing.T) {
	clk := clocktest.New(t0)
	s := Open(context.Background(), nil, clk, 1)
	defer s.Close()
	if c := s.Capabilities(); !c.Line || !c.Queue || !c.Colleagues {
		t.Fatalf("capabilities %+v: the built-in shift has calls, a queue and colleagues", c)
	}
	var (
		lines      []string
		firstCall  *oktell.Call
		talkStart  time.Time
		talked     time.Duration
		queueLens  []int
		longest    time.Duration
		colleagues []oktell.Colleague
		deltas     int
		states     = map[string]map[oktell.UserState]bool{}
	)
	end := t0.Add(Builtin().Length())
	err := clocktest.Drive(clk, s.Updates(), 10*time.Second, func(u oktell.Update) bool {
		if l := u.Line; l != nil {
			if len(lines) == 0 || lines[len(lines)-1] != l.State.String() {
				lines = append(lines, l.State.String())
			}
			switch l.State {
			case oktell.LineRinging:
				if firstCall == nil {
					c := *l.Call
					firstCall = &c
				}
			case oktell.LineTalking:
				if talkStart.IsZero() {
					talkStart = l.Call.TalkStart
				}
			case oktell.LineFree:
				if talked == 0 && !talkStart.IsZero() {
					talked = u.At.Sub(talkStart)
				}
			}
		}
		if q := u.Queue; q != nil {
			queueLens = append(queueLens, len(q.Callers))
			longest = max(longest, q.Longest(u.At))
		}
		if c := u.Colleagues; c != nil {
			if !c.Full {
				deltas++
			}
			colleagues = oktell.ApplyColleagues(colleagues, *c)
			for _, x := range c.Colleagues {
				if states[x.Login] == nil {
					states[x.Login] = map[oktell.UserState]bool{}
				}
				states[x.Login][x.State] = true
			}
		}
		return !u.At.Before(end)
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "ringing talking on hold talking free ringing talking free"
	if got := strings.Join(lines, " "); got != want {
		t.Errorf("the line went %q, want %q", got, want)
	}
	if c := firstCall; c == nil || c.Number != "+74951234567" || c.Name != "Петров Иван Сергеевич" || !strings.Contains(c.Info, "№ 4512") || c.Direction != oktell.DirectionIn {
		t.Errorf("the first call rang as %+v", firstCall)
	}
	if talked != 14*time.Second {
		t.Errorf("the first talk lasted %v by its timer, want 14s (answer, 5s, hold 4s, 5s, hang up)", talked)
	}
	grew, shrank := false, false
	for i := 1; i < len(queueLens); i++ {
		grew = grew || queueLens[i] > queueLens[i-1]
		shrank = shrank || queueLens[i] < queueLens[i-1]
	}
	if !grew || !shrank || queueLens[0] != 0 || queueLens[len(queueLens)-1] != 0 || longest < 10*time.Second {
		t.Errorf("queue lengths %v (longest wait %v): want it to start empty, grow, shrink and end empty", queueLens, longest)
	}
	depts := map[string]int{}
	for _, c := range colleagues {
		depts[c.Department]++
		if c.ID == "" || !c.StateKnown {
			t.Errorf("colleague %+v: no id or state", c)
		}
	}
	if len(colleagues) != 12 || len(depts) != 2 || depts["Поддержка"] != 6 || depts["Продажи"] != 6 {
		t.Errorf("colleagues by department %v (%d)", depts, len(colleagues))
	}
	if deltas < 10 || len(states["kuznetsov"]) < 2 || len(states["orlova"]) < 2 {
		t.Errorf("%d state changes; kuznetsov %v, orlova %v", deltas, states["kuznetsov"], states["orlova"])
	}
	// The one who writes is the one listed: a message to a listed colleague is answered.
	for _, c := range colleagues {
		if c.Name == "Бочкарев Евгений" && c.ID != "d03a522f-b399-aa37-cb2a-943cf24d113e" {
			t.Errorf("Бочкарев in the list has id %s, not the one his messages carry", c.ID)
		}
	}
	if err := s.SendMessage(context.Background(), colleagues[len(colleagues)-1].ID, "Привет"); err != nil {
		t.Errorf("a message to a listed colleague: %v", err)
	}
}
