package ui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/okdash/okdash/oktell"
)

// breaks are the reasons a break may be taken for, as the session last listed them
// (Update.BreakReasons), and the picker that asks which one. The picker opens from the
// Break key when the server lists several and none was named beforehand, or, with one
// named (--break-reason), on a second press of Break while on the break: Break takes the
// named one at once and Break again changes it. While open it holds the focus: a digit
// takes that reason, the arrows move, Enter takes the one marked, Esc closes it.
type breaks struct {
	c      *common
	list   oktell.BreakReasons
	warned string // the list a --break-reason the server lacks was last reported for

	open     bool
	sel, top int // the reason marked, and the first row shown

	digits                   []key.Binding // 1 to 9: take that reason
	up, down, choose, cancel key.Binding
}

// maxPickerRows bounds the rows of reasons the picker shows at once; more scroll.
const maxPickerRows = 9

func init() { words(breaksWords) }

// breaksWords declares the words of breaks.go in Russian (see words).
func breaksWords() {
	russian(map[string]string{
		"Break reason":            "Причина перерыва",
		"Break: %s":               "Перерыв: %s",
		"choose":                  "выбрать",
		"take the break":          "уйти на перерыв",
		"change the break reason": "сменить причину перерыва",
		"%d of %d":                "%d из %d",
		"--break-reason %s is not a break reason the server lists (%s); Break asks which": "--break-reason «%s» нет в списке причин перерыва сервера (%s); «Перерыв» спросит причину",
		"--break-reason %s is not a break reason the server lists (%s); Break takes %s":   "--break-reason «%s» нет в списке причин перерыва сервера (%s); «Перерыв» возьмёт «%s»",
		"--break-reason %s: the server lists no break reasons; Break asks for none":       "--break-reason «%s»: сервер не перечисляет причин перерыва; «Перерыв» уйдёт без причины",
	})
}

func newBreaks(c *common) breaks {
	b := breaks{c: c}
	for i := 1; i <= 9; i++ {
		d := strconv.Itoa(i)
		b.digits = append(b.digits, c.hotkey(d, "choose", d))
	}
	b.up, b.down, _, _ = scrollKeys(c)
	b.choose = c.hotkey("enter", "take the break", "enter")
	b.cancel = c.hotkey("esc", "cancel", "esc")
	return b
}

func (b *breaks) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case updateMsg:
		if r := msg.u.BreakReasons; r != nil {
			b.set(*r)
		}
	case linkDownMsg, sessionEndedMsg:
		b.open = false // nothing can take the break now; the key says why
	}
	return nil
}

// set takes a new list: after a reconnect the server may list others. A --break-reason
// the server lacks is said at once, in the history too, naming what it lists.
func (b *breaks) set(r oktell.BreakReasons) {
	b.list = r
	if !b.several() {
		b.open = false
	}
	b.sel = min(b.sel, max(len(r.List)-1, 0))
	b.scroll()
	if r.Unlisted == "" {
		b.warned = ""
		return
	}
	names := oktell.CleanLine(strings.Join(r.Names(), ", "))
	if key := r.Unlisted + "\x00" + names; key != b.warned {
		b.warned = key
		c := b.c
		var text string
		unlisted := oktell.CleanLine(r.Unlisted)
		switch len(r.List) {
		case 0:
			text = c.tr("--break-reason %s: the server lists no break reasons; Break asks for none", unlisted)
		case 1:
			text = c.tr("--break-reason %s is not a break reason the server lists (%s); Break takes %s", unlisted, names, names)
		default:
			text = c.tr("--break-reason %s is not a break reason the server lists (%s); Break asks which", unlisted, names)
		}
		c.post(localWarning(c, text))
	}
}

// several says whether the server lists more than one reason: only then is there a choice.
func (b *breaks) several() bool { return len(b.list.List) > 1 }

// named is the reason a break takes without asking: the one named beforehand, else the
// only one listed; ok is false when the operator is to choose (or none is listed).
func (b *breaks) named() (r oktell.BreakReason, ok bool) {
	if b.list.Default != "" {
		return b.list.Find(b.list.Default)
	}
	if len(b.list.List) == 1 {
		return b.list.List[0], true
	}
	return oktell.BreakReason{}, false
}

// opens says whether Break opens the picker rather than asking at once: several reasons
// and none named, or, with one named, a second press while on the break already.
func (b *breaks) opens(onBreak bool) bool {
	if !b.several() {
		return false
	}
	_, named := b.named()
	return !named || onBreak
}

// openPicker shows the picker with a reason marked: the break's own (current, while on
// one), else the one named beforehand, else the first.
func (b *breaks) openPicker(current string) {
	b.open, b.sel, b.top = true, 0, 0
	mark := b.list.Default
	if _, ok := b.list.Find(current); ok && current != "" {
		mark = current
	}
	for i, r := range b.list.List {
		if r.ID == mark {
			b.sel = i
		}
	}
	b.scroll()
}

func (b *breaks) modal() bool { return b.open }

// keys are the picker's own while it is open; take asks for the break with a reason.
func (b *breaks) keys(take func(oktell.BreakReason) tea.Cmd) []binding {
	if !b.open {
		return nil
	}
	n := len(b.list.List)
	pick := func(i int) func() tea.Cmd {
		return func() tea.Cmd {
			b.open = false
			return take(b.list.List[i])
		}
	}
	var bs []binding
	for i := 0; i < min(n, len(b.digits)); i++ {
		d := act(b.digits[i], "", pick(i))
		if i == 0 {
			d.SetHelp("1-"+strconv.Itoa(min(n, len(b.digits))), d.Help().Desc)
			d = d.onBar(barKeep)
		}
		bs = append(bs, d)
	}
	move := func(by int) func() tea.Cmd {
		return func() tea.Cmd { b.sel = (b.sel + by + n) % n; b.scroll(); return nil }
	}
	// the arrows leave a narrow bar first: the digits, Enter and Esc are the way through
	return append(bs,
		act(b.choose, "", func() tea.Cmd { return pick(b.sel)() }).onBar(barKeep),
		act(b.cancel, "", func() tea.Cmd { b.open = false; return nil }).onBar(barKeep),
		act(b.up, "", move(-1)).onBar(2),
		act(b.down, "", move(1)).onBar(1),
	)
}

// scroll keeps the marked reason among the rows shown.
func (b *breaks) scroll() {
	rows := b.listRows()
	if b.sel < b.top {
		b.top = b.sel
	}
	if b.sel >= b.top+rows {
		b.top = b.sel - rows + 1
	}
}

// listRows are the rows of reasons shown: all, up to maxPickerRows and a third of the
// terminal, so the messages stay in sight.
func (b *breaks) listRows() int {
	return max(min(len(b.list.List), maxPickerRows, (b.c.height-4)/3), 1)
}

// rows is the picker's height: its title and its reasons, while it is open.
func (b *breaks) rows() int {
	if !b.open {
		return 0
	}
	return 1 + b.listRows()
}

// marked is the picker's line of the reason marked, for a screen with room for no more.
func (b *breaks) marked(width int) string { return b.view(width)[1+b.sel-b.top] } // after the rule

// view is the picker: a rule with its title (and where the marked reason is, when they
// do not all fit), then one reason a row, numbered, the marked one flagged by a glyph.
func (b *breaks) view(width int) []string {
	if !b.open {
		return nil
	}
	c, th := b.c, b.c.theme
	extra := ""
	rows := b.listRows()
	n := len(b.list.List)
	if rows < n {
		extra = c.tr("%d of %d", b.sel+1, n)
	}
	lines := []string{c.rule(c.tr("Break reason"), extra, width, "")}
	for i := b.top; i < min(b.top+rows, n); i++ {
		num := "  "
		if i < len(b.digits) {
			num = strconv.Itoa(i+1) + " "
		}
		name := oktell.CleanLine(b.list.List[i].Name)
		line := " " + num + name
		if i == b.sel {
			line = th.Accent.Render(th.Icons.Selected) + th.Bold.Render(num+name)
		}
		lines = append(lines, c.fit(line, max(width, 1)))
	}
	return lines
}
