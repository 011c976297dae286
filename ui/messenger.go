package ui

import (
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// msgEntry is one instant message, already sanitized, with its wrapped text cached for
// the last width it was drawn at (a frame draws only the visible ones).
type msgEntry struct {
	guid     string // Oktell's id of the delivery, to show a repeated delivery once
	at       time.Time
	senderID string
	sender   string
	text     string
	outgoing bool // a reply the operator sent

	wrapW int
	lines []string
}

// wrapped returns the message's body lines at width w (w >= 1).
func (e *msgEntry) wrapped(w int) []string {
	if e.wrapW == w && e.lines != nil {
		return e.lines
	}
	var lines []string
	for _, para := range strings.Split(e.text, "\n") {
		if para == "" {
			lines = append(lines, "")
			continue
		}
		// Wrap breaks at spaces by display width; graphemes wider than w are cut hard.
		for _, l := range strings.Split(wrap(para, w), "\n") {
			lines = append(lines, ansi.Truncate(strings.TrimRight(l, " "), w, ""))
		}
	}
	e.wrapW, e.lines = w, lines
	return lines
}

// height is the number of screen lines the message takes at body width w.
func (e *msgEntry) height(w int) int { return 1 + len(e.wrapped(w)) }

// messenger is the message list: bounded, newest last, with a selection and a scroll
// position. bottom is the index of the message drawn at the pane's bottom; -1 follows
// the newest. sel is the selected message; -1 is none.
type messenger struct {
	items  []*msgEntry
	max    int
	sel    int
	bottom int
	unread int
}

func newMessenger(max int) *messenger { return &messenger{max: max, sel: -1, bottom: -1} }

func (m *messenger) following() bool { return m.bottom < 0 }

// add appends a message, dropping the oldest beyond the limit. It reports whether the
// operator will not see it at once (scrolled up), so the caller counts it unread.
func (m *messenger) add(e *msgEntry) {
	m.items = append(m.items, e)
	if len(m.items) > m.max {
		drop := len(m.items) - m.max
		copy(m.items, m.items[drop:])
		for i := len(m.items) - drop; i < len(m.items); i++ {
			m.items[i] = nil
		}
		m.items = m.items[:m.max]
		if m.sel >= 0 {
			m.sel = max(m.sel-drop, 0)
		}
		if m.bottom >= 0 {
			m.bottom = max(m.bottom-drop, 0)
		}
	}
}

// selected returns the selected message, or the newest when none is selected.
func (m *messenger) selected() *msgEntry {
	if len(m.items) == 0 {
		return nil
	}
	if m.sel >= 0 && m.sel < len(m.items) {
		return m.items[m.sel]
	}
	return m.items[len(m.items)-1]
}

// replyTarget is the message a reply goes to: the selected one, or the newest message
// someone else sent.
func (m *messenger) replyTarget() *msgEntry {
	if m.sel >= 0 && m.sel < len(m.items) {
		if e := m.items[m.sel]; !e.outgoing && e.senderID != "" {
			return e
		}
		return nil
	}
	for i := len(m.items) - 1; i >= 0; i-- {
		if e := m.items[i]; !e.outgoing && e.senderID != "" {
			return e
		}
	}
	return nil
}

// move moves the selection by d messages and keeps it in view of a pane h lines high
// with body width w.
func (m *messenger) move(d, w, h int) {
	n := len(m.items)
	if n == 0 {
		return
	}
	if m.sel < 0 {
		m.sel = n - 1
		if d < 0 {
			d++
		}
	}
	m.sel = min(max(m.sel+d, 0), n-1)
	m.ensureVisible(w, h)
}

// follow drops the selection and returns to the newest message.
func (m *messenger) follow() {
	m.sel, m.bottom, m.unread = -1, -1, 0
}

// ensureVisible scrolls so the selected message is in view.
func (m *messenger) ensureVisible(w, h int) {
	if m.sel < 0 || h <= 0 {
		return
	}
	bottom := m.bottom
	if bottom < 0 {
		bottom = len(m.items) - 1
	}
	if m.sel > bottom {
		bottom = m.sel
	}
	// The selected message's first line (its time and sender) must be in view: when the
	// messages from it down to the bottom do not fit, put it at the top instead.
	used := 0
	for i := m.sel; i <= bottom; i++ {
		used += m.items[i].height(w)
	}
	if used > h {
		// the last message that still fits wholly below the selected one
		used, b := 0, m.sel
		for i := m.sel; i < len(m.items); i++ {
			used += m.items[i].height(w)
			if used > h && i > m.sel {
				break
			}
			b = i
		}
		bottom = b
	}
	if bottom >= len(m.items)-1 && m.sel == len(m.items)-1 {
		m.bottom = len(m.items) - 1 // pinned at the newest while a selection exists
	} else {
		m.bottom = bottom
	}
	if m.bottom >= len(m.items)-1 {
		m.unread = 0
	}
}

// top is the index of the first message that is wholly or partly visible when bottom is
// drawn at the pane's bottom.
func (m *messenger) top(bottom, w, h int) int {
	used := 0
	i := bottom
	for ; i >= 0; i-- {
		used += m.items[i].height(w)
		if used >= h {
			return i
		}
	}
	return 0
}
