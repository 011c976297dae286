package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/okdash/okdash/oktell"
)

// history is every notification, Oktell's and okdash's own, newest last, bounded: the
// screen where a toast that hid itself or was cut is read whole. It decides which of
// Oktell's notifications are new (a delivery repeated with the same GUID is shown once)
// and posts those as noteMsg, with okdash's own warnings about skipped input.
type history struct {
	c     *common
	notes []*kept   // oldest first
	seen  guidIndex // the GUIDs of the notes kept
	off   int       // how many of the newest are scrolled past
	asked []asked   // the last state requests of a replayed recording, for their outcomes (sent.go)

	open, back, up, down, pageUp, pageDown key.Binding
}

// kept is a note in the history, with its text wrapped for the last width it was drawn at.
type kept struct {
	n    note
	body wrapped
}

func init() {
	russian(map[string]string{
		"notifications":                "уведомления",
		"back":                         "назад",
		"Notifications":                "Уведомления",
		"no notifications yet":         "уведомлений пока нет",
		"no notification to scroll to": "прокручивать нечего",
	})
}

func newHistory(c *common) history {
	h := history{c: c, seen: guidIndex{},
		open: c.hotkey("n", "notifications", "n", "N"), back: c.hotkey("esc", "back", "esc"),
	}
	h.up, h.down, h.pageUp, h.pageDown = scrollKeys(c)
	return h
}

// scrollKeys are the keys that move through a list; the arrows' names follow the icon
// set (a console without Unicode reads "up/k").
func scrollKeys(c *common) (up, down, pageUp, pageDown key.Binding) {
	ic := c.theme.Icons
	upKey, downKey := "↑/k", "↓/j"
	if ic.Up != "" {
		upKey, downKey = ic.Up+"/k", ic.Down+"/j"
	}
	return c.hotkey(upKey, "up", "up", "k"), c.hotkey(downKey, "down", "down", "j"),
		c.hotkey("pgup", "page up", "pgup"), c.hotkey("pgdn", "page down", "pgdown")
}

func (h *history) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case updateMsg:
		u := msg.u
		if u.Err != nil {
			// The session goes on; the operator should still learn that something was skipped.
			w := localWarning(h.c, sayError(h.c.print, u.Err))
			if u.Backlog { // in the history, at its place in the log
				w.n.at, w.n.quiet = u.At, true
			}
			h.c.post(w)
		}
		if u.Event != nil && u.Event.Type == oktell.Notify {
			if n, fresh := h.arrived(u); fresh {
				n.quiet = u.Backlog // catch-up: in the history, no toast
				h.c.post(noteMsg{n})
			}
		}
		if u.Sent != nil {
			h.sent(u)
		}
	case noteMsg:
		h.keep(msg.n)
	case screenMsg:
		if msg.to == screenHistory {
			h.off = 0
		}
	}
	return nil
}

// arrived reads a Notify, and says whether it is a first delivery.
func (h *history) arrived(u oktell.Update) (note, bool) {
	n, err := u.Event.Notification()
	if h.seen.has(n.GUID) {
		return note{}, false // delivered again (a followed log rewritten): shown once
	}
	nt := note{guid: n.GUID, at: n.Time, typ: n.Type, argb: n.BackColorARGB,
		sender: oktell.CleanLine(n.Sender), text: oktell.CleanLine(n.Text), dbsaved: n.DBSaved, autohide: n.AutoHide}
	if nt.at.IsZero() {
		nt.at = u.At
	}
	if err != nil && nt.text == "" {
		nt.text = oktell.CleanLine(err.Error())
	}
	return nt, true
}

// keep adds a note, dropping the oldest beyond the limit.
func (h *history) keep(n note) {
	h.notes = append(h.notes, &kept{n: n})
	h.seen.add(n.guid)
	if over := len(h.notes) - h.c.opts.MaxHistory; over > 0 {
		for _, old := range h.notes[:over] {
			h.seen.remove(old.n.guid)
		}
		n := copy(h.notes, h.notes[over:])
		clear(h.notes[n:])
		h.notes = h.notes[:n]
	}
}

func (h *history) keys(on screen) []binding {
	c := h.c
	toggle := act(h.open, "", func() tea.Cmd {
		to := screenHistory
		if c.screen == screenHistory {
			to = screenMain
		}
		c.post(screenMsg{to})
		return nil
	}).listed(groupViews)
	if on != screenHelp {
		toggle = toggle.onBar(8)
	}
	if on != screenHistory {
		return []binding{toggle}
	}
	why := ""
	if len(h.notes) == 0 {
		why = "no notification to scroll to"
	}
	page := max(c.lay.listRows-1, 1)
	scroll := func(d int) func() tea.Cmd {
		return func() tea.Cmd {
			// wrapped entries take several lines, so scrolling may go on until the oldest is at the top
			h.off = min(max(h.off+d, 0), max(len(h.notes)-1, 0))
			return nil
		}
	}
	return []binding{
		act(h.up, why, scroll(-1)).onBar(1),
		act(h.down, why, scroll(1)).onBar(2),
		act(h.pageUp, why, scroll(-page)),
		act(h.pageDown, why, scroll(page)),
		toggle,
		act(h.back, "", func() tea.Cmd { c.post(screenMsg{screenMain}); return nil }).onBar(3),
	}
}

// title is the history screen's rule title and count.
func (h *history) title() (string, string) {
	return h.c.tr("Notifications"), fmt.Sprintf("%d", len(h.notes))
}

// view draws the history into w x rows: newest first, each note's whole text wrapped
// under itself.
func (h *history) view(w, rows int) []string {
	c, th := h.c, h.c.theme
	out := make([]string, 0, rows)
	if len(h.notes) == 0 {
		return append(out, "   "+th.Muted.Render(c.tr("no notifications yet")))
	}
	for i := len(h.notes) - 1 - h.off; i >= 0 && len(out) < rows; i-- {
		k := h.notes[i]
		n := k.n
		saved := " "
		if n.dbsaved {
			saved = th.Accent.Render(th.Icons.Saved)
		}
		label := noteLabel(c, n)
		label += strings.Repeat(" ", max(16-ansi.StringWidth(label), 1))
		prefix := th.Time.Render(n.at.Format("15:04:05")) + " " + saved + " " + toastMark(c, n) + th.ToastText(n.typ).Render(label)
		pw := lipgloss.Width(prefix)
		body := n.text
		if n.sender != "" {
			body = n.sender + ": " + body
		}
		tw := w - pw
		if tw < 20 {
			out = append(out, prefix+body)
			continue
		}
		for j, l := range k.body.at(tw, body, wrapLines) {
			if len(out) >= rows {
				break
			}
			if j == 0 {
				out = append(out, prefix+l)
			} else {
				out = append(out, strings.Repeat(" ", pw)+l)
			}
		}
	}
	return out
}

// guidIndex is the set of GUIDs of deliveries kept: a repeated delivery is found in
// constant time, whatever is kept. A GUID that identifies nothing (empty, all zeros)
// is never in it, so such deliveries are all kept. Case does not make another delivery.
type guidIndex map[string]int

// realGUID says whether a GUID identifies one delivery: not empty, not all zeros.
func realGUID(g string) bool { return strings.Trim(g, "{}-0 ") != "" }

func (x guidIndex) has(g string) bool {
	return realGUID(g) && x[strings.ToLower(g)] > 0
}

func (x guidIndex) add(g string) {
	if realGUID(g) {
		x[strings.ToLower(g)]++
	}
}

// remove forgets one delivery of g (the same GUID may be kept twice by okdash's own
// replies, which have none, or by a list that took a repeat before the index).
func (x guidIndex) remove(g string) {
	if !realGUID(g) {
		return
	}
	k := strings.ToLower(g)
	if x[k] <= 1 {
		delete(x, k)
	} else {
		x[k]--
	}
}
