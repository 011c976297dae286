package ui

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/okdash/okdash/oktell"
)

// note is one notification as the dashboard keeps it: sanitized, with its type.
type note struct {
	guid     string // Oktell's id of the delivery, to show a repeated delivery once
	at       time.Time
	typ      oktell.NotifyType
	argb     uint32
	sender   string
	text     string
	dbsaved  bool
	autohide bool
	local    bool   // raised by okdash itself (a refused request), not by Oktell
	quiet    bool   // the past (a followed log's backlog, a replayed request): in the history, never a toast or a bell
	about    string // what okdash's own error is about ("state 1", "send u1"): a later success there supersedes it
	refused  bool   // okdash's report of the server's refusal: labelled as the server's
	byRoom   bool   // ... of the training room's refusal (an answer to a trainer): labelled as the room's
}

// same reports whether two notifications are repeats of each other, to coalesce them.
func (n note) same(o note) bool {
	return n.typ == o.typ && n.argb == o.argb && n.sender == o.sender && n.text == o.text && n.local == o.local
}

// noteMsg is a notification to keep in the history and to show as a toast: one from
// Oktell delivered for the first time (the history pane tells), or one of okdash's own
// that a pane raised. A quiet one (note.quiet) goes in the history only.
type noteMsg struct{ n note }

// localError is an error of okdash's own (a refusal, a timeout, a failed send). It
// stays until dismissed: a break that was not set must not go unnoticed.
func localError(c *common, text string) noteMsg {
	return noteMsg{note{at: c.now, typ: oktell.NltApplicationErr, text: text, local: true}}
}

// failed is the error of something asked for that did not happen; it stays until
// dismissed or until what it is about succeeds after all (supersededMsg).
func failed(c *common, about, text string) noteMsg {
	n := localError(c, text)
	n.n.about = about
	return n
}

// refusal marks the error as the server's refusal when err is one (a *RefusedError).
func (n noteMsg) refusal(err error) noteMsg {
	var re *oktell.RefusedError
	n.n.refused = errors.As(err, &re)
	n.n.byRoom = n.n.refused && re.By == oktell.RefuserRoom
	return n
}

// supersededMsg says that what okdash's errors about it were about has happened after
// all (the state asked for was reached, a message went to that colleague): those
// errors leave the screen; the history keeps them.
type supersededMsg struct{ about string }

// localWarning is a warning of okdash's own (a skipped malformed document); it hides
// itself, the history keeps it.
func localWarning(c *common, text string) noteMsg {
	return noteMsg{note{at: c.now, typ: oktell.NltApplicationWarn, text: text, autohide: true, local: true}}
}

// localNote is an informative note of okdash's own (nothing went wrong, but the operator
// should know); it hides itself, the history keeps it.
func localNote(c *common, text string) noteMsg {
	return noteMsg{note{at: c.now, typ: oktell.NltApplicationInfo, text: text, autohide: true, local: true}}
}

// maxToastsKept bounds the toasts waiting on screen (the history keeps them all anyway).
const maxToastsKept = 100

// toasts are the notifications on screen: under the messages on a narrow terminal, in a
// column of their own on a wide one. A self-hiding toast goes at the first tick of the
// clock after its time is up; the others stay until dismissed.
type toasts struct {
	c    *common
	list []*toast // oldest first
	seq  int

	dismiss, dismissAll key.Binding
}

// toast is a notification on screen, with how often it came.
type toast struct {
	id      int
	n       note
	count   int
	expires time.Time // for a self-hiding one: when it goes
	body    wrapped   // its text in the toast column
}

func init() { words(toastsWords) }

// toastsWords declares the words of toasts.go in Russian (see words).
func toastsWords() {
	russian(map[string]string{
		"dismiss": "скрыть", "dismiss all": "скрыть все",
		"no notification on screen":          "уведомлений на экране нет",
		"fewer than two notifications shown": "на экране меньше двух уведомлений",
		"INCOMING CALL":                      "ВХОДЯЩИЙ ЗВОНОК",
	})
}

func newToasts(c *common) toasts {
	return toasts{c: c, dismiss: c.hotkey("x", "dismiss", "x"), dismissAll: c.hotkey("X", "dismiss all", "X")}
}

func (t *toasts) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case noteMsg:
		if msg.n.quiet {
			return nil
		}
		t.add(msg.n)
		if msg.n.typ == oktell.NltIncomingCall {
			return t.c.callBell()
		}
	case tickMsg:
		t.expire()
	case supersededMsg:
		kept := t.list[:0]
		for _, old := range t.list {
			if old.n.about == "" || old.n.about != msg.about {
				kept = append(kept, old)
			}
		}
		clear(t.list[len(kept):])
		t.list = kept
	}
	return nil
}

// add shows a notification, coalescing a repeat of one already on screen.
func (t *toasts) add(n note) {
	ttl := t.c.opts.ToastTTL
	for i, old := range t.list {
		if old.n.same(n) {
			old.count++
			old.n.at = n.at
			old.expires = t.c.wall.Add(ttl) // a repeat restarts its time
			// move it to the newest position, so that the repeat is noticed
			t.list = append(append(t.list[:i:i], t.list[i+1:]...), old)
			return
		}
	}
	t.seq++
	t.list = append(t.list, &toast{id: t.seq, n: n, count: 1, expires: t.c.wall.Add(ttl)}) // a toast lives by the wall clock, whatever a replay's speed
	if len(t.list) > maxToastsKept {
		// Sticky toasts nobody dismisses must not grow without bound; the history keeps them.
		t.list = append(t.list[:0:0], t.list[len(t.list)-maxToastsKept:]...)
	}
}

// expire takes away the self-hiding toasts whose time is up.
func (t *toasts) expire() {
	kept := t.list[:0]
	for _, old := range t.list {
		if !old.n.autohide || t.c.wall.Before(old.expires) {
			kept = append(kept, old)
		}
	}
	clear(t.list[len(kept):])
	t.list = kept
}

func (t *toasts) remove(id int) {
	for i, old := range t.list {
		if old.id == id {
			t.list = append(t.list[:i], t.list[i+1:]...)
			return
		}
	}
}

// ordered are all toasts in the order they are drawn: incoming calls on top, then the
// rest newest first.
func (t *toasts) ordered() []*toast {
	var calls, rest []*toast
	for i := len(t.list) - 1; i >= 0; i-- {
		if old := t.list[i]; old.n.typ == oktell.NltIncomingCall {
			calls = append(calls, old)
		} else {
			rest = append(rest, old)
		}
	}
	return append(calls, rest...)
}

// wide says whether the toasts have a column of their own.
func (t *toasts) wide() bool { return t.c.width >= sideMinWidth }

// visible are the toasts under the messages of a narrow terminal, and how many more
// there are. On a wide terminal the column shows them all as they fit.
func (t *toasts) visible() (shown []*toast, more int) {
	all := t.ordered()
	if t.wide() {
		return all, 0
	}
	n := min(len(all), t.maxShown())
	return all[:n], len(all) - n
}

func (t *toasts) maxShown() int {
	return min(t.c.opts.MaxToasts, max((t.c.height-MinHeight)/4+2, 1))
}

func (t *toasts) keys(on screen) []binding {
	if on != screenMain {
		return nil
	}
	whyOne, whyAll := "", ""
	if len(t.list) == 0 {
		whyOne = "no notification on screen"
	}
	if len(t.list) < 2 {
		whyAll = "fewer than two notifications shown"
	}
	return []binding{
		act(t.dismiss, whyOne, func() tea.Cmd {
			if shown, _ := t.visible(); len(shown) > 0 {
				t.remove(shown[0].id)
			}
			return nil
		}).onBar(8).listed(groupViews),
		act(t.dismissAll, whyAll, func() tea.Cmd { t.list = nil; return nil }).listed(groupViews),
	}
}

// rows is how many rows the toasts take under the messages of a narrow terminal.
func (t *toasts) rows() int {
	if t.wide() {
		return 0
	}
	shown, more := t.visible()
	if more > 0 {
		return len(shown) + 1
	}
	return len(shown)
}

// view draws the toasts under the messages of a narrow terminal, across w.
func (t *toasts) view(w int) []string {
	shown, more := t.visible()
	var out []string
	for _, old := range shown {
		out = append(out, t.line(old, w))
	}
	if more > 0 {
		out = append(out, "  "+t.c.theme.Muted.Render(t.c.tr("+%d more", more)))
	}
	return out
}

// line is one toast on one line: its glyph, its label, its time, who sent it, its text
// cut to the width, and how often it came.
func (t *toasts) line(old *toast, w int) string {
	c, n := t.c, old.n
	label := noteLabel(c, n)
	body := label + " " + n.at.Format("15:04")
	if n.sender != "" {
		body += " " + n.sender + ":"
	}
	body += " " + n.text
	// The repeat count survives a cut: the text gives way, " ×3" stays at the end.
	count := ""
	if old.count > 1 {
		count = fmt.Sprintf(" ×%d", old.count)
	}
	if n.typ == oktell.NltIncomingCall {
		// An incoming call stands out: a full-width bar in its colour, in capitals.
		text := c.tr("INCOMING CALL") + " " + strings.TrimPrefix(body, label+" ")
		return callBar(c, n, c.fit(text, max(w-3-ansi.StringWidth(count), 1))+count, w)
	}
	return toastMark(c, n) + c.theme.ToastText(n.typ).Render(c.fit(body, max(w-4-ansi.StringWidth(count), 1))+count)
}

// On a wide terminal the toasts get a column of their own, with their whole text.
const (
	sideMinWidth = 110
	sideWidth    = 44
)

// column is the toast column of a wide terminal, rows high: every toast with its whole
// text, as many as fit, then "+N more".
func (t *toasts) column(rows int) []string {
	c, th, w := t.c, t.c.theme, sideWidth
	all := t.ordered()
	extra := ""
	if len(all) > 0 {
		extra = fmt.Sprintf("%d", len(all))
	}
	out := []string{c.rule(c.tr("Notifications"), extra, w, "")}
	for i, old := range all {
		n := old.n
		var block []string
		if n.typ == oktell.NltIncomingCall {
			block = append(block, callBar(c, n, c.tr("INCOMING CALL")+" "+n.at.Format("15:04"), w))
		} else {
			head := noteLabel(c, n) + " " + n.at.Format("15:04")
			if old.count > 1 {
				head += fmt.Sprintf(" ×%d", old.count)
			}
			block = append(block, toastMark(c, n)+th.ToastText(n.typ).Render(c.fit(head, w-4)))
		}
		body := n.text
		if n.sender != "" {
			body = n.sender + ": " + body
		}
		for _, l := range old.body.at(w-2, body, wrapLines) {
			block = append(block, "  "+c.fit(l, w-2))
		}
		after := len(all) - i - 1
		reserve := 0
		if after > 0 {
			reserve = 1 // the "+N more" line, should the next one not fit
		}
		if len(out)+len(block)+reserve > rows {
			out = append(out, "  "+th.Muted.Render(c.tr("+%d more", len(all)-i)))
			break
		}
		out = append(out, block...)
		if after > 0 {
			out = append(out, "")
		}
	}
	if len(out) > rows {
		out = out[:rows]
	}
	return out
}

// callBar is an incoming call's line: its glyph and text on the call's colour, across w.
func callBar(c *common, n note, text string, w int) string {
	return c.theme.ToastMark(n.typ, n.argb).Render(c.fill(" "+c.theme.Icons.ToastGlyph(n.typ)+" "+text, w))
}

// toastMark is a notification's glyph on a block of its colour, with one cell on each
// side: the label follows it directly, so the gap between glyph and label is one cell
// everywhere (toasts, the toast column, the history, the call bar), coloured or not.
func toastMark(c *common, n note) string {
	g := c.theme.Icons.ToastGlyph(n.typ)
	if c.theme.NoColor {
		return " " + g + " "
	}
	return c.theme.ToastMark(n.typ, n.argb).Render(" " + g + " ")
}

// noteLabel names a notification in the operator's language: by its type, or as
// okdash's own when okdash raised it.
func noteLabel(c *common, n note) string {
	switch {
	case n.local && n.byRoom:
		return c.tr("Training room refused")
	case n.local && n.refused:
		return c.tr("Oktell refused")
	case n.local && n.typ == oktell.NltApplicationErr:
		return c.tr("okdash error")
	case n.local && n.typ == oktell.NltApplicationWarn:
		return c.tr("okdash warning")
	case n.local:
		return "okdash"
	}
	return c.tr(toastLabel(n.typ))
}

// toastLabel names a notification type in the operator's words (the catalog's key).
func toastLabel(t oktell.NotifyType) string {
	switch t {
	case oktell.NltControlEvent:
		return "Control"
	case oktell.NltPBXinfo:
		return "PBX"
	case oktell.NltInformation:
		return "Information"
	case oktell.NltIncomingCall:
		return "Incoming call"
	case oktell.NltTimer:
		return "Timer"
	case oktell.NltCallbackOrder:
		return "Callback"
	case oktell.NltApplication:
		return "Application"
	case oktell.NltApplicationWarn:
		return "Warning"
	case oktell.NltApplicationInfo:
		return "App info"
	case oktell.NltApplicationErr:
		return "Error"
	}
	return "Notice"
}
