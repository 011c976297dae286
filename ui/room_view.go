package ui

import (
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/room"
)

// The room on screen: the header with the count per state, the banner of a shutdown,
// the list of trainees (a row each, an answer under it), the messages area (under the
// list, or in a column of its own on a wide terminal), the open line or the reason a
// key did nothing, and the help bar. Exactly the terminal's height, every line within
// its width.

// The words of the trainee's details (enter).
func init() { words(roomViewWords) }

// roomViewWords declares the words of room_view.go in Russian (see words).
func roomViewWords() {
	russian(map[string]string{
		"details":          "подробно",
		"Trainee":          "Стажёр",
		"Trainee %s":       "Стажёр %s",
		"Last answer":      "Последний ответ",
		"The room's lines": "Строки зала",
		"no answer and no line about this trainee yet": "от стажёра пока нет ответа, о нём нет строк",
	})
}

// roomColumns are the widths of the list's columns at one width.
type roomColumns struct {
	user, addr, src, state, time, pending, key int
	port                                       bool // the address with its port
	keyAge                                     bool // the last key with how long ago
}

func columnsFor(w int) roomColumns {
	if w >= 100 {
		return roomColumns{user: 16, addr: 21, src: 7, state: 15, time: 8, pending: 14, key: max(w-2-16-21-7-15-8-2-14-8, 6), port: true, keyAge: true}
	}
	// 2 gutter, 7 separators, 2 redirect
	rest := max(w-2-15-7-2-11-7-1-8, 24)
	user := min(max(rest*2/5, 8), 14)
	addr := min(max(rest-user-6, 7), 15)
	return roomColumns{user: user, addr: addr, src: rest - user - addr, state: 15, time: 7, pending: 11, key: 8}
}

// layout of the room at the terminal's size.
type roomLayout struct {
	tableW, sideW int // the list's width; the messages column's (0: the messages are under the list)
	msgRows       int // rows of the messages area under the list
	tableRows     int // rows of the list itself
}

func (m *RoomModel) layout() roomLayout {
	c := m.c
	l := roomLayout{tableW: c.width}
	if c.width >= roomSideMin {
		l.sideW = roomSideWidth
		l.tableW = c.width - roomSideWidth - 1
	}
	fixed := 1 + 1 + 1 + 1 // header, rule, column heads, help bar
	if m.shutdown.active {
		fixed++
	}
	if m.mode == roomWriting || m.note != "" {
		fixed++
	}
	free := max(c.height-fixed, 1)
	if l.sideW == 0 {
		// the messages get at least a few rows, and whatever the list does not need
		least := min(max((c.height-8)/4, 2), 8)
		need := max(m.linesFrom(0, len(m.rows)-1), 1)
		switch m.mode {
		case roomPicker:
			need = len(oktell.NotifyTypes()) - 1 // the picker's rule stands in the heads' row
		case roomHelp:
			need = len(m.helpView(c.width, c.height)) - 2 // its rule and title stand in the list's
		case roomDetail:
			need = len(m.detailView(c.width, c.height)) - 2
		}
		free = max(free-1, 1) // the messages' rule
		l.msgRows = max(least, free-need)
		l.tableRows = max(free-l.msgRows, 1)
		return l
	}
	l.tableRows = free
	return l
}

func (m *RoomModel) tableRows() int { return m.layout().tableRows }

// rowHeight is the lines a row takes: one, and its answer under it.
func (m *RoomModel) rowHeight(r room.Row) int {
	if _, ok := m.answers[r.ID]; ok {
		return 2
	}
	return 1
}

// keepVisible scrolls so that the selected trainee is in view, and no room is wasted
// above the list's end.
func (m *RoomModel) keepVisible() {
	if m.c.height <= 0 {
		return
	}
	rows := m.tableRows()
	m.top = min(max(m.top, 0), max(len(m.rows)-1, 0))
	if i := m.selIndex(); i >= 0 {
		if i < m.top {
			m.top = i
		}
		for m.top < i && m.linesFrom(m.top, i) > rows {
			m.top++
		}
	}
	for m.top > 0 && m.linesFrom(m.top-1, len(m.rows)-1) <= rows {
		m.top--
	}
}

// linesFrom is the lines rows from..to take.
func (m *RoomModel) linesFrom(from, to int) int {
	n := 0
	for i := from; i <= to && i < len(m.rows); i++ {
		n += m.rowHeight(m.rows[i])
	}
	return n
}

// View implements tea.Model.
func (m RoomModel) View() string {
	c := m.c
	if c.width <= 0 || c.height <= 0 || m.quitting {
		return ""
	}
	if c.tooSmall() {
		return m.viewTooSmall()
	}
	m.keepVisible()
	l := m.layout()
	lines := make([]string, 0, c.height)
	lines = append(lines, m.header())
	if m.shutdown.active {
		lines = append(lines, c.theme.BannerError.Render(c.fill(c.theme.Icons.Stale+" "+m.shutdown.banner(), c.width)))
	}
	var body []string
	switch m.mode {
	case roomHelp:
		body = m.helpView(l.tableW, l.tableRows+2)
	case roomDetail:
		body = m.detailView(l.tableW, l.tableRows+2)
	case roomPicker:
		body = append([]string{c.rule(c.tr("Notification to %s: choose its type", oktell.CleanLine(m.line.user)), "", l.tableW, "")}, m.pickerView(l.tableRows+1)...)
	default:
		body = m.table(l)
	}
	for len(body) < l.tableRows+2 {
		body = append(body, "")
	}
	if l.sideW > 0 {
		side := m.messagesColumn(l.sideW, len(body))
		sep := c.theme.Rule.Render(c.theme.Icons.Sep)
		for i, b := range body {
			lines = append(lines, c.fill(b, l.tableW)+sep+side[i])
		}
	} else {
		lines = append(lines, body...)
		lines = append(lines, c.rule(c.tr("Messages"), "", c.width, ""))
		lines = append(lines, m.messageLines(c.width, l.msgRows)...)
	}
	switch {
	case m.mode == roomWriting:
		lines = append(lines, m.input.View())
	case m.note != "":
		lines = append(lines, c.theme.Warning.Render(m.note))
	}
	for len(lines) < c.height-1 {
		lines = append(lines, "")
	}
	lines = append(lines[:c.height-1], c.helpBar(m.keys(), newHelpView(c)))
	for i, s := range lines {
		lines[i] = c.fit(s, c.width)
	}
	return strings.Join(lines, "\n")
}

// header is the room's title and the count of trainees in each state.
func (m *RoomModel) header() string {
	c, th := m.c, m.c.theme
	title := th.Bold.Render(" " + c.tr("Trainer's room"))
	total := " " + c.tr("%d trainees", len(m.rows))
	type count struct {
		row room.Row
		n   int
	}
	var counts []count
	for _, r := range m.rows { // sorted by state: each state's count in the list's order
		if len(counts) > 0 && stateRank(counts[len(counts)-1].row) == stateRank(r) &&
			(stateRank(r) != 7 || counts[len(counts)-1].row.State == r.State) {
			counts[len(counts)-1].n++
			continue
		}
		counts = append(counts, count{row: r, n: 1})
	}
	if len(counts) == 0 {
		return title + " " + total
	}
	full, short := make([]string, len(counts)), make([]string, len(counts))
	for i, k := range counts {
		g, word := m.glyphWord(k.row)
		st := th.StateText(k.row.State, !k.row.Known)
		full[i] = st.Render(g+" "+word) + " " + th.Bold.Render(itoa(k.n))
		short[i] = st.Render(g) + th.Bold.Render(itoa(k.n))
	}
	// the words if they fit, without the title if need be; else the glyphs
	for _, s := range []string{
		title + " " + total + ":  " + strings.Join(full, "  "),
		total + ":  " + strings.Join(full, "  "),
		title + " " + total + ": " + strings.Join(short, " "),
	} {
		if lipgloss.Width(s) <= c.width {
			return s
		}
	}
	return total + ": " + strings.Join(short, " ")
}

// ago is a short time since: 5s, 12m, 3h.
func ago(c *common, d time.Duration) string {
	switch {
	case d < time.Minute:
		return c.tr("%ds", int(max(d, 0)/time.Second))
	case d < time.Hour:
		return c.tr("%dm", int(d/time.Minute))
	}
	return c.tr("%dh", int(d/time.Hour))
}

func itoa(n int) string { return strconv.Itoa(n) }

// glyphWord are a row's state glyph and word.
func (m *RoomModel) glyphWord(r room.Row) (string, string) {
	ic := m.c.theme.Icons
	if !r.Known {
		return ic.Unknown, m.c.tr("Unknown")
	}
	return ic.StateGlyph(r.State), stateWord(m.c, true, r.State, r.StateName)
}

// table is the list: its rule, its column heads and the rows in view.
func (m *RoomModel) table(l roomLayout) []string {
	c, th := m.c, m.c.theme
	cols := columnsFor(l.tableW)
	count := itoa(len(m.rows))
	if m.linesFrom(0, len(m.rows)-1) > l.tableRows && len(m.rows) > 0 {
		last := m.top
		for used := 0; last < len(m.rows); last++ {
			used += m.rowHeight(m.rows[last])
			if used > l.tableRows {
				break
			}
		}
		count = c.tr("%d–%d of %d", m.top+1, last, len(m.rows))
	}
	out := []string{c.rule(c.tr("Trainees"), count, l.tableW, th.Base.Render(oktell.CleanLine(m.rm.Trainer.Name)))}
	heads := []string{c.fill(c.tr("trainee"), cols.user), c.fill(c.tr("address"), cols.addr), c.fill(c.tr("source"), cols.src),
		c.fill(c.tr("state"), cols.state), c.fill(c.tr("time"), cols.time), c.fill(th.Icons.Redirect, 1), c.fill(c.tr("request"), cols.pending), c.tr("last key")}
	out = append(out, th.Muted.Render(c.fit("  "+strings.Join(heads, " "), l.tableW)))
	if len(m.rows) == 0 {
		return append(out, "  "+th.Muted.Render(c.tr("no trainees yet: each dashboard opened on this server appears here")))
	}
	for i := m.top; i < len(m.rows) && len(out)-2 < l.tableRows; i++ {
		r := m.rows[i]
		out = append(out, m.row(r, cols, l.tableW))
		if a, ok := m.answers[r.ID]; ok && len(out)-2 < l.tableRows {
			out = append(out, "    "+th.Time.Render(a.At.Format("15:04"))+" "+th.Base.Render(c.fit(oktell.CleanLine(a.Text), max(l.tableW-10, 1))))
		}
	}
	return out
}

// row is one trainee's line.
func (m *RoomModel) row(r room.Row, cols roomColumns, w int) string {
	c, th := m.c, m.c.theme
	gutter := "  "
	if r.ID == m.sel {
		gutter = th.Accent.Render(th.Icons.Selected) + " "
	}
	addr := r.Info.Addr
	if !cols.port {
		if i := strings.LastIndexByte(addr, ':'); i > 0 && !strings.Contains(addr[i+1:], "]") {
			addr = strings.Trim(addr[:i], "[]")
		}
	}
	src := r.Info.Source
	if k, _, ok := strings.Cut(src, ":"); ok {
		src = k // ws, bridge, file: the kind is enough to tell a demo from a real line
	}
	stale := r.Stale || r.Ended
	g, word := m.glyphWord(r)
	state := th.StateText(r.State, stale || !r.Known).Render(g + " " + word)
	if stale {
		state = th.Warning.Render(th.Icons.Stale) + state
	}
	dur := ""
	if r.Known {
		dur = FormatDuration(c.now.Sub(r.Since))
	}
	redirect := ""
	if r.Redirect {
		redirect = th.Accent.Render(th.Icons.Redirect)
	}
	pending := ""
	if r.Pending != "" {
		pending = th.Warning.Render(th.Icons.Pending + " " + c.tr(r.Pending))
	}
	lastKey := r.LastKey
	if lastKey == room.KeyTyping {
		lastKey = th.Muted.Render(c.tr("typing…"))
	}
	if cols.keyAge && r.LastKey != "" {
		lastKey += " " + th.Time.Render(c.tr("%s ago", ago(c, c.now.Sub(r.LastKeyAt))))
	}
	user := th.Bold.Render(r.Info.User)
	srcStyle := th.Muted
	if !r.Demo {
		srcStyle = th.Warning // the room cannot act on it
	}
	cells := []string{c.fill(user, cols.user), c.fill(th.Muted.Render(addr), cols.addr), c.fill(srcStyle.Render(src), cols.src),
		c.fill(state, cols.state), c.fill(th.Time.Render(dur), cols.time), c.fill(redirect, 1), c.fill(pending, cols.pending), lastKey}
	return c.fit(gutter+strings.Join(cells, " "), w)
}

// messageLines are the newest lines of the messages area that fit rows, across w.
func (m *RoomModel) messageLines(w, rows int) []string {
	c, th := m.c, m.c.theme
	out := make([]string, 0, rows)
	if len(m.lines) == 0 {
		for len(out) < rows-1 {
			out = append(out, "")
		}
		return append(out, "   "+th.Muted.Render(c.tr("no messages yet")))
	}
	from := max(len(m.lines)-rows, 0)
	for len(out) < rows-(len(m.lines)-from) {
		out = append(out, "")
	}
	for _, l := range m.lines[from:] {
		out = append(out, c.fit(m.lineText(l), w))
	}
	return out
}

// noteStyle is the style of a room line of this kind: what was sent, done or failed.
func (m *RoomModel) noteStyle(kind roomLineKind) lipgloss.Style {
	th := m.c.theme
	switch kind {
	case lineSent:
		return th.Accent
	case lineDone:
		return th.Muted
	case lineFailed:
		return th.Warning
	}
	return th.Base
}

// lineText is one line of the messages area, styled by what it says.
func (m *RoomModel) lineText(l roomNote) string {
	th, st := m.c.theme, m.noteStyle(l.kind)
	text := l.text
	if l.kind == lineAnswer {
		if who, rest, ok := strings.Cut(text, ": "); ok {
			return " " + th.Time.Render(l.at.Format("15:04")) + " " + th.Sender.Render(who) + ": " + st.Render(rest)
		}
	}
	return " " + th.Time.Render(l.at.Format("15:04")) + " " + st.Render(text)
}

// messagesColumn is the messages area of a wide terminal: its rule, then every line
// that fits, wrapped, the newest at the bottom.
func (m *RoomModel) messagesColumn(w, rows int) []string {
	c, th := m.c, m.c.theme
	out := []string{c.rule(c.tr("Messages"), "", w, "")}
	var body []string
	for i := len(m.lines) - 1; i >= 0 && len(body) < rows-1; i-- {
		l := m.lines[i]
		text := m.lineText(l)
		wrapped := wrapLines(ansi.Strip(text), max(w-2, 1))
		block := make([]string, 0, len(wrapped))
		for j, s := range wrapped {
			if j == 0 && len(wrapped) == 1 {
				block = append(block, c.fit(text, w)) // one line: in its colours
				continue
			}
			block = append(block, c.fit(" "+strings.TrimLeft(s, " "), w))
		}
		body = append(block, body...)
	}
	if len(m.lines) == 0 {
		body = []string{"   " + th.Muted.Render(c.tr("no messages yet"))}
	}
	if over := len(body) - (rows - 1); over > 0 {
		body = body[over:]
	}
	out = append(out, body...)
	for len(out) < rows {
		out = append(out, "")
	}
	return out
}

// pickerView is the notification types to choose from, the picked one marked, rows high.
func (m *RoomModel) pickerView(rows int) []string {
	c, th := m.c, m.c.theme
	types := oktell.NotifyTypes()
	first := 0
	if m.pick >= rows {
		first = m.pick - rows + 1
	}
	var out []string
	for i := first; i < len(types) && len(out) < rows; i++ {
		t := types[i]
		n := note{typ: t}
		if t == oktell.NltColor {
			n.argb = room.ColorNoteARGB
		}
		gutter := "  "
		if i == m.pick {
			gutter = th.Accent.Render(th.Icons.Selected) + " "
		}
		out = append(out, gutter+toastMark(c, n)+th.ToastText(t).Render(noteTypeLabel(c, t))+"  "+th.Muted.Render(t.String()))
	}
	return out
}

// detailView is the selected trainee whole, rows high at most: who they are, their last
// answer and then the room's lines about them (what became of a ring, a message, the
// link), each wrapped, the newest at the bottom; the oldest lines go first when they do
// not all fit.
func (m *RoomModel) detailView(w, rows int) []string {
	c, th := m.c, m.c.theme
	r, ok := m.selected()
	if !ok {
		return []string{c.rule(c.tr("Trainee"), "", w, ""), "   " + th.Muted.Render(c.tr("no trainee is selected"))}
	}
	g, word := m.glyphWord(r)
	head := []string{
		c.rule(c.tr("Trainee %s", oktell.CleanLine(r.Info.User)), "", w, ""),
		" " + th.StateText(r.State, r.Stale || r.Ended || !r.Known).Render(g+" "+word) + "  " + th.Muted.Render(oktell.CleanLine(r.Info.Addr)+"  "+oktell.CleanLine(r.Info.Source)),
	}
	wrapped := func(at time.Time, text string, st lipgloss.Style) []string {
		var out []string
		for i, l := range wrapLines(text, max(w-8, 1)) {
			lead := "       "
			if i == 0 {
				lead = " " + th.Time.Render(at.Format("15:04")) + " "
			}
			out = append(out, lead+st.Render(l))
		}
		return out
	}
	var answer []string
	if a, ok := m.answers[r.ID]; ok {
		answer = append([]string{" " + th.Bold.Render(c.tr("Last answer"))}, wrapped(a.At, oktell.CleanLine(a.Text), th.Base)...)
	}
	var notes []string
	for _, l := range m.lines {
		if l.who != r.ID || l.kind == lineAnswer {
			continue
		}
		notes = append(notes, wrapped(l.at, l.text, m.noteStyle(l.kind))...)
	}
	if len(notes) > 0 {
		notes = append([]string{" " + th.Bold.Render(c.tr("The room's lines"))}, notes...)
	}
	if len(answer) == 0 && len(notes) == 0 {
		return append(head, "   "+th.Muted.Render(c.tr("no answer and no line about this trainee yet")))
	}
	out := append(head, answer...)
	if over := len(out) + len(notes) - rows; over > 0 && len(notes) > 0 {
		notes = append(notes[:1], notes[min(1+over, len(notes)):]...) // the newest stay
		if len(notes) == 1 {
			notes = nil
		}
	}
	out = append(out, notes...)
	if len(out) > rows {
		out = out[:rows]
	}
	return out
}

// helpView lists every key of the room.
func (m *RoomModel) helpView(w, rows int) []string {
	c, th := m.c, m.c.theme
	out := []string{c.rule(c.tr("Help"), "", w, ""), " " + th.Bold.Render(c.tr("Keys of the room"))}
	mode := m.mode
	m.mode = roomBrowse
	bs := m.keys()
	m.mode = mode
	bs = append(bs, act(m.send, "", nil), act(m.cancel, "", nil))
	for _, b := range bs {
		if b.Keys()[0] == barOnly {
			continue
		}
		h := b.Help()
		ks, ds := th.HelpKey, th.HelpDesc
		if !b.Enabled() {
			ks, ds = th.HelpOff, th.HelpOff
		}
		out = append(out, "   "+ks.Render(h.Key)+strings.Repeat(" ", max(9-ansi.StringWidth(h.Key), 1))+ds.Render(h.Desc))
	}
	if len(out)+2 <= rows {
		out = append(out, "") // the hint apart, when there is room for it
	}
	out = append(out, " "+th.Muted.Render(c.tr("latin keys shown; the same keys on the Russian layout work too")))
	if len(out) > rows {
		out = out[:rows]
	}
	return out
}

// viewTooSmall is the screen below the minimum size.
func (m *RoomModel) viewTooSmall() string { return m.c.tooSmallScreen(MinWidth, MinHeight) }
