package ui

import (
	"fmt"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/okdash/okdash/oktell"
)

// queue is the queue of callers waiting, as the session last read it: its count on the
// second line (beside the call), and the queue view (w) with every caller, in the order
// the server will answer them (first come, first served), with how long each has waited.
// A source that cannot read the queue (Capabilities.Queue) shows neither; one that can
// but has not read it yet shows no count rather than a zero.
type queue struct {
	c       *common
	known   bool
	callers []waitingCaller
	off     int  // the first caller shown in the view (scrolled)
	stale   bool // the link went down: the queue is the last the source read

	open, back, up, down, pageUp, pageDown key.Binding
}

// waitingCaller is one caller in the queue, its texts cleaned once.
type waitingCaller struct {
	number, name string
	since        time.Time
}

// longWait is the wait from which the queue's count turns to the warning colour (the word
// and the figure are there anyway): a caller waiting a minute is one the team should see.
const longWait = time.Minute

func init() { words(queueWords) }

// queueWords declares the words of queue.go in Russian (see words).
func queueWords() {
	russian(map[string]string{
		"queue":                                 "очередь",
		"Queue":                                 "Очередь",
		"no one is waiting":                     "в очереди никого",
		"the queue has not been read yet":       "очередь ещё не прочитана",
		"this source does not report the queue": "этот источник не сообщает об очереди",
		"no caller to scroll to":                "прокручивать некого",
		"longest %s":                            "дольше всех %s",
		"no name":                               "без имени",
	})
	counted("%d waiting, longest %s", 1, []any{"other", "%d waiting, longest %s"},
		[]any{"one", "%d ждёт, дольше всех %s", "few", "%d ждут, дольше всех %s", "other", "%d ждут, дольше всех %s"})
}

func newQueue(c *common) queue {
	q := queue{c: c, open: c.hotkey("w", "queue", "w", "W"), back: c.hotkey("esc", "back", "esc")}
	q.up, q.down, q.pageUp, q.pageDown = scrollKeys(c)
	return q
}

func (q *queue) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case updateMsg:
		if u := msg.u.Queue; u != nil && q.c.caps.Queue {
			q.set(u.Callers, msg.u.At)
		}
	case linkDownMsg:
		q.stale = q.known
	case screenMsg:
		if msg.to == screenQueue {
			q.off = 0
		}
	}
	return nil
}

// set takes the whole queue as the source read it; at most oktell.MaxQueue callers.
func (q *queue) set(callers []oktell.QueuedCaller, at time.Time) {
	q.known, q.stale = true, false
	q.callers = q.callers[:0]
	for _, cl := range callers[:min(len(callers), oktell.MaxQueue)] {
		since := cl.Since
		if since.IsZero() {
			since = at
		}
		q.callers = append(q.callers, waitingCaller{number: oktell.CleanLine(cl.Number), name: oktell.CleanLine(cl.Name), since: since})
	}
	q.off = min(q.off, max(len(q.callers)-1, 0))
}

// longest is how long the caller who has waited longest has waited by now.
func (q *queue) longest() time.Duration {
	var d time.Duration
	for _, cl := range q.callers {
		d = max(d, q.c.now.Sub(cl.since))
	}
	return d
}

// segment is the queue's count on the second line, in a long form and a short one for a
// narrow line ("≣ 3 waiting, longest 1:42", "≣ 3 · 1:42"); both "" while no one waits or
// the queue is not known.
func (q *queue) segment() (long, short string) {
	if !q.known || len(q.callers) == 0 {
		return "", ""
	}
	th := q.c.theme
	d := q.longest()
	st := th.Queue
	if d >= longWait {
		st = th.QueueLong
	}
	w := waitDuration(d)
	mark := th.Icons.Queue + " "
	if q.stale {
		st, mark = th.Muted, th.Icons.Stale+" "+mark // the last the source read, not what it is now
	}
	return st.Render(mark + q.c.tr("%d waiting, longest %s", len(q.callers), w)),
		st.Render(mark + fmt.Sprintf("%d · %s", len(q.callers), w))
}

// waitDuration is a wait as a queue shows it: m:ss, from an hour on h:mm:ss.
func waitDuration(d time.Duration) string {
	d = max(d, 0)
	s := int64(d / time.Second)
	if s < 3600 {
		return fmt.Sprintf("%d:%02d", s/60, s%60)
	}
	return fmt.Sprintf("%d:%02d:%02d", s/3600, (s/60)%60, s%60)
}

func (q *queue) keys(on screen) []binding {
	c := q.c
	toggle := c.viewKey(q.open, screenQueue, c.caps.Queue, "this source does not report the queue", on, 2) // the state keys stay longer on a narrow bar
	if on != screenQueue {
		return []binding{toggle}
	}
	whyScroll := ""
	if len(q.callers) <= 1 {
		whyScroll = "no caller to scroll to"
	}
	page := max(c.lay.listRows-1, 1)
	scroll := func(d int) func() tea.Cmd {
		return func() tea.Cmd { q.off = min(max(q.off+d, 0), max(len(q.callers)-1, 0)); return nil }
	}
	return []binding{
		act(q.up, whyScroll, scroll(-1)).onBar(1),
		act(q.down, whyScroll, scroll(1)).onBar(2),
		act(q.pageUp, whyScroll, scroll(-page)),
		act(q.pageDown, whyScroll, scroll(page)),
		toggle,
		act(q.back, "", c.toMain).onBar(9), // above the notifications key
	}
}

// title is the queue view's rule title and its count.
func (q *queue) title() (string, string) {
	if !q.known || len(q.callers) == 0 {
		return q.c.tr("Queue"), ""
	}
	extra := q.c.tr("%d waiting, longest %s", len(q.callers), waitDuration(q.longest()))
	if q.stale {
		extra += " (" + q.c.tr("stale") + ")"
	}
	return q.c.tr("Queue"), extra
}

// view draws the queue into w x rows: each caller's place, number, name and how long
// they have waited, from the first in the queue; only what fits, then "+N more".
func (q *queue) view(w, rows int) []string {
	c, th := q.c, q.c.theme
	out := make([]string, 0, rows)
	switch {
	case !q.known:
		return append(out, "   "+th.Muted.Render(c.tr("the queue has not been read yet")))
	case len(q.callers) == 0:
		return append(out, "   "+th.Muted.Render(c.tr("no one is waiting")))
	}
	shown := q.callers[q.off:]
	more := 0
	if len(shown) > rows {
		shown, more = shown[:max(rows-1, 0)], len(shown)-max(rows-1, 0)
	}
	placeW := len(fmt.Sprint(q.off + len(shown)))
	numW := 0
	for _, cl := range shown {
		numW = max(numW, ansi.StringWidth(cl.number))
	}
	numW = min(numW, max(w/3, 8))
	for i, cl := range shown {
		wait := waitDuration(c.now.Sub(cl.since))
		st := th.Base
		if c.now.Sub(cl.since) >= longWait {
			st = th.QueueLong
		}
		place := fmt.Sprintf("%*d", placeW, q.off+i+1)
		num := c.fill(cl.number, numW)
		name := cl.name
		if name == "" {
			name = th.Muted.Render(c.tr("no name"))
		}
		left := "  " + th.Muted.Render(place) + "  " + th.CallNumber.Render(num) + "  "
		room := w - ansi.StringWidth(left) - ansi.StringWidth(wait) - 3
		out = append(out, left+c.fill(name, max(room, 1))+"  "+st.Render(wait))
	}
	if more > 0 {
		out = append(out, "  "+th.Muted.Render(c.tr("+%d more", more)))
	}
	return out
}

// hasCount says whether the queue's count is on the second line.
func (q *queue) hasCount() bool { return q.known && len(q.callers) > 0 }
