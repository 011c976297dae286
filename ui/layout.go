package ui

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/okdash/okdash/oktell"
)

// This file is where the panes meet: the order in which they hear messages and offer
// their keys, the screens, and where each pane is drawn. A new pane is a file of its
// own (its state, its update, its keys, its view), a field of panes, and a line in each
// of route, keysOn and view below (a segment of the header, a row, or a screen); one
// that holds the focus while open (a picker, a filter line) is a line in modal too.

// screen is what fills the body of the dashboard; a pane with a screen of its own (the
// history, the help) adds it here and draws it in view.
type screen int

const (
	screenMain       screen = iota // messages and toasts
	screenHistory                  // the notification history
	screenHelp                     // every hotkey
	screenShift                    // the operator's day
	screenQueue                    // the callers waiting
	screenColleagues               // the colleagues and their states
)

// panes are the dashboard's parts, each a value with its own state.
type panes struct {
	status   status
	request  request
	messages messages
	reply    reply
	toasts   toasts
	history  history
	help     helpScreen
	shutdown shutdown
	refusal  refusal
	shift    shiftView

	call       call
	queue      queue
	colleagues colleagues
	breaks     breaks
	login      login
}

func newPanes(c *common) panes {
	return panes{
		status: newStatus(c), request: newRequest(c), messages: newMessages(c), reply: newReply(c),
		toasts: newToasts(c), history: newHistory(c), help: newHelpScreen(c), shutdown: newShutdown(c),
		refusal: newRefusal(c),
		shift:   newShiftView(c),
		call:    newCall(c), queue: newQueue(c), colleagues: newColleagues(c),
		breaks: newBreaks(c), login: newLogin(c),
	}
}

// route hands msg to every pane. The order matters only where one pane reads another's
// state as it was before the message: none does.
func (p *panes) route(msg tea.Msg) []tea.Cmd {
	return []tea.Cmd{
		p.status.update(msg),
		p.request.update(msg),
		p.messages.update(msg),
		p.reply.update(msg),
		p.history.update(msg), // before the toasts: it decides which notifications are new
		p.toasts.update(msg),
		p.help.update(msg),
		p.shutdown.update(msg),
		p.refusal.update(msg),
		p.shift.update(msg),
		p.call.update(msg),
		p.queue.update(msg),
		p.colleagues.update(msg),
		p.breaks.update(msg),
		p.login.update(msg),
	}
}

// bindings are every pane's bindings as they stand on screen on, in the order of the
// help bar and the full help; a key goes to the first that it presses.
func (p *panes) bindings(c *common, on screen) []binding { return p.keysOn(c, on, on) }

// keysOn is bindings, with the help screen's own as they stand on screen helpOn.
func (p *panes) keysOn(c *common, on, helpOn screen) []binding {
	var bs []binding
	bs = append(bs, p.request.keys(on, &p.status, &p.breaks, p.shutdown.active)...)
	bs = append(bs, p.login.keys(p.status.ended)...)
	bs = append(bs, p.messages.keys(on)...)
	bs = append(bs, p.reply.keys(on, p.messages.replyTarget(), p.status.ended)...)
	bs = append(bs, p.toasts.keys(on)...)
	bs = append(bs, p.status.keys(on)...)
	bs = append(bs, p.history.keys(on)...)
	bs = append(bs, p.shift.keys(on)...)
	bs = append(bs, p.colleagues.keys(on, p.status.ended)...)
	bs = append(bs, p.queue.keys(on)...)
	bs = append(bs, p.help.keys(helpOn)...)
	return append(bs, quitKey(c))
}

// quitKey quits, from every screen.
func quitKey(c *common) binding {
	return act(c.hotkey("q", "quit", "q", "Q", "ctrl+c"), "", func() tea.Cmd { c.post(quitMsg{}); return nil }).onBar(barKeep).listed(groupViews)
}

// modal is the pane that holds the focus, if one does: it gets every key.
func (p *panes) modal(c *common) (keys []binding, take func(tea.KeyMsg) tea.Cmd) {
	if p.reply.modal() {
		return p.reply.keys(c.screen, nil, false), func(k tea.KeyMsg) tea.Cmd { return p.reply.update(k) }
	}
	if p.colleagues.modal() {
		return p.colleagues.keys(c.screen, p.status.ended), func(k tea.KeyMsg) tea.Cmd { return p.colleagues.update(k) }
	}
	if p.breaks.modal() {
		take := func(r oktell.BreakReason) tea.Cmd { return p.request.askBreak(&p.status, r) }
		return p.breaks.keys(take), func(tea.KeyMsg) tea.Cmd { return nil } // other keys do nothing
	}
	if p.login.modal() {
		return p.login.keys(p.status.ended), func(k tea.KeyMsg) tea.Cmd { return p.login.update(k) }
	}
	return nil, nil
}

// liveKeys are the bindings that answer keys now: those of a pane holding the focus,
// else every pane's on the screen shown; below the minimum size, only quit.
func (p *panes) liveKeys(c *common) []binding {
	if keys, _ := p.modal(c); keys != nil {
		return keys
	}
	if c.tooSmall() {
		return []binding{quitKey(c)}
	}
	return p.bindings(c, c.screen)
}

// fullHelp is what the help screen lists: the keys of the main screen, as they stand
// when the operator returns to it, and the help screen's own, by heading.
func (p *panes) fullHelp(c *common) [][]binding {
	groups := make([][]binding, len(helpGroups))
	for _, b := range p.keysOn(c, screenMain, screenHelp) {
		if b.group != notListed {
			groups[b.group-1] = append(groups[b.group-1], b)
		}
	}
	return groups
}

// layout is where the last frame put the lists, for the keys that move through them.
type layout struct {
	listWidth int // the width of a message's text
	listRows  int // the rows of the message list (or the history, or the help)
	helpLines int // the lines of the whole help as the last frame laid it out
}

// maxBannerLines bounds the banner: a long reason wraps (its useful end, "retrying in
// 4s", must be read) but does not push the dashboard off the screen.
const maxBannerLines = 2

// On the widest terminals the colleagues get a column of their own between the messages
// and the toasts; on a wide one they share the toasts' column, under them.
const (
	bothMinWidth   = 150
	colleagueWidth = 36
)

// columns says which columns stand beside the messages on the main screen: the toasts'
// (from sideMinWidth), the colleagues' of their own (from bothMinWidth), and the
// colleagues under the toasts (in between).
func (p *panes) columns(c *common) (side, own, shared bool) {
	if c.screen != screenMain || !p.toasts.wide() {
		return false, false, false
	}
	in := p.colleagues.inColumn()
	return true, in && c.width >= bothMinWidth, in && c.width < bothMinWidth
}

// place works out the layout for the terminal's size and what the panes show now.
func (p *panes) place(c *common) {
	mainW := c.width
	side, own, _ := p.columns(c)
	if side {
		mainW = c.width - sideWidth - 1
	}
	if own {
		mainW -= colleagueWidth + 1
	}
	rows := max(c.height-2-len(p.bannerLines(c))-p.deskRows()-p.reply.rows()-p.breaks.rows()-p.login.rows(), 0) // header and help bar
	toastRows := 0
	if c.screen == screenMain {
		toastRows = p.toasts.rows()
	}
	c.lay = layout{listWidth: max(mainW-3, 1), listRows: max(rows-1-toastRows, 1), helpLines: c.lay.helpLines} // gutter and indent; the rule
}

// view draws the dashboard: the header, the banner (when any), the body of the screen
// shown, the reply line (when open) and the help bar, exactly the terminal's height,
// every line within its width.
func (p *panes) view(c *common) string {
	if c.tooSmall() {
		return p.viewTooSmall(c)
	}
	p.place(c)
	lines := make([]string, 0, c.height)
	lines = append(lines, p.header(c))
	if d := p.deskLine(c); d != "" {
		lines = append(lines, d)
	}
	lines = append(lines, p.banner(c)...)
	// a screen of its own: its title and extra word (a count, a warning) on the rule
	// across the width, its rows under it
	page := func(title func() (string, string), body func(w, rows int) []string) {
		t, extra := title()
		lines = append(lines, c.rule(t, extra, c.width, p.status.identity()))
		lines = append(lines, body(c.width, c.lay.listRows)...)
	}
	switch c.screen {
	case screenQueue:
		page(p.queue.title, p.queue.view)
	case screenColleagues:
		page(p.colleagues.title, p.colleagues.view)
	case screenHelp:
		page(func() (string, string) { return c.tr("Help"), "" },
			func(w, rows int) []string { return p.help.view(p.fullHelp(c), w, rows) })
	case screenShift:
		page(p.shift.title, p.shift.view) // its extra word is a warning: the shift is not saved
	case screenHistory:
		page(p.history.title, p.history.view)
	default:
		title, unread := p.messages.title()
		mainW := c.lay.listWidth + 3
		left := append([]string{c.rule(title, unread, mainW, p.status.identity())}, p.messages.view(c.lay.listWidth, c.lay.listRows)...)
		if !p.toasts.wide() {
			lines = append(lines, left...)
			lines = append(lines, p.toasts.view(c.width)...)
			break
		}
		_, own, shared := p.columns(c)
		var right, middle []string
		switch {
		case own:
			middle = p.colleagues.column(colleagueWidth, len(left))
			right = p.toasts.column(len(left))
		case shared:
			// the toasts first (they may be urgent), in at most half the rows; the
			// colleagues in the rest
			right = p.toasts.column(max(len(left)/2, 3))
			if rest := len(left) - len(right) - 1; rest >= 3 {
				right = append(append(right, ""), p.colleagues.column(sideWidth, rest)...)
			}
		default:
			right = p.toasts.column(len(left))
		}
		sep := c.theme.Rule.Render(c.theme.Icons.Sep)
		at := func(col []string, i int) string {
			if i < len(col) {
				return col[i]
			}
			return ""
		}
		for i, l := range left {
			line := c.fill(l, mainW) + sep
			if own {
				line += c.fill(at(middle, i), colleagueWidth) + sep
			}
			lines = append(lines, line+at(right, i))
		}
	}
	lines = append(lines, p.breaks.view(c.width)...)
	if p.reply.open {
		lines = append(lines, p.reply.view())
	}
	if p.login.open {
		lines = append(lines, p.login.view())
	}
	for len(lines) < c.height-1 {
		lines = append(lines, "")
	}
	lines = append(lines[:c.height-1], c.helpBar(p.liveKeys(c), p.help.bar))
	for i, l := range lines {
		lines[i] = c.fit(l, c.width)
	}
	return strings.Join(lines, "\n")
}

// deskRows is the rows the desk line takes: one while a call is on the line or callers
// wait, else none.
func (p *panes) deskRows() int {
	if p.call.active() || p.queue.hasCount() {
		return 1
	}
	return 0
}

// deskLine is the second line: the call (its state, timer, number, name, free text)
// and, at the right end, how many callers wait. What does not fit gives way in this
// order: the queue's count takes its short form, the free text is cut (and left out
// when too little of it would show), then the name; the badge and the number stay.
// "" when there is neither a call nor a caller waiting.
func (p *panes) deskLine(c *common) string {
	if p.deskRows() == 0 {
		return ""
	}
	must, name, info := p.call.parts()
	long, short := p.queue.segment()
	if must == "" {
		return c.fill("", c.width-ansi.StringWidth(long)-1) + long // where it stands beside a call too
	}
	w := func(ss ...string) int {
		n := 0
		for _, s := range ss {
			n += ansi.StringWidth(s)
		}
		return n
	}
	// a cut text ends in an ellipsis: what must stay needs a cell more when more follows
	cut := 0
	if name+info != "" {
		cut = 1
	}
	q := long
	switch {
	case long == "":
	case w(must, name, "  ", long)+min(w(info), infoBeforeLong) <= c.width:
	case w(must, name, "  ", short) <= c.width, w(must, "  ", short)+cut <= c.width:
		q = short
	default:
		q = ""
	}
	room := c.width
	if q != "" {
		room -= w(q) + 2
	}
	text := must + name
	if left := room - w(text); w(info) <= left || left >= minInfo {
		text += info
	}
	if q == "" {
		return c.fit(text, room)
	}
	return c.fill(text, room) + "  " + q
}

// infoBeforeLong is how much of a call's free text shows before the queue's count takes
// its long form.
const infoBeforeLong = 40

// minInfo is the fewest cells of a call's free text worth showing: less reads as noise.
const minInfo = 16

// windowTitle is the terminal's window title: the state, and a call while it rings.
func (p *panes) windowTitle() string {
	t := p.status.title()
	if ct := p.call.title(); ct != "" {
		t += " · " + ct
	}
	return t
}

// header is the status line: the state, a pending request, why a key did nothing,
// redirect, voicemail. Why a key did nothing is there for a moment only: the flags
// after it give way while it does not fit beside them.
func (p *panes) header(c *common) string {
	segs := []string{p.status.badge()}
	if s := p.request.segment(); s != "" {
		segs = append(segs, s)
	}
	flags := p.status.flags()
	if s := p.refusal.segment(); s != "" {
		segs = append(segs, s)
		if ansi.StringWidth(strings.Join(append(segs, flags...), "  ")) > c.width {
			flags = nil
		}
	}
	return strings.Join(append(segs, flags...), "  ")
}

// bannerText is the banner: the countdown to exit, else why the link is down.
func (p *panes) bannerText() string {
	if t := p.shutdown.banner(); t != "" {
		return t
	}
	if h := p.login.hint(p.status.ended); h != "" && p.status.banner() != "" {
		return h + ". " + p.status.banner() // what to do first: the reason may be cut
	}
	return p.status.banner()
}

// settle is the end of every Update: the history keeps each banner as it came up, the
// link's and the countdown's (which hides the link's while it runs).
func (p *panes) settle() {
	p.history.sawBanner(bannerLink, p.status.news(), p.status.lead, p.status.leadWhy)
	p.history.sawBanner(bannerClosing, p.shutdown.banner(), "closing", p.shutdown.reason)
}

// bannerLines is the banner's text wrapped to the width, at most maxBannerLines lines;
// what still does not fit is cut at the end of the last line.
func (p *panes) bannerLines(c *common) []string {
	t := p.bannerText()
	if t == "" {
		return nil
	}
	w := max(c.width-1, 1) // a cell of margin on the right, on the banner's colour
	t = c.theme.Icons.Stale + " " + t
	if ansi.StringWidth(t) <= w {
		return []string{t}
	}
	// wrapped 2 cells narrower, so the next line can stand under the text, not the glyph
	lines := wrapLines(t, max(w-2, 1))
	if len(lines) > maxBannerLines {
		rest := strings.Join(lines[maxBannerLines-1:], " ")
		lines = append(lines[:maxBannerLines-1], c.fit(rest, max(w-2, 1)))
	}
	for i := 1; i < len(lines); i++ {
		lines[i] = "  " + strings.TrimLeft(lines[i], " ")
	}
	return lines
}

func (p *panes) banner(c *common) []string {
	lines := p.bannerLines(c)
	st := c.theme.Banner
	if p.shutdown.active {
		st = c.theme.BannerError
	}
	for i, l := range lines {
		lines[i] = st.Render(c.fill(l, c.width))
	}
	return lines
}

// viewTooSmall is the screen below the minimum size: what is needed, and the way out;
// a reply line being written keeps the focus and shows its draft.
func (p *panes) viewTooSmall(c *common) string {
	if !p.reply.open && !p.login.open && !p.breaks.open {
		return c.tooSmallScreen(MinWidth, MinHeight)
	}
	line := p.reply.view()
	switch {
	case p.reply.open:
	case p.login.open:
		line = p.login.view()
	default: // the reason marked
		line = p.breaks.marked(c.width)
	}
	return c.tooSmallScreen(MinWidth, MinHeight, "", line, p.help.bar.short(p.liveKeys(c), c.width))
}
