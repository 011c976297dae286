package demo

// What reaches one demo shift from outside its scenario: the trainer's room of okdash
// serve writes to the operator, sends a notification, rings the line, drops and restores
// the link. Each is a step run by the engine's own Run, between the scenario's steps, so
// it is ordered with them and touches this engine's shift only; and the operator's
// answers to an outside correspondent go to that correspondent instead of a colleague.

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/okdash/okdash/oktell"
)

// Why an outside step did nothing.
var (
	// ErrNotRouted: the call reaches only a ready operator with a line and no call.
	ErrNotRouted = errors.New("the call was not routed: the operator is not ready, has no phone line, or is on a call")
	// ErrLinkAlready: the link is already as asked.
	ErrLinkAlready = errors.New("the link is already so")
)

// maxListeners bounds the outside correspondents one engine keeps (a room's trainers):
// beyond it the one that listened first is forgotten.
const maxListeners = 16

// listener is an outside correspondent: messages to its id go to deliver.
type listener struct {
	id, name string
	deliver  func(text string) error
}

// outsideReq is a step from outside, run by Run: do makes its outputs.
type outsideReq struct {
	do   func() ([]Output, error)
	done chan error // buffered: Run never waits on it
}

// Listen makes id someone the operator can write to: a message to id goes to deliver
// (its error is what the operator's dashboard is told) rather than to the scenario's
// colleagues. A second Listen with the same id replaces the first.
func (e *Engine) Listen(id, name string, deliver func(text string) error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	key := strings.ToLower(strings.TrimSpace(id))
	for i, l := range e.listeners {
		if l.id == key {
			e.listeners = append(e.listeners[:i], e.listeners[i+1:]...)
			break
		}
	}
	if len(e.listeners) >= maxListeners {
		e.listeners = e.listeners[1:]
	}
	e.listeners = append(e.listeners, listener{id: key, name: name, deliver: deliver})
}

// listenerOf is the outside correspondent of id, if any (e.mu held).
func (e *Engine) listenerOf(id string) (listener, bool) {
	for _, l := range e.listeners {
		if l.id == id {
			return l, true
		}
	}
	return listener{}, false
}

// outside hands do to Run and waits for it to run. It fails with ctx's error when Run
// does not take it in time (not running, or its operator's dashboard not reading).
func (e *Engine) outside(ctx context.Context, do func() ([]Output, error)) error {
	e.mu.Lock()
	runCtx := e.ctx
	e.mu.Unlock()
	req := outsideReq{do: do, done: make(chan error, 1)}
	select {
	case e.steps <- req:
	case <-ctx.Done():
		return ctx.Err()
	case <-runCtx.Done():
		return oktell.ErrNotConnected
	}
	select {
	case err := <-req.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	case <-runCtx.Done():
		return oktell.ErrNotConnected
	}
}

// Deliver hands doc to the operator now, as the server would (a message, a
// notification); oktell.ErrNotConnected while the link is down.
func (e *Engine) Deliver(ctx context.Context, doc *oktell.Document) error {
	return e.outside(ctx, func() ([]Output, error) {
		if !e.State().LinkUp {
			return nil, oktell.ErrNotConnected
		}
		return []Output{{Doc: doc}}, nil
	})
}

// Ring rings the operator's line with a call from number (name, info), as the
// scenario's ring step does, with the incoming-call notification the built-in shift
// sends beside it; an unanswered call is missed after missAfter (0: it rings until the
// scenario answers or hangs up). ErrNotRouted when the call cannot reach the operator.
func (e *Engine) Ring(ctx context.Context, number, name, info string, missAfter time.Duration) error {
	var chain string
	err := e.outside(ctx, func() ([]Output, error) {
		if !e.State().LinkUp {
			return nil, oktell.ErrNotConnected
		}
		out := e.deskStep(Step{Op: OpRing, Number: number, Name: name, Info: info})
		if len(out) == 0 {
			return nil, ErrNotRouted
		}
		e.mu.Lock()
		if e.call != nil {
			chain = e.call.chain
		}
		e.mu.Unlock()
		text := "Входящий вызов: " + number
		if name != "" {
			text += ", " + name
		}
		note := NotifyDocument(uuid.NewString(), e.clock.Now(), oktell.NltIncomingCall, 0, true, "АТС", text)
		return append(out, Output{Doc: note}), nil
	})
	if err == nil && missAfter > 0 && chain != "" {
		e.missLater(missAfter, chain)
	}
	return err
}

// missLater ends the call of chain after d, if it still rings then: a missed call.
func (e *Engine) missLater(d time.Duration, chain string) {
	e.mu.Lock()
	ctx := e.ctx
	e.mu.Unlock()
	ch := e.clock.After(d) // taken now, so a fake clock sees it before Ring returns
	go func() {
		select {
		case <-ch:
		case <-ctx.Done():
			return
		}
		e.outside(ctx, func() ([]Output, error) { //nolint:errcheck // Run's end is the only failure
			e.mu.Lock()
			c := e.call
			e.mu.Unlock()
			if c == nil || c.chain != chain || c.talking {
				return nil, nil // answered, or gone with the line
			}
			return e.deskStep(Step{Op: OpHangup}), nil
		})
		if e.missChecked != nil {
			e.missChecked()
		}
	}()
}

// SetLink drops the link to the server (up false) or brings it back, as the scenario's
// link down and link up steps do; ErrLinkAlready when it already is so. A link dropped
// here stays down until SetLink brings it back: the scenario's own link up does not.
func (e *Engine) SetLink(ctx context.Context, up bool) error {
	return e.outside(ctx, func() ([]Output, error) {
		if e.State().LinkUp == up {
			return nil, ErrLinkAlready
		}
		if up {
			e.hold(false)
			return e.step(Step{Op: OpLinkUp})
		}
		out, err := e.step(Step{Op: OpLinkDown, Why: DropServerLinkLost})
		e.hold(true)
		return out, err
	})
}

// hold says whether the room holds the link down.
func (e *Engine) hold(on bool) {
	e.mu.Lock()
	e.held = on
	e.mu.Unlock()
}

// NotifyDocument is a Notify as the client library writes it.
func NotifyDocument(guid string, at time.Time, typ oktell.NotifyType, argb uint32, autohide bool, sender, text string) *oktell.Document {
	name := ""
	if typ.Known() {
		name = typ.String()
	}
	return oktell.EventDocument(event(oktell.Notify,
		simple("guid", guid, ""),
		simple("autohide", boolValue(autohide), ""),
		simple("backcolor_argb", strconv.FormatUint(uint64(argb), 10), ""),
		simple("type", strconv.Itoa(int(typ)), name),
		simple("datetime", at.Format(oktell.DateLayout), ""),
		simple("dbsaved", "0", ""),
		cdata("sender", sender),
		cdata("text", text)))
}
