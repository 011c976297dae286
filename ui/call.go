package ui

import (
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/okdash/okdash/oktell"
)

// call is the operator's phone line and its call as the session last reported it: the
// second line of the screen while a call rings, is dialled, talks or waits on hold
// (with the queue's count beside it, see deskLine), and the window title while it rings.
// A source that cannot report the line (Capabilities.Line) never shows one.
type call struct {
	c *common

	known bool // the source has reported the line at least once
	state oktell.LineState
	// The call as it is shown: its texts cleaned once, when it arrived.
	dir                  oktell.CallDirection
	number, name, info   string
	conference           bool
	talkStart, holdStart time.Time
	prev                 *oktell.Call // the call as the source last sent it, to tell a new call from the same one
	stale                bool         // the link went down: the line is the last the source said
}

func init() { words(callWords) }

// callWords declares the words of call.go in Russian (see words).
func callWords() {
	russian(map[string]string{
		"Calling":        "Вызов",
		"Talking":        "Разговор",
		"Conference":     "Конференция",
		"On hold":        "Удержание",
		"unknown number": "номер не определён",
	})
}

func newCall(c *common) call { return call{c: c} }

func (k *call) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case updateMsg:
		if l := msg.u.Line; l != nil && k.c.caps.Line {
			return k.set(*l, msg.u.At)
		}
	case linkDownMsg:
		k.stale = k.known && k.state.InCall()
	}
	return nil
}

// set takes the line as the source now knows it (the whole state), and rings the bell
// when a call starts ringing.
func (k *call) set(l oktell.LineUpdate, at time.Time) tea.Cmd {
	wasRinging, prev := k.state == oktell.LineRinging, k.prev
	k.known, k.stale, k.state = true, false, l.State
	if !l.State.InCall() || l.Call == nil {
		k.prev = nil
		k.number, k.name, k.info, k.talkStart, k.holdStart = "", "", "", time.Time{}, time.Time{}
		return nil
	}
	cl := *l.Call
	same := prev.Same(&cl) || (prev != nil && cl.Number == "" && cl.ChainID == "" && prev.Number == "" && prev.ChainID == "")
	k.prev = &cl
	k.dir, k.conference = cl.Direction, cl.Conference
	k.number, k.name = oktell.CleanLine(cl.Number), oktell.CleanLine(cl.Name)
	k.info = oneLine(cl.Info)
	// A source that does not know when the talk began (or the hold) is timed from when
	// the dashboard first saw it, for as long as it is the same call.
	if !same {
		k.talkStart, k.holdStart = time.Time{}, time.Time{}
	}
	switch {
	case !cl.TalkStart.IsZero():
		k.talkStart = cl.TalkStart
	case l.State == oktell.LineTalking || l.State == oktell.LineOnHold:
		if k.talkStart.IsZero() {
			k.talkStart = at
		}
	default:
		k.talkStart = time.Time{}
	}
	switch {
	case l.State != oktell.LineOnHold:
		k.holdStart = time.Time{}
	case !cl.HoldStart.IsZero():
		k.holdStart = cl.HoldStart
	case k.holdStart.IsZero():
		k.holdStart = at
	}
	if l.State == oktell.LineRinging && !(wasRinging && same) {
		return k.c.callBell() // a call starts ringing: once, not on every repeat of the same ring
	}
	return nil
}

// oneLine is a free text (a CRM note, a greeting) cleaned and put on one line: its
// line breaks become " · ", runs of spaces one space.
func oneLine(s string) string {
	var parts []string
	for _, l := range strings.Split(oktell.CleanText(s), "\n") {
		if l = strings.Join(strings.Fields(l), " "); l != "" {
			parts = append(parts, l)
		}
	}
	return strings.Join(parts, " · ")
}

// active says whether a call is on the line to show.
func (k *call) active() bool { return k.known && k.state.InCall() }

// ringing says whether a call rings now (the link being up).
func (k *call) ringing() bool { return k.active() && k.state == oktell.LineRinging && !k.stale }

// word is the line's state in the operator's words, with its timer when it has one.
func (k *call) word() string {
	c := k.c
	switch k.state {
	case oktell.LineRinging:
		if k.dir == oktell.DirectionCallback {
			return c.tr("Callback")
		}
		return c.tr("Incoming call")
	case oktell.LineCalling:
		return c.tr("Calling")
	case oktell.LineTalking:
		w := c.tr("Talking")
		if k.conference {
			w = c.tr("Conference")
		}
		return w + " " + FormatDuration(c.now.Sub(k.talkStart))
	case oktell.LineOnHold:
		return c.tr("On hold") + " " + FormatDuration(c.now.Sub(k.holdStart))
	}
	return ""
}

// badge is the call's first segment: its glyph and word on the state's colour; a ringing
// call blinks where the terminal and NO_COLOR allow.
func (k *call) badge() string {
	th, ic := k.c.theme, k.c.theme.Icons
	st, glyph := th.CallTalking, ic.Talking
	switch k.state {
	case oktell.LineRinging:
		st, glyph = th.CallRinging, ic.Ringing
	case oktell.LineCalling:
		st, glyph = th.CallDialing, ic.Dialing
	case oktell.LineOnHold:
		st, glyph = th.CallHold, ic.OnHold
	}
	text := " " + glyph + " " + k.word() + " "
	if k.stale {
		return th.Warning.Render(ic.Stale) + " " + th.Muted.Render(strings.TrimSpace(text)+" ("+k.c.tr("stale")+")")
	}
	return st.Render(text)
}

// parts are the call's segment on the second line: what must show (the badge and the
// number), then the name and the free text, each "" when there is none (or no call).
func (k *call) parts() (must, name, info string) {
	if !k.active() {
		return "", "", ""
	}
	th := k.c.theme
	num := th.CallNumber.Render(k.number)
	if k.number == "" {
		num = th.Muted.Render(k.c.tr("unknown number"))
	}
	must = k.badge() + " " + num
	if k.name != "" {
		name = " " + th.CallName.Render(k.name)
	}
	if k.info != "" {
		info = th.CallInfo.Render(" · " + k.info)
	}
	return must, name, info
}

// maxTitleWidth bounds the window title: a name is at most oktell.MaxNameLen bytes, but
// a title bar shows far less.
const maxTitleWidth = 120

// title is what the window title gains while a call rings: its glyph, word, number and
// name, so that a minimised terminal shows who calls.
func (k *call) title() string {
	if !k.ringing() {
		return ""
	}
	t := k.c.theme.Icons.Ringing + " " + k.word()
	if k.number != "" {
		t += " " + k.number
	}
	if k.name != "" {
		t += " " + k.name
	}
	return ansi.Truncate(t, maxTitleWidth, k.c.theme.Icons.Ellipsis)
}
