package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// helpScreen is the screen of every hotkey, and the key that opens it. What it lists
// comes from the panes' bindings, as the help bar's does. It is laid out to the width
// (two columns where they fit, else one) and scrolls when it is taller than the pane.
type helpScreen struct {
	c                        *common
	open, back               key.Binding
	up, down, pageUp, pageDn key.Binding
	bar                      helpView
	from                     screen // where it was opened from: esc goes back there
	off                      int    // the first line shown
}

func init() { words(helpWords) }

// helpWords declares the words of help.go in Russian (see words).
func helpWords() {
	russian(map[string]string{
		"help": "справка", "quit": "выход",
		"Help":             "Справка",
		"State":            "Состояние",
		"Messenger":        "Сообщения",
		"Toasts and views": "Уведомления и экраны",
		"(n/a)":            "(недоступно)",
		"latin keys shown; the same keys on the Russian layout work too": "показаны латинские клавиши; те же клавиши в русской раскладке тоже работают",
		"the whole help is on screen":                                    "справка видна целиком",
		"already at the top":                                             "уже в начале",
		"already at the end":                                             "уже в конце",
	})
	for _, p := range []struct{ key, en1, en, ru1, ru2, ru string }{
		{"↑ %d more lines", "↑ %d more line", "↑ %d more lines", "↑ ещё %d строка", "↑ ещё %d строки", "↑ ещё %d строк"},
		{"↓ %d more lines", "↓ %d more line", "↓ %d more lines", "↓ ещё %d строка", "↓ ещё %d строки", "↓ ещё %d строк"},
	} {
		counted(p.key, 1, []any{"one", p.en1, "other", p.en}, []any{"one", p.ru1, "few", p.ru2, "other", p.ru})
	}
}

func newHelpScreen(c *common) helpScreen {
	// On the Russian layout the key marked ? types a comma: it opens the help too, as F1 does.
	h := helpScreen{c: c, open: c.hotkey("?", "help", "?", ",", "f1"), back: c.hotkey("esc", "back", "esc"), bar: newHelpView(c)}
	h.up, h.down, h.pageUp, h.pageDn = scrollKeys(c)
	return h
}

func (h *helpScreen) update(tea.Msg) tea.Cmd { return nil }

func (h *helpScreen) keys(on screen) []binding {
	c := h.c
	toggle := act(h.open, "", func() tea.Cmd {
		to := screenHelp
		if c.screen == screenHelp {
			to = h.from
		} else {
			h.from, h.off = c.screen, 0
		}
		c.post(screenMsg{to})
		return nil
	}).listed(groupViews)
	if on != screenHistory {
		toggle = toggle.onBar(barKeep)
	}
	if on != screenHelp {
		return []binding{toggle}
	}
	// the last frame's help: how many lines it had and how many were shown (see layout)
	total, rows := c.lay.helpLines, c.lay.listRows
	last := h.lastOff(total, rows)
	whyUp, whyDown := "", ""
	if total <= rows {
		whyUp, whyDown = "the whole help is on screen", "the whole help is on screen"
	}
	if whyUp == "" && h.off <= 0 {
		whyUp = "already at the top"
	}
	if whyDown == "" && h.off >= last {
		whyDown = "already at the end"
	}
	page := max(rows-3, 1) // less the lines that say there is more, less one line kept in view
	scroll := func(d int) func() tea.Cmd {
		return func() tea.Cmd { h.off = min(max(h.off+d, 0), last); return nil }
	}
	return []binding{
		toggle,
		act(h.up, whyUp, scroll(-1)).onBar(1),
		act(h.down, whyDown, scroll(1)).onBar(2),
		act(h.pageUp, whyUp, scroll(-page)),
		act(h.pageDn, whyDown, scroll(page)),
		act(h.back, "", func() tea.Cmd { c.post(screenMsg{h.from}); return nil }).onBar(barKeep).listed(groupViews),
	}
}

// lastOff is the first line shown when the help is scrolled to its end: the rest, under
// the line that says how much is above.
func (h *helpScreen) lastOff(total, rows int) int {
	if total <= rows {
		return 0
	}
	return total - (rows - 1)
}

// view draws the full help into w x rows: every binding of groups, under its heading;
// what is not possible right now is dimmed rather than hidden, so the operator learns
// them all. Taller than rows, it shows from the line scrolled to, and says how many
// lines are above and below. It notes in c.lay how many lines it has, for the keys.
func (h *helpScreen) view(groups [][]binding, w, rows int) []string {
	all := h.lines(groups, w)
	h.c.lay.helpLines = len(all)
	if len(all) <= rows {
		return all
	}
	th := h.c.theme
	off := min(max(h.off, 0), h.lastOff(len(all), rows))
	var out []string
	if off > 0 {
		out = append(out, "  "+th.Muted.Render(h.c.tr("↑ %d more lines", off)))
	}
	n := rows - len(out)
	if off+n < len(all) {
		n-- // the line that says what is below
	}
	out = append(out, all[off:off+n]...)
	if below := len(all) - off - n; below > 0 {
		out = append(out, "  "+th.Muted.Render(h.c.tr("↓ %d more lines", below)))
	}
	return out
}

// lines are the whole help laid out to width w: two columns (the last group on the
// right) where both fit side by side, else one under another.
func (h *helpScreen) lines(groups [][]binding, w int) []string {
	c, th := h.c, h.c.theme
	var blocks [][]string
	for gi, g := range groups {
		lines := []string{" " + th.Bold.Render(c.tr(helpGroups[gi].title))}
		for _, b := range g {
			hb := b.Help()
			ks, ds := th.HelpKey, th.HelpDesc
			if !b.Enabled() {
				ks, ds = th.HelpOff, th.HelpOff
			}
			desc := hb.Desc
			if !b.Enabled() && th.NoColor {
				desc += " " + c.tr("(n/a)") // without colour the dimming is invisible: say it in words
			}
			lines = append(lines, "   "+ks.Render(hb.Key)+strings.Repeat(" ", max(9-ansi.StringWidth(hb.Key), 1))+ds.Render(desc))
		}
		blocks = append(blocks, lines)
	}
	var left []string
	for i, b := range blocks[:max(len(blocks)-1, 0)] {
		if i > 0 {
			left = append(left, "")
		}
		left = append(left, b...)
	}
	var out []string
	colW := w / 2
	if len(blocks) > 1 && widest(left) <= colW-1 && widest(blocks[len(blocks)-1]) <= w-colW {
		right := blocks[len(blocks)-1]
		for i := 0; i < max(len(left), len(right)); i++ {
			l, r := "", ""
			if i < len(left) {
				l = left[i]
			}
			if i < len(right) {
				r = right[i]
			}
			out = append(out, l+strings.Repeat(" ", max(colW-lipgloss.Width(l), 1))+r)
		}
	} else {
		for i, b := range blocks {
			if i > 0 {
				out = append(out, "")
			}
			out = append(out, b...)
		}
	}
	out = append(out, "")
	for _, l := range wrapLines(c.tr("latin keys shown; the same keys on the Russian layout work too"), max(w-2, 1)) {
		out = append(out, " "+th.Muted.Render(l))
	}
	return out
}

// widest is the width of the widest line.
func widest(lines []string) int {
	w := 0
	for _, l := range lines {
		w = max(w, lipgloss.Width(l))
	}
	return w
}

// helpView draws a row of bindings as the help bar does (the bubble's short help, in
// the theme's colours and the icon set's separator).
type helpView struct{ m help.Model }

func newHelpView(c *common) helpView {
	th := c.theme
	m := help.New()
	m.Styles = help.Styles{
		Ellipsis: th.HelpSep, ShortKey: th.HelpKey, ShortDesc: th.HelpDesc, ShortSeparator: th.HelpSep,
		FullKey: th.HelpKey, FullDesc: th.HelpDesc, FullSeparator: th.HelpSep,
	}
	m.Ellipsis = th.Icons.Ellipsis
	m.ShortSeparator = " " + th.Icons.Sep + " "
	return helpView{m}
}

// short is the bindings in one row, cut to width (0: not cut).
func (h helpView) short(bs []binding, width int) string {
	ks := make([]key.Binding, len(bs))
	for i, b := range bs {
		ks[i] = b.Binding
	}
	h.m.Width = width
	return h.m.ShortHelpView(ks)
}
