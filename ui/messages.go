package ui

import (
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/okdash/okdash/oktell"
)

// msgEntry is one instant message, already sanitized, with its wrapped text cached for
// the last width it was drawn at (a frame draws only the visible ones).
type msgEntry struct {
	guid     string // Oktell's id of the delivery, to show a repeated delivery once
	at       time.Time
	senderID string
	sender   string
	text     string
	outgoing bool   // a reply the operator sent
	read     bool   // arrived read: a followed log's backlog, the operator's own message in a replay
	sentID   string // a replayed message's request id, for its outcome (sent.go)
	refused  bool   // a replayed message that was not sent

	body wrapped
}

// wrapped returns the message's body lines at width w (w >= 1).
func (e *msgEntry) wrapped(w int) []string { return e.body.at(w, e.text, wrapBody) }

// wrapBody wraps a message body to w cells, paragraph by paragraph.
func wrapBody(text string, w int) []string {
	var lines []string
	for _, para := range strings.Split(text, "\n") {
		if para == "" {
			lines = append(lines, "")
			continue
		}
		// Wrap breaks at spaces by display width; graphemes wider than w are cut hard.
		for _, l := range strings.Split(wrap(para, w), "\n") {
			lines = append(lines, ansi.Truncate(strings.TrimRight(l, " "), w, ""))
		}
	}
	return lines
}

// height is the number of screen lines the message takes at body width w.
func (e *msgEntry) height(w int) int { return 1 + len(e.wrapped(w)) }

// messages is the messenger: the instant messages, bounded, newest last, with a
// selection and a scroll position. bottom is the index of the message drawn at the
// pane's bottom; -1 follows the newest. sel is the selected message; -1 is none.
type messages struct {
	c      *common
	items  []*msgEntry
	seen   guidIndex // the GUIDs of the messages kept
	sel    int
	bottom int
	unread int

	up, down, pageUp, pageDown, newest, back key.Binding
}

func init() { words(messagesWords) }

// messagesWords declares the words of messages.go in Russian (see words).
func messagesWords() {
	russian(map[string]string{
		"up": "вверх", "down": "вниз", "page up": "стр. вверх", "page down": "стр. вниз", "newest": "к новым",
		"Messages":                      "Сообщения",
		"no messages yet":               "сообщений пока нет",
		"me":                            "я",
		"no messages to scroll through": "сообщений нет",
		"already at the newest":         "уже у новых",
		"no message is selected":        "сообщение не выбрано",
	})
}

func newMessages(c *common) messages {
	m := messages{c: c, seen: guidIndex{}, sel: -1, bottom: -1,
		newest: c.hotkey("end/G", "newest", "end", "G"), back: c.hotkey("esc", "back", "esc"),
	}
	m.up, m.down, m.pageUp, m.pageDown = scrollKeys(c)
	return m
}

func (m *messages) update(msg tea.Msg) tea.Cmd {
	c := m.c
	switch msg := msg.(type) {
	case updateMsg:
		e := msg.u.Event
		if msg.u.Sent != nil {
			m.sent(msg.u)
		}
		if e == nil || e.Type != oktell.UserMessage {
			return nil
		}
		om, err := e.Message()
		if m.seen.has(om.GUID) {
			return nil // delivered again: shown once
		}
		entry := &msgEntry{guid: om.GUID, at: om.Time, senderID: oktell.CleanLine(om.SenderID),
			sender: oktell.CleanLine(om.SenderName), text: oktell.CleanText(om.Text)}
		if entry.at.IsZero() || err != nil {
			entry.at = msg.u.At
		}
		if entry.sender == "" {
			entry.sender = entry.senderID
		}
		entry.read = msg.u.Backlog // catch-up: there, but no unread storm and no bell
		m.add(entry)
		if entry.read {
			return nil
		}
		return c.bell()
	case sentMsg:
		if msg.to != nil && msg.err == nil {
			m.add(&msgEntry{at: c.now, senderID: msg.to.senderID, sender: msg.to.sender, text: oktell.CleanText(msg.text), outgoing: true})
			m.follow()
		}
	case screenMsg:
		if msg.to == screenMain && m.following() {
			m.unread = 0
		}
	case tea.WindowSizeMsg:
		m.ensureVisible()
	}
	return nil
}

func (m *messages) following() bool { return m.bottom < 0 }

// add appends a message, dropping the oldest beyond the limit, and counts it unread
// when the operator will not see it at once (scrolled up, or another screen shown).
func (m *messages) add(e *msgEntry) {
	m.items = append(m.items, e)
	m.seen.add(e.guid)
	if over := len(m.items) - m.c.opts.MaxMessages; over > 0 {
		for _, old := range m.items[:over] {
			m.seen.remove(old.guid)
		}
		n := copy(m.items, m.items[over:])
		clear(m.items[n:])
		m.items = m.items[:n]
		if m.sel >= 0 {
			m.sel = max(m.sel-over, 0) // a selected message dropped: the oldest kept
		}
		if m.bottom >= 0 {
			m.bottom = max(m.bottom-over, 0)
			m.fill()
		}
	}
	if !e.read && (!m.following() || m.c.screen != screenMain) {
		m.unread++
	}
	// the unread are the newest, below the view: never more than are kept there
	if m.following() {
		m.unread = min(m.unread, len(m.items))
	} else {
		m.unread = min(m.unread, len(m.items)-1-m.bottom)
	}
}

// fill moves the view down while the messages from the oldest kept to its bottom do not
// fill the pane: old messages dropped from under the view leave no empty rows above it.
func (m *messages) fill() {
	w, h := m.c.lay.listWidth, m.c.lay.listRows
	used := 0
	for i := m.bottom; i >= 0 && used < h; i-- {
		used += m.items[i].height(w)
	}
	for used < h && m.bottom < len(m.items)-1 {
		m.bottom++
		used += m.items[m.bottom].height(w)
	}
}

// selected returns the selected message, or the newest when none is selected.
func (m *messages) selected() *msgEntry {
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
func (m *messages) replyTarget() *msgEntry {
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

func (m *messages) keys(on screen) []binding {
	if on != screenMain {
		return nil
	}
	why := ""
	if len(m.items) == 0 {
		why = "no messages to scroll through"
	}
	whyNewest := why
	if why == "" && m.following() && m.sel < 0 {
		whyNewest = "already at the newest"
	}
	whyBack := ""
	if m.sel < 0 {
		whyBack = "no message is selected"
	}
	move := func(d func(h int) int) func() tea.Cmd {
		return func() tea.Cmd { m.move(d(m.c.lay.listRows)); return nil }
	}
	page := func(h int) int { return max(h/3, 1) }
	follow := func() tea.Cmd { m.follow(); return nil }
	return []binding{
		act(m.up, why, move(func(int) int { return -1 })).listed(groupMessenger),
		act(m.down, why, move(func(int) int { return 1 })).listed(groupMessenger),
		act(m.pageUp, why, move(func(h int) int { return -page(h) })).listed(groupMessenger),
		act(m.pageDown, why, move(page)).listed(groupMessenger),
		act(m.newest, whyNewest, follow).listed(groupMessenger),
		act(m.back, whyBack, follow).silently(), // esc leaves the selection: the help lists esc once, as "back"
	}
}

// move moves the selection by d messages and keeps it in view.
func (m *messages) move(d int) {
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
	m.ensureVisible()
}

// follow drops the selection and returns to the newest message.
func (m *messages) follow() {
	m.sel, m.bottom, m.unread = -1, -1, 0
}

// ensureVisible scrolls so that the selected message is in view.
func (m *messages) ensureVisible() {
	w, h := m.c.lay.listWidth, m.c.lay.listRows
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

// title is the pane's rule title and its unread count.
func (m *messages) title() (string, string) {
	extra := ""
	if m.unread > 0 {
		extra = m.c.tr("%d unread", m.unread)
	}
	return m.c.tr("Messages"), extra
}

// view draws the messages that fit in rows lines at body width w, the newest (or the
// scrolled-to one) at the bottom: only what is visible, so a frame does not grow with
// the list.
func (m *messages) view(w, rows int) []string {
	out := make([]string, 0, rows)
	items := m.items
	if len(items) == 0 {
		for len(out) < rows-1 {
			out = append(out, "")
		}
		return append(out, "   "+m.c.theme.Muted.Render(m.c.tr("no messages yet")))
	}
	bottom := m.bottom
	if bottom < 0 || bottom >= len(items) {
		bottom = len(items) - 1
	}
	var blocks [][]string
	used, topIdx := 0, bottom
	for i := bottom; i >= 0 && used < rows; i-- {
		b := m.entry(items[i], i == m.sel, w)
		blocks = append(blocks, b)
		used += len(b)
		topIdx = i
	}
	for used < rows {
		out = append(out, "")
		used++
	}
	var lines []string
	for j := len(blocks) - 1; j >= 0; j-- {
		lines = append(lines, blocks[j]...)
	}
	if over := len(out) + len(lines) - rows; over > 0 {
		if topIdx == m.sel {
			// a selected message taller than what is left shows its beginning
			lines = lines[:len(lines)-over]
		} else {
			lines = lines[over:]
		}
	}
	return append(out, lines...)
}

func (m *messages) entry(e *msgEntry, selected bool, w int) []string {
	th := m.c.theme
	gutter := " "
	if selected {
		gutter = th.Accent.Render(th.Icons.Selected)
	}
	who := th.Sender.Render(e.sender)
	if e.outgoing {
		who = th.Muted.Render(m.c.tr("me")+" "+th.Icons.Outgoing+" ") + th.Sender.Render(e.sender)
		if e.refused {
			who += " " + th.Warning.Render("("+m.c.tr("not sent")+")")
		}
	}
	lines := []string{gutter + " " + th.Time.Render(e.at.Format("15:04")) + " " + who}
	for _, l := range e.wrapped(w) {
		lines = append(lines, gutter+"  "+l)
	}
	return lines
}
