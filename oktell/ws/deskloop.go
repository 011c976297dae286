package ws

// The desk over a live link, as the vendor's client keeps it (protocol.md 2.1-2.4): the
// events it subscribes to are only signals, and getextendedlineinfo's reply is the truth
// about the line; the queue is polled every 5 s; the colleagues are read at each login
// and then follow pbxnumberstatechanged. The chat and pop-up frames become the messages
// and notifications the dashboard already shows. session.go calls in at three points:
// replied passes deskReplied every reply it does not read itself (the desk's loop asks
// through ask, so its replies go there too), startDesk runs after each login, and pushed
// passes deskEvent every frame that is not a user state. Neither deskReplied nor
// deskEvent needs a link, so a replayed capture reads the desk the same way.

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/okdash/okdash/oktell"
)

// Timings of the vendor's client.
const (
	// QueueInterval is how often the queue is read while connected (its queueInterval).
	QueueInterval = 5 * time.Second
	// lineDelay and commDelay are how long it waits before re-reading the line after
	// linestatechanged or flashstatechanged, and after a talk starts or stops: the
	// server's line info may lag its event. okdash reads at once and again after them.
	lineDelay = 500 * time.Millisecond
	commDelay = 700 * time.Millisecond
)

// ErrNoChatSend is what SendMessage returns over WebSocket: it is oktell.ErrUnsupported.
var ErrNoChatSend error = &oktell.ReasonError{Why: oktell.Because(oktell.ReasonNoChatSend), Err: oktell.ErrUnsupported}

// deskEvents are the pushed frames the desk subscribes to, in the vendor client's order,
// each its own subscribeevent ("chat" is a group: the server expands it).
var deskEvents = []string{
	"linestatechanged", "flashstatechanged",
	"phoneevent_acmcallstarted", "phoneevent_acmcallstopped", "phoneevent_ringstarted", "phoneevent_ringstopped",
	"phoneevent_ivrstarted", "phoneevent_commstarted", "phoneevent_commstopped",
	"confcompositionchanged", "confcompetitorstatechanged",
	"pbxnumberstatechanged", "chat", "usertextmessagereceived", "shownotifymessage",
}

// chatGroup are the events of the chat group (protocol.md 2.4).
var chatGroup = []string{"chatmessageviewed", "chatmessage", "chatmemberremoved", "chatmemberadded", "chatnamechanged", "chatcreated"}

// isDeskEvent reports whether a frame is one of the desk's pushed events, so that the
// link passes it on even when the server gives it a qid (real phone events carry one).
func isDeskEvent(name string) bool {
	name = strings.ToLower(name)
	for _, e := range deskEvents {
		if e == name {
			return true
		}
	}
	for _, e := range chatGroup {
		if e == name {
			return true
		}
	}
	return false
}

// deskState is what the session knows of the desk, across reconnects.
type deskState struct {
	mu         sync.Mutex
	userID     string // the logged-in user's id, from the login reply
	cur        *linkDesk
	line       oktell.LineUpdate
	mem        oktell.PhoneMemory
	sentLine   bool
	queue      []oktell.QueuedCaller
	sentQueue  bool
	colleagues []oktell.Colleague
	haveList   bool
	numbers    map[string]any // the last getpbxnumbers reply, joined with getallusernumbers'
	ring       ringNote       // the last phoneevent_ringstarted, for the free text it carries
}

// ringNote is what a ring event says that getextendedlineinfo does not: the caller's
// free-text info (and name).
type ringNote struct {
	chain, number, name, info string
}

// linkDesk is the desk loop of one link.
type linkDesk struct {
	l       *link
	kick    chan struct{}      // re-read the line now
	delayed chan time.Duration // re-read it once more after this long
}

// deskReplied takes what a successful reply tells about the desk, and false for a
// method that is not the desk's: login (the user's id, to know the operator's own entry),
// getextendedlineinfo (the line), getcurrentqueue (the queue), getpbxnumbers and then
// getallusernumbers (the colleagues).
func (s *Session) deskReplied(method string, f Frame) bool {
	switch method {
	case "login":
		s.desk.mu.Lock()
		s.desk.userID = fieldText(f.Body, "userid")
		s.desk.mu.Unlock()
	case "getextendedlineinfo":
		s.applyLine(f.Body)
	case "getcurrentqueue":
		s.applyQueue(f.Body)
	case "getpbxnumbers":
		s.desk.mu.Lock()
		s.desk.numbers = f.Body
		s.desk.mu.Unlock()
	case "getallusernumbers":
		s.desk.mu.Lock()
		nums := s.desk.numbers
		s.desk.mu.Unlock()
		s.applyColleagues(nums, f.Body)
	default:
		return false
	}
	return true
}

// startDesk runs the desk of link l until l ends: subscriptions, the first reading of
// the colleagues, the line and the queue, then events and the queue poll.
func (s *Session) startDesk(l *link) {
	d := &linkDesk{l: l, kick: make(chan struct{}, 1), delayed: make(chan time.Duration, 1)}
	s.desk.mu.Lock()
	s.desk.cur = d
	// The dashboard marked the line and the queue stale when the link went: the first
	// reading on this link is reported even when unchanged, so the marks go.
	s.desk.sentLine, s.desk.sentQueue = false, false
	s.desk.mu.Unlock()
	s.feed.Go(func(ctx context.Context) { s.runDesk(ctx, d) })
}

func (s *Session) runDesk(ctx context.Context, d *linkDesk) {
	l := d.l
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() { // the desk of a link ends with it
		select {
		case <-l.ctx.Done():
			cancel()
		case <-ctx.Done():
		}
	}()
	for _, ev := range deskEvents {
		if _, err := s.ask(ctx, l, "subscribeevent", map[string]any{"eventmethod": []string{ev}}); err != nil {
			s.cfg.Logf("ws: subscribe to %s: %v", ev, err)
			if ctx.Err() != nil {
				return
			}
		}
	}
	s.loadColleagues(ctx, l)
	s.readLine(ctx, l)
	s.readQueue(ctx, l)
	poll := s.feed.Clock().After(QueueInterval)
	var later <-chan time.Time
	again := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-d.kick:
			s.readLine(ctx, l)
		case wait := <-d.delayed:
			if later == nil {
				later = s.feed.Clock().After(wait)
			} else {
				again = true // one timer at a time, whatever the server sends
			}
		case <-later:
			later = nil
			s.readLine(ctx, l)
			if again {
				again, later = false, s.feed.Clock().After(commDelay)
			}
		case <-poll:
			poll = s.feed.Clock().After(QueueInterval)
			s.readQueue(ctx, l)
		}
	}
}

// deskEvent handles a pushed frame of the desk; false when it is not one.
func (s *Session) deskEvent(f Frame) bool {
	name := strings.ToLower(f.Name)
	if !isDeskEvent(name) {
		return false
	}
	s.desk.mu.Lock()
	d := s.desk.cur
	s.desk.mu.Unlock()
	kick := func(after time.Duration) {
		if d == nil {
			return // a replay: nothing to re-read, the capture holds the replies
		}
		select {
		case d.kick <- struct{}{}:
		default: // a re-read is pending already: it will see this change too
		}
		if after > 0 {
			select {
			case d.delayed <- after:
			default:
			}
		}
	}
	switch name {
	case "linestatechanged", "flashstatechanged":
		kick(lineDelay)
	case "phoneevent_ringstarted":
		s.desk.mu.Lock()
		s.desk.ring = ringNote{
			chain: text(f.Body, "chainid", oktell.MaxNameLen), number: text(f.Body, "callerid", oktell.MaxNameLen),
			name: text(f.Body, "callername", oktell.MaxNameLen), info: text(f.Body, "callerinfo", oktell.MaxTextLen),
		}
		s.desk.mu.Unlock()
		kick(0)
	case "phoneevent_ringstopped", "confcompositionchanged", "confcompetitorstatechanged":
		kick(0)
	case "phoneevent_commstarted", "phoneevent_commstopped", "phoneevent_acmcallstopped":
		kick(commDelay)
	case "phoneevent_acmcallstarted":
		s.desk.mu.Lock()
		s.desk.mem.AutoCall = true // the vendor's isAutoCall: the next reply says more
		s.desk.mu.Unlock()
		kick(0)
	case "phoneevent_ivrstarted":
		if _, ok := f.Body["isroutingivr"]; !ok || fieldBool(f.Body, "isroutingivr") {
			kick(0)
		}
	case "pbxnumberstatechanged":
		s.numberStates(f)
	case "usertextmessagereceived", "chatmessage":
		s.emitFrameEvent(MessageEvent(f, s.feed.Clock().Now()))
	case "shownotifymessage", "chatcreated", "chatmemberadded", "chatmemberremoved", "chatnamechanged":
		s.emitFrameEvent(NotifyEvent(f, s.feed.Clock().Now()))
	case "chatmessageviewed":
		s.cfg.Logf("ws: %s: %s", f.Name, summary(f.Body)) // a read receipt: nothing to show
	}
	return true
}

// emitFrameEvent delivers an event made from a frame, with its XML form as Raw so that
// --record writes a replayable stream, as for the user state.
func (s *Session) emitFrameEvent(ev oktell.Event) {
	var raw []byte
	if b, err := oktell.Encode(oktell.EventDocument(ev), oktell.UTF16LE); err == nil {
		raw = b
	}
	s.feed.Event(ev, raw)
}

// readLine asks getextendedlineinfo and reports the line when it changed.
func (s *Session) readLine(ctx context.Context, l *link) {
	s.deskAsk(ctx, l, "getextendedlineinfo", map[string]any{"userlogin": s.cfg.Login})
}

// applyLine takes a getextendedlineinfo reply as the truth about the line (a replay of a
// capture may call it with a recorded reply).
func (s *Session) applyLine(body map[string]any) {
	info := ParseLineInfo(body)
	now := s.feed.Clock().Now()
	s.desk.mu.Lock()
	line, mem := oktell.DeriveLine(s.desk.line, s.desk.mem, info, now)
	if c := line.Call; c != nil && (c.Info == "" || c.Name == "") {
		r := s.desk.ring
		if (r.chain != "" && r.chain == c.ChainID) || (r.number != "" && r.number == c.Number) {
			if c.Info == "" {
				c.Info = r.info
			}
			if c.Name == "" && r.name != r.number {
				c.Name = r.name
			}
		}
	}
	changed := !s.desk.sentLine || !reflect.DeepEqual(line, s.desk.line)
	s.desk.line, s.desk.mem, s.desk.sentLine = line, mem, true
	s.desk.mu.Unlock()
	if changed {
		s.feed.Send(oktell.Update{At: now, Line: copyLine(line)})
	}
}

func copyLine(l oktell.LineUpdate) *oktell.LineUpdate {
	out := l
	if l.Call != nil {
		c := *l.Call
		out.Call = &c
	}
	return &out
}

// readQueue reads getcurrentqueue and reports the queue when it changed.
func (s *Session) readQueue(ctx context.Context, l *link) {
	s.deskAsk(ctx, l, "getcurrentqueue", map[string]any{"userlogin": s.cfg.Login})
}

// applyQueue takes a getcurrentqueue reply as the queue now.
func (s *Session) applyQueue(body map[string]any) {
	now := s.feed.Clock().Now()
	items, listed := ParseQueue(body, now)
	if listed > len(items) && listed > oktell.MaxQueue {
		s.feed.Problem(tooMany(oktell.ReasonTooManyQueue, listed, len(items)))
	}
	s.desk.mu.Lock()
	q := oktell.MergeQueue(s.desk.queue, items, now)
	changed := !s.desk.sentQueue || !reflect.DeepEqual(q, s.desk.queue)
	s.desk.queue, s.desk.sentQueue = q, true
	s.desk.mu.Unlock()
	if changed {
		s.feed.Send(oktell.Update{At: now, Queue: &oktell.Queue{Callers: append([]oktell.QueuedCaller{}, q...)}})
	}
}

// loadColleagues reads getpbxnumbers and getallusernumbers and reports the whole list.
func (s *Session) loadColleagues(ctx context.Context, l *link) {
	nums, err := s.deskAsk(ctx, l, "getpbxnumbers", map[string]any{"userlogin": s.cfg.Login, "mode": "full"})
	if err != nil {
		return
	}
	if _, err := s.deskAsk(ctx, l, "getallusernumbers", map[string]any{"userlogin": s.cfg.Login, "fillsubordinates": true}); err != nil && ctx.Err() == nil {
		s.applyColleagues(nums.Body, nil) // an old server: the numbers are the list
	}
}

// applyColleagues takes a getpbxnumbers reply and a getallusernumbers reply (nil when
// the server has none) as the whole colleague list.
func (s *Session) applyColleagues(numbers, users map[string]any) {
	s.desk.mu.Lock()
	self := s.desk.userID
	s.desk.mu.Unlock()
	list, listed := ParseColleagues(numbers, users, self)
	if listed > oktell.MaxColleagues {
		s.feed.Problem(tooMany(oktell.ReasonTooManyColleagues, listed, len(list)))
	}
	s.desk.mu.Lock()
	s.desk.colleagues, s.desk.haveList = list, true
	// Sent under the lock, so that a state change read meanwhile comes after the list.
	s.feed.Send(oktell.Update{Colleagues: &oktell.ColleaguesUpdate{Full: true, Colleagues: append([]oktell.Colleague{}, list...)}})
	s.desk.mu.Unlock()
}

// numberStates applies a pbxnumberstatechanged push to the colleagues and reports those
// whose state changed.
func (s *Session) numberStates(f Frame) {
	changes := ParseNumberStates(f.Body)
	s.desk.mu.Lock()
	defer s.desk.mu.Unlock()
	if !s.desk.haveList {
		return // the list, read after the subscription, holds the new state already
	}
	if changed := ApplyNumberStates(s.desk.colleagues, changes); len(changed) > 0 {
		s.feed.Send(oktell.Update{Colleagues: &oktell.ColleaguesUpdate{Colleagues: changed}})
	}
}

// deskAsk is ask for a desk request, logging its failure; the desk goes on without it (a
// refusal means the server does not have the method; a dropped link is reported by the
// session).
func (s *Session) deskAsk(ctx context.Context, l *link, method string, body map[string]any) (Frame, error) {
	f, err := s.ask(ctx, l, method, body)
	var re *oktell.RefusedError
	if errors.As(err, &re) || errors.Is(err, oktell.ErrTimeout) {
		s.cfg.Logf("ws: %s: %v", method, err)
	}
	return f, err
}
