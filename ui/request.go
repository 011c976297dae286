package ui

import (
	"context"
	"errors"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/okdash/okdash/oktell"
)

// request is asking Oktell for a state: the state hotkeys, the request on its way
// (shown as pending in the header until the server confirms it), and what became of it.
type request struct {
	c       *common
	pending stateRequest
	seq     int

	ready, brk, away, redirect key.Binding
}

func init() { words(requestWords) }

// requestWords declares the words of request.go in Russian (see words).
func requestWords() {
	russian(map[string]string{
		"ready": "готов", "break": "перерыв", "away": "отошёл",
		"redirect on": "переадр. вкл", "redirect off": "переадр. выкл",
		"Redirect on": "Переадресация вкл.", "Redirect off": "Переадресация выкл.",
		"Asked for %s: %v":                      "Запрос «%s» не выполнен: %v",
		"%s was not applied: the server set %s": "Запрос «%s» не выполнен: сервер установил «%s»",
		"No answer to %s within %s":             "Нет ответа на «%s» за %s",
		"Request for %s lost with the link":     "Запрос «%s» потерян: связь прервана",
		"refused":                               "отказано",
		"refused: %s":                           "отказано: %s",
		"no answer from Oktell within %s":       "нет ответа от Oktell за %s",
		"no answer from Oktell in time":         "Oktell не ответил вовремя",
		// why a state key is not possible
		"this source only shows what happened":         "этот источник только показывает события",
		"this source cannot change the state":          "этот источник не меняет состояние",
		"the source has ended":                         "источник закончился",
		"no link to Oktell":                            "нет связи с Oktell",
		"a request is waiting for Oktell's answer":     "запрос ждёт ответа Oktell",
		"okdash is closing":                            "okdash закрывается",
		"already ready":                                "уже «Готов»",
		"already on a break":                           "уже «Перерыв»",
		"already away":                                 "уже «Отошёл»",
		"the state is not known yet":                   "состояние ещё неизвестно",
		"redirect goes with Ready, Break or Away only": "переадресация — только с «Готов», «Перерыв» или «Отошёл»",
	})
}

func newRequest(c *common) request {
	return request{c: c,
		ready:    c.hotkey("1/r", "ready", "1", "r", "R"),
		brk:      c.hotkey("2/b", "break", "2", "b", "B"),
		away:     c.hotkey("3/a", "away", "3", "a", "A"),
		redirect: c.hotkey("4/f", "redirect on", "4", "f", "F"),
	}
}

// stateRequest is a SetUserState on its way. It remembers the state it was asked from,
// to tell a repeat of that state (keep waiting) from a different state the server chose
// itself (the request was superseded).
type stateRequest struct {
	id       int
	active   bool
	state    oktell.UserState
	redirect bool
	reason   string // the break reason's id; "" for none
	label    string // what was asked, in the operator's words ("Break: Обед")
	key      string // the same, as its catalog key ("Break"): what the trainer's room is told

	fromKnown    bool
	from         oktell.UserState
	fromRedirect bool
}

// redirectOnly says whether the request only flips the redirect flag, keeping the state.
func (r stateRequest) redirectOnly() bool {
	return r.fromKnown && r.state == r.from && r.redirect != r.fromRedirect
}

// about is what the request's errors are about: its state, or for a redirect request
// its flag. Reaching it later supersedes them.
func (r stateRequest) about() string {
	if r.redirectOnly() {
		return redirectAbout(r.redirect)
	}
	return stateAbout(r.state)
}

func stateAbout(s oktell.UserState) string { return "state " + s.String() }
func redirectAbout(on bool) string {
	if on {
		return "redirect on"
	}
	return "redirect off"
}

// requestOutcome is what a UserStateChanged means to a pending request.
type requestOutcome int

const (
	requestWaiting    requestOutcome = iota // nothing new yet: the old state, repeated
	requestConfirmed                        // the server applied what was asked
	requestSuperseded                       // the server set something else: a call came in, a supervisor acted
)

// outcome judges a state the server reports against the request. A state request is
// confirmed by its state (the server may set redirect on its own), a redirect request by
// its flag (a call may move the state at the same moment). Before any state was known
// there is nothing to tell a repeat from, so an unexpected state keeps the request waiting.
func (r stateRequest) outcome(s oktell.UserState, redirect bool) requestOutcome {
	switch {
	case r.redirectOnly() && redirect == r.redirect:
		return requestConfirmed
	case r.redirectOnly() && s == r.from:
		return requestWaiting
	case r.redirectOnly():
		return requestSuperseded
	case s == r.state:
		return requestConfirmed
	case !r.fromKnown || s == r.from:
		return requestWaiting
	}
	return requestSuperseded
}

func (r *request) update(msg tea.Msg) tea.Cmd {
	p := &r.pending
	switch msg := msg.(type) {
	case updateMsg:
		e := msg.u.Event
		if e == nil || e.Type != oktell.UserStateChanged {
			return nil
		}
		sc, err := e.StateChange()
		if err != nil {
			return nil // the status pane reports it
		}
		// what was asked for and failed, reached after all: its error has had its day
		r.c.post(supersededMsg{stateAbout(sc.State)})
		r.c.post(supersededMsg{redirectAbout(sc.Redirect)})
		if !p.active {
			return nil
		}
		switch p.outcome(sc.State, sc.Redirect) {
		case requestConfirmed:
			p.active = false
		case requestSuperseded:
			// Not a failure of okdash or of the link: say what happened, calmly, at once.
			p.active = false
			word := stateWord(r.c, true, sc.State, oktell.CleanLine(sc.StateName))
			r.c.post(localNote(r.c, r.c.tr("%s was not applied: the server set %s", p.label, word)))
		}
	case linkDownMsg:
		if p.active {
			p.active = false
			r.c.post(failed(r.c, p.about(), r.c.tr("Request for %s lost with the link", p.label)))
		}
	case setStateDoneMsg:
		if msg.err != nil && p.active && p.id == msg.id {
			p.active = false
			r.c.post(failed(r.c, p.about(), r.c.tr("Asked for %s: %v", p.label, requestError(r.c, msg.err))).refusal(msg.err))
		}
	case confirmTimeoutMsg:
		if p.active && p.id == msg.id {
			p.active = false
			r.c.post(failed(r.c, p.about(), r.c.tr("No answer to %s within %s", p.label, r.c.duration(r.c.opts.ConfirmTimeout))))
		}
	}
	return nil
}

// keys are the state hotkeys, on every screen. Each asks for a state from the one the
// status pane shows; closing says that okdash is counting down to its exit. Break takes
// its reason from br: the one named, or the picker when the operator is to choose.
func (r *request) keys(on screen, st *status, br *breaks, closing bool) []binding {
	why := r.whyNot(st, closing)
	sameAs := func(s oktell.UserState, already string) string {
		switch {
		case why != "":
			return why
		case st.known && st.state == s:
			return already
		}
		return why
	}
	redirectWhy := why
	switch {
	case redirectWhy != "":
	case !st.known:
		redirectWhy = "the state is not known yet"
	case !st.state.Requestable(): // redirect is re-sent with the state: only one the operator may ask for
		redirectWhy = "redirect goes with Ready, Break or Away only"
	}
	redirect, label := r.redirect, "Redirect on"
	if st.redirect {
		redirect.SetHelp(redirect.Help().Key, r.c.tr("redirect off"))
		label = "Redirect off"
	}
	ask := func(s oktell.UserState, redirect bool, label string) func() tea.Cmd {
		return func() tea.Cmd { return r.ask(st, s, redirect, label, "", "") }
	}
	onBreak := st.known && st.state == oktell.UserLunch
	brk, breakWhy := r.brk, sameAs(oktell.UserLunch, "already on a break")
	if br.opens(onBreak) && onBreak && breakWhy == "already on a break" {
		// With several reasons, Break on a break changes the reason.
		brk.SetHelp(brk.Help().Key, r.c.tr("change the break reason"))
		breakWhy = ""
	}
	takeBreak := func() tea.Cmd {
		if br.opens(onBreak) {
			br.openPicker(st.reason)
			return nil
		}
		if reason, ok := br.named(); ok {
			return r.askBreak(st, reason)
		}
		return r.ask(st, oktell.UserLunch, st.redirect, "Break", "", "")
	}
	bs := []binding{
		act(r.ready, sameAs(oktell.UserReady, "already ready"), ask(oktell.UserReady, st.redirect, "Ready")).onBar(7),
		act(brk, breakWhy, takeBreak).onBar(6),
		act(r.away, sameAs(oktell.UserOff, "already away"), ask(oktell.UserOff, st.redirect, "Away")).onBar(5),
		// the break's reason goes with it, so that redirect does not change the reason
		act(redirect, redirectWhy, func() tea.Cmd { return r.ask(st, st.state, !st.redirect, label, "", st.reason) }).onBar(4),
	}
	if why == "" && st.known && st.state == oktell.UserWOphone {
		// Oktell refuses every state until the phone line registers (protocol.md 1.3; the
		// demo's server refuses them so): offer none rather than a sure refusal.
		for i := range bs[:3] { // ready, break, away
			bs[i] = bs[i].because(oktell.Because(oktell.ReasonNoPhoneLine))
		}
	}
	for i := range bs {
		bs[i] = bs[i].listed(groupState)
		if r.pending.active && why == "a request is waiting for Oktell's answer" {
			bs[i] = bs[i].holding() // back as soon as the server answers
		}
		if on != screenMain {
			bs[i].bar = 0
		}
	}
	return bs
}

// whyNot says why no state may be asked for now, or "".
func (r *request) whyNot(st *status, closing bool) string {
	switch {
	case r.c.caps.ReadOnly:
		return "this source only shows what happened"
	case r.c.session == nil || !r.c.caps.SetUserState:
		return "this source cannot change the state"
	case st.ended:
		return "the source has ended"
	case !st.linkUsable():
		return "no link to Oktell"
	case r.pending.active:
		return "a request is waiting for Oktell's answer"
	case closing:
		return "okdash is closing"
	}
	return ""
}

// ask sends SetUserState (with the break reason when there is one) and marks it pending
// until the server confirms it. key is what was asked, as its catalog key ("Break": the
// trainer's room says it in its own language); label the same in the operator's words
// when it says more ("Break: Обед"), "" for key's.
func (r *request) ask(st *status, s oktell.UserState, redirect bool, key, label, reason string) tea.Cmd {
	if label == "" {
		label = r.c.tr(key)
	}
	r.seq++
	r.pending = stateRequest{
		id: r.seq, active: true, state: s, redirect: redirect, reason: reason, label: label, key: key,
		fromKnown: st.known, from: st.state, fromRedirect: st.redirect,
	}
	return tea.Batch(
		setStateCmd(r.c.session, r.seq, s, redirect, reason, r.c.opts.RequestTimeout),
		confirmTimeoutCmd(r.c.clock, r.seq, r.c.opts.ConfirmTimeout),
	)
}

// askBreak asks for a break for reason, keeping redirect; the picker calls it too. It
// checks again what the Break key checked: the picker may have stayed open a while.
func (r *request) askBreak(st *status, reason oktell.BreakReason) tea.Cmd {
	if why := r.whyNot(st, false); why != "" {
		r.c.post(keyRefusedMsg{help: r.brk.Help(), why: r.c.tr(why)})
		return nil
	}
	return r.ask(st, oktell.UserLunch, st.redirect, "Break", r.c.tr("Break: %s", oktell.CleanLine(reason.Name)), reason.ID)
}

// segment is the header's segment of a pending request: what was asked, waiting.
func (r *request) segment() string {
	if !r.pending.active {
		return ""
	}
	return r.c.theme.Warning.Render(r.c.theme.Icons.Pending + " " + r.pending.label)
}

// requestError says why a request failed, in the operator's words: "refused" only when
// the server refused it, a plain "no answer" when it did not answer in time.
func requestError(c *common, err error) string {
	var refused *oktell.RefusedError
	switch {
	case errors.As(err, &refused) && refused.By == oktell.RefuserRoom:
		return say(c.print, refused.Why) // the label says who refused
	case errors.As(err, &refused) && !refused.Why.IsZero():
		return c.tr("refused: %s", say(c.print, refused.Why))
	case errors.As(err, &refused):
		return c.tr("refused")
	case errors.Is(err, context.DeadlineExceeded):
		return c.tr("no answer from Oktell within %s", c.duration(c.opts.RequestTimeout))
	case errors.Is(err, oktell.ErrTimeout), isTimeout(err):
		// a timeout of the source's own, whose length the dashboard does not know
		return c.tr("no answer from Oktell in time")
	}
	return sayError(c.print, err)
}

// isTimeout recognises a timeout reported by the network (net.Error) rather than by the
// request's context.
func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}
