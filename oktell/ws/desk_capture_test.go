package ws_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
	"github.com/okdash/okdash/oktell/ws"
)

// A capture of a shift with calls, the queue, colleagues and chat replays through the same
// decoding: the replay shows the same line, queue, colleagues and messages.
func TestCaptureReplaysTheDesk(t *testing.T) {
	f := newFixture(t, deskUsers(t)...)
	f.srv.Clock = f.clock
	var capt captureBuffer
	cfg := f.config("demo", "demo")
	cfg.Capture = &capt
	s := f.dial(cfg)
	live := &recorder{t: t, s: s}
	line := func(want oktell.LineState) func(oktell.Update) bool {
		return func(u oktell.Update) bool { return u.Line != nil && u.Line.State == want }
	}
	live.until("the first reading of the queue", func(u oktell.Update) bool { return u.Queue != nil })
	f.srv.Ring("demo", "+74951234567", "Иванов Иван", "Заказ 42")
	live.until("ringing", line(oktell.LineRinging))
	f.clock.Advance(2 * time.Second)
	f.srv.Answer("demo")
	live.until("talking", line(oktell.LineTalking))
	f.srv.SetState("ivanova", oktell.UserReady, false)
	live.until("ivanova's change", func(u oktell.Update) bool { return u.Colleagues != nil && !u.Colleagues.Full })
	f.srv.Chat("ivanova", "demo", "Зайди, пожалуйста")
	live.until("the message", func(u oktell.Update) bool { return u.Event != nil && u.Event.Type == oktell.UserMessage })
	f.srv.QueueAdd("+79161112233", "Кузьмина Анна")
	f.clock.Advance(ws.QueueInterval)
	live.until("a queue of one", func(u oktell.Update) bool { return u.Queue != nil && len(u.Queue.Callers) == 1 })
	f.srv.Hangup("demo")
	live.until("free", line(oktell.LineFree))
	s.Close()

	clk := clocktest.New(start.Add(24 * time.Hour))
	rs := ws.Replay(context.Background(), bytes.NewReader(capt.bytes()), "desk.capture", nil, ws.ReplayOptions{Clock: clk})
	defer rs.Close()
	if c := rs.Capabilities(); !c.Line || !c.Queue || !c.Colleagues {
		t.Errorf("a replayed capture's capabilities %+v", c)
	}
	var lines, other []string
	var talkStart, ringAt time.Time
	err := clocktest.Drive(clk, rs.Updates(), wait, func(u oktell.Update) bool {
		switch {
		case u.Line != nil:
			lines = append(lines, u.Line.State.String())
			if u.Line.State == oktell.LineRinging {
				ringAt = u.At
				if c := u.Line.Call; c.Number != "+74951234567" || c.Name != "Иванов Иван" || c.Info != "Заказ 42" {
					t.Errorf("replayed ring %+v", c)
				}
			}
			if u.Line.State == oktell.LineTalking {
				talkStart = u.Line.Call.TalkStart
			}
		case u.Colleagues != nil && u.Colleagues.Full:
			other = append(other, "colleagues")
		case u.Colleagues != nil:
			other = append(other, "delta "+u.Colleagues.Colleagues[0].Name)
		case u.Queue != nil:
			other = append(other, "queue "+strings.Repeat("x", len(u.Queue.Callers)))
		case u.Event != nil && u.Event.Type == oktell.UserMessage:
			m, _ := u.Event.Message()
			other = append(other, "message "+m.Text)
		}
		return u.Status != nil && strings.Contains(u.Status.Reason, "end of input")
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(lines, " "); got != "free ringing talking free" {
		t.Errorf("replayed line %q", got)
	}
	if d := talkStart.Sub(ringAt); d != 2*time.Second {
		t.Errorf("the replayed talk starts %v after the ring, want 2s as live", d)
	}
	// The operator's own number is busy during the talk and back after it.
	if got := strings.Join(other, ", "); got != "colleagues, queue , delta Demo Operator, delta Иванова Мария, message Зайди, пожалуйста, queue x, delta Demo Operator" {
		t.Errorf("replayed %q", got)
	}
}
