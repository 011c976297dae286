package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/okdash/okdash/oktell"
)

// View implements tea.Model. It draws exactly the terminal's height, every line within
// its width, and only what is visible: the cost of a frame does not grow with history.
func (m Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	if m.quitting {
		return ""
	}
	if m.width < MinWidth || m.height < MinHeight {
		return m.viewTooSmall()
	}
	lines := make([]string, 0, m.height)
	lines = append(lines, m.viewHeader())
	lines = append(lines, m.viewBanner()...)
	switch m.view {
	case viewHelp:
		lines = append(lines, m.viewRule(m.p.Sprintf("Help"), ""))
		lines = append(lines, m.viewFullHelp(m.bodyRows()-1)...)
	case viewHistory:
		lines = append(lines, m.viewRule(m.p.Sprintf("Notifications"), fmt.Sprintf("%d", m.history.len())))
		lines = append(lines, m.viewHistory(m.msgPaneHeight())...)
	default:
		extra := ""
		if m.msgs.unread > 0 {
			extra = m.p.Sprintf("%d unread", m.msgs.unread)
		}
		mw := m.mainWidth()
		left := append([]string{m.viewRuleW(m.p.Sprintf("Messages"), extra, mw, m.viewIdentity())}, m.viewMessages(m.msgPaneHeight())...)
		if !m.wide() {
			lines = append(lines, left...)
			lines = append(lines, m.viewToasts()...)
			break
		}
		right := m.viewSide(len(left))
		sep := m.th.Rule.Render(m.th.Icons.Sep)
		for i, l := range left {
			l = m.fill(l, mw)
			r := ""
			if i < len(right) {
				r = right[i]
			}
			lines = append(lines, l+sep+r)
		}
	}
	if m.replying {
		lines = append(lines, m.in.View())
	}
	for len(lines) < m.height-1 {
		lines = append(lines, "")
	}
	lines = append(lines[:m.height-1], m.viewHelpBar())
	for i, l := range lines {
		lines[i] = m.fit(l, m.width)
	}
	return strings.Join(lines, "\n")
}

// fit cuts a line to w cells, with an ellipsis when something was cut.
func (m *Model) fit(s string, w int) string {
	if ansi.StringWidth(s) <= w {
		return s
	}
	return ansi.Truncate(s, w, m.th.Icons.Ellipsis)
}

// fill cuts a line to w cells and pads it with spaces to exactly w, for bars drawn on a
// background colour and for columns set side by side.
func (m *Model) fill(s string, w int) string {
	s = m.fit(s, w)
	return s + strings.Repeat(" ", max(w-ansi.StringWidth(s), 0))
}

// callBar is an incoming call's line: its glyph and text on the call's colour, across w.
func (m *Model) callBar(n note, text string, w int) string {
	return m.th.ToastMark(n.typ, n.argb).Render(m.fill(" "+m.th.Icons.ToastGlyph(n.typ)+" "+text, w))
}

func (m *Model) viewTooSmall() string {
	msg := m.p.Sprintf("Terminal too small: %dx%d, need at least %dx%d", m.width, m.height, MinWidth, MinHeight)
	var lines []string
	for _, l := range strings.Split(wrap(msg, m.width), "\n") {
		lines = append(lines, m.fit(l, m.width))
	}
	if m.replying {
		// The reply line keeps the focus here too: show the draft and its keys, not a
		// "q quit" that would only type a q.
		lines = append(lines, "", m.fit(m.in.View(), m.width), m.fit(m.help.ShortHelpView(m.shortHelp()), m.width))
	} else {
		lines = append(lines, m.fit(m.th.HelpKey.Render("q")+" "+m.th.HelpDesc.Render(m.p.Sprintf("quit")), m.width))
	}
	if len(lines) > m.height {
		lines = lines[:m.height]
	}
	pad := (m.height - len(lines)) / 2
	out := make([]string, 0, m.height)
	for i := 0; i < pad; i++ {
		out = append(out, "")
	}
	out = append(out, lines...)
	return strings.Join(out, "\n")
}

// Layout: header, banner (when any), then the body, the reply line and the help bar.
func (m *Model) bodyRows() int {
	rows := m.height - 2 // header and help bar
	rows -= len(m.bannerLines())
	if m.replying {
		rows--
	}
	return max(rows, 0)
}

// On a wide terminal the toasts get a column of their own, with their whole text.
const (
	sideMinWidth = 110
	sideWidth    = 44
)

func (m *Model) wide() bool { return m.width >= sideMinWidth }

// mainWidth is the width of the message pane: the whole width, less the toast column.
func (m *Model) mainWidth() int {
	if m.wide() && m.view == viewMain {
		return m.width - sideWidth - 1
	}
	return m.width
}

func (m *Model) toastRows() int {
	if m.view != viewMain || m.wide() {
		return 0
	}
	shown, more := m.visibleToasts()
	n := len(shown)
	if more > 0 {
		n++
	}
	return n
}

// msgPaneHeight is the height of the message list (or the history list).
func (m *Model) msgPaneHeight() int {
	return max(m.bodyRows()-1-m.toastRows(), 1)
}

// bodyWidth is the width of a message's text: the gutter and indent take 3 cells.
func (m *Model) bodyWidth() int { return max(m.mainWidth()-3, 1) }

// FormatDuration prints time in a state: mm:ss below an hour, then h:mm:ss.
func FormatDuration(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	s := int64(d / time.Second)
	if s < 3600 {
		return fmt.Sprintf("%02d:%02d", s/60, s%60)
	}
	return fmt.Sprintf("%d:%02d:%02d", s/3600, (s/60)%60, s%60)
}

func (m *Model) viewHeader() string {
	th, ic := m.th, m.th.Icons
	var left []string
	glyph := ic.Unknown
	if m.known {
		glyph = ic.StateGlyph(m.state)
	}
	badge := " " + glyph + " " + m.stateWord()
	if m.known {
		badge += " " + FormatDuration(m.now.Sub(m.since))
	}
	badge += " "
	if m.stale {
		left = append(left, th.Warning.Render(ic.Stale)+" "+th.StateBadge(m.state, true).Render(strings.TrimSpace(badge)+" ("+m.p.Sprintf("stale")+")"))
	} else if m.known {
		left = append(left, th.StateBadge(m.state, false).Render(badge))
	} else {
		left = append(left, th.Muted.Render(badge))
	}
	if m.req.active {
		left = append(left, th.Warning.Render(ic.Pending+" "+m.req.label))
	}
	if m.redirect {
		left = append(left, th.Accent.Render(ic.Redirect+" "+m.p.Sprintf("redirect")))
	}
	if m.voicemail > 0 {
		left = append(left, th.Warning.Render(ic.VoiceMail+" "+m.p.Sprintf("%d new voicemails", m.voicemail)))
	}
	return strings.Join(left, "  ")
}

// viewIdentity is who is logged in on which line, and the link's status.
func (m *Model) viewIdentity() string {
	var parts []string
	if m.operator != "" || m.line != "" {
		who := m.operator
		if m.line != "" {
			if who != "" {
				who += " · "
			}
			who += m.line
		}
		parts = append(parts, m.th.Base.Render(who))
	}
	link := m.th.Icons.Link[m.link] + " " + m.linkWord()
	if m.link == oktell.LinkReadOnly && !m.ended && m.linkReason != "" {
		// a replay says here what it plays and when its input ended
		link += ": " + m.linkReason
	}
	parts = append(parts, m.th.Muted.Render(link))
	return strings.Join(parts, "  ")
}

func (m *Model) linkWord() string {
	switch {
	case m.ended:
		return m.p.Sprintf("closed")
	case m.caps.Kind == "demo" && m.link == oktell.LinkConnected:
		return m.p.Sprintf("demo")
	}
	return m.p.Sprintf(m.link.String())
}

func (m *Model) viewBannerText() string {
	if m.shutdown {
		left := int((m.shutAt.Sub(m.now) + time.Second - 1) / time.Second)
		left = max(left, 0)
		if m.shutWhy != "" {
			return m.p.Sprintf("%s: closing in %d s", m.shutWhy, left)
		}
		return m.p.Sprintf("Oktell asks okdash to close: closing in %d s", left)
	}
	return m.banner
}

// maxBannerLines bounds the banner: a long reason wraps (its useful end, "retrying in
// 4s", must be read) but does not push the dashboard off the screen.
const maxBannerLines = 2

// bannerLines is the banner's text wrapped to the width, at most maxBannerLines lines;
// what still does not fit is cut at the end of the last line.
func (m *Model) bannerLines() []string {
	t := m.viewBannerText()
	if t == "" {
		return nil
	}
	w := max(m.width-1, 1) // a cell of margin on the right, on the banner's colour
	t = m.th.Icons.Stale + " " + t
	if ansi.StringWidth(t) <= w {
		return []string{t}
	}
	// wrapped 2 cells narrower, so the next line can stand under the text, not the glyph
	lines := strings.Split(wrap(t, max(w-2, 1)), "\n")
	if len(lines) > maxBannerLines {
		rest := strings.Join(lines[maxBannerLines-1:], " ")
		lines = append(lines[:maxBannerLines-1], m.fit(rest, max(w-2, 1)))
	}
	for i := 1; i < len(lines); i++ {
		lines[i] = "  " + strings.TrimLeft(lines[i], " ")
	}
	return lines
}

func (m *Model) viewBanner() []string {
	lines := m.bannerLines()
	st := m.th.Banner
	if m.shutdown {
		st = m.th.BannerError
	}
	for i, l := range lines {
		lines[i] = st.Render(m.fill(l, m.width))
	}
	return lines
}

// viewRule is a pane's title line; the link and who is logged in sit at its right end.
// They live here rather than in the header because the header changes every second,
// and an idle frame should resend as few bytes as possible (SSH budget).
func (m *Model) viewRule(title, extra string) string {
	return m.viewRuleW(title, extra, m.width, m.viewIdentity())
}

func (m *Model) viewRuleW(title, extra string, width int, right string) string {
	r := m.th.Icons.Rule
	s := m.th.Rule.Render(r+r) + " " + m.th.Bold.Render(title) + " "
	if extra != "" {
		s += m.th.Warning.Render(extra) + " "
	}
	if right != "" {
		end := " " + m.th.Rule.Render(r+r)
		// at least two cells of rule between; a long right end (a replay's status) is cut
		// while some of it still reads, else left out
		room := width - lipgloss.Width(s) - 2 - 1 - lipgloss.Width(end)
		if lipgloss.Width(right) > room {
			if room >= 16 {
				right = m.fit(right, room)
			} else {
				right = ""
			}
		}
		if right != "" {
			right = " " + right + end
		}
	}
	fill := width - lipgloss.Width(s) - lipgloss.Width(right)
	if fill > 0 {
		s += m.th.Rule.Render(strings.Repeat(r, fill))
	}
	return s + right
}

// viewSide is the toast column of a wide terminal: every toast with its whole text,
// as many as fit, then "+N more".
func (m *Model) viewSide(rows int) []string {
	th := m.th
	w := sideWidth
	all, _ := m.orderedToasts()
	extra := ""
	if len(all) > 0 {
		extra = fmt.Sprintf("%d", len(all))
	}
	out := []string{m.viewRuleW(m.p.Sprintf("Notifications"), extra, w, "")}
	for i, t := range all {
		n := t.n
		var block []string
		head := m.noteLabel(n) + " " + n.at.Format("15:04")
		if t.count > 1 {
			head += fmt.Sprintf(" ×%d", t.count)
		}
		if n.typ == oktell.NltIncomingCall {
			block = append(block, m.callBar(n, m.p.Sprintf("INCOMING CALL")+" "+n.at.Format("15:04"), w))
		} else {
			block = append(block, m.toastMark(n)+th.ToastText(n.typ).Render(m.fit(head, w-4)))
		}
		body := n.text
		if n.sender != "" {
			body = n.sender + ": " + body
		}
		for _, l := range strings.Split(wrap(body, w-2), "\n") {
			block = append(block, "  "+m.fit(l, w-2))
		}
		after := len(all) - i - 1
		reserve := 0
		if after > 0 {
			reserve = 1 // the "+N more" line, should the next one not fit
		}
		if len(out)+len(block)+reserve > rows {
			out = append(out, "  "+th.Muted.Render(m.p.Sprintf("+%d more", len(all)-i)))
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

func (m *Model) viewMessages(h int) []string {
	out := make([]string, 0, h)
	items := m.msgs.items
	if len(items) == 0 {
		for len(out) < h-1 {
			out = append(out, "")
		}
		return append(out, "   "+m.th.Muted.Render(m.p.Sprintf("no messages yet")))
	}
	w := m.bodyWidth()
	bottom := m.msgs.bottom
	if bottom < 0 || bottom >= len(items) {
		bottom = len(items) - 1
	}
	var blocks [][]string
	used, topIdx := 0, bottom
	for i := bottom; i >= 0 && used < h; i-- {
		b := m.viewMessage(items[i], i == m.msgs.sel, w)
		blocks = append(blocks, b)
		used += len(b)
		topIdx = i
	}
	for used < h {
		out = append(out, "")
		used++
	}
	var lines []string
	for j := len(blocks) - 1; j >= 0; j-- {
		lines = append(lines, blocks[j]...)
	}
	if over := len(out) + len(lines) - h; over > 0 {
		if topIdx == m.msgs.sel {
			// a selected message taller than what is left shows its beginning
			lines = lines[:len(lines)-over]
		} else {
			lines = lines[over:]
		}
	}
	return append(out, lines...)
}

func (m *Model) viewMessage(e *msgEntry, selected bool, w int) []string {
	th := m.th
	gutter := " "
	if selected {
		gutter = th.Accent.Render(th.Icons.Selected)
	}
	who := th.Sender.Render(e.sender)
	if e.outgoing {
		who = th.Muted.Render(m.p.Sprintf("me")+" "+th.Icons.Outgoing+" ") + th.Sender.Render(e.sender)
	}
	lines := []string{gutter + " " + th.Time.Render(e.at.Format("15:04")) + " " + who}
	for _, l := range e.wrapped(w) {
		lines = append(lines, gutter+"  "+l)
	}
	return lines
}

func (m *Model) viewToasts() []string {
	shown, more := m.visibleToasts()
	var out []string
	for _, t := range shown {
		out = append(out, m.viewToast(t))
	}
	if more > 0 {
		out = append(out, "  "+m.th.Muted.Render(m.p.Sprintf("+%d more", more)))
	}
	return out
}

func (m *Model) viewToast(t *toast) string {
	th, n := m.th, t.n
	mark := m.toastMark(n)
	label := m.noteLabel(n)
	body := label + " " + n.at.Format("15:04")
	if n.sender != "" {
		body += " " + n.sender + ":"
	}
	body += " " + n.text
	// The repeat count survives a cut: the text gives way, " ×3" stays at the end.
	count := ""
	if t.count > 1 {
		count = fmt.Sprintf(" ×%d", t.count)
	}
	if n.typ == oktell.NltIncomingCall {
		// An incoming call stands out: a full-width bar in its colour, in capitals.
		text := m.p.Sprintf("INCOMING CALL") + " " + strings.TrimPrefix(body, label+" ")
		return m.callBar(n, m.fit(text, max(m.width-3-ansi.StringWidth(count), 1))+count, m.width)
	}
	return mark + th.ToastText(n.typ).Render(m.fit(body, max(m.width-4-ansi.StringWidth(count), 1))+count)
}

// toastMark is a notification's glyph on a block of its colour, with one cell on each
// side: the label follows it directly, so the gap between glyph and label is one cell
// everywhere (toasts, the toast column, the history, the call bar), coloured or not.
func (m *Model) toastMark(n note) string {
	g := m.th.Icons.ToastGlyph(n.typ)
	if m.th.NoColor {
		return " " + g + " "
	}
	return m.th.ToastMark(n.typ, n.argb).Render(" " + g + " ")
}

func (m *Model) viewHistory(h int) []string {
	out := make([]string, 0, h)
	items := m.history.items
	if len(items) == 0 {
		return append(out, "   "+m.th.Muted.Render(m.p.Sprintf("no notifications yet")))
	}
	th := m.th
	for i := len(items) - 1 - m.histOff; i >= 0 && len(out) < h; i-- {
		n := items[i]
		saved := " "
		if n.dbsaved {
			saved = th.Accent.Render(th.Icons.Saved)
		}
		label := m.noteLabel(n)
		label += strings.Repeat(" ", max(16-ansi.StringWidth(label), 1))
		prefix := th.Time.Render(n.at.Format("15:04:05")) + " " + saved + " " + m.toastMark(n) + th.ToastText(n.typ).Render(label)
		pw := lipgloss.Width(prefix)
		body := n.text
		if n.sender != "" {
			body = n.sender + ": " + body
		}
		// The whole text, wrapped under itself: the history is where a cut toast is read.
		tw := m.width - pw
		if tw < 20 {
			out = append(out, prefix+body)
			continue
		}
		for j, l := range strings.Split(wrap(body, tw), "\n") {
			if len(out) >= h {
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

// viewHelpBar is the help bar, fitted to the width by leaving out the least needed
// entries from the middle: "? help" and "q quit" stay, whatever the width, because
// they are the way to everything else and the way out.
func (m *Model) viewHelpBar() string {
	bs := m.shortHelp()
	drop := m.helpDropOrder()
	h := m.help
	h.Width = 0 // measure the whole bar; the bubble's own cut would drop the end
	for {
		var live []key.Binding
		for _, b := range bs {
			if b.Enabled() {
				live = append(live, b)
			}
		}
		s := h.ShortHelpView(live)
		if lipgloss.Width(s) <= m.width {
			return s
		}
		if len(drop) == 0 {
			return m.help.ShortHelpView(live)
		}
		victim := drop[0]
		drop = drop[1:]
		for i, b := range bs {
			if b.Help() == victim.Help() && sameKeys(b, victim) {
				bs = append(bs[:i:i], bs[i+1:]...)
				break
			}
		}
	}
}

func sameKeys(a, b key.Binding) bool {
	ak, bk := a.Keys(), b.Keys()
	if len(ak) != len(bk) {
		return false
	}
	for i := range ak {
		if ak[i] != bk[i] {
			return false
		}
	}
	return true
}

// helpDropOrder is the order in which help bar entries give way on a narrow terminal,
// first to go first. Help and Quit are never in it.
func (m *Model) helpDropOrder() []key.Binding {
	k := m.keys
	switch {
	case m.view == viewHistory:
		return []key.Binding{k.Up, k.Down, k.Back, k.History}
	case m.view == viewMain && !m.replying:
		return []key.Binding{k.VoiceMail, k.Dismiss, k.Redirect, k.Away, k.Break, k.Ready, k.Reply, k.History}
	}
	return nil
}

// shortHelp is the help bar's bindings for what the operator is doing now.
func (m *Model) shortHelp() []key.Binding {
	k := m.keys
	switch {
	case m.replying:
		return []key.Binding{k.Send, k.Cancel}
	case m.width < MinWidth || m.height < MinHeight:
		return []key.Binding{k.Quit}
	case m.view == viewHelp:
		return []key.Binding{k.Back, k.Help, k.Quit}
	case m.view == viewHistory:
		return []key.Binding{k.Up, k.Down, k.History, k.Back, k.Quit}
	}
	return []key.Binding{k.Ready, k.Break, k.Away, k.Redirect, k.Reply, k.Dismiss, k.VoiceMail, k.History, k.Help, k.Quit}
}

// FullHelp is every live binding, grouped, for the help screen.
// The help screen lists the keys of the main view, as they stand when the operator
// returns to it, plus the help screen's own "back".
func (m *Model) fullHelp() [][]key.Binding {
	main := *m
	main.view = viewMain
	main.refreshKeys()
	k := main.keys
	k.Back = m.keys.Back
	return [][]key.Binding{
		{k.Ready, k.Break, k.Away, k.Redirect},
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Newest, k.Reply},
		{k.Dismiss, k.DismissAll, k.VoiceMail, k.History, k.Help, k.Back, k.Quit},
	}
}

func (m *Model) viewFullHelp(rows int) []string {
	titles := []string{m.p.Sprintf("State"), m.p.Sprintf("Messenger"), m.p.Sprintf("Toasts and views")}
	var groups [][]string
	for gi, g := range m.fullHelp() {
		lines := []string{" " + m.th.Bold.Render(titles[gi])}
		// Every binding is listed, so the operator learns them all; what is not possible
		// right now is dimmed rather than hidden.
		for _, b := range g {
			h := b.Help()
			ks, ds := m.th.HelpKey, m.th.HelpDesc
			if !b.Enabled() {
				ks, ds = m.th.HelpOff, m.th.HelpOff
			}
			desc := h.Desc
			if !b.Enabled() && m.th.NoColor {
				// Without colour the dimming is invisible, so say it in words.
				desc += " " + m.p.Sprintf("(n/a)")
			}
			lines = append(lines, "   "+ks.Render(h.Key)+strings.Repeat(" ", max(9-ansi.StringWidth(h.Key), 1))+ds.Render(desc))
		}
		groups = append(groups, lines)
	}
	var out []string
	if m.width >= 76 {
		left := append(append(groups[0], ""), groups[1]...)
		right := groups[2]
		colW := m.width / 2
		for i := 0; i < max(len(left), len(right)); i++ {
			l, r := "", ""
			if i < len(left) {
				l = m.fit(left[i], colW-1)
			}
			if i < len(right) {
				r = right[i]
			}
			out = append(out, l+strings.Repeat(" ", max(colW-lipgloss.Width(l), 1))+r)
		}
	} else {
		for i, g := range groups {
			if i > 0 {
				out = append(out, "")
			}
			out = append(out, g...)
		}
	}
	out = append(out, "", " "+m.th.Muted.Render(m.p.Sprintf("latin keys shown; the same keys on the Russian layout work too")))
	if len(out) > rows {
		out = out[:max(rows, 0)]
	}
	return out
}
