package ui

import (
	"github.com/okdash/okdash/oktell"
)

// What the operator asked for, as a replayed recording tells it (oktell.Update.Sent):
// their state requests, and the refusals, in the history; their messages in the
// messages pane. It is the past: nothing here changes the state, tracks a request,
// shows a toast or rings.

func init() { words(sentWords) }

// sentWords declares the words of sent.go in Russian (see words).
func sentWords() {
	russian(map[string]string{
		"You asked for %s (redirect on)":             "Вы запросили «%s» (переадресация вкл.)",
		"You asked for %s (redirect off)":            "Вы запросили «%s» (переадресация выкл.)",
		"You asked for %s (redirect on), reason %s":  "Вы запросили «%s» (переадресация вкл.), причина: %s",
		"You asked for %s (redirect off), reason %s": "Вы запросили «%s» (переадресация выкл.), причина: %s",
		"a state":     "состояние",
		"a colleague": "коллеге",
		"not sent":    "не отправлено",
	})
}

// maxAsked bounds the state requests remembered for their outcomes: an outcome follows
// its request closely, and one whose request is forgotten is still told.
const maxAsked = 64

// asked is a replayed state request, by its id, until its outcome.
type asked struct {
	id    string
	label string // the state asked for, in the operator's words
}

// sent puts a replayed state request in the history, and its outcome when the request
// was refused, as a refusal is told live; an accepted one needs nothing (the state
// change that follows shows it).
func (h *history) sent(u oktell.Update) {
	c, s := h.c, u.Sent
	if s.Kind != oktell.SentState {
		return
	}
	if !s.Answered {
		label := stateWord(c, true, s.State, "")
		if len(h.asked) == maxAsked {
			h.asked = append(h.asked[:0], h.asked[1:]...)
		}
		h.asked = append(h.asked, asked{id: s.ID, label: label})
		text := c.tr("You asked for %s (redirect off)", label)
		if s.Redirect {
			text = c.tr("You asked for %s (redirect on)", label)
		}
		if reason := breakReason(s); reason != "" {
			text = c.tr("You asked for %s (redirect off), reason %s", label, reason)
			if s.Redirect {
				text = c.tr("You asked for %s (redirect on), reason %s", label, reason)
			}
		}
		c.post(noteMsg{note{at: u.At, typ: oktell.NltApplicationInfo, text: text, local: true, quiet: true}})
		return
	}
	label := c.tr("a state")
	for i := len(h.asked) - 1; i >= 0; i-- {
		if h.asked[i].id == s.ID {
			label = h.asked[i].label
			h.asked = append(h.asked[:i], h.asked[i+1:]...)
			break
		}
	}
	if !s.Why.IsZero() {
		c.post(noteMsg{note{at: u.At, typ: oktell.NltApplicationErr, local: true, quiet: true,
			text: c.tr("Asked for %s: %v", label, sentRefusal(c, s.Why))}})
	}
}

// breakReason is a request's break reason as the operator chose it: its name when the
// source knew it, else its id.
func breakReason(s *oktell.Sent) string {
	if name := oktell.CleanLine(s.BreakName); name != "" {
		return name
	}
	return oktell.CleanLine(s.BreakReason)
}

// sent shows a replayed message the operator wrote, as their reply shows live, to the
// name the messages know for its recipient; a refused one is marked and its refusal
// told in the history.
func (m *messages) sent(u oktell.Update) {
	s := u.Sent
	if s.Kind != oktell.SentMessage {
		return
	}
	if !s.Answered {
		to := oktell.CleanLine(s.To)
		m.add(&msgEntry{at: u.At, senderID: to, sender: m.nameOf(to), text: oktell.CleanText(s.Text),
			outgoing: true, read: true, sentID: s.ID})
		return
	}
	if s.Why.IsZero() {
		return
	}
	to := m.c.tr("a colleague") // an outcome names no recipient: its request does
	for i := len(m.items) - 1; i >= 0; i-- {
		if e := m.items[i]; e.outgoing && e.sentID != "" && e.sentID == s.ID {
			e.refused, to = true, e.sender
			break
		}
	}
	c := m.c
	c.post(noteMsg{note{at: u.At, typ: oktell.NltApplicationErr, local: true, quiet: true,
		text: c.tr("Could not send to %s: %v", to, sentRefusal(c, s.Why))}})
}

// nameOf is the name of the user id as the newest message from them gives it, else the id.
func (m *messages) nameOf(id string) string {
	for i := len(m.items) - 1; i >= 0; i-- {
		if e := m.items[i]; !e.outgoing && e.senderID == id && e.sender != "" {
			return e.sender
		}
	}
	return id
}

// sentRefusal says why a replayed request failed, in the operator's words as a live
// refusal says it (requestError), from the reason's code the recording's reader gave.
func sentRefusal(c *common, why oktell.Reason) string {
	if why.Code == oktell.ReasonRefusedByServer && len(why.Args) == 1 {
		inner, _ := why.Args[0].(oktell.Reason)
		if inner.IsZero() || inner.Code == oktell.ReasonNoReasonGiven {
			return c.tr("refused")
		}
		return c.tr("refused: %s", say(c.print, inner))
	}
	return say(c.print, why)
}
