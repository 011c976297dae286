package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
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
	off   int       // the note at the top of the pane, counted from the newest (0)
	skip  int       // the lines of that note scrolled past (a note wraps to several)
	asked []asked   // the last state requests of a replayed recording, for their outcomes (sent.go)

	banners [2]bannerCause // each banner's last: what happened, and why, with its counts as #
	labelW  int            // the label column's width (see labelWidth), once known

	open, back, up, down, pageUp, pageDown key.Binding
}

// kept is a note in the history, with its text wrapped for the last width it was drawn at.
type kept struct {
	n    note
	body wrapped
	pw   int // the width of its prefix (see lines), once known
}

func init() { words(historyWords) }

// historyWords declares the words of history.go in Russian (see words).
func historyWords() {
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

// keep adds a note, dropping the oldest beyond the limit. Read further down, a new note
// does not move what is being read.
func (h *history) keep(n note) {
	if h.off > 0 || h.skip > 0 {
		h.off++
		defer func() { h.off, h.skip = h.settled(h.off, h.skip) }()
	}
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

// The banners the history keeps, each of its own: the link's, and the countdown to
// closing, which hides the link's while it runs.
const (
	bannerLink = iota
	bannerClosing
)

// bannerCause is what a banner is about: what happened, and why.
type bannerCause struct{ what, why string }

// sawBanner keeps banner b whole, as it read when it came up (on screen it may be cut
// to two lines): once, however often a retry says it again with a new wait, and not
// again when the same reason comes back under another heading (the link lost, then
// the source ended).
func (h *history) sawBanner(b int, text, what, why string) {
	cause := bannerCause{what, digitsAsHash(why)}
	last := &h.banners[b]
	if cause == *last {
		return
	}
	same := why != "" && cause.why == last.why
	*last = cause
	if text == "" || same {
		return
	}
	h.keep(note{at: h.c.now, typ: oktell.NltApplicationWarn, text: text, local: true})
}

// digitsAsHash writes every run of digits as one #: "retrying in 4s" and "retrying in
// 8s" are one reason.
func digitsAsHash(s string) string {
	var b strings.Builder
	digits := false
	for _, r := range s {
		d := r >= '0' && r <= '9'
		switch {
		case d && !digits:
			b.WriteByte('#')
		case !d:
			b.WriteRune(r)
		}
		digits = d
	}
	return b.String()
}

func (h *history) keys(on screen) []binding {
	c := h.c
	// opened afresh, the history starts from the newest
	toggle := act(h.open, "", c.toggleScreen(screenHistory, func() { h.off, h.skip = 0, 0 })).listed(groupViews)
	if on != screenHelp {
		toggle = toggle.onBar(2)
	}
	if on != screenHistory {
		return []binding{toggle}
	}
	why := ""
	if len(h.notes) == 0 {
		why = "no notification to scroll to"
	}
	page := max(c.lay.listRows-1, 1) // a line of the last page stays in view
	do := func(move func()) func() tea.Cmd {
		return func() tea.Cmd { move(); h.off, h.skip = h.settled(h.off, h.skip); return nil }
	}
	return []binding{
		act(h.up, why, do(h.prevNote)).onBar(1),
		act(h.down, why, do(h.nextNote)).onBar(2),
		act(h.pageUp, why, do(func() { h.scrollLines(-page) })),
		act(h.pageDown, why, do(func() { h.scrollLines(page) })),
		toggle,
		act(h.back, "", c.toMain).onBar(3),
	}
}

// The history scrolls by screen lines: its position is the note at the top of the pane
// (off, from the newest) and how many of that note's lines are above it (skip). Each
// move walks only the notes it passes, so its cost does not grow with the history.

// prevNote puts the top of the note at the top of the pane, or the note before it.
func (h *history) prevNote() {
	if h.skip > 0 {
		h.skip = 0
	} else if h.off > 0 {
		h.off--
	}
}

// nextNote puts the next (older) note at the top of the pane.
func (h *history) nextNote() { h.off, h.skip = h.off+1, 0 }

// scrollLines moves the pane by d screen lines, older (d > 0) or newer.
func (h *history) scrollLines(d int) {
	w := h.c.width
	for d > 0 && h.off < len(h.notes) {
		left := h.height(h.off, w) - h.skip
		if d < left {
			h.skip += d
			return
		}
		d -= left
		h.off, h.skip = h.off+1, 0
	}
	for d < 0 {
		if h.skip > 0 {
			n := min(h.skip, -d)
			h.skip, d = h.skip-n, d+n
			continue
		}
		if h.off == 0 {
			return
		}
		h.off--
		h.skip = h.height(h.off, w)
	}
}

// settled is the position (off, skip) kept within the history: the pane stays full while
// older notes exist, the oldest note's last line at its bottom at most.
func (h *history) settled(off, skip int) (int, int) {
	w, rows := h.c.width, h.c.lay.listRows
	// the lowest top: from the oldest note up, the notes that fill the pane
	endOff, endSkip, used := 0, 0, 0
	for i := len(h.notes) - 1; i >= 0; i-- {
		hi := h.height(i, w)
		if used+hi >= rows {
			endOff, endSkip = i, used+hi-rows
			break
		}
		used += hi
	}
	if off > endOff || off == endOff && skip > endSkip {
		return endOff, endSkip
	}
	return max(off, 0), max(skip, 0)
}

// note is the note at position off (0: the newest).
func (h *history) note(off int) *kept { return h.notes[len(h.notes)-1-off] }

// height is how many screen lines the note at off takes at width w, without drawing it.
func (h *history) height(off, w int) int {
	k := h.note(off)
	tw := w - h.prefixWidth(k)
	switch {
	case tw < 20:
		return 1
	case k.body.w == tw && k.body.lines != nil:
		return len(k.body.lines) // the frames that scroll ask often: no text built
	}
	return len(k.body.at(tw, h.body(k.n), wrapLines))
}

// prefixWidth is the width of a note's prefix in the history (see lines): its time, the
// saved mark, its glyph on its block and its label, padded.
func (h *history) prefixWidth(k *kept) int {
	if k.pw == 0 {
		k.pw = len("15:04:05") + 3 + 3 + h.labelWidth()
	}
	return k.pw
}

// labelWidth is the width of the label column: the widest label of the operator's
// language and a space, so every note's text starts in the same column.
func (h *history) labelWidth() int {
	if h.labelW == 0 {
		widest := 0
		for _, t := range append(oktell.NotifyTypes(), -1) { // every type, and an unknown one's "Notice"
			for _, local := range []bool{false, true} {
				for _, refused := range []bool{false, true} {
					widest = max(widest, ansi.StringWidth(noteLabel(h.c, note{typ: t, local: local, refused: refused})))
				}
			}
		}
		h.labelW = max(16, widest+1)
	}
	return h.labelW
}

// body is a note's text in the history: who sent it, and what.
func (h *history) body(n note) string {
	if n.sender != "" {
		return n.sender + ": " + n.text
	}
	return n.text
}

// title is the history screen's rule title and count.
func (h *history) title() (string, string) {
	return h.c.tr("Notifications"), fmt.Sprintf("%d", len(h.notes))
}

// view draws the history into w x rows: newest first, each note's whole text wrapped
// under itself, from the position scrolled to.
func (h *history) view(w, rows int) []string {
	c, th := h.c, h.c.theme
	out := make([]string, 0, rows)
	if len(h.notes) == 0 {
		return append(out, "   "+th.Muted.Render(c.tr("no notifications yet")))
	}
	off, skip := h.settled(h.off, h.skip)
	for i := off; i < len(h.notes) && len(out) < rows; i++ {
		lines := h.lines(h.note(i), w)
		if i == off {
			lines = lines[min(skip, len(lines)):]
		}
		out = append(out, lines[:min(len(lines), rows-len(out))]...)
	}
	return out
}

// lines are a note's lines in the history at width w: its time, whether the server
// saved it, its mark and label, and its whole text wrapped under itself.
func (h *history) lines(k *kept, w int) []string {
	c, th := h.c, h.c.theme
	n := k.n
	saved := " "
	if n.dbsaved {
		saved = th.Accent.Render(th.Icons.Saved)
	}
	label := noteLabel(c, n)
	label += strings.Repeat(" ", max(h.labelWidth()-ansi.StringWidth(label), 1))
	prefix := th.Time.Render(n.at.Format("15:04:05")) + " " + saved + " " + toastMark(c, n) + th.ToastText(n.typ).Render(label)
	pw := h.prefixWidth(k)
	tw := w - pw
	if tw < 20 {
		return []string{prefix + h.body(n)}
	}
	wrapped := k.body.at(tw, h.body(n), wrapLines)
	out := make([]string, len(wrapped))
	for j, l := range wrapped {
		if j == 0 {
			out[j] = prefix + l
		} else {
			out[j] = strings.Repeat(" ", pw) + l
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
