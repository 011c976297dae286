package ui

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/okdash/okdash/oktell"
)

// colleagues are the other users of the call centre and their states, as the session
// reports them: the colleagues view (c) by department, free colleagues first, with a
// filter typed after "/" and Enter to write to the one selected; and, on a wide
// terminal, a column beside the messages. A source that cannot report colleagues
// (Capabilities.Colleagues) shows neither; one that can but has not sent its list yet
// shows no column and says so in the view.
type colleagues struct {
	c *common

	known bool
	list  []oktell.Colleague // in the order they first came, texts cleaned
	hay   []string           // what the filter searches in each, in lower case (by index in list)
	at    map[string]int     // a colleague's Key to its index in list

	// derived is what the view draws, rebuilt when the list or the filter changed. It
	// is behind a pointer because View draws on a copy of the model and the work of
	// sorting five thousand colleagues should be done once per change, not per frame.
	derived *colleagueRows

	filter     textinput.Model
	filtering  bool // the filter line holds the focus
	cannotSend bool // the source said it cannot send messages (oktell.ErrUnsupported)
	stale      bool // the link went down: the states are the last the source said

	open, back, clear, find, write, up, down, pageUp, pageDown key.Binding
	done, clearLine, lineUp, lineDown                          key.Binding
}

// colleagueRows are the colleagues as the view lists them: department headings and the
// colleagues under each, those the filter keeps.
type colleagueRows struct {
	dirty   bool
	query   string    // the filter the rows were built for (lower case)
	built   bool      // rows were built at least once
	builtAt time.Time // when, by the dashboard's clock
	rows    []colleagueRow
	people  []int // the rows that are colleagues, in order
	free    int   // free colleagues among those listed
	self    int   // the operator's own entries among them (counted neither free nor at all)
	top     int   // the first row the view shows
	// sel is the selected colleague, by Key: a colleague keeps the selection when the
	// list reorders. It lives here, beside top, because the view pins it too.
	sel string
}

type colleagueRow struct {
	heading    bool
	dept       string // a heading's department ("" for none)
	free, size int    // a heading's free colleagues and all it lists
	col        *oktell.Colleague
}

// maxFilter bounds the filter line: a name or a number is far shorter.
const maxFilter = 64

func init() { words(colleaguesWords) }

// colleaguesWords declares the words of colleagues.go in Russian (see words).
func colleaguesWords() {
	russian(map[string]string{
		"colleagues":                             "коллеги",
		"Colleagues":                             "Коллеги",
		"filter":                                 "фильтр",
		"write":                                  "написать",
		"done":                                   "готово",
		"clear filter":                           "сбросить фильтр",
		"No department":                          "Без отдела",
		"(you)":                                  "(вы)",
		"%d of %d free":                          "свободно %d из %d",
		"%d free":                                "свободно %d",
		"Message to %s: ":                        "Сообщение → %s: ",
		"the colleague list has not arrived yet": "список коллег ещё не получен",
		"no colleague matches %q":                "нет коллег по запросу «%s»",
		"this source does not report colleagues": "этот источник не сообщает о коллегах",
		"no colleague is selected":               "коллега не выбран",
		"that is you":                            "это вы",
		"the source gave no id to write to":      "источник не дал кода, по которому писать",
		"no colleague to move to":                "переходить не к кому",
		"esc clears, enter keeps":                "esc сбрасывает, enter оставляет",
		"%d–%d of %d":                            "%d–%d из %d",
	})
}

func newColleagues(c *common) colleagues {
	in := c.input(maxFilter)
	in.Prompt = "/ "
	k := colleagues{c: c, at: map[string]int{}, derived: &colleagueRows{dirty: true}, filter: in,
		open:  c.hotkey("c", "colleagues", "c", "C"),
		back:  c.hotkey("esc", "back", "esc"),
		clear: c.hotkey("esc", "clear filter", "esc"),
		// on the Russian layout the "/" key types "."
		find:      c.hotkey("/", "filter", "/", "."),
		write:     c.hotkey("enter/m", "write", "enter", "m", "M"),
		done:      c.hotkey("enter", "done", "enter"),
		clearLine: c.hotkey("esc", "clear filter", "esc"),
	}
	k.up, k.down, k.pageUp, k.pageDown = scrollKeys(c)
	// in the filter line letters are text: only the arrows move
	upKey, downKey := "↑", "↓"
	if ic := c.theme.Icons; ic.Up != "" {
		upKey, downKey = ic.Up, ic.Down
	}
	k.lineUp, k.lineDown = c.hotkey(upKey, "up", "up"), c.hotkey(downKey, "down", "down")
	return k
}

func (k *colleagues) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case updateMsg:
		if u := msg.u.Colleagues; u != nil && k.c.caps.Colleagues {
			k.apply(*u)
		}
	case linkDownMsg:
		k.stale = k.known
	case sentMsg:
		if msg.err != nil && errors.Is(msg.err, oktell.ErrUnsupported) {
			k.cannotSend = true // the source says so: the key says why from now on
		}
	case screenMsg:
		if msg.to != screenColleagues {
			k.leaveLine()
		}
	case tea.KeyMsg:
		if k.filtering {
			var cmd tea.Cmd
			k.filter, cmd = k.filter.Update(msg)
			k.derived.dirty = true
			return cmd
		}
	}
	return nil
}

// apply changes the list as the source says: a whole list replaces it, a change merges
// by Key (see oktell.ColleaguesUpdate). The index is kept between changes, so that a
// change costs as much as what changed, not the size of the list. At most
// oktell.MaxColleagues are kept.
func (k *colleagues) apply(u oktell.ColleaguesUpdate) {
	k.known, k.stale = true, false
	k.derived.dirty = true
	if u.Full {
		k.derived.built = false // a whole new list (a login, a reconnect) shows at once
		k.list, k.hay = k.list[:0], k.hay[:0]
		clear(k.at)
		for _, col := range u.Colleagues[:min(len(u.Colleagues), oktell.MaxColleagues)] {
			k.add(col)
		}
		return
	}
	for _, col := range u.Colleagues {
		if i, ok := k.at[col.Key()]; ok {
			k.list[i] = cleanColleague(col)
			k.hay[i] = haystack(&k.list[i])
		} else if len(k.list) < oktell.MaxColleagues {
			k.add(col)
		}
	}
	if len(u.Removed) == 0 {
		return
	}
	gone := false
	for _, key := range u.Removed {
		if _, ok := k.at[key]; ok {
			gone = true
			delete(k.at, key)
		}
	}
	if !gone {
		return
	}
	kept, hay := k.list[:0], k.hay[:0]
	for i, col := range k.list {
		if _, ok := k.at[col.Key()]; ok {
			k.at[col.Key()] = len(kept)
			kept, hay = append(kept, col), append(hay, k.hay[i])
		}
	}
	clear(k.list[len(kept):])
	k.list, k.hay = kept, hay
}

func (k *colleagues) add(col oktell.Colleague) {
	key := col.Key()
	if i, ok := k.at[key]; ok { // the same colleague twice in one list: the last says
		k.list[i] = cleanColleague(col)
		k.hay[i] = haystack(&k.list[i])
		return
	}
	k.at[key] = len(k.list)
	k.list = append(k.list, cleanColleague(col))
	k.hay = append(k.hay, haystack(&k.list[len(k.list)-1]))
}

// haystack is what the filter searches in a colleague, in lower case, computed once per
// change rather than for every colleague at every keystroke: their name, login,
// numbers and department.
func haystack(c *oktell.Colleague) string {
	parts := append([]string{c.Name, c.Login, c.Number, c.Department}, c.Numbers...)
	return strings.ToLower(strings.Join(parts, "\x00"))
}

// cleanColleague is a colleague with the texts the dashboard shows cleaned once. The
// fields it does not show (Extra) are dropped: the dashboard keeps what it draws.
func cleanColleague(c oktell.Colleague) oktell.Colleague {
	c.Name, c.Login, c.Number = oktell.CleanLine(c.Name), oktell.CleanLine(c.Login), oktell.CleanLine(c.Number)
	c.Department = oktell.CleanLine(c.Department)
	nums := make([]string, 0, min(len(c.Numbers), 8))
	for _, n := range c.Numbers[:min(len(c.Numbers), 8)] {
		nums = append(nums, oktell.CleanLine(n))
	}
	c.Numbers, c.Extra = nums, nil
	return c
}

// displayName is how a colleague is named: their name, else their login, else their number.
func displayName(c *oktell.Colleague) string {
	switch {
	case c.Name != "":
		return c.Name
	case c.Login != "":
		return c.Login
	}
	return c.Number
}

// Sorting a large list again costs milliseconds (5,000 colleagues: about 5 ms), and a
// server reports every colleague's every change: a list larger than lazyRows is sorted
// again for its changes at most once a second of the dashboard's clock (the tick
// redraws), so a flood of changes costs a bounded share of the CPU. A new filter, or a
// new whole list, is shown at once.
const (
	lazyRows  = 500
	lazyEvery = time.Second
)

// rows are the colleagues as listed now, rebuilt when the list or the filter changed.
func (k *colleagues) rows() *colleagueRows {
	d := k.derived
	q := strings.ToLower(strings.TrimSpace(k.filter.Value()))
	if d.built && d.query == q && (!d.dirty || (len(k.list) > lazyRows && k.c.now.Sub(d.builtAt) < lazyEvery && !k.c.now.Before(d.builtAt))) {
		return d
	}
	d.dirty, d.query, d.built, d.builtAt = false, q, true, k.c.now
	d.rows, d.people, d.free, d.self = d.rows[:0], d.people[:0], 0, 0
	keep := k.list
	if q != "" {
		keep = make([]oktell.Colleague, 0, len(k.list))
		for i := range k.list {
			if k.matches(i, q) {
				keep = append(keep, k.list[i])
			}
		}
	}
	depts := oktell.GroupColleagues(keep)
	for _, dep := range depts {
		// the operator's own entry last in its department: the view is for finding someone else
		sort.SliceStable(dep.Colleagues, func(i, j int) bool { return !dep.Colleagues[i].Self && dep.Colleagues[j].Self })
	}
	headed := len(depts) > 1 || (len(depts) == 1 && depts[0].Name != "")
	for _, dep := range depts {
		at := len(d.rows)
		if headed {
			d.rows = append(d.rows, colleagueRow{heading: true, dept: dep.Name, size: len(dep.Colleagues)})
		}
		for i := range dep.Colleagues {
			col := &dep.Colleagues[i]
			if col.Self {
				d.self++ // listed, but not counted: the operator is not their own colleague
				if headed {
					d.rows[at].size--
				}
			} else if col.Free() {
				d.free++
				if headed {
					d.rows[at].free++
				}
			}
			d.people = append(d.people, len(d.rows))
			d.rows = append(d.rows, colleagueRow{col: col})
		}
	}
	return d
}

// matches says whether the filter q (lower case) finds colleague i: in their name,
// login, numbers, department or state word (so "ready" lists the free ones).
func (k *colleagues) matches(i int, q string) bool {
	col := &k.list[i]
	return strings.Contains(k.hay[i], q) || strings.Contains(strings.ToLower(k.stateWord(col)), q)
}

func (k *colleagues) stateWord(col *oktell.Colleague) string {
	return stateWord(k.c, col.StateKnown, col.State, "")
}

// selected is the index in rows().people of the selected colleague (the first when the
// selected one is not listed), or -1 when none is listed.
func (k *colleagues) selected() int {
	d := k.rows()
	if len(d.people) == 0 {
		return -1
	}
	for i, r := range d.people {
		if d.rows[r].col.Key() == d.sel {
			return i
		}
	}
	d.sel = d.rows[d.people[0]].col.Key() // none yet, or gone: the first, from now on
	return 0
}

// selectedColleague is the colleague selected, or nil.
func (k *colleagues) selectedColleague() *oktell.Colleague {
	i := k.selected()
	if i < 0 {
		return nil
	}
	d := k.derived
	return d.rows[d.people[i]].col
}

// move moves the selection by n colleagues and keeps it in view.
func (k *colleagues) move(n int) {
	i := k.selected()
	if i < 0 {
		return
	}
	d := k.derived
	i = min(max(i+n, 0), len(d.people)-1)
	d.sel = d.rows[d.people[i]].col.Key()
	area, _ := k.area(k.c.lay.listRows)
	k.scrollTo(d.people[i], area)
}

// scrollTo moves the view so that row r is among the rows lines shown; a department's
// heading comes into view with its first colleague.
func (k *colleagues) scrollTo(r, rows int) {
	d := k.derived
	rows = max(rows, 1)
	first := r
	if r > 0 && d.rows[r-1].heading {
		first = r - 1
	}
	switch {
	case first < d.top:
		d.top = first
	case r >= d.top+rows:
		d.top = r - rows + 1
	}
	d.top = min(max(d.top, 0), max(len(d.rows)-rows, 0))
}

// area is how many of the view's rows list colleagues: one goes to the filter line
// while it is open or a filter is set, and one to where the list stands ("9-16 of 40")
// when it does not fit; paged says it does not.
func (k *colleagues) area(rows int) (list int, paged bool) {
	if k.filterShown() {
		rows--
	}
	if len(k.rows().rows) > rows {
		return max(rows-1, 1), true
	}
	return max(rows, 1), false
}

func (k *colleagues) filterShown() bool { return k.filtering || k.filter.Value() != "" }

// leaveLine gives the focus back to the list; the filter stays.
func (k *colleagues) leaveLine() {
	k.filtering = false
	k.filter.Blur()
}

// clearFilter drops the filter and leaves the line.
func (k *colleagues) clearFilter() {
	k.filter.Reset()
	k.derived.dirty = true
	k.leaveLine()
}

// modal says whether the filter line holds the focus.
func (k *colleagues) modal() bool { return k.filtering }

// writeMsg opens the reply line to write to a colleague.
type writeMsg struct{ to *msgEntry }

// keys are the key that opens the view (on every screen but the help's), and, on the
// view, its own: move, filter, write, back. ended says the session closed.
func (k *colleagues) keys(on screen, ended bool) []binding {
	c := k.c
	if k.filtering {
		return []binding{
			act(k.done, "", func() tea.Cmd { k.leaveLine(); return nil }).onBar(barKeep),
			act(k.clearLine, "", func() tea.Cmd { k.clearFilter(); return nil }).onBar(barKeep),
			act(k.lineUp, "", func() tea.Cmd { k.move(-1); return nil }).onBar(2),
			act(k.lineDown, "", func() tea.Cmd { k.move(1); return nil }).onBar(1),
		}
	}
	toggle := c.viewKey(k.open, screenColleagues, c.caps.Colleagues, "this source does not report colleagues", on, 3) // the state keys stay longer on a narrow bar
	if on != screenColleagues {
		return []binding{toggle}
	}
	d := k.rows()
	// Each direction says whether it can move, so that a narrow help bar keeps the one
	// that can (down, at the top of the list) rather than one that cannot.
	whyUp, whyDown := "", ""
	switch i := k.selected(); {
	case len(d.people) <= 1:
		whyUp, whyDown = "no colleague to move to", "no colleague to move to"
	case i == 0:
		whyUp = "already at the top"
	case i == len(d.people)-1:
		whyDown = "already at the end"
	}
	area, _ := k.area(c.lay.listRows)
	page := max(area-1, 1)
	move := func(n int) func() tea.Cmd { return func() tea.Cmd { k.move(n); return nil } }
	// esc above the notifications key (8), which the history pane keeps on every bar
	esc := act(k.back, "", c.toMain).onBar(9)
	if k.filter.Value() != "" {
		esc = act(k.clear, "", func() tea.Cmd { k.clearFilter(); return nil }).onBar(9)
	}
	return []binding{
		act(k.write, k.whyNotWrite(k.selectedColleague(), ended), k.startWriting).onBar(7),
		act(k.find, "", func() tea.Cmd { k.filtering = true; k.filter.Focus(); return nil }).onBar(6),
		act(k.up, whyUp, move(-1)).onBar(1),
		act(k.down, whyDown, move(1)).onBar(2), // down first: the list opens at its top
		act(k.pageUp, whyUp, move(-page)),
		act(k.pageDown, whyDown, move(page)),
		toggle,
		esc,
	}
}

// whyNotWrite says why no message can be written to col now, or "".
func (k *colleagues) whyNotWrite(col *oktell.Colleague, ended bool) string {
	c := k.c
	switch {
	case !c.canSend(ended) || !c.caps.SendMessage || k.cannotSend:
		return "this source cannot send messages"
	case col == nil:
		return "no colleague is selected"
	case col.Self:
		return "that is you"
	case col.ID == "":
		return "the source gave no id to write to"
	}
	return ""
}

// startWriting opens the reply line to the selected colleague (the reply pane writes
// and sends it, as an answer to a message).
func (k *colleagues) startWriting() tea.Cmd {
	if col := k.selectedColleague(); col != nil {
		k.c.post(writeMsg{to: &msgEntry{senderID: col.ID, sender: displayName(col)}})
	}
	return nil
}

// title is the view's rule title and its count of free colleagues.
func (k *colleagues) title() (string, string) {
	if !k.known {
		return k.c.tr("Colleagues"), ""
	}
	d := k.rows()
	return k.c.tr("Colleagues"), k.stalePart(k.c.tr("%d of %d free", d.free, len(d.people)-d.self))
}

// stalePart marks a count as stale while the link is down.
func (k *colleagues) stalePart(s string) string {
	if k.stale {
		return s + " (" + k.c.tr("stale") + ")"
	}
	return s
}

// wordWidth is the width of the longest state word, so that names line up.
func (k *colleagues) wordWidth() int {
	w := 0
	for _, s := range []oktell.UserState{oktell.UserDisconnected, oktell.UserReady, oktell.UserLunch, oktell.UserOff,
		oktell.UserFullbusy, oktell.UserReserved, oktell.UserWOphone} {
		w = max(w, ansi.StringWidth(stateWord(k.c, true, s, "")))
	}
	return max(w, ansi.StringWidth(stateWord(k.c, false, 0, "")))
}

// view draws the colleagues view into w x rows: the filter line when it is open or set,
// then the departments and their colleagues from the scrolled-to row, only what fits.
func (k *colleagues) view(w, rows int) []string {
	c, th := k.c, k.c.theme
	out := make([]string, 0, rows)
	if k.filterShown() {
		if k.filtering {
			k.filter.Width = max(w-4, 1)
			out = append(out, " "+k.filter.View())
		} else {
			out = append(out, " "+th.Accent.Render("/ ")+th.Input.Render(k.filter.Value()))
		}
	}
	if !k.known {
		return append(out, "   "+th.Muted.Render(c.tr("the colleague list has not arrived yet")))
	}
	d := k.rows()
	if len(d.people) == 0 {
		return append(out, "   "+th.Muted.Render(c.tr("no colleague matches %q", k.filter.Value())))
	}
	area, paged := k.area(rows)
	sel := k.selected()
	k.scrollTo(d.people[sel], area)
	end := min(d.top+area, len(d.rows))
	numW := 0
	for _, r := range d.rows[d.top:end] {
		if !r.heading {
			numW = max(numW, ansi.StringWidth(r.col.Number))
		}
	}
	numW = min(numW, 16)
	wordW := k.wordWidth()
	for i := d.top; i < end; i++ {
		r := d.rows[i]
		if r.heading {
			out = append(out, k.heading(r, w))
			continue
		}
		out = append(out, k.line(r.col, i == d.people[sel], wordW, numW, w))
	}
	if paged {
		first, last := 0, 0
		for n, r := range d.people {
			if r >= d.top && first == 0 {
				first = n + 1
			}
			if r < end {
				last = n + 1
			}
		}
		out = append(out, "  "+th.Muted.Render(c.tr("%d–%d of %d", first, last, len(d.people))))
	}
	return out
}

// line is a colleague's line in the view: the selection's mark, their state's glyph and
// word in its colour, their name, and their number.
func (k *colleagues) line(col *oktell.Colleague, selected bool, wordW, numW, w int) string {
	c, th := k.c, k.c.theme
	gutter := " "
	if selected {
		gutter = th.Accent.Render(th.Icons.Selected)
	}
	st := th.StateText(col.State, !col.StateKnown)
	word := k.stateWord(col)
	left := gutter + " " + st.Render(k.glyph(col)+" "+word+strings.Repeat(" ", max(wordW-ansi.StringWidth(word), 0))) + " "
	name := displayName(col)
	if col.Self {
		name += " " + th.Muted.Render(c.tr("(you)"))
	}
	if numW == 0 {
		return left + name
	}
	room := w - ansi.StringWidth(left) - numW - 2
	return left + c.fill(name, max(room, 1)) + "  " + th.Muted.Render(c.fit(col.Number, numW))
}

func (k *colleagues) glyph(col *oktell.Colleague) string {
	if !col.StateKnown {
		return k.c.theme.Icons.Unknown
	}
	return k.c.theme.Icons.StateGlyph(col.State)
}

// heading is a department's line: its name and how many of its colleagues are free.
func (k *colleagues) heading(r colleagueRow, w int) string {
	c, th := k.c, k.c.theme
	name := r.dept
	if name == "" {
		name = c.tr("No department")
	}
	return c.fit(" "+th.Department.Render(name)+"  "+th.Muted.Render(c.tr("%d of %d free", r.free, r.size)), w)
}

// inColumn says whether the colleagues have a column on the main screen: the source
// reports them and has sent its list.
func (k *colleagues) inColumn() bool { return k.c.caps.Colleagues && k.known }

// column is the colleagues' column of a wide terminal, w x rows: its rule, then each
// department's colleagues, each with their state's glyph, name and word, as many as fit,
// then "+N more". The filter of the view applies, and its rule says so.
func (k *colleagues) column(w, rows int) []string {
	c, th := k.c, k.c.theme
	d := k.rows()
	right := ""
	if q := strings.TrimSpace(k.filter.Value()); q != "" {
		right = th.Accent.Render("/ " + q)
	}
	out := []string{c.rule(c.tr("Colleagues"), k.stalePart(c.tr("%d free", d.free)), w, right)}
	// the column is for finding someone else: the view lists the operator too
	// only the rows that fit are looked at: a frame does not grow with the list
	avail := max(rows-1, 0)
	listed := make([]colleagueRow, 0, avail+1)
	for _, r := range d.rows {
		if len(listed) > avail {
			break
		}
		if r.heading || !r.col.Self {
			listed = append(listed, r)
		}
	}
	more := 0
	if len(listed) > avail {
		listed = listed[:max(avail-1, 0)]
		shown := 0
		for _, r := range listed {
			if !r.heading && !r.col.Self {
				shown++
			}
		}
		more = len(d.people) - d.self - shown
	}
	for _, r := range listed {
		if r.heading {
			name := r.dept
			if name == "" {
				name = c.tr("No department")
			}
			out = append(out, c.fit(" "+th.Department.Render(name)+" "+th.Muted.Render(fmt.Sprintf("%d/%d", r.free, r.size)), w))
			continue
		}
		col := r.col
		st := th.StateText(col.State, !col.StateKnown)
		word := k.stateWord(col)
		room := w - 3 - ansi.StringWidth(word) - 2
		out = append(out, " "+st.Render(k.glyph(col))+" "+c.fill(displayName(col), max(room, 1))+" "+st.Render(word)+" ")
	}
	if more > 0 && rows > 1 {
		out = append(out, "  "+th.Muted.Render(c.tr("+%d more", more)))
	}
	if len(out) > rows {
		out = out[:max(rows, 0)]
	}
	return out
}
