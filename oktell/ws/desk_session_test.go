package ws_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/ws"
	"github.com/okdash/okdash/oktell/ws/wssim"
)

func deskUsers(t *testing.T) []wssim.User {
	t.Helper()
	us, err := wssim.ParseUsers(strings.NewReader("demo demo 201 Demo Operator\n[Поддержка]\nivanova pw 305 Иванова Мария\n[Продажи]\npetrov pw 306 Петров Пётр\nnoline pw -\n"))
	if err != nil {
		t.Fatal(err)
	}
	return us
}

func untilLine(t *testing.T, s *ws.Session, want oktell.LineState) *oktell.LineUpdate {
	t.Helper()
	return until(t, s, "line "+want.String(), func(u oktell.Update) bool { return u.Line != nil && u.Line.State == want }).Line
}

// The desk over WebSocket, against the fake server: the line through a ring, a talk, a
// hold and a hang-up; the queue; the colleagues with their states and a change.
func TestDeskOverWebSocket(t *testing.T) {
	f := newFixture(t, deskUsers(t)...)
	f.srv.Clock = f.clock
	s := f.dial(f.config("demo", "demo"))
	if c := s.Capabilities(); !c.Line || !c.Queue || !c.Colleagues {
		t.Fatalf("capabilities %+v", c)
	}

	// At login: the colleagues, then the line, then the (empty) queue.
	u := until(t, s, "the colleagues", func(u oktell.Update) bool { return u.Colleagues != nil })
	cs := u.Colleagues
	if !cs.Full || len(cs.Colleagues) != 4 {
		t.Fatalf("colleagues %+v", cs)
	}
	byName := map[string]oktell.Colleague{}
	for _, c := range cs.Colleagues {
		byName[c.Name] = c
	}
	if c := byName["Иванова Мария"]; c.Department != "Поддержка" || c.Number != "305" || !c.StateKnown || c.State != oktell.UserOff || c.Self {
		t.Errorf("ivanova %+v", c)
	}
	if c := byName["Demo Operator"]; !c.Self {
		t.Errorf("the operator's own entry is not marked: %+v", c)
	}
	if c := byName["noline"]; c.StateKnown || c.Number != "" {
		t.Errorf("a user without a line has no number state: %+v", c)
	}
	if l := untilLine(t, s, oktell.LineFree); l.Call != nil {
		t.Fatalf("free line with a call %+v", l.Call)
	}
	if u := until(t, s, "the queue", func(u oktell.Update) bool { return u.Queue != nil }); len(u.Queue.Callers) != 0 {
		t.Fatalf("queue %+v", u.Queue)
	}

	// A colleague's change arrives as a delta.
	if err := f.srv.SetState("ivanova", oktell.UserReady, false); err != nil {
		t.Fatal(err)
	}
	u = until(t, s, "ivanova's change", func(u oktell.Update) bool { return u.Colleagues != nil })
	if d := u.Colleagues; d.Full || len(d.Colleagues) != 1 || d.Colleagues[0].Name != "Иванова Мария" || d.Colleagues[0].State != oktell.UserReady {
		t.Fatalf("delta %+v", d)
	}

	// Ring, answer, hold, back, hang up.
	if err := f.srv.Ring("demo", "+74951234567", "Иванов Иван", "Заказ 42"); err != nil {
		t.Fatal(err)
	}
	l := untilLine(t, s, oktell.LineRinging)
	if c := l.Call; c.Number != "+74951234567" || c.Name != "Иванов Иван" || c.Info != "Заказ 42" || c.Direction != oktell.DirectionIn || !c.TalkStart.IsZero() {
		t.Fatalf("ringing %+v", c)
	}
	f.clock.Advance(3 * time.Second)
	answeredAt := f.clock.Now()
	if err := f.srv.Answer("demo"); err != nil {
		t.Fatal(err)
	}
	l = untilLine(t, s, oktell.LineTalking)
	if c := l.Call; c.Number != "+74951234567" || !c.TalkStart.Equal(answeredAt) || c.Direction != oktell.DirectionIn || c.Info != "Заказ 42" {
		t.Fatalf("talking %+v, want the talk from %v", c, answeredAt)
	}
	if st, _ := f.srv.State("demo"); st != oktell.UserFullbusy {
		t.Fatalf("the talk made demo %v, want busy", st)
	}
	f.clock.Advance(40 * time.Second)
	if _, err := f.srv.Hold("demo"); err != nil {
		t.Fatal(err)
	}
	l = untilLine(t, s, oktell.LineOnHold)
	if c := l.Call; !c.OnHold || !c.HoldStart.Equal(f.clock.Now()) || !c.TalkStart.Equal(answeredAt) {
		t.Fatalf("on hold %+v", c)
	}
	f.srv.Hold("demo")
	if l := untilLine(t, s, oktell.LineTalking); !l.Call.TalkStart.Equal(answeredAt) || l.Call.OnHold {
		t.Fatalf("back from hold %+v", l.Call)
	}
	f.srv.Hangup("demo")
	if l := untilLine(t, s, oktell.LineFree); l.Call != nil {
		t.Fatalf("after the hang-up %+v", l.Call)
	}

	// The queue, at the next 5-second reading.
	f.srv.QueueAdd("+79161112233", "Кузьмина Анна")
	addedAt := f.clock.Now()
	f.clock.Advance(ws.QueueInterval)
	u = until(t, s, "a queue of one", func(u oktell.Update) bool { return u.Queue != nil && len(u.Queue.Callers) == 1 })
	if c := u.Queue.Callers[0]; c.Number != "+79161112233" || c.Name != "Кузьмина Анна" || c.Since.Before(addedAt) {
		t.Fatalf("queued %+v", c)
	}
	f.srv.QueueClear()
	f.clock.Advance(ws.QueueInterval)
	until(t, s, "an empty queue", func(u oktell.Update) bool { return u.Queue != nil && len(u.Queue.Callers) == 0 })
}

// Chat and pop-up frames become the messages and notifications the dashboard shows;
// sending is not possible, and says why.
func TestChatAndNotificationsOverWebSocket(t *testing.T) {
	f := newFixture(t, deskUsers(t)...)
	s := f.dial(f.config("demo", "demo"))
	untilLine(t, s, oktell.LineFree) // the desk's subscriptions are in
	if err := f.srv.Chat("ivanova", "demo", "Зайди, пожалуйста"); err != nil {
		t.Fatal(err)
	}
	u := until(t, s, "the message", func(u oktell.Update) bool { return u.Event != nil && u.Event.Type == oktell.UserMessage })
	m, err := u.Event.Message()
	if err != nil || m.Text != "Зайди, пожалуйста" || m.SenderName != "Иванова Мария" || m.SenderID == "" {
		t.Fatalf("message %+v %v", m, err)
	}
	if p, _ := u.Event.Prop("senderlogin"); p.Value != "ivanova" {
		t.Errorf("the frame's own fields are not kept: %+v", u.Event.Props)
	}
	if doc, err := oktell.Decode(u.Raw); err != nil || doc.Events[0].Type != oktell.UserMessage {
		t.Errorf("Raw is not the message as a document: %v", err)
	}
	if err := f.srv.Notify("demo", "Плановый перерыв через 10 минут"); err != nil {
		t.Fatal(err)
	}
	u = until(t, s, "the notification", func(u oktell.Update) bool { return u.Event != nil && u.Event.Type == oktell.Notify })
	if n, err := u.Event.Notification(); err != nil || n.Text != "Плановый перерыв через 10 минут" || n.Sender != "Oktell" {
		t.Fatalf("notification %+v %v", n, err)
	}
	err = s.SendMessage(context.Background(), "u", "hi")
	if !errors.Is(err, oktell.ErrUnsupported) || !strings.Contains(err.Error(), "sendusertextmessage") {
		t.Fatalf("SendMessage: %v", err)
	}
}

// After a reconnect the desk is read afresh: the colleagues, and a call that started
// while the link was down.
func TestDeskAfterReconnect(t *testing.T) {
	f := newFixture(t, deskUsers(t)...)
	f.srv.Clock = f.clock
	s := f.dial(f.config("demo", "demo"))
	untilLine(t, s, oktell.LineFree)
	f.srv.RefuseLogins(0, ws.MsgNotAvailable) // the server restarts: okdash keeps trying
	f.srv.Drop("demo")
	// Until a try is refused: each "next try in" status comes with its timer armed.
	for refused := false; !refused; {
		st := until(t, s, "a status that says when the next try is", func(u oktell.Update) bool {
			return u.Status != nil && u.Status.Link == oktell.LinkReconnecting && strings.Contains(u.Status.Why.String(), "next try")
		}).Status
		if refused = strings.Contains(st.Why.String(), ws.MsgNotAvailable); !refused {
			f.clock.Advance(ws.DefaultBackoffMax)
		}
	}
	f.srv.Ring("demo", "101", "", "")
	f.srv.Answer("demo")
	f.srv.RefuseLogins(0, "")
	f.clock.Advance(ws.DefaultBackoffMax)
	u := until(t, s, "the colleagues again", func(u oktell.Update) bool { return u.Colleagues != nil && u.Colleagues.Full })
	for _, c := range u.Colleagues.Colleagues {
		if c.Self && c.State != oktell.UserFullbusy {
			t.Errorf("the operator's own number after the reconnect: %v", c.State)
		}
	}
	if l := untilLine(t, s, oktell.LineTalking); l.Call.Number != "101" || l.Call.Direction != oktell.DirectionUnknown {
		t.Fatalf("a talk okdash did not see ring: %+v", l.Call)
	}
}

// A server that lists more callers than okdash keeps gets the first MaxQueue kept and a
// warning.
func TestHostileQueue(t *testing.T) {
	f := newFixture(t, deskUsers(t)...)
	s := f.dial(f.config("demo", "demo"))
	until(t, s, "the first reading of the queue", func(u oktell.Update) bool { return u.Queue != nil })
	for i := 0; i < oktell.MaxQueue+5; i++ {
		if err := f.srv.QueueAdd("+7916"+strconv.Itoa(1000000+i), ""); err != nil {
			t.Fatal(err)
		}
	}
	f.clock.Advance(ws.QueueInterval)
	sawErr := false
	u := until(t, s, "the queue, cut", func(u oktell.Update) bool {
		if u.Err != nil && strings.Contains(u.Err.Error(), "okdash keeps the first 1000") {
			sawErr = true
		}
		return u.Queue != nil && len(u.Queue.Callers) > 0
	})
	if len(u.Queue.Callers) != oktell.MaxQueue || !sawErr {
		t.Fatalf("%d callers kept, warning %v", len(u.Queue.Callers), sawErr)
	}
}

// The dashboard marks the queue and the line stale when the link drops, until the source
// reads them again: after a reconnect the first reading is reported even when nothing
// changed, or the marks would stay until the queue or the line next changes.
func TestDeskReadAgainAfterReconnectIsReported(t *testing.T) {
	f := newFixture(t, deskUsers(t)...)
	f.srv.Clock = f.clock
	if err := f.srv.QueueAdd("+79161112233", "Кузьмина Анна"); err != nil {
		t.Fatal(err)
	}
	s := f.dial(f.config("demo", "demo"))
	untilLine(t, s, oktell.LineFree)
	until(t, s, "the queue", func(u oktell.Update) bool { return u.Queue != nil && len(u.Queue.Callers) == 1 })
	f.srv.Drop("demo")
	until(t, s, "the link lost", func(u oktell.Update) bool { return u.Status != nil && u.Status.Link == oktell.LinkReconnecting })
	f.clock.Advance(ws.DefaultBackoffMax)
	until(t, s, "connected again", func(u oktell.Update) bool { return u.Status != nil && u.Status.Link == oktell.LinkConnected })
	var line, queue bool
	until(t, s, "the line and the queue read again", func(u oktell.Update) bool {
		line = line || (u.Line != nil && u.Line.State == oktell.LineFree)
		queue = queue || (u.Queue != nil && len(u.Queue.Callers) == 1)
		return line && queue
	})
}
