package ui

import (
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/okdash/okdash/oktell"
)

// Where the wall puts things: the banner (a lost link, the countdown), the line of
// labels, the queue in large type, the counts per state, the departments in tiles, and
// the help bar (or the filter line). The tiles take the rows that are left, in the
// largest shape with which every department fits; when none fits, the departments go
// on pages, whole where they can, and the pages turn.

// wallShapes are the tile shapes, largest first: rows of a tile and blank rows between
// rows of tiles. A tile is its colleague's name and number over their state on rows of
// the state's colour: one row in the smallest shape, three in the largest.
var wallShapes = []struct{ tileH, gap int }{{5, 1}, {4, 1}, {3, 1}, {3, 0}}

// The width of a tile: at least minTileW, at most maxTileW; the grid is centred.
const (
	minTileW = 16
	maxTileW = 40
)

// wallGrid is the tiles' shape: columns, a tile's width and rows, blank rows between.
type wallGrid struct{ cols, tileW, tileH, gap int }

// wallRow is one item of a page: a department's rule, or a row of its tiles.
type wallRow struct {
	dept  int  // in shown
	first int  // the row's first tile in the department; -1: the department's rule
	cont  bool // the rule of a department begun on the page before
}

// wallLayout is where everything goes at the terminal's size.
type wallLayout struct {
	face   bigFace
	queue  bool // the queue in large type (the source reports a queue)
	top    int  // rows above the departments
	body   int  // rows of the departments
	grid   wallGrid
	margin int // cells left of the grid, to centre it
	pages  [][]wallRow
}

// place lays the wall out for the terminal's size and what it shows now.
func (w *Wall) place() {
	c := w.c
	l := wallLayout{queue: c.caps.Queue}
	l.face = bigFace{rows: 3, ascii: c.theme.Icons.Name == "ascii"}
	if c.height >= 36 && c.width >= 80 {
		l.face.rows = 5
	}
	l.top = len(w.bannerLines()) + 1 + len(w.countLines())
	if l.queue {
		l.top += l.face.rows
	}
	l.body = max(c.height-l.top-1, 1) // the help bar
	sizes := make([]int, len(w.shown))
	for i, d := range w.shown {
		sizes[i] = len(d.members)
	}
	l.grid = chooseGrid(sizes, c.width, l.body)
	l.pages = packWall(sizes, l.grid, l.body)
	g := l.grid
	l.margin = max((c.width-(g.cols*g.tileW+g.cols-1))/2, 0)
	w.lay = l
	if w.page >= len(l.pages) {
		w.page = 0
	}
}

// chooseGrid is the largest shape and the widest tiles with which every department fits
// in rows; when none does, the smallest tiles (the fewest pages).
func chooseGrid(sizes []int, width, rows int) wallGrid {
	for _, s := range wallShapes {
		for tw := maxTileW; tw >= minTileW; tw-- {
			g := gridAt(width, tw, s.tileH, s.gap)
			if wallRows(sizes, g) <= rows {
				return g
			}
		}
	}
	return gridAt(width, minTileW, 3, 0)
}

// gridAt is as many tiles of width tw as width holds (a cell between), stretched to it.
func gridAt(width, tw, tileH, gap int) wallGrid {
	cols := max((width+1)/(tw+1), 1)
	return wallGrid{cols: cols, tileW: max(min((width-(cols-1))/cols, maxTileW), 1), tileH: tileH, gap: gap}
}

// wallRows is how many rows every department takes on one page.
func wallRows(sizes []int, g wallGrid) int {
	n := 0
	for i, size := range sizes {
		r := (size + g.cols - 1) / g.cols
		if i > 0 {
			n += g.gap
		}
		n += 1 + r*g.tileH + max(r-1, 0)*g.gap
	}
	return n
}

// packWall puts the departments on pages of rows: a department starts on a new page
// when its first row of tiles does not fit under its rule; one longer than a page goes
// on, under its rule again, on the next. A page holds at least one row of tiles.
func packWall(sizes []int, g wallGrid, rows int) [][]wallRow {
	var pages [][]wallRow
	var cur []wallRow
	used := 0
	for d, size := range sizes {
		tileRows := (size + g.cols - 1) / g.cols
		for r := range tileRows {
			rule := r == 0 || len(cur) == 0
			need := g.tileH + g.gap // a blank row before, unless it opens the page
			if rule {
				need++
			}
			if len(cur) == 0 {
				need -= g.gap
			}
			if used+need > rows && len(cur) > 0 {
				pages, cur, used = append(pages, cur), nil, 0
				rule, need = true, 1+g.tileH
			}
			if rule {
				cur = append(cur, wallRow{dept: d, first: -1, cont: r > 0})
			}
			cur = append(cur, wallRow{dept: d, first: r * g.cols})
			used += need
		}
	}
	if len(cur) > 0 {
		pages = append(pages, cur)
	}
	return pages
}

// bannerLines are the banner's: the countdown to exit, else why the link is down, as
// the dashboard shows them.
func (w *Wall) bannerLines() []string {
	p := panes{status: w.status, shutdown: w.shutdown}
	return p.banner(w.c)
}

// stale says the colleagues' states may have changed unseen: the link is down, or a
// live source has ended.
func (w *Wall) stale() bool {
	if w.c.caps.ReadOnly {
		return false
	}
	return w.status.ended || w.status.link != oktell.LinkConnected
}

func (w *Wall) view() string {
	c := w.c
	if w.tooSmall() {
		return w.viewTooSmall()
	}
	lines := make([]string, 0, c.height)
	lines = append(lines, w.bannerLines()...)
	if w.helpOpen {
		lines = append(lines, c.rule(c.tr("Help"), "", c.width, w.status.identity()))
		lines = append(lines, w.helpLines(c.height-len(lines)-1)...)
	} else {
		lines = append(lines, w.labels())
		if w.lay.queue {
			lines = append(lines, w.bigQueue()...)
		}
		lines = append(lines, w.countLines()...)
		lines = append(lines, w.departments()...)
	}
	for len(lines) < c.height-1 {
		lines = append(lines, "")
	}
	lines = append(lines[:c.height-1], w.footer())
	for i, l := range lines {
		lines[i] = c.fit(l, c.width)
	}
	return strings.Join(lines, "\n")
}

// footer is the help bar, or the filter line being typed with its keys.
func (w *Wall) footer() string {
	c := w.c
	if !w.editing {
		return c.helpBar(w.bindings(), w.bar)
	}
	keys := w.bar.short(w.bindings(), 0)
	line := w.input.View()
	if room := c.width - lipgloss.Width(line) - 2; lipgloss.Width(keys) <= room {
		line += strings.Repeat(" ", room-lipgloss.Width(keys)+1) + keys
	}
	return line
}

// queueColumn is the width of the queue's column: its label or three large digits, so
// that the longest wait does not move when the queue grows past 9.
func (w *Wall) queueColumn() int {
	return max(ansi.StringWidth(w.c.tr("In queue")), w.lay.face.width("000")) + 4
}

// labels is the first line: what the large type says, and at its right the filter, the
// page and the link.
func (w *Wall) labels() string {
	c, th := w.c, w.c.theme
	left := ""
	if w.lay.queue {
		q := c.tr("In queue")
		left = " " + th.Bold.Render(q) + strings.Repeat(" ", w.queueColumn()-ansi.StringWidth(q)) + th.Bold.Render(c.tr("Longest wait"))
	}
	var right []string
	if w.filter != "" {
		right = append(right, th.Accent.Render(c.tr("departments: “%s”", w.filter)))
	}
	if n := len(w.lay.pages); n > 1 {
		right = append(right, th.Accent.Render(c.tr("page %d/%d", w.page+1, n)))
	}
	right = append(right, w.status.identity())
	r := strings.Join(right, "   ") + " "
	if gap := c.width - lipgloss.Width(left) - lipgloss.Width(r); gap >= 2 {
		return left + strings.Repeat(" ", gap) + r
	}
	return left
}

// bigQueue is the queue's length and its longest wait in large type.
func (w *Wall) bigQueue() []string {
	c, th, f := w.c, w.c.theme, w.lay.face
	n := len(w.queue.Callers)
	count, wait := strconv.Itoa(n), bigWait(w.queue.Longest(c.now))
	st := th.Muted
	if n > 0 {
		st = th.Warning
	}
	cl, wl := f.render(count), f.render(wait)
	col := w.queueColumn()
	out := make([]string, f.rows)
	for i := range out {
		out[i] = " " + st.Render(cl[i]) + strings.Repeat(" ", max(col-ansi.StringWidth(cl[i]), 1)) + st.Render(wl[i])
	}
	return out
}

// wallStates are the states in the order of the counts: who can take a call first.
var wallStates = []oktell.UserState{oktell.UserReady, oktell.UserFullbusy, oktell.UserReserved, oktell.UserLunch,
	oktell.UserOff, oktell.UserWOphone, oktell.UserDisconnected}

// alwaysCounted are the states counted even at 0: that nobody is ready is news.
var alwaysCounted = map[oktell.UserState]bool{oktell.UserReady: true, oktell.UserFullbusy: true, oktell.UserLunch: true, oktell.UserOff: true}

// countLines are the counts per state of the colleagues shown, glyph, word and number,
// on one line or, when they do not fit, two.
func (w *Wall) countLines() []string {
	c, th, ic := w.c, w.c.theme, w.c.theme.Icons
	var items []string
	for _, s := range wallStates {
		n := w.counts.by[s]
		if n == 0 && !alwaysCounted[s] {
			continue
		}
		items = append(items, th.StateCount(s).Render(ic.StateGlyph(s)+" "+stateWord(c, true, s, ""))+" "+th.Bold.Render(strconv.Itoa(n)))
	}
	if w.counts.unknown > 0 {
		items = append(items, th.Muted.Render(ic.Unknown+" "+c.tr("Unknown"))+" "+th.Bold.Render(strconv.Itoa(w.counts.unknown)))
	}
	var lines []string
	line := ""
	for _, it := range items {
		switch {
		case line == "":
			line = " " + it
		case lipgloss.Width(line)+3+lipgloss.Width(it) <= c.width-1 || len(lines) == 1:
			line += "   " + it // the second line takes the rest, cut at the width if it must
		default:
			lines, line = append(lines, line), " "+it
		}
	}
	return append(lines, line)
}

// departments are the rows of the page shown.
func (w *Wall) departments() []string {
	c, th := w.c, w.c.theme
	l := w.lay
	if len(w.shown) == 0 {
		msg := c.tr("Waiting for the list of colleagues")
		if w.filter != "" && len(w.list) > 0 {
			msg = c.tr("No department's name holds “%s”", w.filter)
		}
		return append(make([]string, l.body/2), strings.Repeat(" ", max((c.width-ansi.StringWidth(msg))/2, 0))+th.Muted.Render(msg))
	}
	if w.page >= len(l.pages) {
		return nil
	}
	g, stale := l.grid, w.stale()
	pad := strings.Repeat(" ", l.margin)
	var out []string
	page := l.pages[w.page]
	for i, row := range page {
		if i > 0 && page[i-1].first >= 0 {
			for range g.gap {
				out = append(out, "")
			}
		}
		d := w.shown[row.dept]
		if row.first < 0 {
			name := d.name
			if name == "" {
				name = c.tr("No department")
			}
			title := c.tr("%s · %d", name, len(d.members))
			if row.cont {
				title = c.tr("%s · %d (continued)", name, len(d.members))
			}
			out = append(out, c.rule(title, "", c.width, w.summary(d)))
			continue
		}
		cols := d.members[row.first:min(row.first+g.cols, len(d.members))]
		tiles := make([][]string, len(cols))
		for j, i := range cols {
			tiles[j] = w.tile(&w.list[i], g, stale)
		}
		for r := range g.tileH {
			parts := make([]string, len(tiles))
			for j := range tiles {
				parts[j] = tiles[j][r]
			}
			out = append(out, pad+strings.Join(parts, " "))
		}
	}
	if len(out) > l.body {
		out = out[:l.body]
	}
	return out
}

// summary is a department's count per state, glyph and number, for the right end of
// its rule (the words are in the counts above).
func (w *Wall) summary(d wallDept) string {
	th, ic := w.c.theme, w.c.theme.Icons
	by, unknown := map[oktell.UserState]int{}, 0
	for _, i := range d.members {
		if col := &w.list[i]; col.StateKnown {
			by[col.State]++
		} else {
			unknown++
		}
	}
	var parts []string
	for _, s := range wallStates {
		if by[s] > 0 {
			parts = append(parts, th.StateCount(s).Render(ic.StateGlyph(s))+" "+strconv.Itoa(by[s]))
		}
	}
	if unknown > 0 {
		parts = append(parts, th.Muted.Render(ic.Unknown)+" "+strconv.Itoa(unknown))
	}
	return strings.Join(parts, "  ")
}

// tile is one colleague: name, number, and the state (glyph, word, time in state where
// the wall saw it begin) on the state's colour; g.tileH rows of exactly g.tileW cells.
func (w *Wall) tile(col *wallColleague, g wallGrid, stale bool) []string {
	c, th := w.c, w.c.theme
	tw := g.tileW
	name, number := col.Name, col.Number
	if name == "" {
		name = col.Login
	}
	if number == "" && col.Login != name {
		number = col.Login
	}
	glyph, badge := th.Icons.Unknown, th.Muted
	if col.StateKnown {
		glyph, badge = th.Icons.StateGlyph(col.State), th.StateBadge(col.State, stale)
	}
	state := glyph + " " + stateWord(c, col.StateKnown, col.State, "")
	since := ""
	if t, ok := w.since[col.key]; ok && col.StateKnown {
		since = wallDuration(c, c.now.Sub(t))
	}
	inner := max(tw-2, 1) // a cell of margin on each side
	out := []string{
		c.fill(" "+th.Bold.Render(c.fit(name, inner)), tw),
		c.fill(" "+th.Muted.Render(c.fit(number, inner)), tw),
	}
	if g.tileH >= 4 {
		// the state on rows of colour: the word on the first, the time on the last
		out = append(out, badge.Render(c.fill(" "+c.fit(state, inner), tw)))
		for len(out) < g.tileH-1 {
			out = append(out, badge.Render(strings.Repeat(" ", tw)))
		}
		out = append(out, badge.Render(c.fill(strings.Repeat(" ", max(tw-1-ansi.StringWidth(since), 0))+since, tw)))
	} else {
		room := inner
		if since != "" {
			room -= ansi.StringWidth(since) + 1
		}
		left := c.fit(state, max(room, 1))
		gap := max(inner-ansi.StringWidth(left)-ansi.StringWidth(since), 1)
		out = append(out, badge.Render(c.fill(" "+left+strings.Repeat(" ", gap)+since, tw)))
	}
	for len(out) < g.tileH {
		out = append(out, strings.Repeat(" ", tw))
	}
	return out
}

// wallDuration is a time in state on a tile, in whole minutes: a wall is read for who
// has been on a break for ten minutes, and a tile that changes once a minute is calm.
func wallDuration(c *common, d time.Duration) string {
	m := int(max(d, 0) / time.Minute)
	if m < 60 {
		return c.tr("%d min", m)
	}
	return c.tr("%d h %02d min", m/60, m%60)
}

// helpLines are the wall's help in rows: its keys, the states it shows, how to read it.
func (w *Wall) helpLines(rows int) []string {
	c, th, ic := w.c, w.c.theme, w.c.theme.Icons
	out := []string{" " + th.Bold.Render(c.tr("Keys"))}
	keyLine := func(k, desc string) string {
		return "   " + th.HelpKey.Render(k) + strings.Repeat(" ", max(9-ansi.StringWidth(k), 1)) + th.HelpDesc.Render(desc)
	}
	wasHelp := w.helpOpen
	w.helpOpen = false // the keys of the wall itself, as they stand when the help closes
	for _, b := range w.bindings() {
		if b.group == notListed {
			continue
		}
		h := b.Help()
		desc := h.Desc
		switch {
		case h.Key == w.keys.prev.Help().Key:
			desc = c.tr("previous and next page")
		case h.Key == w.keys.find.Help().Key:
			desc = c.tr("show the departments whose name holds a text")
		}
		out = append(out, keyLine(h.Key, desc))
	}
	w.helpOpen = wasHelp
	out = append(out, "", " "+th.Bold.Render(c.tr("States")))
	line := "  "
	for _, s := range wallStates {
		b := th.StateBadge(s, false).Render(" " + ic.StateGlyph(s) + " " + stateWord(c, true, s, "") + " ")
		if lipgloss.Width(line)+1+lipgloss.Width(b) > c.width-1 && line != "  " {
			out, line = append(out, line), "  "
		}
		line += " " + b
	}
	out = append(out, line, "")
	notes := []string{
		c.tr("Under a state, how long it has lasted since the wall saw it begin; a state the wall found already there shows no time."),
		c.tr("Tiles keep their places: a change of state recolours a tile, it does not move it."),
	}
	if w.pageTime > 0 {
		notes = append(notes, c.tr("When the departments do not fit, the pages turn by themselves every %s.", shortDuration(c, w.pageTime)))
	}
	notes = append(notes, c.tr("Nothing here changes anything in Oktell."))
	for _, n := range notes {
		for _, l := range wrapLines(n, max(c.width-2, 1)) {
			out = append(out, " "+th.Muted.Render(l))
		}
	}
	if len(out) > rows {
		out = out[:max(rows, 0)]
	}
	return out
}

// shortDuration writes a page time as people say it: 15 s, 2 min.
func shortDuration(c *common, d time.Duration) string {
	if d >= time.Minute && d%time.Minute == 0 {
		return c.tr("%d min", int(d/time.Minute))
	}
	return c.tr("%d s", int((d+time.Second/2)/time.Second))
}

// viewTooSmall says what size the wall needs, and the way out.
func (w *Wall) viewTooSmall() string { return w.c.tooSmallScreen(WallMinWidth, WallMinHeight) }
