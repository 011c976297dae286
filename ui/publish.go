package ui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/okdash/okdash/room"
)

// What a dashboard shows the trainer's room of okdash serve: after each Update, the
// operator's state, the request on its way and the last key pressed, handed to
// Options.Publish when they changed. Publish must not wait (room.Trainee.Publish does
// not); a text typed into a line is never shown, only that the operator is typing.

// publisher is what the dashboard last published, and the last key pressed.
type publisher struct {
	last  room.Snapshot
	sent  bool
	key   string
	keyAt time.Time
}

// pressed notes a key for the room, before the dashboard handles it: typing says that
// a line holding the focus (a reply) takes it as text.
func (p *publisher) pressed(k tea.KeyMsg, typing bool, at time.Time) {
	p.key, p.keyAt = keyName(k, typing), at
}

// keyName is the name the room sees of k: the key's own ("b", "enter", "up"), or
// room.KeyTyping for text typed into a line that holds the focus, so that what an
// operator writes is never shown; a paste is named, not shown.
func keyName(k tea.KeyMsg, typing bool) string {
	text := k.Type == tea.KeyRunes || k.Type == tea.KeySpace
	switch {
	case typing && (text || k.Paste):
		return room.KeyTyping
	case k.Paste || (k.Type == tea.KeyRunes && len(k.Runes) > 1):
		return "paste"
	}
	return k.String()
}

// publish hands the room what the dashboard shows now, when it changed since the last
// time: an idle dashboard publishes nothing (the room counts the time in state itself).
func (m *Model) publish() {
	c := m.c
	if c.opts.Publish == nil {
		return
	}
	st := &m.status
	s := room.Snapshot{
		Known: st.known, State: st.state, StateName: st.stateName, Since: st.since, Redirect: st.redirect,
		Stale: st.stale, Link: st.link, Ended: st.ended, LastKey: c.pub.key, LastKeyAt: c.pub.keyAt,
	}
	if p := m.request.pending; p.active {
		s.Pending = p.key
	}
	if c.pub.sent && s == c.pub.last {
		return
	}
	c.pub.last, c.pub.sent = s, true
	c.opts.Publish(s)
}

// PublishTo returns the dashboard telling f what it shows (see Options.Publish): okdash
// serve lists each dashboard in the trainer's room this way. Call it before the program
// runs.
func (m Model) PublishTo(f func(room.Snapshot)) Model {
	m.c.opts.Publish = f
	return m
}
