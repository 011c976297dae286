package ws

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
	"github.com/okdash/okdash/oktell/feed"
)

// The desk reads recorded frames without a link, as a replayed capture feeds them: the
// replies it would have asked for, and the pushed events.
func TestDeskReadsFramesWithoutALink(t *testing.T) {
	clk := clocktest.New(dt0)
	s := &Session{feed: feed.New(context.Background(), clk, 64), cfg: Config{Clock: clk, Logf: func(string, ...any) {}}}
	defer s.Close()
	frame := func(name, b string) Frame {
		f, err := DecodeFrame([]byte(`["` + name + `",` + b + `]`))
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	s.deskReplied("login", frame("loginresult", `{"result":1,"userid":"u1","sessionid":"s"}`))
	s.deskReplied("getpbxnumbers", frame("getpbxnumbersresult", `{"numbers":[{"number":"201","state":1},{"number":"305","state":3,"department":"Поддержка"}]}`))
	s.deskReplied("getallusernumbers", frame("getallusernumbersresult", `{"users":[{"id":"u1","name":"Я","main":"201"},{"id":"u2","name":"Иванова","main":"305"}]}`))
	s.deskReplied("getextendedlineinfo", frame("getextendedlineinforesult", `{"linestatestr":"lsHookUp","abonent":{"isringing":true,"number":"+7495","simplename":"Иванов"}}`))
	clk.Advance(time.Second)
	s.deskReplied("getcurrentqueue", frame("getcurrentqueueresult", `{"queue":[{"number":"1"}]}`))
	if !s.deskEvent(frame("pbxnumberstatechanged", `{"numbers":[{"num":"305","numstateid":1}]}`)) ||
		!s.deskEvent(frame("phoneevent_ringstarted", `{"callerid":"+7495","qid":"x"}`)) ||
		!s.deskEvent(frame("usertextmessagereceived", `{"text":"Привет","sendername":"Иванова"}`)) {
		t.Fatal("a desk event was not taken")
	}
	if s.deskEvent(frame("somethingelse", `{}`)) || s.deskReplied("getversion", frame("x", `{}`)) {
		t.Fatal("a frame that is not the desk's was taken")
	}
	var got []string
	for len(got) < 5 {
		select {
		case u := <-s.Updates():
			switch {
			case u.Colleagues != nil && u.Colleagues.Full:
				cs := u.Colleagues.Colleagues
				if len(cs) != 2 || !cs[0].Self || cs[1].Department != "Поддержка" || cs[1].State != oktell.UserOff {
					t.Errorf("list %+v", cs)
				}
				got = append(got, "list")
			case u.Colleagues != nil:
				if c := u.Colleagues.Colleagues; len(c) != 1 || c[0].State != oktell.UserReady {
					t.Errorf("delta %+v", c)
				}
				got = append(got, "delta")
			case u.Line != nil:
				if u.Line.State != oktell.LineRinging || u.Line.Call.Number != "+7495" {
					t.Errorf("line %+v", u.Line)
				}
				got = append(got, "line")
			case u.Queue != nil:
				if len(u.Queue.Callers) != 1 || !u.Queue.Callers[0].Since.Equal(dt0.Add(time.Second)) {
					t.Errorf("queue %+v", u.Queue)
				}
				got = append(got, "queue")
			case u.Event != nil && u.Event.Type == oktell.UserMessage:
				got = append(got, "message")
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("only %v", got)
		}
	}
	if want := "list line queue delta message"; strings.Join(got, " ") != want {
		t.Errorf("updates %q, want %q", strings.Join(got, " "), want)
	}
}
