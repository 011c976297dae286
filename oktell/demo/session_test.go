package demo

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
)

const chatScript = `state usReady
<?xml version="1.0" encoding="utf-16"?>
<oktellcommapper version="80710">
<data>
  <event id="114" name="usermessage">
    <property_simple key="guid" value="${guid}" />
    <property_simple key="datetime" value="${now}" />
    <property_simple key="senderid" value="d03a522f-b399-aa37-cb2a-943cf24d113e" />
    <property_cdata key="sendername"><![CDATA[Бочкарев Евгений]]></property_cdata>
    <property_cdata key="text"><![CDATA[Зайди плиз как освободишься..]]></property_cdata>
  </event>
</data>
</oktellcommapper>
reply Иду!
wait 1h
`

func recv(t *testing.T, s *Session) oktell.Update {
	t.Helper()
	select {
	case u, ok := <-s.Updates():
		if !ok {
			t.Fatal("updates closed")
		}
		return u
	case <-time.After(5 * time.Second):
		t.Fatal("no update")
	}
	return oktell.Update{}
}

func TestSessionMessagesAndReplies(t *testing.T) {
	sc, err := Parse("chat.txt", strings.NewReader(chatScript))
	if err != nil {
		t.Fatal(err)
	}
	clk := clocktest.New(t0)
	s := Open(context.Background(), sc, clk, 1)
	defer s.Close()
	if c := s.Capabilities(); c.Kind != oktell.SourceDemo || c.ReadOnly || !c.SetUserState || !c.SendMessage {
		t.Errorf("capabilities %+v", c)
	}
	if u := recv(t, s); u.Status == nil || u.Status.Link != oktell.LinkConnected {
		t.Fatalf("first update %+v, want connected", u)
	}
	if u := recv(t, s); u.Event == nil || u.Event.Type != oktell.UserStateChanged {
		t.Fatalf("want the state, got %+v", u)
	}
	u := recv(t, s)
	if u.Event == nil || u.Event.Type != oktell.UserMessage || !u.At.Equal(t0) {
		t.Fatalf("want the message at %v, got %+v", t0, u)
	}
	m, _ := u.Event.Message()
	if m.Time.Format(oktell.DateLayout) != t0.Format(oktell.DateLayout) {
		t.Errorf("${now} became %q", m.RawTime)
	}
	ctx := context.Background()
	var refused *oktell.RefusedError
	if err := s.SendMessage(ctx, "00000000-0000-0000-0000-000000000001", "Привет"); !errors.As(err, &refused) {
		t.Errorf("message to a stranger: %v, want refused", err)
	}
	if err := s.SendMessage(ctx, m.SenderID, "   "); !errors.As(err, &refused) {
		t.Errorf("empty message: %v, want refused", err)
	}
	if err := s.SendMessage(ctx, strings.ToUpper(m.SenderID), "Сейчас буду"); err != nil {
		t.Fatalf("message to a colleague: %v", err)
	}
	clk.Advance(ReplyDelay)
	u = recv(t, s)
	r, _ := u.Event.Message()
	if u.Event.Type != oktell.UserMessage || r.SenderName != "Бочкарев Евгений" || r.Text != "Иду!" {
		t.Errorf("reply %+v", r)
	}
	// The second message to the same colleague is not answered; a state request is.
	if err := s.SendMessage(ctx, m.SenderID, "Ок"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetUserState(ctx, oktell.UserOff, false); err != nil {
		t.Fatal(err)
	}
	clk.Advance(ReplyDelay)
	u = recv(t, s)
	if st, _ := u.Event.StateChange(); u.Event.Type != oktell.UserStateChanged || st.State != oktell.UserOff {
		t.Errorf("after the second message: %+v, want only the state confirmation", u.Event)
	}
	s.Close()
	for u := range s.Updates() {
		if u.Event != nil {
			t.Errorf("unexpected event after close: %+v", u.Event)
		}
	}
}

// A call on the line when the link drops is marked stale by the dashboard: when the
// link is back the line is reported again, unchanged, so the mark goes.
func TestSessionLineReportedAgainWhenTheLinkIsBack(t *testing.T) {
	sc, err := Parse("t", strings.NewReader("line on\nstate usReady\nring +7111 Иванов\nanswer\nlink down Нет связи\nwait 10s\nlink up\nwait 1h\n"))
	if err != nil {
		t.Fatal(err)
	}
	clock := clocktest.New(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	s := Open(context.Background(), sc, clock, 1)
	defer s.Close()
	var back, line bool
	err = clocktest.Drive(clock, s.Updates(), 5*time.Second, func(u oktell.Update) bool {
		if st := u.Status; st != nil && st.Link == oktell.LinkConnected && clock.Now().After(time.Date(2026, 11, 24, 9, 0, 5, 0, time.UTC)) {
			back = true
		}
		if back && u.Line != nil && u.Event == nil {
			line = u.Line.State == oktell.LineTalking && u.Line.Call != nil && u.Line.Call.Number == "+7111"
		}
		return line
	})
	if err != nil {
		t.Fatalf("the talk was not reported again after the link came back: %v", err)
	}
}
