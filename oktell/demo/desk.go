package demo

// The demo server's desk: the scenario's calls on the operator's line (written as the
// service channel's line events, so the bridge simulator sends the same), its queue and
// its colleagues; and the rule that the scenario's server respects what the operator
// chose (issue 11, 12): no call reaches an operator on a break or away, and nothing but
// the operator ends a break or an away.

import (
	"strconv"

	"github.com/google/uuid"

	"github.com/okdash/okdash/oktell"
)

// demoCall is the scenario's call on the operator's line.
type demoCall struct {
	number, name, info, chain string
	outgoing                  bool
	talking                   bool
	held                      bool
	// busied: the answer made the operator busy, so the hang-up gives their state back.
	busied bool
}

// ServerSets is the state the scenario's server gives the operator when the scenario says
// want, with the operator in cur and their own last choice chosen (ready, break or away;
// ready until they press a key), and false when the server would not change it at all:
//
//   - a call or a task (busy, reserved) reaches only a ready operator;
//   - "ready" after a call or a lost line gives the operator back their own choice, and
//     never ends a break or an away, which only the operator ends;
//   - a break or an away the server sets itself (an unanswered call) is applied;
//   - the line going (no phone, disconnected) always is.
func ServerSets(cur, chosen, want oktell.UserState) (oktell.UserState, bool) {
	switch want {
	case oktell.UserFullbusy, oktell.UserReserved:
		if cur == want || (cur == oktell.UserReady && chosen == oktell.UserReady) {
			return want, true
		}
		return cur, false
	case oktell.UserReady:
		if cur == oktell.UserLunch || cur == oktell.UserOff {
			return cur, false
		}
		if chosen == oktell.UserLunch || chosen == oktell.UserOff {
			return chosen, true
		}
		return oktell.UserReady, true
	}
	return want, true
}

// available reports whether a new call may reach the operator now (e.mu held): the link
// and the line are up, no call is on the line, and the operator is ready and has not
// asked for anything else.
func (e *Engine) available() bool {
	return e.st.LinkUp && e.st.Line && e.call == nil && e.st.State == oktell.UserReady && e.chosen == oktell.UserReady
}

// withdrawRing ends a call that is ringing in when the operator has just chosen a state
// other than ready (e.mu held), and returns its RingFinished, nil when there is none: a
// server routes the call back to the queue, so the scenario's answer, hold and hang-up
// of it then do nothing, as for a call that never reached the operator.
func (e *Engine) withdrawRing() *oktell.Document {
	c := e.call
	if c == nil || c.talking || c.outgoing || e.chosen == oktell.UserReady {
		return nil
	}
	e.call = nil
	return oktell.EventDocument(event(oktell.RingFinished, simple("chainid", c.chain, "")))
}

// deskStep turns a scenario step about the call, the queue or a colleague into outputs.
// While the link is down the client hears nothing of them, so they are skipped.
func (e *Engine) deskStep(st Step) []Output {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.st.LinkUp {
		return nil
	}
	now := e.clock.Now()
	switch st.Op {
	case OpRing, OpCall:
		if !e.available() {
			return nil // not routed: a break, an away, no line, or a call already on the line
		}
		e.call = &demoCall{number: st.Number, name: st.Name, info: st.Info, chain: uuid.NewString(), outgoing: st.Op == OpCall}
		if st.Op == OpCall {
			return docs(lineDoc(oktell.CallDetected, e.call, "out"))
		}
		return docs(lineDoc(oktell.RingStarted, e.call, "in"))
	case OpAnswer:
		c := e.call
		if c == nil || c.talking {
			return nil
		}
		c.talking = true
		out := docs(lineDoc(oktell.CommutationStarted, c, ""))
		if s, ok := ServerSets(e.st.State, e.chosen, oktell.UserFullbusy); ok && s != e.st.State {
			c.busied = true
			out = append(out, Output{Doc: StateDocument(s, e.st.Redirect)})
		}
		return out
	case OpHold, OpResume:
		c := e.call
		if c == nil || !c.talking || c.held == (st.Op == OpHold) {
			return nil
		}
		c.held = st.Op == OpHold
		flash := oktell.FlashReturn
		if c.held {
			flash = oktell.FlashPut
		}
		return docs(oktell.EventDocument(event(oktell.FlashHoldAction,
			simple("flashtypeid", strconv.Itoa(flash), ""), simple("chainid", c.chain, ""))))
	case OpHangup:
		c := e.call
		if c == nil {
			return nil
		}
		e.call = nil
		t := oktell.CommutationStopped
		if !c.talking {
			t = oktell.RingFinished
		}
		out := docs(oktell.EventDocument(event(t, simple("chainid", c.chain, ""))))
		if c.busied {
			if s, ok := ServerSets(e.st.State, e.chosen, oktell.UserReady); ok && s != e.st.State {
				out = append(out, Output{Doc: StateDocument(s, e.st.Redirect)})
			}
		}
		return out
	case OpQueueAdd:
		if len(e.queue) < oktell.MaxQueue {
			key := st.Number
			for n := 1; e.inQueue(key); n++ {
				key = st.Number + "#" + strconv.Itoa(n)
			}
			e.queue = append(e.queue, oktell.QueuedCaller{Key: key, Number: st.Number, Name: st.Name, Since: now})
		}
		return []Output{e.queueOutput()}
	case OpQueueRemove:
		kept := e.queue[:0]
		for _, q := range e.queue {
			if q.Number != st.Number {
				kept = append(kept, q)
			}
		}
		e.queue = kept
		return []Output{e.queueOutput()}
	case OpQueueClear:
		e.queue = nil
		return []Output{e.queueOutput()}
	case OpColleague:
		for i := range e.roster {
			if c := &e.roster[i]; c.Login == st.Login {
				if c.State == st.State {
					return nil
				}
				c.State, c.StateKnown = st.State, true
				return []Output{{Colleagues: &oktell.ColleaguesUpdate{Colleagues: []oktell.Colleague{*c}}}}
			}
		}
	}
	return nil
}

func (e *Engine) inQueue(key string) bool {
	for _, q := range e.queue {
		if q.Key == key {
			return true
		}
	}
	return false
}

// queueOutput is the whole queue as it is now (e.mu held).
func (e *Engine) queueOutput() Output {
	return Output{Queue: &oktell.Queue{Callers: append([]oktell.QueuedCaller{}, e.queue...)}}
}

// rosterOutput is the whole colleague list (e.mu held).
func (e *Engine) rosterOutput() Output {
	return Output{Colleagues: &oktell.ColleaguesUpdate{Full: true, Colleagues: append([]oktell.Colleague{}, e.roster...)}}
}

// deskStart is what the demo tells at the start and after the link comes back: the
// colleagues and the queue as they are, when the scenario has them.
func (e *Engine) deskStart() []Output {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []Output
	if len(e.sc.Roster) > 0 {
		out = append(out, e.rosterOutput())
	}
	if e.sc.HasQueue() {
		out = append(out, e.queueOutput())
	}
	return out
}

func docs(d ...*oktell.Document) []Output {
	out := make([]Output, len(d))
	for i := range d {
		out[i] = Output{Doc: d[i]}
	}
	return out
}

// lineDoc is a line event carrying the call, in the property names okdash reads from the
// service channel (the payloads of 231-243 are not documented; these are the names the
// WebSocket protocol's phoneevent_ringstarted uses for the same facts).
func lineDoc(t oktell.EventType, c *demoCall, direction string) *oktell.Document {
	props := []oktell.Property{simple("callerid", c.number, "")}
	if c.name != "" {
		props = append(props, cdata("callername", c.name))
	}
	if c.info != "" {
		props = append(props, cdata("callerinfo", c.info))
	}
	if direction != "" {
		props = append(props, simple("callerdirection", direction, ""))
	}
	props = append(props, simple("chainid", c.chain, ""))
	return oktell.EventDocument(event(t, props...))
}

// Desk is the demo server's view of the desk, for tests: the call on the line (nil
// when free), the queue and the colleagues.
type Desk struct {
	Call   *DeskCall
	Queue  []oktell.QueuedCaller
	Roster []oktell.Colleague
	Chosen oktell.UserState // the operator's own last choice
}

// DeskCall is the demo's call as the server sees it.
type DeskCall struct {
	Number, Name, Info string
	Talking, Held      bool
}

// Desk returns the demo server's desk now.
func (e *Engine) Desk() Desk {
	e.mu.Lock()
	defer e.mu.Unlock()
	d := Desk{Queue: append([]oktell.QueuedCaller(nil), e.queue...), Roster: append([]oktell.Colleague(nil), e.roster...), Chosen: e.chosen}
	if c := e.call; c != nil {
		d.Call = &DeskCall{Number: c.number, Name: c.name, Info: c.info, Talking: c.talking, Held: c.held}
	}
	return d
}
