package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/okdash/okdash/oktell"
)

// A binding is one hotkey as the operator meets it, everything about it in one value
// (lazygit's rule): the keys that press it and its help, where the help lists it, what
// it does, and, when that is not possible now, why not. A pane builds its bindings from
// its state each time they are asked for (its keys method), so what the help shows,
// what a key does and why it does nothing cannot disagree.
//
// Adding a hotkey is one edit in the file of the pane it acts on: declare its keys in
// the pane's constructor with c.hotkey, return it from the pane's keys method with its
// action and, when the action is not possible, the reason, and add the Russian of its
// help and of its reasons to the pane's russian table. The help bar, the full help,
// the Russian-layout twins of its letters and the report of a refused key follow.
// TestEveryBindingSpeaksRussian and TestEveryBindingIsListed check the rest.
type binding struct {
	key.Binding               // the keys and their help; Enabled() says whether the action is possible now
	why         string        // why the action is not possible now, in English: a catalog key, or whyCode's English; "" when it is possible
	whyCode     oktell.Reason // why, when it is a source's reason: said from its code (say), not looked up
	bar         int           // on the help bar: 0 not; otherwise higher stays longer when the bar is too narrow (see barKeep)
	held        bool          // impossible only for a moment (a request waits for its answer): it keeps its room on the bar
	quiet       bool          // impossible says nothing: a key pressed by habit (esc with nothing to leave)
	group       helpGroup     // the heading of the full help that lists it; notListed: none
	do          func() tea.Cmd
}

// barKeep is the bar rank of the bindings that never leave the help bar, whatever its
// width: help and quit are the way to everything else and the way out. Below them, from
// the last to go: dismiss (a red error stays until it is dismissed), the state keys
// (ready 7, break 6, away 5, redirect 4), reply 3, the history 2, voicemail seen 1.
const barKeep = 100

// helpGroup is a heading of the full help.
type helpGroup int

const (
	notListed helpGroup = iota
	groupState
	groupMessenger
	groupViews
)

// helpGroups are the headings of the full help, in their order, as catalog keys.
var helpGroups = []struct {
	group helpGroup
	title string
}{{groupState, "State"}, {groupMessenger, "Messenger"}, {groupViews, "Toasts and views"}}

// act is a binding of k doing do, possible unless why says why not.
func act(k key.Binding, why string, do func() tea.Cmd) binding {
	k.SetEnabled(why == "")
	return binding{Binding: k, why: why, do: do}
}

// because makes the binding impossible for a source's reason (oktell.Reason).
func (b binding) because(r oktell.Reason) binding {
	b.SetEnabled(false)
	b.why, b.whyCode = r.String(), r
	return b
}

// whyNot is why b is not possible now, in the operator's language.
func (c *common) whyNot(b binding) string {
	if !b.whyCode.IsZero() {
		return say(c.print, b.whyCode)
	}
	return c.tr(b.why)
}

// onBar puts the binding on the help bar with rank keep (see binding.bar).
func (b binding) onBar(keep int) binding { b.bar = keep; return b }

// holding keeps the binding's room on the help bar while it is impossible for a moment,
// so that other entries do not come in for that moment and leave again.
func (b binding) holding() binding { b.held = !b.Enabled(); return b }

// silently makes an impossible press do nothing and say nothing: for esc, which
// operators press by habit to be sure they are back, a reason in the warning colour
// would be noise.
func (b binding) silently() binding { b.quiet = true; return b }

// listed puts the binding under a heading of the full help.
func (b binding) listed(g helpGroup) binding { b.group = g; return b }

// presses says whether k is one of the binding's keys, possible or not.
func (b binding) presses(k tea.KeyMsg) bool {
	s := k.String()
	for _, bk := range b.Keys() {
		if bk == s {
			return true
		}
	}
	return false
}

// keyRefusedMsg is a key pressed whose action is not possible now, with why, in the
// operator's language: the status line says it for a moment (see refusal).
type keyRefusedMsg struct {
	help key.Help
	why  string
}

// press runs the action of the first possible binding that k presses; when only
// impossible ones match, it posts why the first of them is not possible (unless it is
// silent). It reports
// whether any binding matched.
func press(c *common, bs []binding, k tea.KeyMsg) (tea.Cmd, bool) {
	var refused *binding
	for i := range bs {
		b := &bs[i]
		if !b.presses(k) {
			continue
		}
		if b.Enabled() {
			return b.do(), true
		}
		if refused == nil {
			refused = b
		}
	}
	if refused != nil {
		if !refused.quiet {
			c.post(keyRefusedMsg{help: refused.Help(), why: c.whyNot(*refused)})
		}
		return nil, true
	}
	return nil, false
}

// latinKeys and cyrillicKeys are the letters on the same keys of the Latin QWERTY and
// the Russian ЙЦУКЕН layouts, in the same order, so that an operator who forgot to
// switch layouts still reaches every hotkey. Each Cyrillic letter is two bytes of UTF-8.
const (
	latinKeys    = "qwertyuiopasdfghjklzxcvbnmQWERTYUIOPASDFGHJKLZXCVBNM"
	cyrillicKeys = "йцукенгшщзфывапролдячсмитьЙЦУКЕНГШЩЗФЫВАПРОЛДЯЧСМИТЬ"
)

// cyrillicTwin is the Russian-layout letter on Latin letter k's key.
func cyrillicTwin(k string) (string, bool) {
	if len(k) != 1 {
		return "", false
	}
	i := strings.IndexByte(latinKeys, k[0])
	if i < 0 {
		return "", false
	}
	return cyrillicKeys[2*i : 2*i+2], true
}

// withCyrillic adds the Russian-layout twin of every Latin letter key.
func withCyrillic(keys ...string) []string {
	out := append([]string(nil), keys...)
	for _, k := range keys {
		if c, ok := cyrillicTwin(k); ok {
			out = append(out, c)
		}
	}
	return out
}

// hotkey declares the keys of a binding: the keys that press it (the letters' Russian
// twins are added), the key the help shows (the Latin one), and what it does, a catalog
// key put into the operator's language here. A letter hotkey should name its capital
// too, so that it works with Caps Lock on.
func (c *common) hotkey(help, desc string, keys ...string) key.Binding {
	return key.NewBinding(key.WithKeys(withCyrillic(keys...)...), key.WithHelp(help, c.tr(desc)))
}

// helpBar is the help bar: the bindings on the bar that are possible now, in their
// order, fitted to the width by leaving out the lowest ranks first. Which entries fit is
// worked out with the held ones counted in, so that the bar is the same for the same
// state: an entry never comes in only because another is impossible for a moment.
func (c *common) helpBar(bs []binding, h helpView) string {
	var on []binding
	held := false
	for _, b := range bs {
		if b.bar > 0 && (b.Enabled() || b.held) {
			on = append(on, b)
			held = held || !b.Enabled()
		}
	}
	shown := func(on []binding) []binding {
		out := make([]binding, 0, len(on))
		for _, b := range on {
			if b.Enabled() {
				out = append(out, b)
			}
		}
		return out
	}
	measured := func(on []binding) []binding { // a held entry measured as if it were shown
		out := append([]binding(nil), on...)
		for i := range out {
			out[i].SetEnabled(true)
		}
		return out
	}
	for {
		if !held {
			if s := h.short(on, 0); lipgloss.Width(s) <= c.width { // measured whole: the bubble's own cut would drop the end
				return s
			}
		} else if s := h.short(measured(on), 0); lipgloss.Width(s) <= c.width {
			return h.short(shown(on), 0)
		}
		low := -1
		for i, b := range on {
			if b.bar < barKeep && (low < 0 || b.bar < on[low].bar) {
				low = i
			}
		}
		if low < 0 {
			return h.short(shown(on), c.width)
		}
		on = append(on[:low:low], on[low+1:]...)
	}
}
