package ws_test

import (
	"bytes"
	"context"
	"fmt"
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
	// The hang-up brings the line back and the operator's number back to ready, in
	// whichever order the server's frames arrive; nothing else is in flight after both.
	var freed, back bool
	live.until("free, and the operator's number back", func(u oktell.Update) bool {
		freed = freed || (u.Line != nil && u.Line.State == oktell.LineFree)
		back = back || (u.Colleagues != nil && !u.Colleagues.Full && u.Colleagues.Colleagues[0].Name == "Demo Operator")
		return freed && back
	})
	s.Close()

	clk := clocktest.New(start.Add(24 * time.Hour))
	rs := ws.Replay(context.Background(), bytes.NewReader(capt.bytes()), "desk.capture", nil, ws.ReplayOptions{Clock: clk})
	defer rs.Close()
	if c := rs.Capabilities(); !c.Line || !c.Queue || !c.Colleagues {
		t.Errorf("a replayed capture's capabilities %+v", c)
	}
	replayed := replayToEnd(t, clk, rs)
	// The replay is the live session's decoding of the same frames: each part of the desk
	// goes through the same states. (Live, a reply and a push reach the session by two
	// goroutines, so how they interleave, and how many times the line was re-read while
	// the test's clock moved, is not fixed; each part's own course is.)
	for _, kind := range []string{"line", "queue", "delta", "message", "colleagues"} {
		live, replay := deskCourse(deskTimeline(t, live.got), kind), deskCourse(deskTimeline(t, replayed), kind)
		if strings.Join(replay, ", ") != strings.Join(live, ", ") {
			t.Errorf("%s: replayed %q, live %q", kind, replay, live)
		}
	}
	replayDesk := deskTimeline(t, replayed)
	for _, want := range []string{"colleagues", "line ringing +74951234567 Иванов Иван Заказ 42", "line talking",
		"delta Иванова Мария", "message Зайди, пожалуйста", "queue 1", "line free"} {
		if !containsInOrder(&replayDesk, want) {
			t.Errorf("the replay lacks %q in order: %q", want, deskTimeline(t, replayed))
			break
		}
	}
	if live, replay := talkAfterRing(live.got), talkAfterRing(replayed); live != replay || replay < 2*time.Second {
		t.Errorf("the replayed talk starts %v after the ring, live %v (want the same, at least the 2s the test waited)", replay, live)
	}
}

// deskTimeline is the desk's updates as words: the line, colleagues, queue and messages.
func deskTimeline(t *testing.T, us []oktell.Update) []string {
	var out []string
	for _, u := range us {
		switch {
		case u.Line != nil && u.Line.State == oktell.LineRinging:
			c := u.Line.Call
			out = append(out, "line ringing "+c.Number+" "+c.Name+" "+c.Info)
		case u.Line != nil:
			out = append(out, "line "+u.Line.State.String())
		case u.Colleagues != nil && u.Colleagues.Full:
			out = append(out, "colleagues")
		case u.Colleagues != nil:
			out = append(out, "delta "+u.Colleagues.Colleagues[0].Name)
		case u.Queue != nil:
			out = append(out, fmt.Sprintf("queue %d", len(u.Queue.Callers)))
		case u.Event != nil && u.Event.Type == oktell.UserMessage:
			m, _ := u.Event.Message()
			out = append(out, "message "+m.Text)
		}
	}
	return out
}

// deskCourse is the entries of one kind, a repeat of the entry before it left out.
func deskCourse(timeline []string, kind string) []string {
	var out []string
	for _, e := range timeline {
		if strings.HasPrefix(e, kind) && (len(out) == 0 || out[len(out)-1] != e) {
			out = append(out, e)
		}
	}
	return out
}

// containsInOrder finds want in *seq and drops what comes before it and want itself.
func containsInOrder(seq *[]string, want string) bool {
	for i, s := range *seq {
		if s == want {
			*seq = (*seq)[i+1:]
			return true
		}
	}
	return false
}

// talkAfterRing is how long after the (first) ring the talk started, as the updates say.
func talkAfterRing(us []oktell.Update) time.Duration {
	var ringAt, talkStart time.Time
	for _, u := range us {
		if u.Line == nil {
			continue
		}
		if u.Line.State == oktell.LineRinging && ringAt.IsZero() {
			ringAt = u.At
		}
		if u.Line.State == oktell.LineTalking && talkStart.IsZero() {
			talkStart = u.Line.Call.TalkStart
		}
	}
	return talkStart.Sub(ringAt)
}
