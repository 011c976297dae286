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
// comes from the panes' bindings, as the help bar's does.
type helpScreen struct {
	c          *common
	open, back key.Binding
	bar        helpView
}

func init() {
	russian(map[string]string{
		"help": "справка", "quit": "выход",
		"Help":             "Справка",
		"State":            "Состояние",
		"Messenger":        "Сообщения",
		"Toasts and views": "Уведомления и экраны",
		"(n/a)":            "(недоступно)",
		"latin keys shown; the same keys on the Russian layout work too": "показаны латинские клавиши; те же клавиши в русской раскладке тоже работают",
	})
}

func newHelpScreen(c *common) helpScreen {
	return helpScreen{c: c, open: c.hotkey("?", "help", "?"), back: c.hotkey("esc", "back", "esc"), bar: newHelpView(c)}
}

func (h *helpScreen) update(tea.Msg) tea.Cmd { return nil }

func (h *helpScreen) keys(on screen) []binding {
	c := h.c
	toggle := act(h.open, "", func() tea.Cmd {
		to := screenHelp
		if c.screen == screenHelp {
			to = screenMain
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
	return []binding{toggle, act(h.back, "", func() tea.Cmd { c.post(screenMsg{screenMain}); return nil }).onBar(barKeep).listed(groupViews)}
}

// view draws the full help into w x rows: every binding of groups, under its heading;
// what is not possible right now is dimmed rather than hidden, so the operator learns
// them all.
func (h *helpScreen) view(groups [][]binding, w, rows int) []string {
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
	var out []string
	if w >= 76 && len(blocks) > 1 {
		// two columns: the last group on the right, the others one under another on the left
		var left []string
		for i, b := range blocks[:len(blocks)-1] {
			if i > 0 {
				left = append(left, "")
			}
			left = append(left, b...)
		}
		right := blocks[len(blocks)-1]
		colW := w / 2
		for i := 0; i < max(len(left), len(right)); i++ {
			l, r := "", ""
			if i < len(left) {
				l = c.fit(left[i], colW-1)
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
	out = append(out, "", " "+th.Muted.Render(c.tr("latin keys shown; the same keys on the Russian layout work too")))
	if len(out) > rows {
		out = out[:max(rows, 0)]
	}
	return out
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
