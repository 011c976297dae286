// Package demo is okdash's built-in Oktell: an engine that plays a scripted shift (the
// embedded shift.txt, or a trainer's own scenario file) on an injected clock and answers
// the operator's requests as a server would. The engine knows nothing of transports: the
// in-process demo session wraps it directly, and the bridge simulator runs one engine
// per connection, so both behave the same.
package demo

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/feed"
)

// Output is one thing the engine produces: a document to deliver, or a view of the
// queue or the colleagues (which the service channel has no documents for: the bridge
// simulator leaves them out). The link to the server is told in-band, as the client
// library tells it: a ConnectionLost (with a cdata reason) when it drops, and any other
// event once it is back (see feed.LinkLost).
type Output struct {
	Doc        *oktell.Document
	Queue      *oktell.Queue
	Colleagues *oktell.ColleaguesUpdate
}

// ServerState is what the demo server believes about the operator.
type ServerState struct {
	State    oktell.UserState
	Redirect bool
	Line     bool // the phone line is registered
	LinkUp   bool
}

// Delays of the demo server's answers at speed 1.
const (
	ConfirmDelay = 400 * time.Millisecond  // a state request's UserStateChanged
	ReplyDelay   = 2500 * time.Millisecond // a colleague's answer
)

// Engine plays a scenario. Create it with New, run it with Run (once), and pass it
// the operator's requests from any goroutine.
type Engine struct {
	sc    *Scenario
	clock oktell.Clock
	speed float64

	inject chan Output     // answers to requests, delivered by Run in order
	steps  chan outsideReq // steps from outside the scenario (the trainer's room), run by Run

	mu      sync.Mutex
	st      ServerState
	ctx     context.Context // Run's, so answers stop with it
	sent    map[string]int  // messages sent per colleague, to answer every other one
	replyNo int

	chosen oktell.UserState // the operator's own last choice: ready until they press a key
	held   bool             // the room dropped the link: it stays down until the room restores it
	call   *demoCall        // the scenario's call on the line; nil when it is free
	queue  []oktell.QueuedCaller
	roster []oktell.Colleague

	listeners   []listener // outside correspondents (the room's trainers), oldest first
	missChecked func()     // tests: called when a missed-call timer has done its check
}

// New returns an engine for sc (nil: the built-in shift) at the given speed (<= 0 means 1).
func New(sc *Scenario, clock oktell.Clock, speed float64) *Engine {
	if sc == nil {
		sc = Builtin()
	}
	if clock == nil {
		clock = oktell.RealClock{}
	}
	if speed <= 0 {
		speed = 1
	}
	return &Engine{
		sc: sc, clock: clock, speed: speed,
		inject: make(chan Output, 16),
		steps:  make(chan outsideReq),
		st:     ServerState{State: oktell.UserWOphone, LinkUp: true},
		sent:   map[string]int{},
		ctx:    context.Background(),
		chosen: oktell.UserReady,
		roster: append([]oktell.Colleague(nil), sc.Roster...),
	}
}

// Scenario is the scenario the engine plays.
func (e *Engine) Scenario() *Scenario { return e.sc }

// State is the server's current view of the operator.
func (e *Engine) State() ServerState {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.st
}

func (e *Engine) scale(d time.Duration) time.Duration {
	return time.Duration(float64(d) / e.speed)
}

// Run plays the scenario until ctx ends, handing every output to emit in order; it
// stops early when emit returns false. A scenario without loop stays silent at its
// end but still answers requests.
func (e *Engine) Run(ctx context.Context, emit func(Output) bool) error {
	e.mu.Lock()
	e.ctx = ctx
	e.mu.Unlock()
	steps := e.sc.Steps
	i := 0
	var timer <-chan time.Time
	// Waits add up from the start, so time spent delivering does not make a shift drift
	// against another one started at the same moment (the demo and the simulator).
	due := e.clock.Now()
	for _, o := range e.deskStart() {
		if !e.emit(o, emit) {
			return ctx.Err()
		}
	}
	for {
		// Run the steps that need no waiting.
		for timer == nil && i < len(steps) {
			st := steps[i]
			i++
			switch st.Op {
			case OpWait:
				if st.Delay > 0 {
					due = due.Add(e.scale(st.Delay))
					timer = e.clock.After(due.Sub(e.clock.Now()))
				}
			case OpLoop:
				i = 0
			default:
				out, err := e.step(st)
				if err != nil {
					return err
				}
				for _, o := range out {
					if !e.emit(o, emit) {
						return ctx.Err()
					}
				}
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-timer:
			timer = nil
		case o := <-e.inject:
			if !e.State().LinkUp {
				continue // the server went away before it could answer
			}
			if !e.emit(o, emit) {
				return ctx.Err()
			}
		case req := <-e.steps:
			out, err := req.do()
			for _, o := range out {
				if !e.emit(o, emit) {
					req.done <- ctx.Err()
					return ctx.Err()
				}
			}
			req.done <- err
		}
	}
}

// emit applies what an output tells about the server's state, then hands it on.
func (e *Engine) emit(o Output, emit func(Output) bool) bool {
	e.mu.Lock()
	if o.Doc != nil {
		for i := range o.Doc.Events {
			ev := &o.Doc.Events[i]
			switch ev.Type {
			case oktell.UserStateChanged:
				if sc, err := ev.StateChange(); err == nil {
					e.st.State, e.st.Redirect = sc.State, sc.Redirect
					switch sc.State {
					case oktell.UserWOphone, oktell.UserDisconnected:
						e.st.Line = false
					default:
						e.st.Line = true
					}
				}
			}
			_, lost := feed.LinkLost(ev)
			e.st.LinkUp = !lost
		}
	}
	e.mu.Unlock()
	return emit(o)
}

// step turns one scenario step into outputs.
func (e *Engine) step(st Step) ([]Output, error) {
	switch st.Op {
	case OpDoc, OpState, OpRedirect, OpLinkDown, OpLinkUp:
		e.mu.Lock()
		held := e.held
		e.mu.Unlock()
		if held {
			// The room dropped the link and only the room brings it back: any document
			// would read as the link back (see feed.LinkLost), so none reaches the client.
			return nil, nil
		}
	}
	switch st.Op {
	case OpDoc:
		text := expand(st.Doc, e.clock.Now(), uuid.NewString())
		d, err := oktell.Decode([]byte(text))
		if err != nil {
			return nil, &ParseError{File: e.sc.Name, Line: st.Line, Msg: "document: " + err.Error()}
		}
		return []Output{{Doc: d}}, nil
	case OpState:
		// The scenario's server respects what the operator chose (see ServerSets).
		e.mu.Lock()
		defer e.mu.Unlock()
		s, ok := ServerSets(e.st.State, e.chosen, st.State)
		if !ok {
			return nil, nil
		}
		if s == oktell.UserLunch || s == oktell.UserOff {
			e.chosen = s // set by the server (an unanswered call): the operator ends it
		}
		return []Output{{Doc: StateDocument(s, e.st.Redirect)}}, nil
	case OpRedirect:
		e.mu.Lock()
		state := e.st.State
		e.mu.Unlock()
		return []Output{{Doc: StateDocument(state, st.On)}}, nil
	case OpLine:
		e.mu.Lock()
		defer e.mu.Unlock()
		e.st.Line = st.On
		if c := e.call; c != nil && !st.On {
			// The line went away in the middle of the call: the call ends with it.
			e.call = nil
			t := oktell.CommutationStopped
			if !c.talking {
				t = oktell.RingFinished
			}
			return docs(oktell.EventDocument(event(t, simple("chainid", c.chain, "")))), nil
		}
		return nil, nil
	case OpLinkDown:
		if !st.Why.IsZero() {
			return []Output{{Doc: ConnectionLostWhyDocument(st.Why)}}, nil
		}
		return []Output{{Doc: ConnectionLostDocument(st.Reason)}}, nil
	case OpLinkUp:
		e.mu.Lock()
		state, redirect := e.st.State, e.st.Redirect
		e.mu.Unlock()
		// The state, reported again; then the colleagues and the queue, read afresh.
		return append([]Output{{Doc: StateDocument(state, redirect)}}, e.deskStart()...), nil
	case OpRing, OpCall, OpAnswer, OpHold, OpResume, OpHangup, OpQueueAdd, OpQueueRemove, OpQueueClear, OpColleague:
		return e.deskStep(st), nil
	}
	return nil, fmt.Errorf("demo: step %d of %s: unknown op %d", st.Line, e.sc.Name, st.Op)
}

// later delivers outs, in order, after d (scaled), through Run, unless Run ends first.
func (e *Engine) later(d time.Duration, outs ...Output) {
	e.mu.Lock()
	ctx := e.ctx
	e.mu.Unlock()
	ch := e.clock.After(e.scale(d)) // taken now, so a fake clock sees it before the request returns
	go func() {
		select {
		case <-ch:
		case <-ctx.Done():
			return
		}
		for _, o := range outs {
			select {
			case e.inject <- o:
			case <-ctx.Done():
				return
			}
		}
	}()
}

// SetUserState answers a state request as a server would: refused (a *oktell.RefusedError)
// or oktell.ErrNotConnected at once, or accepted (nil) and confirmed a moment later by a
// UserStateChanged. Asking for the current state only changes redirect, which is always allowed.
func (e *Engine) SetUserState(ctx context.Context, state oktell.UserState, redirect bool) error {
	return e.SetUserStateReason(ctx, state, redirect, "")
}

// SetUserStateReason is SetUserState with a break reason, an id of the scenario's
// breakreasons (a reason it does not list is refused). The confirming UserStateChanged
// names it (lunchreasonid), as the WebSocket server's state does; "" names none.
func (e *Engine) SetUserStateReason(ctx context.Context, state oktell.UserState, redirect bool, reason string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	e.mu.Lock()
	st := e.st
	e.mu.Unlock()
	switch {
	case !st.LinkUp:
		return oktell.ErrNotConnected
	case state == st.State:
		// a redirect toggle
	case !state.Known():
		return oktell.Refused(1, oktell.Because(oktell.ReasonNoSuchState, strconv.Itoa(int(state))))
	case !state.Requestable():
		return oktell.Refused(1, oktell.Because(oktell.ReasonServerOnlyState, state.String()))
	case !st.Line:
		return oktell.Refused(2, oktell.Because(oktell.ReasonNoPhoneLine))
	}
	doc := StateDocument(state, redirect)
	if state == oktell.UserLunch && reason != "" {
		listed := oktell.BreakReasons{List: e.sc.BreakReasons}
		if _, ok := listed.Find(reason); !ok {
			if len(listed.List) == 0 {
				return oktell.Refused(5, oktell.Because(oktell.ReasonNoBreakReasons, oktell.CleanLine(reason)))
			}
			return oktell.Refused(5, oktell.Because(oktell.ReasonNoBreakReason, oktell.CleanLine(reason), strings.Join(listed.Names(), ", ")))
		}
		ev := &doc.Events[0]
		ev.Props = append(ev.Props, simple("lunchreasonid", reason, ""))
	}
	out := []Output{{Doc: doc}}
	if state.Requestable() {
		e.mu.Lock()
		e.chosen = state // what the scenario's server respects from now on
		if w := e.withdrawRing(); w != nil {
			out = append(out, Output{Doc: w}) // after the state, as the server routes the call away
		}
		e.mu.Unlock()
	}
	e.later(ConfirmDelay, out...)
	return nil
}

// SendMessage delivers a message to a colleague of the scenario; every other message
// to the same colleague is answered a moment later.
func (e *Engine) SendMessage(ctx context.Context, userID, text string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if strings.TrimSpace(text) == "" {
		return oktell.Refused(3, oktell.Because(oktell.ReasonEmptyMessage))
	}
	e.mu.Lock()
	if !e.st.LinkUp {
		e.mu.Unlock()
		return oktell.ErrNotConnected
	}
	id := strings.ToLower(strings.TrimSpace(userID))
	if l, ok := e.listenerOf(id); ok {
		e.mu.Unlock()
		return l.deliver(text)
	}
	name, ok := e.sc.Colleagues[id]
	if !ok {
		e.mu.Unlock()
		return oktell.Refused(4, oktell.Because(oktell.ReasonNoSuchUser, strconv.Quote(userID)))
	}
	e.sent[id]++
	var reply *oktell.Document
	if e.sent[id]%2 == 1 {
		text := e.sc.Replies[e.replyNo%len(e.sc.Replies)]
		e.replyNo++
		reply = MessageDocument(uuid.NewString(), e.clock.Now().Add(e.scale(ReplyDelay)), userID, name, text)
	}
	e.mu.Unlock()
	if reply != nil {
		e.later(ReplyDelay, Output{Doc: reply})
	}
	return nil
}

var simple, cdata, event = oktell.SimpleProp, oktell.CDataProp, oktell.NewEvent

func boolValue(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// StateDocument is a UserStateChanged as the client library writes it.
func StateDocument(state oktell.UserState, redirect bool) *oktell.Document {
	name := ""
	if state.Known() {
		name = state.String()
	}
	return oktell.EventDocument(event(oktell.UserStateChanged,
		simple("newstate", fmt.Sprint(int(state)), name),
		simple("redirect", boolValue(redirect), "")))
}

// ConnectionLostDocument is a ConnectionLost carrying the reason in a cdata "reason"
// (ours: the vendor's event has no payload, and readers keep unknown properties).
func ConnectionLostDocument(reason string) *oktell.Document {
	var props []oktell.Property
	if reason != "" {
		props = append(props, cdata("reason", reason))
	}
	return oktell.EventDocument(event(oktell.ConnectionLost, props...))
}

// LinkDrop is why okdash itself drops a demo's link to the server: a reason without
// arguments, the only kind a ConnectionLost's "reasoncode" carries (feed.LinkLost takes
// no arguments from a document). It is a type of its own, with its values below, so that
// a reason with arguments cannot be passed and silently become its English.
type LinkDrop struct{ code oktell.ReasonCode }

// The link drops okdash makes.
var (
	DropServerLinkLost = LinkDrop{oktell.ReasonServerLinkLost} // the trainer's l, a scenario's bare link down
)

// linkDrops are every LinkDrop above, for the test that each has no arguments.
var linkDrops = []LinkDrop{DropServerLinkLost}

// IsZero says whether there is no drop: the scenario's own words say why.
func (d LinkDrop) IsZero() bool { return d.code == "" }

// Reason is the drop as a reason.
func (d LinkDrop) Reason() oktell.Reason { return oktell.Because(d.code) }

// ConnectionLostWhyDocument is a ConnectionLost for a drop okdash makes itself (a
// trainer's): its reason goes as a code ("reasoncode", feed.LinkLost reads it) beside its
// English, so that every reader, a replay of a recording too, can translate it.
func ConnectionLostWhyDocument(why LinkDrop) *oktell.Document {
	return oktell.EventDocument(event(oktell.ConnectionLost,
		cdata("reason", why.Reason().String()), simple("reasoncode", string(why.code), "")))
}

// MessageDocument is a UserMessage as the client library writes it.
func MessageDocument(guid string, at time.Time, senderID, senderName, text string) *oktell.Document {
	return oktell.EventDocument(event(oktell.UserMessage,
		simple("guid", guid, ""),
		simple("datetime", at.Format(oktell.DateLayout), ""),
		simple("senderid", senderID, ""),
		cdata("sendername", senderName),
		cdata("text", text)))
}
